import type { IncomingMessage } from 'node:http';
import type { BodyReading } from './answer-request.ts';

const JSON_CONTENT_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Reads the request body up to `limit` bytes. A body over the limit is reported as too large as soon as that is
 * known (from Content-Length, or while streaming), without reading the rest.
 */
export async function readBody(request: IncomingMessage, limit: number): Promise<BodyReading> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return { kind: 'too-large', limit };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return { kind: 'too-large', limit };
    chunks.push(chunk);
  }
  if (size === 0) return { kind: 'none' };
  const text = Buffer.concat(chunks).toString('utf8');
  if (!JSON_CONTENT_TYPE.test(request.headers['content-type'] ?? '')) return { kind: 'text', text };
  try {
    return { kind: 'json', value: JSON.parse(text) };
  } catch (error) {
    return { kind: 'malformed-json', reason: (error as Error).message };
  }
}

import type { IncomingMessage } from 'node:http';
import { isJsonMediaType } from '../openapi/index.ts';
import { readCapped } from '../runtime/read-capped.ts';
import type { BodyReading } from './answer-request.ts';

/**
 * Reads the request body up to `limit` bytes. Past the limit nothing more is kept, but the rest of the upload
 * is still read and discarded: a client that is still sending can then read the 413 instead of meeting a
 * reset connection. A declared Content-Length over the limit is answered at once, the upload drained behind.
 */
export async function readBody(request: IncomingMessage, limit: number): Promise<BodyReading> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    request.resume();
    return { kind: 'too-large', limit };
  }
  const body = await readCapped(request, limit, 'drain');
  if (body.truncated) return { kind: 'too-large', limit };
  if (body.size === 0) return { kind: 'none' };
  const text = body.bytes.toString('utf8');
  if (!isJsonMediaType(request.headers['content-type'])) return { kind: 'text', text };
  try {
    return { kind: 'json', value: JSON.parse(text) };
  } catch (error) {
    return { kind: 'malformed-json', reason: (error as Error).message };
  }
}

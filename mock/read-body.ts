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
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: 'malformed-json', reason: (error as Error).message };
  }
  return depthOf(value) > MAX_JSON_DEPTH ? { kind: 'too-deep', limit: MAX_JSON_DEPTH } : { kind: 'json', value };
}

/**
 * How deep a JSON body may nest. Prism's validation recurses through the body, and a few thousand levels (a
 * 20 KB body) overflow the stack; no document the kit serves nests a tenth as deep.
 */
export const MAX_JSON_DEPTH = 256;

/** The nesting depth of a parsed JSON value, counted without recursion so that no body can overflow the stack. */
function depthOf(value: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 1]];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const [node, depth] = item;
    if (node === null || typeof node !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return deepest;
}

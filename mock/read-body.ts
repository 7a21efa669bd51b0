import type { IncomingMessage } from 'node:http';
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
  return { kind: 'read', text: body.bytes.toString('utf8'), size: body.size };
}

import { Transform } from 'node:stream';

/** A body read up to a limit: what was kept, how many bytes came in all, and whether the rest was dropped. */
export interface CappedBody {
  readonly bytes: Buffer;
  /** Bytes received in all; past the limit they are counted (when drained), not kept. */
  readonly size: number;
  readonly truncated: boolean;
}

/**
 * Reads a body, keeping at most `limit` bytes, so that no peer can make the kit hold more than that in memory.
 * Past the limit, 'stop' destroys the stream (an answer that never ends must not hold a run), while 'drain' reads
 * and discards the rest (a client still uploading can then read the refusal instead of meeting a reset).
 */
export async function readCapped(
  body: AsyncIterable<Buffer> & { destroy?: () => unknown },
  limit: number,
  past: 'stop' | 'drain' = 'stop',
): Promise<CappedBody> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    const room = limit - kept;
    if (room > 0) {
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      chunks.push(part);
      kept += part.length;
    }
    if (size > limit && past === 'stop') {
      body.destroy?.();
      break;
    }
  }
  return { bytes: Buffer.concat(chunks), size, truncated: size > limit };
}

/**
 * A pass-through stream that keeps a copy of at most `limit` bytes of what flows through it, for checking a body
 * that is forwarded as it comes: the bytes flow unchanged with back-pressure, the copy stays bounded.
 */
export function tapCapped(limit: number): { readonly stream: Transform; captured(): CappedBody } {
  const chunks: Buffer[] = [];
  let kept = 0;
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      const room = limit - kept;
      if (room > 0) {
        const part = chunk.length > room ? Buffer.from(chunk.subarray(0, room)) : chunk;
        chunks.push(part);
        kept += part.length;
      }
      done(null, chunk);
    },
  });
  return { stream, captured: () => ({ bytes: Buffer.concat(chunks), size, truncated: size > limit }) };
}

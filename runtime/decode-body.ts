import { brotliDecompressSync, constants, gunzipSync, inflateSync } from 'node:zlib';
import type { CappedBody } from './read-capped.ts';

const DECODERS: Readonly<Record<string, (bytes: Buffer, limit: number) => Buffer>> = {
  // Z_SYNC_FLUSH and BROTLI_OPERATION_FLUSH decode what there is of a copy that was cut at the limit.
  gzip: (bytes, limit) => gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: limit + 1 }),
  'x-gzip': (bytes, limit) => gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: limit + 1 }),
  deflate: (bytes, limit) => inflateSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: limit + 1 }),
  br: (bytes, limit) =>
    brotliDecompressSync(bytes, { finishFlush: constants.BROTLI_OPERATION_FLUSH, maxOutputLength: limit + 1 }),
};

/**
 * The text of a captured body as the checks read it: decoded from its Content-Encoding (RFC 9110 section 8.4)
 * when it has one, and still at most `limit` bytes. The proxy decodes only its copy (the client gets the bytes as sent); the suite decodes what it read.
 */
export function decodeBody(body: CappedBody, encoding: string | undefined, limit: number): { text: string; truncated: boolean } {
  // Most bodies come unencoded: the proxy decodes two per exchange, with nothing to split.
  if (encoding === undefined || encoding === '') return { text: body.bytes.toString('utf8'), truncated: body.truncated };
  const codings = (encoding ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  let bytes = body.bytes;
  let truncated = body.truncated;
  // Codings are listed in the order they were applied, so they are undone from the last.
  for (const coding of codings.reverse()) {
    const decode = DECODERS[coding];
    if (!decode) return { text: `(a body in the ${coding} coding, which the kit cannot decode to check)`, truncated };
    try {
      bytes = decode(bytes, limit);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return { text: '', truncated: true };
      return { text: `(a ${coding} body that does not decode: ${(error as Error).message})`, truncated };
    }
    if (bytes.length > limit) {
      bytes = bytes.subarray(0, limit);
      truncated = true;
    }
  }
  return { text: bytes.toString('utf8'), truncated };
}

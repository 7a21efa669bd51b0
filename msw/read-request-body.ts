import type { BodyReading } from '../mock/answering.ts';

/**
 * Reads a fetch Request's body up to `limit` bytes, as the mock server reads one off its socket: nothing past
 * the limit is kept, and a declared Content-Length over the limit is refused without reading.
 */
export async function readRequestBody(request: Request, limit: number): Promise<BodyReading> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) return { kind: 'too-large', limit };
  if (request.body === null) return { kind: 'none' };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    size += chunk.value.byteLength;
    if (size > limit) {
      // Not awaited: MSW hands the handler a clone, and cancelling one branch of a tee settles only once the
      // other branch is read or cancelled too.
      reader.cancel().catch(() => undefined);
      return { kind: 'too-large', limit };
    }
    chunks.push(chunk.value);
  }
  if (size === 0) return { kind: 'none' };
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { kind: 'read', text: new TextDecoder().decode(bytes), size };
}

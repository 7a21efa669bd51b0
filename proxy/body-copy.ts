import type { CappedBody } from '../runtime/read-capped.ts';

/** What is kept of a body once it has passed the limit: enough for an excerpt, nothing the checks would parse. */
const KEPT_PAST_LIMIT = 4096;

/**
 * A copy of a body as it passes, for the checks: at most `limit` bytes. Once the body passes the limit the checks
 * no longer read it (they report it as too large), so the copy shrinks to a short prefix: an endless body costs
 * the proxy a few KiB, not 1 MiB, for as long as it streams.
 */
export class BodyCopy {
  private chunks: Buffer[] = [];
  private kept = 0;
  private size = 0;

  constructor(private readonly limit: number) {}

  /** Bytes seen so far, kept or not. */
  get received(): number {
    return this.size;
  }

  /** Whether the body has passed the limit. */
  get overLimit(): boolean {
    return this.size > this.limit;
  }

  add(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > this.limit) {
      if (this.kept > KEPT_PAST_LIMIT || this.chunks.length > 1) {
        const prefix = Buffer.concat(this.chunks).subarray(0, KEPT_PAST_LIMIT);
        this.chunks = [Buffer.from(prefix)];
        this.kept = prefix.length;
      }
      if (this.kept < KEPT_PAST_LIMIT) {
        const part = Buffer.from(chunk.subarray(0, KEPT_PAST_LIMIT - this.kept));
        this.chunks.push(part);
        this.kept += part.length;
      }
      return;
    }
    this.chunks.push(chunk);
    this.kept += chunk.length;
  }

  captured(): CappedBody {
    const bytes = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
    return { bytes, size: this.size, truncated: this.size > this.limit };
  }
}

import type { CappedBody } from '../runtime/read-capped.ts';

/** What is kept of a body once it has passed the limit: enough for an excerpt, nothing the checks would parse. */
const KEPT_PAST_LIMIT = 4096;

const NOTHING_YET = Buffer.alloc(0);

/**
 * Below this size a copy's buffer is a slice of Node's shared 8 KiB pool (Buffer.allocUnsafe) rather than an
 * ArrayBuffer of its own: most bodies are a few hundred bytes, and copying one into an ArrayBuffer of its own took
 * four times as long (0.6 against 0.15 us), twice per exchange. A slice pins its slab for as long as the exchange
 * lasts: at most 8 KiB, and only for a small body.
 */
const POOLED_BELOW = Buffer.poolSize >>> 1;

/**
 * A copy of a body as it passes, for the checks: at most `limit` bytes. The bytes are copied into one buffer of
 * the copy's own (a slice of Node's pool while small) rather than kept as the chunks that came: a chunk is often a slice of a larger read buffer, and
 * keeping a 16 KiB slice would keep its 64 KiB parent alive. Once the body passes the limit the checks no longer
 * read it (they report it as too large), so the copy shrinks to a short prefix: an endless body costs the proxy a
 * few KiB, not 1 MiB, for as long as it streams.
 */
export class BodyCopy {
  // Shared and never written to (the first bytes added replace it): a Buffer.alloc(0) per copy was an ArrayBuffer each.
  private buffer: Buffer = NOTHING_YET;
  private kept = 0;
  private size = 0;

  constructor(private readonly limit: number) {}

  /** Whether the body has passed the limit. */
  get overLimit(): boolean {
    return this.size > this.limit;
  }

  add(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > this.limit) {
      if (this.buffer.length > KEPT_PAST_LIMIT) {
        // allocUnsafeSlow: a buffer of its own, not a slice of Node's shared pool that would keep the pool alive.
        const prefix = Buffer.allocUnsafeSlow(KEPT_PAST_LIMIT);
        this.kept = this.buffer.copy(prefix, 0, 0, Math.min(this.kept, KEPT_PAST_LIMIT));
        this.buffer = prefix;
      }
      if (this.kept < KEPT_PAST_LIMIT) this.append(chunk.subarray(0, KEPT_PAST_LIMIT - this.kept), KEPT_PAST_LIMIT);
      return;
    }
    this.append(chunk, this.limit);
  }

  captured(): CappedBody {
    return { bytes: this.buffer.subarray(0, this.kept), size: this.size, truncated: this.size > this.limit };
  }

  private append(part: Buffer, most: number): void {
    const needed = this.kept + part.length;
    if (needed > this.buffer.length) {
      // Doubling: a body copied in n chunks is moved O(log n) times, never more than the limit.
      const room = Math.min(most, Math.max(needed, this.buffer.length * 2));
      const grown = room < POOLED_BELOW ? Buffer.allocUnsafe(room) : Buffer.allocUnsafeSlow(room);
      this.buffer.copy(grown, 0, 0, this.kept);
      this.buffer = grown;
    }
    this.kept += part.copy(this.buffer, this.kept);
  }
}

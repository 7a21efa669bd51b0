import { appendFile } from 'node:fs/promises';
import { describeWriteError } from '../runtime/describe-write-error.ts';

/** Appends lines to a report file, one write at a time, and never throws: a write error is counted and told once per spell. */
export interface FindingAppender {
  append(line: string): void;
  /** Lines that could not be written so far. */
  unwritten(): number;
  /** Resolves once every line handed over has been written or counted as unwritten. */
  flushed(): Promise<void>;
}

/**
 * Appends to `path` as findings come. A full disk or a file gone read-only must not stop a proxy left running
 * for days: the lines of a failed write are counted as unwritten, `warn` gets one sentence when writes start to
 * fail (and one when they work again), and the next finding tries again.
 */
export function appendFindings(path: string, warn: (sentence: string) => void): FindingAppender {
  let queued: string[] = [];
  let writing: Promise<void> | undefined;
  let lost = 0;
  let failing = false;

  const drain = async (): Promise<void> => {
    while (queued.length > 0) {
      const batch = queued;
      queued = [];
      try {
        await appendFile(path, batch.join(''));
        if (failing) {
          failing = false;
          warn(`Findings are written to ${path} again.`);
        }
      } catch (error) {
        lost += batch.length;
        if (!failing) {
          failing = true;
          warn(
            `Could not append ${batch.length === 1 ? 'a finding' : `${batch.length} findings`} to ${path}: ${describeWriteError(error)}; the proxy goes on, and tries again with the next finding.`,
          );
        }
      }
    }
    writing = undefined;
  };

  return {
    append(line) {
      queued.push(line);
      writing ??= drain();
    },
    unwritten: () => lost,
    flushed: async () => {
      while (writing) await writing;
    },
  };
}

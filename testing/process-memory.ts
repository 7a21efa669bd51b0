import { readFileSync } from 'node:fs';

/** The resident set size of another process, in MiB, from /proc (Linux): what the kernel holds for it now. */
export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? 0) / 1024;
}

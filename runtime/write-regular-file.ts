import { closeSync, constants, existsSync, fstatSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describeWriteError } from './describe-write-error.ts';

// Every file the kit writes (check's reports, diff's report and summary) goes through here.
// O_NOFOLLOW: a report file that is a symbolic link (junit.xml -> ~/.bashrc, planted in a shared directory) is
// refused with ELOOP instead of followed, so that a run never overwrites a file it was not asked to write.
// O_NONBLOCK: a named pipe in its place fails at once (ENXIO) instead of blocking the run until a reader comes.
const WRITE_NO_FOLLOW = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Writes a file, which must be a regular file (or not exist yet); never through a symbolic link. */
export function writeRegularFile(path: string, data: string): void {
  const fd = openSync(path, WRITE_NO_FOLLOW, 0o666);
  try {
    if (!fstatSync(fd).isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: 'ENOTREG', path });
    writeFileSync(fd, data);
  } finally {
    closeSync(fd);
  }
}

/** Why a file could not be written, in words; a link or a non-regular file named as such. */
// The same for appending (a CI job's summary file): never through a link, never blocking on a pipe.
const APPEND_NO_FOLLOW =
  constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Appends to a file, which must be a regular file (or not exist yet); never through a symbolic link. */
export function appendRegularFile(path: string, data: string): void {
  const fd = openSync(path, APPEND_NO_FOLLOW, 0o666);
  try {
    if (!fstatSync(fd).isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: 'ENOTREG', path });
    writeFileSync(fd, data);
  } finally {
    closeSync(fd);
  }
}

export function describeOutputError(error: unknown): string {
  const { code, path } = error as NodeJS.ErrnoException;
  const file = path ?? 'the file';
  if (code === 'ELOOP') return `${file} is a symbolic link, which the kit does not follow; remove it or pick another directory`;
  if (code === 'ENXIO' || code === 'ENOTREG') return `${file} is not a regular file; remove it or pick another directory`;
  return describeWriteError(error);
}

/**
 * mkdir -p, one level at a time. Node's own recursive mkdirSync never returns where mkdir answers ENOENT for a
 * directory whose parent exists (/proc/nope): it retries the parent forever.
 */
export function makeDirectories(dir: string): void {
  const missing: string[] = [];
  for (let current = resolve(dir); !existsSync(current); current = dirname(current)) {
    missing.unshift(current);
    if (dirname(current) === current) break;
  }
  for (const path of missing) mkdirSync(path);
}

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendRegularFile, describeOutputError, writeRegularFile } from './write-regular-file.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'write-regular-'));
  writeFileSync(join(dir, 'victim.txt'), 'untouched');
  symlinkSync(join(dir, 'victim.txt'), join(dir, 'link'));
  execFileSync('mkfifo', [join(dir, 'fifo')]);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const caught = (write: () => void): string => {
  try {
    write();
  } catch (error) {
    return describeOutputError(error);
  }
  return 'written';
};

describe.each([
  ['writeRegularFile', writeRegularFile],
  ['appendRegularFile', appendRegularFile],
])('%s', (_name, write) => {
  it('refuses a symbolic link, and the file it points to is untouched', () => {
    expect(caught(() => write(join(dir, 'link'), 'x'))).toMatch(/is a symbolic link, which the kit does not follow/);
    expect(readFileSync(join(dir, 'victim.txt'), 'utf8')).toBe('untouched');
  });

  it('refuses a named pipe at once instead of waiting for a reader', () => {
    expect(caught(() => write(join(dir, 'fifo'), 'x'))).toMatch(/is not a regular file/);
  });

  it('creates a file that does not exist yet', () => {
    write(join(dir, 'new.md'), 'text');
    expect(readFileSync(join(dir, 'new.md'), 'utf8')).toBe('text');
  });
});

it('appendRegularFile appends; writeRegularFile replaces', () => {
  const file = join(dir, 'summary.md');
  appendRegularFile(file, 'one ');
  appendRegularFile(file, 'two');
  expect(readFileSync(file, 'utf8')).toBe('one two');
  writeRegularFile(file, 'three');
  expect(readFileSync(file, 'utf8')).toBe('three');
});

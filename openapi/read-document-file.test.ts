import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContractLoadError } from '../engine/index.ts';
import { loadContract } from './load-contract.ts';
import { loadGapPolicy } from './load-gap-policy.ts';
import { DOCUMENT_PATH, GAP_POLICY_PATH } from './locations.ts';
import { MAX_DOCUMENT_BYTES } from './read-document-file.ts';

const folder = mkdtempSync(join(tmpdir(), 'document-files-'));

function file(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

/** A named pipe: reading it blocks until someone writes, which nobody here does. */
function fifo(name: string): string {
  const path = join(folder, name);
  execFileSync('mkfifo', [path]);
  return path;
}

/** A few KB of YAML whose aliases nest nine levels deep, ten to a level: 10^9 nodes once expanded. */
function billionLaughs(indent: string): string {
  const lines = [`${indent}a0: &a0 {type: string, description: lol}`];
  for (let level = 1; level <= 9; level += 1) {
    const properties = Array.from({ length: 10 }, (_, i) => `p${i}: *a${level - 1}`).join(', ');
    lines.push(`${indent}a${level}: &a${level} {type: object, properties: {${properties}}}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The message of what `load` throws, checked to be one ContractLoadError sentence on one line. */
async function refusal(load: () => unknown): Promise<string> {
  let thrown: unknown;
  try {
    await load();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ContractLoadError);
  const message = (thrown as Error).message;
  expect(message).not.toContain('\n');
  expect(message).toMatch(/\.$/);
  return message;
}

// Each of these hung or filled the memory before the files were bounded; the test's timeout is only an upper
// bound for a machine under load, since a refusal comes before anything is parsed.
describe('the contract refuses files it cannot safely read', () => {
  it('refuses a billion-laughs document, naming the aliases', async () => {
    const head = "openapi: 3.1.0\ninfo: {title: laughs, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n";
    const path = file('laughs.yaml', head + billionLaughs('    '));
    for (const validate of [true, false]) {
      expect(await refusal(() => loadContract(path, { validate }))).toBe(
        `The contract ${path} expands a YAML alias more than 100 times, which the kit refuses as a resource-exhaustion ("billion laughs") attack; write the shared part once under components and $ref it.`,
      );
    }
  }, 20_000);

  it('refuses /dev/zero, a FIFO and a folder before reading them', async () => {
    expect(await refusal(() => loadContract('/dev/zero'))).toBe(
      'The contract /dev/zero is a character device, not a regular file; give the path of a YAML or JSON file.',
    );
    const pipe = fifo('contract.yaml');
    expect(await refusal(() => loadContract(pipe))).toBe(
      `The contract ${pipe} is a FIFO (named pipe), not a regular file; give the path of a YAML or JSON file.`,
    );
    expect(await refusal(() => loadContract(folder))).toMatch(/is a folder, not a regular file/);
  });

  it('refuses a file larger than 10 MiB before reading it', async () => {
    const path = file('huge.yaml', '');
    // A sparse file: its size is past the bound without writing 10 MiB.
    truncateSync(path, MAX_DOCUMENT_BYTES + 1);
    expect(await refusal(() => loadContract(path))).toBe(
      `The contract ${path} has ${MAX_DOCUMENT_BYTES + 1} bytes, more than the 10 MiB the kit reads in a document; check that the path names the document.`,
    );
  });

  it('refuses a document that $refs a FIFO, naming the file it refers to', async () => {
    const pipe = fifo('schema.yaml');
    const path = file(
      'refers.yaml',
      readFileSync(DOCUMENT_PATH, 'utf8').replace(/^ {2}schemas:\n/m, `  schemas:\n    Piped: {$ref: './schema.yaml'}\n`),
    );
    expect(await refusal(() => loadContract(path, { validate: false }))).toBe(
      `The contract ${path} refers to ${pipe}, which is a FIFO (named pipe), not a regular file; give the path of a YAML or JSON file.`,
    );
  });

  it('says why a file it refers to cannot be read', async () => {
    const path = file(
      'refers-missing.yaml',
      readFileSync(DOCUMENT_PATH, 'utf8').replace(/^ {2}schemas:\n/m, `  schemas:\n    Missing: {$ref: './missing.yaml'}\n`),
    );
    expect(await refusal(() => loadContract(path, { validate: false }))).toBe(
      `The contract ${path} refers to ${join(folder, 'missing.yaml')}, which cannot be read (ENOENT: no such file or directory, stat '${join(folder, 'missing.yaml')}').`,
    );
  });

  it('still reads a document in a folder whose name must be escaped in a URL', async () => {
    const odd = join(mkdtempSync(join(tmpdir(), 'a b#c%20-')), 'flashback.yaml');
    writeFileSync(odd, readFileSync(DOCUMENT_PATH));
    expect((await loadContract(odd, { validate: false })).operations.length).toBeGreaterThan(0);
  });
});

describe('the gap policy refuses files it cannot safely read', () => {
  it('refuses /dev/zero and a FIFO before reading them', async () => {
    expect(await refusal(() => loadGapPolicy('/dev/zero'))).toBe(
      'The gap policy /dev/zero is a character device, not a regular file; give the path of a YAML or JSON file.',
    );
    const pipe = fifo('gap-policy.yaml');
    expect(await refusal(() => loadGapPolicy(pipe))).toBe(
      `The gap policy ${pipe} is a FIFO (named pipe), not a regular file; give the path of a YAML or JSON file.`,
    );
  });

  it('refuses a billion-laughs policy, naming the aliases', async () => {
    const path = file('laughs-policy.yaml', `${readFileSync(GAP_POLICY_PATH, 'utf8')}\nlaughs:\n${billionLaughs('  ')}`);
    expect(await refusal(() => loadGapPolicy(path))).toMatch(
      /^The gap policy .* expands a YAML alias more than 100 times, which the kit refuses/,
    );
  });
});

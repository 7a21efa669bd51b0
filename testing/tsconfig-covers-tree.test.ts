// tsc checks what tsconfig.json includes, and vitest runs what vitest.config.ts includes: two lists of folders.
// A folder missing from the first has its tests run but never type-checked (diff/ was, for a day).
import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = new URL('../', import.meta.url);

it('every folder of TypeScript in the repository is one that tsc checks', () => {
  // tsconfig.json has comments: YAML reads JSON with them removed line by line.
  const text = readFileSync(new URL('tsconfig.json', ROOT), 'utf8').replace(/^\s*\/\/.*$/gm, '');
  const { include } = parse(text) as { include: string[] };
  const folders = readdirSync(ROOT, { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && !entry.name.startsWith('.') && !['node_modules', 'dist', 'docs'].includes(entry.name),
    )
    .filter((entry) =>
      readdirSync(new URL(`${entry.name}/`, ROOT), { recursive: true }).some((name) => String(name).endsWith('.ts')),
    )
    .map((entry) => entry.name);
  expect(folders.filter((folder) => !include.includes(folder))).toEqual([]);
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VIOLATIONS } from '../engine/index.ts';
import { loadContract, loadGapPolicy } from '../openapi/index.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The rows of the table that follows a marker comment, as arrays of trimmed cells. */
function tableAfter(marker: string): string[][] {
  const start = readme.indexOf(`<!-- ${marker}`);
  expect(start, `README has a <!-- ${marker} --> marker`).toBeGreaterThan(-1);
  const lines = readme.slice(start).split('\n').slice(1);
  const rows = lines.slice(
    0,
    lines.findIndex((line) => !line.startsWith('|')),
  );
  return rows.slice(2).map((row) => row.split(' | ').map((cell) => cell.replace(/^\|\s*|\s*\|$/g, '').trim()));
}

describe('README', () => {
  it('lists every gap-policy rule as the policy states it', () => {
    const policy = loadGapPolicy();
    const expected = Object.values(policy.rules).map((rule) => [
      `\`${rule.id}\``,
      rule.when,
      rule.allowedStatuses.join(', '),
      expect.stringMatching(new RegExp(`^${rule.mock.status}( \\+ .*)?$`)),
    ]);
    expect(tableAfter('gap-policy-table')).toEqual(expected);
  });

  it('lists every violation code with its check and meaning', () => {
    const expected = Object.entries(VIOLATIONS).map(([code, v]) => [`\`${code}\``, `\`${v.check}\``, v.title]);
    expect(tableAfter('violation-table')).toEqual(expected);
  });

  it('names the base URLs the MSW handlers answer by default: the servers of the document', async () => {
    const line = readme.slice(readme.indexOf('<!-- default-bases -->')).split(')')[0] ?? '';
    const named = [...line.matchAll(/`([^`]+)`/g)].map((match) => match[1]);
    expect(named).toEqual((await loadContract()).servers);
  });

  it('gives the test commands .ci/run calls, in the same order', () => {
    const ci = readFileSync(new URL('../.ci/run', import.meta.url), 'utf8');
    const commands = ['npm test', 'npm run test:differential', 'npm run test:prism', 'npm run test:package'];
    expect(ci.trim().split('\n').slice(-commands.length)).toEqual(commands);
    for (const command of commands) expect(readme).toContain(`${command} `);
  });
});

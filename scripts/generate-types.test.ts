import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_PATH, TYPES_PATH } from '../openapi/locations.ts';
import { checkTypes, renderTypes } from './generate-types.ts';

describe('generated types', () => {
  it('match the document they were generated from', async () => {
    await expect(renderTypes()).resolves.toBe(readFileSync(TYPES_PATH, 'utf8'));
  });

  it('are reported as drifted, with the fix, when the document changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'types-drift-'));
    const changed = join(dir, 'flashback.yaml');
    writeFileSync(
      changed,
      readFileSync(DOCUMENT_PATH, 'utf8').replace('Success message confirming the action', 'A changed description'),
    );
    const outcome = await checkTypes(changed, TYPES_PATH);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.lines.join('\n')).toMatch(/has drifted from .*flashback\.yaml \(first difference at line \d+\)/);
    expect(outcome.lines.join('\n')).toContain('generated: /** @description A changed description */');
    expect(outcome.lines.at(-1)).toBe('  Run `npm run generate` and commit the result.');
  });

  it('are reported as missing when the file is gone', async () => {
    const outcome = await checkTypes(DOCUMENT_PATH, join(mkdtempSync(join(tmpdir(), 'types-gone-')), 'none.ts'));
    expect(outcome).toMatchObject({ exitCode: 1 });
    expect(outcome.lines[0]).toContain('is missing. Run `npm run generate`');
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DOCUMENT_PATH, loadContract, loadGapPolicy } from '../openapi/index.ts';
import { buildCases } from './build-cases.ts';
import { MAX_SCHEMA_DEPTH } from './valid-value.ts';

interface Doc {
  components: { schemas: Record<string, { enum?: string[]; properties?: Record<string, unknown>; required?: string[] }> };
  paths: Record<string, unknown>;
}

/** Writes a changed copy of the real document and loads it, as the suite would. */
async function contractWith(change: (doc: Doc) => void) {
  const doc = parse(readFileSync(DOCUMENT_PATH, 'utf8')) as Doc;
  change(doc);
  const path = join(mkdtempSync(join(tmpdir(), 'cases-')), 'flashback.yaml');
  writeFileSync(path, stringify(doc));
  return loadContract(path);
}

const names = (cases: ReturnType<typeof buildCases>, kind: string): string[] =>
  cases.filter((c) => c.kind === kind).map((c) => c.id.split(' › ').at(-1) ?? '');

describe('buildCases', () => {
  it('sends one valid request per enum value and per request example', async () => {
    const contract = await loadContract();
    const body = contract.operations[0]?.requestBody;
    const properties = (body?.schema.properties ?? {}) as Record<string, { enum?: string[] }>;
    const values = (properties.mfaType?.enum ?? []).map((v) => `mfaType=${JSON.stringify(v)}`);
    expect(values.length).toBeGreaterThan(0);
    expect(names(buildCases(contract, loadGapPolicy()), 'positive')).toEqual([
      ...values,
      ...(body?.examples ?? []).map((e) => `example ${e.name}`),
    ]);
  });

  it('derives the negative and auth cases from the schema', async () => {
    const cases = buildCases(await loadContract(), loadGapPolicy());
    expect(names(cases, 'negative')).toEqual([
      'body over 1048576 bytes',
      'no body',
      'Content-Type text/plain',
      'body that is not JSON',
      'body nested 300 levels deep',
      'empty object {}',
      'mfaType as number',
      'mfaType as boolean',
      'mfaType as null',
      'mfaType as array',
      'mfaType as object',
      'mfaType unknown value',
      expect.stringMatching(/^mfaType case-changed "[a-z_]+"$/),
      'Accept that excludes every answer',
      'GET /contract-kit-unknown-path',
      'PATCH (not documented)',
      'a header line without a colon',
    ]);
    expect(names(cases, 'auth')).toEqual(['no credentials', 'bearerAuth: empty bearer token', 'bearerAuth: Basic scheme']);
    // A lenient server could enable MFA on the valid body under another media type, or on a value in another case.
    const lenient = cases.filter((c) => c.kind !== 'positive' && c.mutates).map((c) => c.id.split(' › ').at(-1));
    expect(lenient).toEqual([
      'Content-Type text/plain',
      expect.stringMatching(/^mfaType case-changed "/),
      'Accept that excludes every answer',
      'PATCH (not documented)',
    ]);
    expect(cases.filter((c) => c.kind === 'positive').every((c) => c.mutates)).toBe(true);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  it('sends bodies that are exactly what each case says', async () => {
    const cases = buildCases(await loadContract(), loadGapPolicy());
    const body = (name: string): string | undefined => cases.find((c) => c.id.endsWith(`› ${name}`))?.request.body;
    expect(body('empty object {}')).toBe('{}');
    expect(JSON.parse(body('mfaType as null') ?? '')).toEqual({ mfaType: null });
    expect(() => JSON.parse(body('body that is not JSON') ?? '')).toThrow();
    expect(cases.find((c) => c.id.endsWith('› no body') && c.kind === 'negative')?.request.body).toBeUndefined();
    expect(cases.find((c) => c.id.endsWith('› bearerAuth: Basic scheme'))?.request.headers.authorization).toMatch(/^Basic /);
    expect(body('body over 1048576 bytes')?.length).toBe(1048577);
  });

  it('follows a new enum value, a new property and a new operation with no code change', async () => {
    const contract = await contractWith((doc) => {
      doc.components.schemas.MfaType?.enum?.push('HARDWARE_KEY');
      const request = doc.components.schemas.EnableMfaRequest;
      if (request) {
        request.properties = { ...request.properties, deviceName: { type: 'string' } };
        request.required = [...(request.required ?? []), 'deviceName'];
      }
      doc.paths['/mfa/disable'] = doc.paths['/mfa/enable'];
    });
    const cases = buildCases(contract, loadGapPolicy());
    const ids = cases.map((c) => c.id);
    expect(ids).toContain('POST /mfa/enable › positive › mfaType="HARDWARE_KEY"');
    expect(ids).toContain('POST /mfa/enable › negative › missing deviceName');
    expect(ids).toContain('POST /mfa/enable › negative › deviceName as number');
    expect(ids.filter((id) => id.startsWith('POST /mfa/disable › ')).length).toBe(
      ids.filter((id) => id.startsWith('POST /mfa/enable › ')).length,
    );
    // The new required property is filled in for every valid request.
    for (const c of cases.filter((c) => c.kind === 'positive' && c.id.includes('mfaType='))) {
      expect(JSON.parse(c.request.body ?? '{}')).toEqual({ mfaType: expect.any(String), deviceName: expect.any(String) });
    }
  });

  it('builds cases from recursive and self-referencing schemas, to a bounded depth', async () => {
    const contract = await contractWith((doc) => {
      doc.components.schemas.Node = {
        properties: { label: { type: 'string' }, next: { $ref: '#/components/schemas/Node' } },
        required: ['label'],
        type: 'object',
      } as never;
      const request = doc.components.schemas.EnableMfaRequest;
      if (request) request.properties = { ...request.properties, chain: { $ref: '#/components/schemas/Node' } };
    });
    const ids = buildCases(contract, loadGapPolicy()).map((c) => c.id);
    const cases = buildCases(contract, loadGapPolicy());
    expect(ids).toContain('POST /mfa/enable › negative › chain.label as number');
    expect(ids).toContain('POST /mfa/enable › negative › chain.next as number');
    // The walk never enters a schema it is already inside, and never goes deeper than MAX_SCHEMA_DEPTH.
    expect(ids.filter((id) => id.includes('chain.next.'))).toEqual([]);
    expect(Math.max(...ids.map((id) => (id.split(' › ').at(-1) ?? '').split('.').length))).toBeLessThanOrEqual(MAX_SCHEMA_DEPTH);
    // A required property of an optional object is missing from an object that is there, not from one that is not.
    const missing = cases.find((c) => c.id.endsWith('› missing chain.label'));
    expect(JSON.parse(missing?.request.body ?? '{}')).toEqual({ mfaType: expect.any(String), chain: {} });
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { ContractLoadError, GAP_RULE_IDS } from '../engine/index.ts';
import { loadGapPolicy } from './load-gap-policy.ts';
import { GAP_POLICY_PATH, GAP_POLICY_SCHEMA_PATH } from './locations.ts';

function policyWith(edit: (text: string) => string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'gap-policy-')), 'gap-policy.yaml');
  writeFileSync(path, edit(readFileSync(GAP_POLICY_PATH, 'utf8')));
  return path;
}

describe('loadGapPolicy', () => {
  it('reads a rule for every situation the code recognises, none allowing a 2xx', () => {
    const policy = loadGapPolicy();
    expect(Object.keys(policy.rules).sort()).toEqual([...GAP_RULE_IDS].sort());
    for (const rule of Object.values(policy.rules)) {
      expect(rule.allowedStatuses).toContain(rule.mock.status);
      expect(rule.allowedStatuses.every((status) => status >= 300)).toBe(true);
    }
  });

  it('says in one sentence that a policy file does not exist', () => {
    expect(() => loadGapPolicy('/nonexistent/gap-policy.yaml')).toThrow(
      new ContractLoadError('The gap policy /nonexistent/gap-policy.yaml does not exist.'),
    );
  });

  it('refuses a rule that allows a 2xx, naming where', () => {
    const path = policyWith((text) => text.replace('allowedStatuses: [401]', 'allowedStatuses: [200, 401]'));
    expect(() => loadGapPolicy(path)).toThrow(ContractLoadError);
    expect(() => loadGapPolicy(path)).toThrow(/at \/rules\/missing-credentials\/allowedStatuses\/0: must be >= 300/);
  });

  it('refuses a mock status its own rule does not allow', () => {
    const path = policyWith((text) => text.replace(/mock:\n {6}status: 415/, 'mock:\n      status: 422'));
    expect(() => loadGapPolicy(path)).toThrow(
      /answer 422 at \/rules\/unsupported-media-type\/mock\/status, but that rule allows only 400, 415/,
    );
  });

  it('refuses a policy that lacks a rule the code needs', () => {
    const path = policyWith((text) => text.replace('  unknown-path:', '  unknown-paths:'));
    expect(() => loadGapPolicy(path)).toThrow(/has no rule "unknown-path" at \/rules\/unknown-path/);
  });

  it('reads a policy again once its file changes', () => {
    const path = policyWith((text) => text);
    expect(loadGapPolicy(path).maxRequestBodyBytes).toBe(1048576);
    writeFileSync(path, readFileSync(path, 'utf8').replace('maxRequestBodyBytes: 1048576', 'maxRequestBodyBytes: 4096'));
    expect(loadGapPolicy(path).maxRequestBodyBytes).toBe(4096);
  });

  it('refuses a file that is not YAML', () => {
    const path = policyWith(() => 'rules: [unclosed');
    expect(() => loadGapPolicy(path)).toThrow(/Could not read the gap policy/);
  });
});

describe('gap-policy.schema.json', () => {
  it('is a valid JSON Schema 2020-12 document (loading skips that check for speed)', () => {
    const ajv = new Ajv2020({ strict: true });
    expect(ajv.validateSchema(JSON.parse(readFileSync(GAP_POLICY_SCHEMA_PATH, 'utf8')))).toBe(true);
  });
});

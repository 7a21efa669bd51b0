import { describe, expect, it } from 'vitest';
import { describeViolation } from './describe-violation.ts';

describe('describeViolation', () => {
  it('names the case, code, check, pointers, expectation, the fix and a curl to reproduce', () => {
    const text = describeViolation(
      'POST /mfa/enable › positive › mfaType="X"',
      {
        code: 'BODY_SCHEMA_MISMATCH',
        check: 'body_schema',
        severity: 'error',
        pointer: '/success',
        schemaPointer:
          'openapi/flashback.yaml#/paths/~1mfa~1enable/post/responses/200/content/application~1json/schema/properties/success/type',
        expected: 'boolean',
        actual: '"yes"',
        message: 'The 200 body at /success must be boolean; got "yes".',
      },
      {
        request: {
          method: 'POST',
          url: 'http://127.0.0.1:1/mfa/enable',
          headers: { authorization: 'Bearer $CONTRACT_TOKEN' },
          body: '{}',
        },
      },
    );
    expect(text.split('\n')).toEqual([
      '✘ BODY_SCHEMA_MISMATCH (body_schema) on POST /mfa/enable › positive › mfaType="X"',
      '  The 200 body at /success must be boolean; got "yes".',
      '  expected: boolean',
      '  actual:   "yes"',
      '  body pointer:   /success',
      '  schema pointer: openapi/flashback.yaml#/paths/~1mfa~1enable/post/responses/200/content/application~1json/schema/properties/success/type',
      '  fix: Change the field named by the pointer to what the schema asks.',
      `  reproduce: curl -sS -i -X POST 'http://127.0.0.1:1/mfa/enable' -H "authorization: Bearer $CONTRACT_TOKEN" --data-raw '{}'`,
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { markdownText } from '../runtime/markdown-text.ts';
import type { ContractReport } from './check-implementation.ts';
import { formatStepSummary } from './format-step-summary.ts';

const HOSTILE =
  '<img src="https://evil.example/x.png"> [click](javascript:alert(1)) ![t](https://evil.example/t) `code` | cell\nnext *b* _i_ ~s~ &amp;';

function report(overrides: Partial<ContractReport> = {}): ContractReport {
  return {
    baseUrl: 'http://127.0.0.1:4010',
    document: 'openapi/flashback.yaml',
    strict: false,
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 12,
    passedOver: [],
    cases: [
      {
        id: 'POST /mfa/enable › positive › mfaType="GOOGLE_AUTH"',
        kind: 'positive',
        exchange: {
          request: { method: 'POST', url: 'http://127.0.0.1:4010/mfa/enable', headers: {}, body: '{"a":"```"}' },
        },
        checks: [
          {
            check: 'body_schema',
            state: 'failed',
            violations: [
              {
                code: 'BODY_NOT_JSON',
                check: 'body_schema',
                severity: 'error',
                expected: 'JSON',
                actual: HOSTILE,
                message: `It reads ${HOSTILE}.`,
              },
            ],
          },
        ],
      },
    ],
    totals: { passed: 0, failed: 1, warned: 0, skipped: 0 },
    ...overrides,
  };
}

describe('markdownText', () => {
  it('escapes HTML and the Markdown that renders, and keeps the text on one line', () => {
    expect(markdownText(HOSTILE)).toBe(
      '&lt;img src="https://evil.example/x.png"&gt; \\[click\\](javascript:alert(1)) \\!\\[t\\](https://evil.example/t) \\`code\\` \\| cell next \\*b\\* \\_i\\_ \\~s\\~ &amp;amp;',
    );
  });
});

describe('formatStepSummary', () => {
  it('shows a server body as text: no tag, link or image of it renders', () => {
    const markdown = formatStepSummary(report());
    expect(markdown).not.toContain('<img');
    expect(markdown).not.toMatch(/[^\\]\[click\]/);
    expect(markdown).toContain('- **BODY_NOT_JSON** on POST /mfa/enable › positive › mfaType="GOOGLE\\_AUTH": It reads &lt;img');
  });

  it('fences a curl command so that backticks in it cannot close the fence', () => {
    expect(formatStepSummary(report())).toMatch(/^ {2}````sh\n {2}curl .*```.*\n {2}````$/m);
  });

  it('says in words when the success answers were not judged, and how to judge them', () => {
    const markdown = formatStepSummary(
      report({
        cases: [],
        totals: { passed: 10, failed: 0, warned: 0, skipped: 6 },
        successNotJudged: 'The success answers were not judged: 6 valid request(s) were held back.',
      }),
    );
    expect(markdown).toMatch(
      /^## Contract check against http:\/\/127\.0\.0\.1:4010: every check that ran holds; the success answers were NOT judged$/m,
    );
    expect(markdown).toContain('--allow-mutations');
  });

  it('says when the run was interrupted', () => {
    const markdown = formatStepSummary(report({ interrupted: 'The run was interrupted after 3 of 20 cases were judged.' }));
    expect(markdown).toMatch(/^## Contract check against .*: interrupted$/m);
    expect(markdown).toContain('**Interrupted.** The run was interrupted after 3 of 20 cases were judged.');
  });

  it('escapes the sentence of a run that judged nothing', () => {
    expect(formatStepSummary(report({ notJudged: 'Could not reach <b>x</b>.' }))).toBe(
      '## Contract check: not judged\n\nCould not reach &lt;b&gt;x&lt;/b&gt;.\n',
    );
  });
});

import { VIOLATIONS, type Violation } from '../engine/index.ts';
import type { Exchange } from './call-operation.ts';
import { reproduceWithCurl } from './reproduce-with-curl.ts';

/** Renders a violation as the lines a backend developer reads: what broke, where, expected, got, how to see it again. */
export function describeViolation(caseId: string, violation: Violation, exchange: Exchange): string {
  const lines = [
    `${violation.severity === 'error' ? '✘' : '⚠'} ${violation.code} (${violation.check}) on ${caseId}`,
    `  ${violation.message}`,
    `  expected: ${violation.expected}`,
    `  actual:   ${violation.actual}`,
  ];
  if (violation.pointer !== undefined)
    lines.push(`  body pointer:   ${violation.pointer === '' ? '"" (the whole body)' : violation.pointer}`);
  if (violation.schemaPointer !== undefined) lines.push(`  schema pointer: ${violation.schemaPointer}`);
  lines.push(`  fix: ${VIOLATIONS[violation.code].fix}`, `  reproduce: ${reproduceWithCurl(exchange.request)}`);
  return lines.join('\n');
}

/** Each violation behind one check of one case, described; none when the case was never sent. */
export function describeCheck(
  result: { readonly id: string; readonly exchange?: Exchange },
  check: { readonly violations: readonly Violation[] },
): string[] {
  const { exchange } = result;
  return exchange ? check.violations.map((violation) => describeViolation(result.id, violation, exchange)) : [];
}

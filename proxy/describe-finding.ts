import type { ProxyFinding } from './judge-observed.ts';

/**
 * One line per finding, in the suite's words: the backend's bugs by code, the client's mistakes apart. The
 * finding is already redacted (the suite's redaction, applied before any text was cut).
 */
export function describeFinding(finding: ProxyFinding): string {
  if (finding.kind === 'client') {
    return `client mistake: ${finding.method} ${finding.path}: ${finding.problem} (gap policy rule ${finding.rule})`;
  }
  const { violation } = finding;
  const mark = violation.severity === 'error' ? '✘' : '⚠';
  const status = finding.status === undefined ? 'no answer' : String(finding.status);
  return `${mark} ${violation.code} (${violation.check}) ${finding.method} ${finding.path} → ${status}: ${violation.message}`;
}

/** A finding as one JSON line for --report: what CI keeps. */
export function findingRecord(finding: ProxyFinding, at: Date): Record<string, unknown> {
  if (finding.kind === 'client') return { at: at.toISOString(), ...finding };
  const { exchange: _exchange, violation, ...where } = finding;
  return { at: at.toISOString(), ...where, ...violation };
}

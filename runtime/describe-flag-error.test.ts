import { describe, expect, it } from 'vitest';
import { describeFlagError } from './describe-flag-error.ts';

const KNOWN = ['base-url', 'token', 'timeout', 'report-dir', 'contract', 'policy', 'credential', 'port'];
const unknown = (flag: string): Error =>
  new TypeError(
    `Unknown option '${flag}'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- "${flag}"`,
  );

describe('describeFlagError', () => {
  it.each([
    ['--base-ulr', "Unknown option '--base-ulr'. Did you mean --base-url?"],
    ['--polcy', "Unknown option '--polcy'. Did you mean --policy?"],
    ['--credentials', "Unknown option '--credentials'. Did you mean --credential?"],
    ['--prot', "Unknown option '--prot'. Did you mean --port?"],
    ['--bogus', "Unknown option '--bogus'."],
  ])('%s', (flag, sentence) => {
    expect(describeFlagError(unknown(flag), KNOWN)).toBe(sentence);
  });

  it('passes any other parse error through', () => {
    expect(describeFlagError(new TypeError("Option '--timeout <value>' argument missing"), KNOWN)).toBe(
      "Option '--timeout <value>' argument missing",
    );
  });
});

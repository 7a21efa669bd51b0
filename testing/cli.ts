import { CLI_BUNDLE } from '../scripts/run-bundle.mjs';

/** The arguments that start `flashback-contract SUBCOMMAND` from its bundle, as the package's bin does. */
export function cliArgs(subcommand: 'mock' | 'check' | 'proxy' | 'diff', ...args: string[]): string[] {
  return [CLI_BUNDLE, subcommand, ...args];
}

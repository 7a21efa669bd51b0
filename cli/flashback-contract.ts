#!/usr/bin/env node
// `flashback-contract`: one command for the kit, as a project that installs the package runs it. Each
// subcommand's module is loaded only when asked for, so `check` never parses the mock's Prism engine.
import { readFileSync } from 'node:fs';
import { type CliOutcome, EXIT_NOT_JUDGED, runCli } from '../runtime/run-cli.ts';

const SUBCOMMANDS = {
  mock: async (args: readonly string[], env: NodeJS.ProcessEnv) => (await import('../mock/start-mock.ts')).mockCommand(args, env),
  check: async (args: readonly string[], env: NodeJS.ProcessEnv) =>
    (await import('../contracts/run-contracts.ts')).checkCommand(args, env),
  proxy: async (args: readonly string[], env: NodeJS.ProcessEnv) =>
    (await import('../proxy/start-proxy.ts')).proxyCommand(args, env),
  diff: async (args: readonly string[], env: NodeJS.ProcessEnv) => (await import('../diff/index.ts')).diffCommand(args, env),
} as const;

export const USAGE = `Usage: flashback-contract <command> [flags]

The contract kit for the Flashback backend API.
  mock    serve a mock of the API for frontends (flashback-contract mock --help)
  check   judge a running implementation against the contract (flashback-contract check --help)
  proxy   sit in front of a backend and judge its traffic (flashback-contract proxy --help)
  diff    classify the changes between two versions of the contract (flashback-contract diff --help)
  --version, --help
Exit codes: 0 fine, 1 the implementation breaks the contract (diff: a change breaks it; or a busy port), 2 nothing
could be judged.`;

/** The package's version, read from its package.json (one level above this file, in source and in dist/). */
function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return manifest.version ?? 'unknown';
}

/** Dispatches to a subcommand; unknown ones get one sentence and exit 2. */
export async function flashbackContract(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliOutcome> {
  const [name, ...rest] = args;
  if (name === '--version' || name === '-v') return { exitCode: 0, lines: [version()] };
  if (name === undefined || name === '--help' || name === '-h')
    return { exitCode: name === undefined ? EXIT_NOT_JUDGED : 0, lines: [USAGE] };
  if (!Object.hasOwn(SUBCOMMANDS, name)) {
    return {
      exitCode: EXIT_NOT_JUDGED,
      lines: [
        `✘ Unknown command "${name}"; expected one of ${Object.keys(SUBCOMMANDS).join(', ')}. Run flashback-contract --help.`,
      ],
    };
  }
  return SUBCOMMANDS[name as keyof typeof SUBCOMMANDS](rest, env);
}

runCli(import.meta.url, () => flashbackContract(process.argv.slice(2), process.env));

import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What a command-line entry point decided: its exit code and the lines it prints. */
export interface CliOutcome {
  readonly exitCode: number;
  readonly lines: readonly string[];
}

/** Exit code for "nothing could be judged": usage, environment, or a bug of ours. Never 0 and never 1. */
export const EXIT_NOT_JUDGED = 2;

/**
 * Runs `main` when `moduleUrl` is the script node was started with, prints its lines and exits with its code.
 * Bad input (an unknown flag, an unreadable contract) becomes one sentence on stderr and exit 2, never a stack
 * trace. A bug of ours exits 2 too: exit 1 means the implementation under test broke the contract, and a crash
 * of the tool must never say that, nor 0.
 */
export function runCli(moduleUrl: string, main: () => Promise<CliOutcome>): void {
  const entry = process.argv[1];
  if (!entry || realpathSync(entry) !== realpathSync(fileURLToPath(moduleUrl))) return;
  const crash = (error: unknown): void => {
    const usage =
      // By name, so that runtime/ imports nothing of the engine or the products: a document that cannot be used.
      (error instanceof Error && error.name === 'ContractLoadError') ||
      (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
    process.stderr.write(`✘ ${error instanceof Error ? error.message : String(error)}\n`);
    // A stack trace is only useful for our own bugs, never for bad input.
    if (!usage && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = EXIT_NOT_JUDGED;
  };
  process.on('uncaughtException', (error) => {
    crash(error);
    process.exit();
  });
  main().then(({ exitCode, lines }) => {
    const stream = exitCode === 0 ? process.stdout : process.stderr;
    for (const line of lines) stream.write(`${line}\n`);
    process.exitCode = exitCode;
  }, crash);
}

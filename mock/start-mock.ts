import { parseArgs } from 'node:util';
import { type Contract, loadContract, loadGapPolicy } from '../openapi/index.ts';
import { createPrismEngine } from '../prism/engine.ts';
import type { CliOutcome } from '../runtime/run-cli.ts';
import { closeServer, ListenError, listenOn, parsePort, stopSignal } from '../runtime/server-lifecycle.ts';
import { createMockServer } from './create-mock-server.ts';
import { memoizeAnswers } from './memoize-answers.ts';

export interface MockOptions {
  readonly host: string;
  readonly port: number;
  readonly log?: (line: string) => void;
}

export interface RunningMock {
  readonly url: string;
  readonly contract: Contract;
  /** Stops listening and ends every open connection, hung ones included. */
  close(): Promise<void>;
}

/** Loads the contract and the gap policy, and serves the mock on host:port (port 0 picks a free one). */
export async function startMock(options: MockOptions): Promise<RunningMock> {
  const contract = await loadContract(undefined, { validate: false });
  const [policy, engine] = await Promise.all([
    loadGapPolicy(),
    createPrismEngine(contract.documentPath).then((e) => memoizeAnswers(e)),
  ]);
  const server = createMockServer({ contract, policy, engine, ...(options.log ? { log: options.log } : {}) });
  const url = await listenOn(server, options.host, options.port);
  return { url, contract, close: () => closeServer(server) };
}

export const MOCK_USAGE = `Usage: flashback-contract mock [--host HOST] [--port PORT] [--quiet]   (in this repository: npm run mock -- …)

Serves a mock of openapi/flashback.yaml. HOST and PORT may also come from the environment.
  --host   address to listen on (default 127.0.0.1)
  --port   port to listen on (default 4010; 0 picks a free one)
  --quiet  do not print a line per request`;

/** Parses the mock's flags and environment; throws a RangeError sentence for a bad port. */
export function readMockOptions(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): { help: boolean; quiet: boolean; host: string; port: number } {
  const { values } = parseArgs({
    args: [...args],
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const port = parsePort(values.port ?? env.PORT ?? '4010');
  return { help: values.help, quiet: values.quiet, host: values.host ?? env.HOST ?? '127.0.0.1', port };
}

/** A curl command for the first documented operation, with its first request example. */
export function tryCommand(mock: RunningMock): string | undefined {
  const operation = mock.contract.operations[0];
  if (!operation) return undefined;
  const parts = [`curl -X ${operation.method.toUpperCase()} ${mock.url}${operation.path}`];
  if (operation.requiresBearer) parts.push(`-H 'Authorization: Bearer any-token'`);
  const body = operation.requestBody;
  const value = body?.examples[0]?.value;
  if (body && value !== undefined) parts.push(`-H 'Content-Type: ${body.contentType}'`, `-d '${JSON.stringify(value)}'`);
  return parts.join(' ');
}

/** `flashback-contract mock` (and `npm run mock`): serves the mock until a signal stops it. */
export async function mockCommand(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliOutcome> {
  let options: ReturnType<typeof readMockOptions>;
  try {
    options = readMockOptions(args, env);
  } catch (error) {
    return { exitCode: 2, lines: [`✘ ${(error as Error).message}`, '', MOCK_USAGE] };
  }
  if (options.help) return { exitCode: 0, lines: [MOCK_USAGE] };
  // A reader that goes away (`npm run mock | head`) must not take the mock down with an EPIPE.
  process.stdout.on('error', () => undefined);
  const print = (line: string): boolean => process.stdout.write(`[mock] ${line}\n`);
  const stopped = stopSignal();
  let mock: RunningMock;
  try {
    mock = await startMock({ host: options.host, port: options.port, ...(options.quiet ? {} : { log: print }) });
  } catch (error) {
    if (error instanceof ListenError) return { exitCode: 1, lines: [`✘ ${error.message}`] };
    throw error;
  }
  // One write, so that whoever waits for the "listening" line finds the usage line beside it.
  const example = tryCommand(mock);
  print(`listening on ${mock.url} (index page: ${mock.url}/)${example ? `\n[mock] try: ${example}` : ''}`);
  const signal = await stopped;
  await mock.close();
  return { exitCode: 0, lines: [`[mock] stopped on ${signal}`] };
}

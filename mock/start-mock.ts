import { parseArgs } from 'node:util';
import { type Contract, DOCUMENT_PATH, GAP_POLICY_PATH, loadContract, loadGapPolicy } from '../openapi/index.ts';
import type { CliOutcome } from '../runtime/run-cli.ts';
import { closeServer, ListenError, listenOn, parsePort, stopSignal } from '../runtime/server-lifecycle.ts';
import type { MockContext } from './answer-request.ts';
import { createMockServer, mockContext } from './create-mock-server.ts';
import { watchFiles } from './watch-files.ts';

export interface MockOptions {
  readonly host: string;
  readonly port: number;
  readonly log?: (line: string) => void;
  /** Another version of the document or the policy (default: the kit's own). */
  readonly documentPath?: string;
  readonly policyPath?: string;
  /** Serve each edit of the document or the policy from the next request on (default true). */
  readonly watch?: boolean;
  /** Called with one line per reload, or per edit that did not load; printed even when requests are not. */
  readonly onReload?: (line: string) => void;
}

export interface RunningMock {
  readonly url: string;
  /** The contract served now (after the last good reload). */
  readonly contract: Contract;
  /** Stops watching, stops listening and ends every open connection, hung ones included. */
  close(): Promise<void>;
}

/** Reads the document and the policy; throws when either does not load. */
async function loadDocuments(documentPath: string, policyPath: string, validate: boolean): Promise<MockContext> {
  // The first start skips validation (lint:contract validates the kit's document; docs/decisions/0004); a reload
  // validates, so that a broken edit is refused and the last good version keeps serving.
  const contract = await loadContract(documentPath, { validate });
  return mockContext(contract, loadGapPolicy(policyPath));
}

/** Loads the contract and the gap policy, and serves the mock on host:port (port 0 picks a free one). */
export async function startMock(options: MockOptions): Promise<RunningMock> {
  const documentPath = options.documentPath ?? DOCUMENT_PATH;
  const policyPath = options.policyPath ?? GAP_POLICY_PATH;
  let current = await loadDocuments(documentPath, policyPath, false);
  const server = createMockServer({ current: () => current, ...(options.log ? { log: options.log } : {}) });
  const watcher =
    options.watch === false
      ? undefined
      : watchFiles([documentPath, policyPath], async () => {
          try {
            current = await loadDocuments(documentPath, policyPath, true);
            const examples = current.contract.operations.flatMap((o) => o.responses.flatMap((r) => r.examples)).length;
            options.onReload?.(`reloaded ${current.documentLabel} and ${current.policyLabel}: ${examples} examples`);
          } catch (error) {
            options.onReload?.(`kept the last good version, since the edit does not load: ${(error as Error).message}`);
          }
        });
  let url: string;
  try {
    url = await listenOn(server, options.host, options.port);
  } catch (error) {
    watcher?.close();
    throw error;
  }
  return {
    url,
    get contract() {
      return current.contract;
    },
    close: async () => {
      watcher?.close();
      await closeServer(server);
    },
  };
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
    return { exitCode: 2, lines: [`✘ ${(error as Error).message}`, 'Run with --help for usage.'] };
  }
  if (options.help) return { exitCode: 0, lines: [MOCK_USAGE] };
  // A reader that goes away (`npm run mock | head`) must not take the mock down with an EPIPE.
  process.stdout.on('error', () => undefined);
  const print = (line: string): boolean => process.stdout.write(`[mock] ${line}\n`);
  const stopped = stopSignal();
  let mock: RunningMock;
  try {
    mock = await startMock({ host: options.host, port: options.port, onReload: print, ...(options.quiet ? {} : { log: print }) });
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

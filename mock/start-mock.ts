import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { applyCredentials, type Contract, firstValidCase, type GapPolicy } from '../engine/index.ts';
import { DOCUMENT_PATH, GAP_POLICY_PATH, loadContract, policyFor } from '../openapi/index.ts';
import { describeFlagError } from '../runtime/describe-flag-error.ts';
import type { CliOutcome } from '../runtime/run-cli.ts';
import { closeServer, ListenError, listenOn, parsePort, stopSignal } from '../runtime/server-lifecycle.ts';
import type { MockContext } from './answer-request.ts';
import { createMockServer, mockContext } from './create-mock-server.ts';
import { anyCredential } from './index-page.ts';
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
  /** The contract served now (after the last good reload), and the policy it is served under. */
  readonly contract: Contract;
  readonly policy: GapPolicy;
  /** Stops watching, stops listening and ends every open connection, hung ones included. */
  close(): Promise<void>;
}

/** Reads the document and the policy; throws when either does not load. */
async function loadDocuments(documentPath: string, policyPath: string | undefined, validate: boolean): Promise<MockContext> {
  // The kit's document skips validation on the first start (lint:contract validates it; docs/decisions/0004);
  // any other document, and every reload, is validated, so that a broken edit is refused and the last good
  // version keeps serving.
  const contract = await loadContract(documentPath, { validate: validate || documentPath !== DOCUMENT_PATH });
  return mockContext(contract, policyFor(documentPath, policyPath));
}

/** Loads the contract and the gap policy, and serves the mock on host:port (port 0 picks a free one). */
export async function startMock(options: MockOptions): Promise<RunningMock> {
  const documentPath = options.documentPath ?? DOCUMENT_PATH;
  const { policyPath } = options;
  let current = await loadDocuments(documentPath, policyPath, false);
  // The kit's policy is read for the kit's document and, as the default policy's rules, for any other.
  const watched = [documentPath, policyPath ?? GAP_POLICY_PATH];
  const server = createMockServer({ current: () => current, ...(options.log ? { log: options.log } : {}) });
  const watcher =
    options.watch === false
      ? undefined
      : watchFiles(watched, async () => {
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
    get policy() {
      return current.policy;
    },
    close: async () => {
      watcher?.close();
      await closeServer(server);
    },
  };
}

export const MOCK_USAGE = `Usage: flashback-contract mock [--host HOST] [--port PORT] [--quiet] [--contract PATH] [--policy PATH]
       (in this repository: npm run mock -- …)

Serves a mock of openapi/flashback.yaml, or of another OpenAPI 3.0/3.1 document. HOST and PORT may also come
from the environment.
  --host      address to listen on (default 127.0.0.1)
  --port      port to listen on (default 4010; 0 picks a free one)
  --quiet     do not print a line per request
  --contract  another OpenAPI document to serve (default openapi/flashback.yaml)
  --policy    its gap policy (default: the kit's own for the kit's document, the default policy for another)`;

/** Parses the mock's flags and environment; throws a RangeError sentence for a bad port. */
export function readMockOptions(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): { help: boolean; quiet: boolean; host: string; port: number; documentPath?: string; policyPath?: string } {
  const options = {
    host: { type: 'string' },
    port: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    contract: { type: 'string' },
    policy: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  } as const;
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; strict: true; allowPositionals: false }>>;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: false });
  } catch (error) {
    throw new RangeError(describeFlagError(error as Error, Object.keys(options)));
  }
  const { values } = parsed;
  const port = parsePort(values.port ?? env.PORT ?? '4010');
  for (const [flag, value] of [
    ['--contract', values.contract],
    ['--policy', values.policy],
  ] as const) {
    if (value === '') throw new RangeError(`${flag} needs a path; got an empty one.`);
  }
  return {
    help: values.help,
    quiet: values.quiet,
    host: values.host ?? env.HOST ?? '127.0.0.1',
    port,
    ...(values.contract === undefined ? {} : { documentPath: resolve(values.contract) }),
    ...(values.policy === undefined ? {} : { policyPath: resolve(values.policy) }),
  };
}

/** A curl command for the first documented operation: the suite's first valid request, with any credential. */
export function tryCommand(mock: RunningMock): string | undefined {
  const valid = firstValidCase(mock.contract, mock.policy);
  if (!valid || valid.unbuildable !== undefined) return undefined;
  const { request } = valid;
  // The credentials first: the line a reader looks for.
  const headers: Record<string, string> = {};
  const query = new URLSearchParams(request.path.split('?')[1] ?? '');
  applyCredentials(request.security, anyCredential, { headers, query });
  if (headers.authorization !== undefined) {
    headers.Authorization = headers.authorization;
    delete headers.authorization;
  }
  Object.assign(headers, request.headers);
  const target = `${mock.url}${request.path.split('?')[0] ?? ''}${query.size > 0 ? `?${query}` : ''}`;
  const parts = [`curl -X ${request.method} '${target}'`];
  for (const [name, value] of Object.entries(headers)) if (name !== 'accept') parts.push(`-H '${name}: ${value}'`);
  if (request.body !== undefined) parts.push(`-d '${request.body}'`);
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
    mock = await startMock({
      host: options.host,
      port: options.port,
      onReload: print,
      ...(options.quiet ? {} : { log: print }),
      ...(options.documentPath === undefined ? {} : { documentPath: options.documentPath }),
      ...(options.policyPath === undefined ? {} : { policyPath: options.policyPath }),
    });
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

import { closeSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CannotJudge, loadChecks, MAX_TIMEOUT_MS } from '../contracts/index.ts';
import { DOCUMENT_PATH } from '../openapi/index.ts';
import { describeFlagError } from '../runtime/describe-flag-error.ts';
import { describeWriteError } from '../runtime/describe-write-error.ts';
import { createRedactor } from '../runtime/redact.ts';
import { type CliOutcome, EXIT_NOT_JUDGED } from '../runtime/run-cli.ts';
import { ListenError, listenOn, parsePort } from '../runtime/server-lifecycle.ts';
import { appendFindings } from './append-findings.ts';
import {
  createValidationProxy,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_STOP_GRACE_MS,
  type NotJudged,
  type ValidationProxy,
} from './create-validation-proxy.ts';
import { describeFinding, findingRecord } from './describe-finding.ts';
import type { ProxyFinding } from './judge-observed.ts';
import { parseUpstream, type Upstream } from './upstream-target.ts';

export const PROXY_USAGE = `Usage: flashback-contract proxy --upstream URL [--port N] [--host HOST] [--timeout MS] [--max-in-flight N] [--report FILE] [--strict]
       [--contract PATH] [--policy PATH]

(in this repository: npm run proxy -- …) Sits in front of a running backend: traffic passes through unchanged, and every exchange is judged with the
contract suite's checks. Each finding is one line: the backend's bugs by violation code, the client's mistakes
apart. Tokens are never printed. Ctrl-C (or SIGTERM) stops accepting, gives the exchanges in flight ${DEFAULT_STOP_GRACE_MS / 1000} s to
finish, cuts the rest and prints a summary; a second Ctrl-C stops at once.
  --upstream URL  the backend: http(s)://host[:port] and an optional base path (required)
  --port N        port to listen on (default 4011; 0 picks a free one; or PORT)
  --host HOST     address to listen on (default 127.0.0.1; or HOST)
  --timeout MS    how long a whole exchange may take, the answer's body included (default 30000): then a 504
                  (or a cut answer) and a TIMEOUT finding
  --max-in-flight N  exchanges under way at most (default ${DEFAULT_MAX_IN_FLIGHT}); past it a 503 in the error envelope
  --report FILE   append every finding to FILE as one JSON line (a write error is told once; the proxy goes on)
  --strict        statuses outside the gap policy and refusals outside its error envelope are errors, not warnings
  --contract PATH another OpenAPI 3.0/3.1 document to judge by (default openapi/flashback.yaml)
  --policy PATH   its gap policy (default: the kit's own for the kit's document, the default policy for another)
Exit codes: 0 stopped by a signal, 1 the port is busy, 2 bad flags or an unusable document.`;

/** A usage error: one sentence and exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ProxyCommand {
  readonly upstream: Upstream;
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
  readonly maxInFlight: number;
  readonly strict: boolean;
  readonly report?: string;
  /** The document and policy to judge by (default: the kit's own, and its policy or the default policy). */
  readonly documentPath?: string;
  readonly policyPath?: string;
}

/** The largest --max-in-flight: beyond it the bound would no longer bound the proxy's memory in any useful way. */
const MAX_IN_FLIGHT_LIMIT = 100_000;

const OPTIONS = {
  upstream: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  timeout: { type: 'string' },
  'max-in-flight': { type: 'string' },
  report: { type: 'string' },
  contract: { type: 'string' },
  policy: { type: 'string' },
  strict: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Reads the proxy's flags and environment; throws UsageError with a sentence for anything wrong. */
export function readProxyCommand(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): { help: true } | ({ help: false } & ProxyCommand) {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; strict: true; allowPositionals: false }>>['values'];
  try {
    ({ values } = parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(describeFlagError(error as Error, Object.keys(OPTIONS)));
  }
  if (values.help) return { help: true };
  if (!values.upstream) throw new UsageError('No upstream: pass --upstream URL, e.g. --upstream http://127.0.0.1:3000.');
  const rawTimeout = values.timeout ?? '30000';
  const timeoutMs = Number(rawTimeout);
  if (!/^\d+$/.test(rawTimeout) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new UsageError(`--timeout must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}; got "${rawTimeout}".`);
  }
  const rawInFlight = values['max-in-flight'] ?? String(DEFAULT_MAX_IN_FLIGHT);
  const maxInFlight = Number(rawInFlight);
  if (!/^\d+$/.test(rawInFlight) || maxInFlight < 1 || maxInFlight > MAX_IN_FLIGHT_LIMIT) {
    throw new UsageError(
      `--max-in-flight must be a whole number of exchanges from 1 to ${MAX_IN_FLIGHT_LIMIT}; got "${rawInFlight}".`,
    );
  }
  try {
    return {
      help: false,
      upstream: parseUpstream(values.upstream),
      host: values.host ?? env.HOST ?? '127.0.0.1',
      port: parsePort(values.port ?? env.PORT ?? '4011'),
      timeoutMs,
      maxInFlight,
      strict: values.strict,
      ...(values.report === undefined ? {} : { report: resolve(nonEmpty(values.report, '--report')) }),
      ...(values.contract === undefined ? {} : { documentPath: resolve(nonEmpty(values.contract, '--contract')) }),
      ...(values.policy === undefined ? {} : { policyPath: resolve(nonEmpty(values.policy, '--policy')) }),
    };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function nonEmpty(value: string, flag: string): string {
  if (value === '') throw new UsageError(`${flag} needs a file path; got an empty one.`);
  return value;
}

/** A one-line warning when the proxy listens where others can reach it, or undefined on loopback. */
export function openProxyWarning(command: Pick<ProxyCommand, 'host' | 'upstream'>): string | undefined {
  if (listensOnLoopbackOnly(command.host)) return undefined;
  return `warning: ${command.host} is not a loopback address; anyone who can reach it can send requests through the proxy to ${command.upstream.shown}.`;
}

/**
 * Whether an address to listen on is reachable from this machine only. Not the suite's "is this server local"
 * question: 0.0.0.0 and :: are this machine's addresses to call, but listening on them opens the proxy to all.
 */
function listensOnLoopbackOnly(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    bare === 'localhost' ||
    bare.endsWith('.localhost') ||
    bare === '::1' ||
    /^127(?:\.\d{1,3}){3}$/.test(bare) ||
    /^::ffff:127(?:\.\d{1,3}){3}$/.test(bare)
  );
}

/** Loads the checks and starts the proxy on host:port; resolves with its URL once it listens. Stop it with proxy.stop(). */
export async function startProxy(
  command: Omit<ProxyCommand, 'maxInFlight'> & { readonly maxInFlight?: number },
  onFinding: (finding: ProxyFinding) => void,
  onNotJudged?: (exchange: NotJudged) => void,
): Promise<{ url: string; proxy: ValidationProxy }> {
  // The redactor here is a placeholder: each exchange is judged with one that knows that request's credentials.
  const checks = await loadChecks({
    documentPath: command.documentPath ?? DOCUMENT_PATH,
    policyPath: command.policyPath,
    strict: command.strict,
    redactor: createRedactor({}),
  });
  const proxy = createValidationProxy({
    upstream: command.upstream,
    checks,
    timeoutMs: command.timeoutMs,
    ...(command.maxInFlight ? { maxInFlight: command.maxInFlight } : {}),
    onFinding,
    ...(onNotJudged ? { onNotJudged } : {}),
  });
  try {
    return { url: await listenOn(proxy.server, command.host, command.port), proxy };
  } catch (error) {
    await proxy.close();
    throw error;
  }
}

/** `flashback-contract proxy` (and `npm run proxy`): judges traffic until a signal stops it. */
export async function proxyCommand(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliOutcome> {
  let command: ReturnType<typeof readProxyCommand>;
  try {
    command = readProxyCommand(args, env);
  } catch (error) {
    if (error instanceof UsageError)
      return { exitCode: EXIT_NOT_JUDGED, lines: [`✘ ${error.message}`, 'Run with --help for usage.'] };
    throw error;
  }
  if (command.help) return { exitCode: 0, lines: [PROXY_USAGE] };
  const print = (line: string): void => {
    process.stdout.write(`[proxy] ${line}\n`);
  };
  if (command.report) {
    try {
      closeSync(openSync(command.report, 'a'));
    } catch (error) {
      return {
        exitCode: EXIT_NOT_JUDGED,
        lines: [`✘ Cannot append findings to ${command.report}: ${describeWriteError(error)}.`],
      };
    }
  }
  const report = command.report
    ? appendFindings(command.report, (sentence) => process.stderr.write(`[proxy] ${sentence}\n`))
    : undefined;
  const counts = new Map<string, number>();
  const unjudged = new Map<string, number>();
  const onFinding = (finding: ProxyFinding): void => {
    const key = finding.kind === 'client' ? 'client mistakes' : finding.violation.code;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    print(describeFinding(finding));
    report?.append(`${JSON.stringify(findingRecord(finding, new Date()))}\n`);
  };
  const onNotJudged = (exchange: NotJudged): void => {
    unjudged.set(exchange.reason, (unjudged.get(exchange.reason) ?? 0) + 1);
    print(`not judged: ${exchange.method} ${exchange.path}: ${exchange.because}`);
  };
  // Listened for before the ready line, so that a stop sent as soon as that line appears is never missed.
  const signals = stopSignals();
  let started: Awaited<ReturnType<typeof startProxy>>;
  try {
    started = await startProxy(command, onFinding, onNotJudged);
  } catch (error) {
    signals.dispose();
    if (error instanceof ListenError) return { exitCode: 1, lines: [`✘ ${error.message}`] };
    if (error instanceof CannotJudge) return { exitCode: EXIT_NOT_JUDGED, lines: [`✘ ${error.message}`] };
    throw error;
  }
  print(`listening on ${started.url}, forwarding to ${command.upstream.shown} (timeout ${command.timeoutMs} ms)`);
  const warning = openProxyWarning(command);
  if (warning) print(warning);
  const { proxy } = started;
  const summary = (signal: NodeJS.Signals, how: string): string => {
    const exchanges = proxy.exchanges();
    const findings = [...counts].map(([code, count]) => `${code} ×${count}`).join(', ');
    const notJudged = [...unjudged].map(([reason, count]) => `${reason} ×${count}`).join(', ');
    const lost = report?.unwritten() ?? 0;
    return [
      `[proxy] ${how} on ${signal}: ${exchanges} ${exchanges === 1 ? 'exchange' : 'exchanges'}, ${findings || 'no findings'}`,
      notJudged ? `; not judged: ${notJudged}` : '',
      lost > 0 ? `; ${lost} ${lost === 1 ? 'finding' : 'findings'} could not be written to ${command.report}` : '',
      '.',
    ].join('');
  };
  const signal = await signals.first;
  print(
    `stopping on ${signal}: ${proxy.inFlight()} ${proxy.inFlight() === 1 ? 'exchange' : 'exchanges'} in flight get ${DEFAULT_STOP_GRACE_MS} ms to finish; a second signal stops at once.`,
  );
  void signals.second.then((again) => {
    // The operator insists: no more waiting for anything, the exchanges in flight are dropped unjudged.
    process.stdout.write(`${summary(again, 'stopped at once')}\n`);
    process.exit(0);
  });
  await proxy.stop(DEFAULT_STOP_GRACE_MS);
  await report?.flushed();
  signals.dispose();
  return { exitCode: 0, lines: [summary(signal, 'stopped')] };
}

/** The first SIGINT or SIGTERM, and the second: the first stops gently, the second at once. */
function stopSignals(): { first: Promise<NodeJS.Signals>; second: Promise<NodeJS.Signals>; dispose(): void } {
  let received = 0;
  let onFirst: (signal: NodeJS.Signals) => void = () => undefined;
  let onSecond: (signal: NodeJS.Signals) => void = () => undefined;
  const first = new Promise<NodeJS.Signals>((resolve) => (onFirst = resolve));
  const second = new Promise<NodeJS.Signals>((resolve) => (onSecond = resolve));
  const listener = (signal: NodeJS.Signals): void => {
    received += 1;
    (received === 1 ? onFirst : onSecond)(signal);
  };
  process.on('SIGINT', listener);
  process.on('SIGTERM', listener);
  return {
    first,
    second,
    dispose: () => {
      process.off('SIGINT', listener);
      process.off('SIGTERM', listener);
    },
  };
}

import { closeSync, createWriteStream, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CannotJudge, isLoopbackUrl, loadChecks, MAX_TIMEOUT_MS } from '../contracts/index.ts';
import { DOCUMENT_PATH, GAP_POLICY_PATH } from '../openapi/index.ts';
import { describeWriteError } from '../runtime/describe-write-error.ts';
import { createRedactor } from '../runtime/redact.ts';
import { type CliOutcome, EXIT_NOT_JUDGED } from '../runtime/run-cli.ts';
import { ListenError, listenOn, parsePort, stopSignal } from '../runtime/server-lifecycle.ts';
import { createValidationProxy, type ValidationProxy } from './create-validation-proxy.ts';
import { describeFinding, findingRecord } from './describe-finding.ts';
import type { ProxyFinding } from './judge-observed.ts';
import { parseUpstream, type Upstream } from './upstream-target.ts';

export const PROXY_USAGE = `Usage: flashback-contract proxy --upstream URL [--port N] [--host HOST] [--timeout MS] [--report FILE] [--strict]

(in this repository: npm run proxy -- …) Sits in front of a running backend: traffic passes through unchanged, and every exchange is judged with the
contract suite's checks. Each finding is one line: the backend's bugs by violation code, the client's mistakes
apart. Tokens are never printed. Ctrl-C prints a summary.
  --upstream URL  the backend: http(s)://host[:port] and an optional base path (required)
  --port N        port to listen on (default 4011; 0 picks a free one; or PORT)
  --host HOST     address to listen on (default 127.0.0.1; or HOST)
  --timeout MS    how long to wait for the backend's answer (default 30000): then a 504 and a TIMEOUT finding
  --report FILE   append every finding to FILE as one JSON line
  --strict        statuses outside the gap policy and refusals outside its error envelope are errors, not warnings
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
  readonly strict: boolean;
  readonly report?: string;
}

const OPTIONS = {
  upstream: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  timeout: { type: 'string' },
  report: { type: 'string' },
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
    throw new UsageError((error as Error).message);
  }
  if (values.help) return { help: true };
  if (!values.upstream) throw new UsageError('No upstream: pass --upstream URL, e.g. --upstream http://127.0.0.1:3000.');
  const rawTimeout = values.timeout ?? '30000';
  const timeoutMs = Number(rawTimeout);
  if (!/^\d+$/.test(rawTimeout) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new UsageError(`--timeout must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}; got "${rawTimeout}".`);
  }
  try {
    return {
      help: false,
      upstream: parseUpstream(values.upstream),
      host: values.host ?? env.HOST ?? '127.0.0.1',
      port: parsePort(values.port ?? env.PORT ?? '4011'),
      timeoutMs,
      strict: values.strict,
      ...(values.report ? { report: resolve(values.report) } : {}),
    };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** A one-line warning when the proxy listens where others can reach it, or undefined on loopback. */
export function openProxyWarning(command: Pick<ProxyCommand, 'host' | 'upstream'>): string | undefined {
  const host = command.host.includes(':') ? `[${command.host}]` : command.host;
  if (isLoopbackUrl(`http://${host}`)) return undefined;
  return `warning: ${command.host} is not a loopback address; anyone who can reach it can send requests through the proxy to ${command.upstream.shown}.`;
}

/** Loads the checks and starts the proxy on host:port; resolves with its URL once it listens. */
export async function startProxy(
  command: ProxyCommand,
  onFinding: (finding: ProxyFinding) => void,
): Promise<{ url: string; proxy: ValidationProxy }> {
  // The redactor here is a placeholder: each exchange is judged with one that knows that request's credentials.
  const checks = await loadChecks({
    documentPath: DOCUMENT_PATH,
    policyPath: GAP_POLICY_PATH,
    strict: command.strict,
    redactor: createRedactor({}),
  });
  const proxy = createValidationProxy({ upstream: command.upstream, checks, timeoutMs: command.timeoutMs, onFinding });
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
  const report = command.report ? createWriteStream(command.report, { flags: 'a' }) : undefined;
  const counts = new Map<string, number>();
  const onFinding = (finding: ProxyFinding): void => {
    const key = finding.kind === 'client' ? 'client mistakes' : finding.violation.code;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    print(describeFinding(finding));
    report?.write(`${JSON.stringify(findingRecord(finding, new Date()))}\n`);
  };
  const stopped = stopSignal();
  let started: Awaited<ReturnType<typeof startProxy>>;
  try {
    started = await startProxy(command, onFinding);
  } catch (error) {
    if (error instanceof ListenError) return { exitCode: 1, lines: [`✘ ${error.message}`] };
    if (error instanceof CannotJudge) return { exitCode: EXIT_NOT_JUDGED, lines: [`✘ ${error.message}`] };
    throw error;
  }
  print(`listening on ${started.url}, forwarding to ${command.upstream.shown} (timeout ${command.timeoutMs} ms)`);
  const shownHost = command.host.includes(':') ? `[${command.host}]` : command.host;
  if (!isLoopbackUrl(`http://${shownHost}`)) {
    print(
      `warning: ${command.host} is not a loopback address; anyone who can reach it can send requests through the proxy to ${command.upstream.shown}.`,
    );
  }
  const signal = await stopped;
  await started.proxy.settled();
  await started.proxy.close();
  await new Promise<void>((done) => (report ? report.end(done) : done()));
  const findings = [...counts].map(([code, count]) => `${code} ×${count}`).join(', ');
  return {
    exitCode: 0,
    lines: [`[proxy] stopped on ${signal}: ${started.proxy.exchanges()} exchanges, ${findings || 'no findings'}.`],
  };
}

import { parseArgs } from 'node:util';
import { DOCUMENT_PATH, loadGapPolicy } from '../openapi/index.ts';
import { type CliOutcome, runCli } from '../runtime/run-cli.ts';
import { closeServer, ListenError, listenOn, parsePort, stopSignal } from '../runtime/server-lifecycle.ts';
import { createValidationProxy } from './create-validation-proxy.ts';
import { createExchangeValidator } from './validate-exchange.ts';

const USAGE = `Usage: npm run proxy -- --upstream URL [--port N] [--host HOST]

Runs Prism's validators in front of a real backend: traffic passes through unchanged, and every contract
violation in a request or a response is printed as one sentence. Tokens are never printed.
  --upstream URL  the backend to forward to (required)
  --port N        port to listen on (default 4011; 0 picks a free one)
  --host HOST     address to listen on (default 127.0.0.1)`;

runCli(import.meta.url, async (): Promise<CliOutcome> => {
  let values: { upstream?: string; port?: string; host?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        upstream: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { exitCode: 2, lines: [`✘ ${(error as Error).message}`, '', USAGE] };
  }
  if (values.help) return { exitCode: 0, lines: [USAGE] };
  if (!values.upstream)
    return { exitCode: 2, lines: ['✘ No upstream: pass --upstream URL, e.g. --upstream http://127.0.0.1:3000.', '', USAGE] };
  let upstream: URL;
  try {
    upstream = new URL(values.upstream);
  } catch {
    return { exitCode: 2, lines: [`✘ The upstream "${values.upstream}" is not an absolute http(s) URL.`] };
  }
  let port: number;
  try {
    port = parsePort(values.port ?? '4011');
  } catch (error) {
    return { exitCode: 2, lines: [`✘ ${(error as Error).message}`] };
  }
  const print = (line: string): boolean => process.stdout.write(`[proxy] ${line}\n`);
  const stopped = stopSignal();
  const policy = loadGapPolicy();
  const server = createValidationProxy({
    upstream: upstream.href,
    policy,
    validate: await createExchangeValidator(DOCUMENT_PATH, policy),
    report: print,
  });
  let url: string;
  try {
    url = await listenOn(server, values.host ?? '127.0.0.1', port);
  } catch (error) {
    if (error instanceof ListenError) return { exitCode: 1, lines: [`✘ ${error.message}`] };
    throw error;
  }
  print(`listening on ${url}, forwarding to ${upstream.origin}`);
  const signal = await stopped;
  await closeServer(server);
  return { exitCode: 0, lines: [`[proxy] stopped on ${signal}`] };
});

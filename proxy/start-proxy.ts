import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { DOCUMENT_PATH, loadGapPolicy } from '../openapi/index.ts';
import { type CliOutcome, runCli } from '../scripts/run-cli.ts';
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
  const port = Number(values.port ?? '4011');
  if (!/^\d+$/.test(values.port ?? '4011') || port > 65535)
    return { exitCode: 2, lines: [`✘ The port must be a whole number from 0 to 65535; got "${values.port}".`] };
  const print = (line: string): boolean => process.stdout.write(`[proxy] ${line}\n`);
  // Listen for the stop signal before saying we are ready, so that a stop sent on that line is never missed.
  const stopSignal = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const server = createValidationProxy({
    upstream: upstream.href,
    validate: await createExchangeValidator(DOCUMENT_PATH, loadGapPolicy()),
    report: print,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, values.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  print(`listening on http://${address.address}:${address.port}, forwarding to ${upstream.origin}`);
  const signal = await stopSignal;
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  return { exitCode: 0, lines: [`[proxy] stopped on ${signal}`] };
});

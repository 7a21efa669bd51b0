import { cliArgs } from './cli.ts';

import { type StartedProcess, startProcess } from './start-process.ts';

/** Starts the mock exactly as `npm run mock` runs it (the built bundle) on a free port; resolves once it answers. */
export function spawnMock(extraArgs: readonly string[] = []): Promise<StartedProcess> {
  return startProcess({
    command: process.execPath,
    args: cliArgs('mock', '--port', '0', ...extraArgs),
    readyLine: /listening on (http:\/\/\S+)/,
    deadlineMs: 30_000,
  });
}

import { parseArgs } from 'node:util';
import { loadContract, loadGapPolicy } from '../openapi/index.ts';
import { runCli } from '../runtime/run-cli.ts';
import { buildBundles } from '../scripts/build.ts';
import { fuzzMock } from './fuzz-mock.ts';
import { spawnMock } from './spawn-mock.ts';

/** `npm run fuzz -- --runs N [--seed S]`: the fuzz test of `npm test`, as long as you like, against a fresh mock. */
runCli(import.meta.url, async () => {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '10000' }, seed: { type: 'string' } },
    strict: true,
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1)
    return { exitCode: 2, lines: [`✘ --runs must be a whole number above 0; got "${values.runs}".`] };
  await buildBundles();
  const mock = await spawnMock(['--quiet']);
  const started = performance.now();
  try {
    const report = await fuzzMock({
      baseUrl: mock.ready[1] ?? '',
      contract: await loadContract(),
      policy: loadGapPolicy(),
      runs,
      ...(values.seed ? { seed: Number(values.seed) } : {}),
    });
    const alive = (() => {
      try {
        process.kill(mock.pid, 0);
        return true;
      } catch {
        return false;
      }
    })();
    const lines = [
      `[fuzz] ${report.runs} requests in ${((performance.now() - started) / 1000).toFixed(1)} s, seed ${report.seed}`,
      `[fuzz] statuses: ${Object.entries(report.statuses)
        .map(([status, count]) => `${status}×${count}`)
        .join(', ')}`,
      `[fuzz] mock process ${alive ? 'still running' : 'GONE'}`,
    ];
    if (report.failure) return { exitCode: 1, lines: [...lines, `[fuzz] ✘ ${report.failure}`] };
    return {
      exitCode: alive ? 0 : 1,
      lines: [...lines, '[fuzz] ✔ every request got an answer in the policy shape or as documented'],
    };
  } finally {
    await mock.stop();
  }
});

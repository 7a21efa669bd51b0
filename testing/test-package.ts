// `npm run test:package`: the package as a project that installs it sees it. Packs the kit, installs the tarball
// into a fresh temporary project, runs `flashback-contract mock` and `check` from there, compiles a TypeScript
// file that imports the types, the core, the vitest adapter, the mock and the MSW handlers, and runs vitest files
// that use the adapter against the in-process mock and the README's MSW setup against the handlers. Exit 0 when
// all of that holds, 1 when any of it does not.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { loadContract } from '../openapi/index.ts';
import { runCli } from '../runtime/run-cli.ts';
import { startProcess } from './start-process.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

interface Manifest {
  name: string;
  version: string;
  devDependencies: Record<string, string>;
}

/** Runs a command to its end; throws with its output when it fails. */
function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(command, [...args], { cwd, env, encoding: 'utf8', timeout: 300_000 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status ?? result.signal}:\n${result.stdout}${result.stderr}`);
  }
  return result.stdout;
}

/** A README code block (the ```ts block after a marker comment), as a frontend would paste it. */
function readmeBlock(marker: string): string {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8');
  const block = new RegExp(`<!-- ${marker}[^>]*-->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(readme)?.[1];
  if (block === undefined) throw new Error(`README.md has no \`\`\`ts block after its <!-- ${marker} --> marker.`);
  return block;
}

runCli(import.meta.url, async () => {
  const manifest = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as Manifest;
  const log = (line: string): boolean => process.stdout.write(`[package] ${line}\n`);
  const work = mkdtempSync(join(tmpdir(), 'flashback-package-'));
  try {
    const tarball = join(
      work,
      run('npm', ['pack', '--silent', '--pack-destination', work], ROOT).trim().split('\n').at(-1) ?? '',
    );
    log(`packed ${tarball}`);
    const project = join(work, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    // The same versions this repository pins, from the npm cache the repository's own install filled.
    const tools = ['typescript', 'vitest', '@types/node', 'msw', 'openapi-fetch'].map(
      (name) => `${name}@${manifest.devDependencies[name]}`,
    );
    run('npm', ['install', tarball, ...tools, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], project);
    log(`installed the tarball with ${tools.join(', ')} into ${project}`);

    const bin = join(project, 'node_modules', '.bin', 'flashback-contract');
    const version = run(bin, ['--version'], project).trim();
    if (version !== manifest.version) throw new Error(`flashback-contract --version said "${version}", not ${manifest.version}.`);
    const unknown = spawnSync(bin, ['bogus'], { cwd: project, encoding: 'utf8' });
    if (unknown.status !== 2) throw new Error(`flashback-contract bogus exited ${unknown.status}, not 2.`);

    const mock = await startProcess({
      command: bin,
      args: ['mock', '--port', '0', '--quiet'],
      cwd: project,
      readyLine: /listening on (http:\/\/\S+)/,
      deadlineMs: 30_000,
    });
    try {
      const output = run(bin, ['check', '--base-url', mock.ready[1] ?? '', '--report-dir', 'reports'], project, {
        ...process.env,
        CONTRACT_TOKEN: 'package-smoke',
      });
      log(
        `flashback-contract check against flashback-contract mock: ${output
          .trim()
          .split('\n')
          .filter((line) => line.startsWith('contracts:'))
          .at(-1)}`,
      );
      // docs/ci.md's command, as written, with the tarball for its placeholder, from a folder with nothing installed.
      const ciBlock = /<!-- ci-commands[^>]*-->\s*```sh\n([\s\S]*?)```/.exec(readFileSync(`${ROOT}docs/ci.md`, 'utf8'))?.[1];
      const npx = ciBlock
        ?.split('\n')
        .join(' ')
        .replace(/\\\s+/g, ' ')
        .match(/npx [^#]*/)?.[0]
        .trim();
      if (!npx) throw new Error('docs/ci.md has no npx command after its <!-- ci-commands --> marker.');
      const bare = join(work, 'ci');
      mkdirSync(bare);
      const args = npx
        .replace('<tarball or git URL>', tarball)
        .replace('http://127.0.0.1:3000', mock.ready[1] ?? '')
        .split(/\s+/)
        .slice(1);
      const ci = run('npx', args, bare, { ...process.env, CONTRACT_TOKEN: 'package-smoke' });
      log(
        `docs/ci.md's npx command, with the tarball, in an empty folder: ${ci
          .trim()
          .split('\n')
          .filter((line) => line.startsWith('contracts:'))
          .at(-1)}`,
      );
      // Pointers name the kit's files by their place in the kit, not through node_modules or an npx cache.
      const report = readFileSync(join(bare, 'reports', 'report.json'), 'utf8');
      if (
        (JSON.parse(report) as { document?: string }).document !== 'openapi/flashback.yaml' ||
        report.includes('node_modules')
      ) {
        throw new Error(`report.json names the kit's document through node_modules: ${report.slice(0, 300)}`);
      }
    } finally {
      await mock.stop();
    }

    // A consumer's TypeScript, strict and NodeNext, against the package's declarations (skipLibCheck off).
    const contract = await loadContract();
    const operation = contract.operations[0];
    const example = JSON.stringify(operation?.requestBody?.examples[0]?.value);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
        },
        include: ['*.ts'],
      }),
    );
    writeFileSync(
      join(project, 'consumer.ts'),
      `import { checkImplementation, type ContractReport, exitCodeFor } from 'flashback-contract-kit';
import { type RunningMock, startMock } from 'flashback-contract-kit/mock';
import type { components, paths } from 'flashback-contract-kit/types';
import { describeContract } from 'flashback-contract-kit/vitest';

type EnableRequest = components['schemas']['EnableMfaRequest'];
export const valid: EnableRequest = ${example};
// @ts-expect-error a value outside the enum
export const invalid: EnableRequest = { mfaType: 'NOT_A_DOCUMENTED_VALUE' };
export type Operation = paths['${operation?.path}']['${operation?.method}'];
export const used = [checkImplementation, exitCodeFor, describeContract, startMock] as const;
export type Used = ContractReport | RunningMock;
`,
    );
    writeFileSync(
      join(project, 'contract.test.ts'),
      `import { afterAll, beforeAll } from 'vitest';
import { type RunningMock, startMock } from 'flashback-contract-kit/mock';
import { describeContract } from 'flashback-contract-kit/vitest';

let mock: RunningMock | undefined;
beforeAll(async () => {
  mock = await startMock({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await mock?.close();
});

describeContract({ baseUrl: () => mock?.url ?? '', token: 'package-smoke' });
`,
    );
    // The README's MSW setup, word for word, and a test that calls the document's server through it.
    writeFileSync(join(project, 'vitest.setup.ts'), readmeBlock('msw-setup'));
    // The README's typed client, made when its module loads, before the setup installs MSW: it must still be
    // MSW's fetch that it calls.
    writeFileSync(join(project, 'api.ts'), readmeBlock('typed-client'));
    const mfaType = JSON.stringify((operation?.requestBody?.examples[0]?.value as Record<string, unknown> | undefined)?.mfaType);
    writeFileSync(
      join(project, 'typed-client.test.ts'),
      `import { flashbackHandlers } from 'flashback-contract-kit/msw';
import { expect, it } from 'vitest';
import { enableMfa } from './api.js';
import { server } from './vitest.setup.js';

it('reaches the handlers through the typed client made at module load', async () => {
  const { data, response } = await enableMfa('t', ${mfaType});
  expect(response.status).toBe(200);
  expect(data).toMatchObject({ success: true });
});

it('sees a scenario a test sets with server.use()', async () => {
  server.use(...flashbackHandlers({ prefer: 'code=500' }));
  const { error, response } = await enableMfa('t', ${mfaType});
  expect(response.status).toBe(500);
  expect(error).toMatchObject({ success: false });
});
`,
    );
    writeFileSync(
      join(project, 'vitest.config.ts'),
      `import { defineConfig } from 'vitest/config';\nexport default defineConfig({ test: { setupFiles: ['./vitest.setup.ts'] } });\n`,
    );
    const failure = contract.operations[0]?.responses.find((response) => response.status >= 500)?.examples[0];
    writeFileSync(
      join(project, 'msw.test.ts'),
      `import { flashbackHandlers } from 'flashback-contract-kit/msw';
import { expect, it } from 'vitest';
import { server } from './vitest.setup.js';

const call = (query: string) =>
  fetch('${contract.servers[0]}${operation?.path}' + query, {
    method: '${operation?.method.toUpperCase()}',
    headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
    body: JSON.stringify(${example}),
  });

it('answers from the handlers, no server running', async () => {
  const answer = await call('');
  expect(answer.status).toBe(200);
  expect(answer.headers.get('x-mock-source')).toContain('#/paths/');
});

it('answers a named 5xx scenario, asked by the request or by the test', async () => {
  const asked = await call('?__example=${failure?.name}');
  expect(asked.status).toBe(${failure?.status});
  expect(await asked.json()).toEqual(${JSON.stringify(failure?.value)});
  server.use(...flashbackHandlers({ prefer: 'example=${failure?.name}' }));
  expect((await call('')).status).toBe(${failure?.status});
});

it('is back to the default after the test that preferred a scenario', async () => {
  expect((await call('')).status).toBe(200);
});
`,
    );
    run(join(project, 'node_modules', '.bin', 'tsc'), ['-p', project], project);
    log('tsc compiled strict NodeNext files importing the types, the core, the vitest adapter, the mock and the MSW handlers');
    const vitest = stripVTControlCharacters(run(join(project, 'node_modules', '.bin', 'vitest'), ['run'], project));
    log(
      `vitest with describeContract against the in-process mock, and the README's MSW setup: ${
        vitest
          .trim()
          .split('\n')
          .find((line) => /Tests/.test(line))
          ?.trim() ?? ''
      }`,
    );
    // Strict requests, as the README shows them: a request the contract refuses fails the run that sent it, with
    // the sentence; one the test provokes on purpose does not.
    const strictBlock = readmeBlock('msw-strict');
    const strictTest = (name: string, body: string, expectRefusal: boolean, strict = true): void =>
      writeFileSync(
        join(project, 'strict', name),
        `import { flashbackHandlers } from 'flashback-contract-kit/msw';
import { expect, it } from 'vitest';
import { server } from '../vitest.setup.js';

it('sends a request', async () => {
  ${expectRefusal ? strictBlock.trim() : strict ? "server.use(...flashbackHandlers({ onInvalidRequest: 'error' }));" : 'void flashbackHandlers;'}
  const answer = await fetch('${contract.servers[0]}${operation?.path}', {
    method: '${operation?.method.toUpperCase()}',
    headers: { ${expectRefusal ? '' : "Authorization: 'Bearer t', "}'Content-Type': 'application/json' },
    body: JSON.stringify(${body}),
  });
  expect(answer.status).toBeGreaterThanOrEqual(400);
});
`,
      );
    mkdirSync(join(project, 'strict'));
    strictTest(
      'breach.test.ts',
      JSON.stringify({ ...(operation?.requestBody?.examples[0]?.value as object), mfaType: 'NOT_A_METHOD' }),
      false,
    );
    strictTest('expected.test.ts', example, true);
    // The same breaking request without the option: answered, and the test passes (strictness is opted into).
    strictTest(
      'lenient.test.ts',
      JSON.stringify({ ...(operation?.requestBody?.examples[0]?.value as object), mfaType: 'NOT_A_METHOD' }),
      false,
      false,
    );
    const strictConfig = `import { defineConfig } from 'vitest/config';\nexport default defineConfig({ test: { setupFiles: ['./vitest.setup.ts'], include: ['strict/*.test.ts'] } });\n`;
    writeFileSync(join(project, 'vitest.strict.config.ts'), strictConfig);
    const vitestBin = join(project, 'node_modules', '.bin', 'vitest');
    const breach = spawnSync(vitestBin, ['run', '--config', 'vitest.strict.config.ts', 'strict/breach.test.ts'], {
      cwd: project,
      encoding: 'utf8',
      timeout: 120_000,
    });
    const breachOutput = stripVTControlCharacters(`${breach.stdout}${breach.stderr}`);
    if (
      breach.status === 0 ||
      !/ContractBreachError: \[flashback\] The app sent a request the contract refuses: POST \/mfa\/enable is refused under invalid-body/.test(
        breachOutput,
      )
    ) {
      throw new Error(
        `With onInvalidRequest: 'error', a request the contract refuses must fail the run with its sentence; got exit ${breach.status}:\n${breachOutput.slice(-2000)}`,
      );
    }
    run(vitestBin, ['run', '--config', 'vitest.strict.config.ts', 'strict/expected.test.ts'], project);
    run(vitestBin, ['run', '--config', 'vitest.strict.config.ts', 'strict/lenient.test.ts'], project);
    log('strict requests: a refused request fails its run with the sentence; an expected refusal, or no option, passes');
    return { exitCode: 0, lines: ['package: 1 passed, 0 failed'] };
  } catch (error) {
    return { exitCode: 1, lines: [`✘ ${(error as Error).message}`, 'package: 0 passed, 1 failed'] };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

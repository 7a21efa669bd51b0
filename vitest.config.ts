import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{cli,diff,engine,examples,openapi,runtime,mock,msw,proxy,contracts,scripts,testing,bench}/**/*.test.ts'],
    // Tests start real processes (the mock, fixture servers); on a shared 2-core machine a cold start can take
    // seconds, so hooks get room. Speed is measured in `npm run bench`, never asserted here.
    hookTimeout: 60_000,
    globalSetup: ['testing/global-setup.ts'],
    testTimeout: 30_000,
    // Each test file starts its own servers on port 0; two workers keep a 2-core machine responsive.
    maxWorkers: 2,
    // Threads start faster than forks; no test needs a process of its own (those that do spawn one). No test
    // stubs a global, mocks a module or changes the environment, so files share a worker's modules (isolate:
    // false) and the document, policy and validators are read and compiled once per worker, not per file.
    pool: 'threads',
    isolate: false,
  },
});

// A backend team's own vitest file, as the README shows it: describeContract against a running implementation
// (here the reference server, started and stopped by this file) gives one test per check × case.
import { afterAll, beforeAll } from 'vitest';
import { type RunningFixture, startReferenceServer } from './fixtures/reference-server.ts';
import { describeContract } from './vitest.ts';

let server: RunningFixture | undefined;
beforeAll(async () => {
  server = await startReferenceServer();
});
afterAll(async () => {
  await server?.close();
});

describeContract({ baseUrl: () => server?.url ?? '', token: 'tok-ADAPTER-41c7d2e9' }, 'POST /mfa/enable keeps its contract');

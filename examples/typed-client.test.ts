import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../mock/start-mock.ts';
import type { components } from '../openapi/flashback.types.ts';
import { loadContract } from '../openapi/index.ts';
import { createFlashbackClient } from './typed-client.ts';

// The mock in this process, on a free port: the client is under test here, and the mock's own command line has
// its smoke tests in mock/start-mock.test.ts.
let mock: RunningMock;
beforeAll(async () => {
  mock = await startMock({ host: '127.0.0.1', port: 0, watch: false });
});
afterAll(async () => {
  await mock?.close();
});

describe('the typed client (openapi-fetch with the generated paths)', () => {
  it('enables each mfaType against the running mock and reads the typed answer', async () => {
    const operation = (await loadContract()).operations[0];
    const client = createFlashbackClient(mock.url, 'typed-client');
    for (const example of operation?.requestBody?.examples ?? []) {
      const body = example.value as components['schemas']['EnableMfaRequest'];
      const { data, error, response } = await client.POST('/mfa/enable', { body });
      expect(response.status).toBe(200);
      expect(error).toBeUndefined();
      expect(data?.success).toBe(true);
      expect(typeof data?.message).toBe('string');
    }
  });

  it('gets the error envelope, typed, when the mock refuses', async () => {
    const client = createFlashbackClient(mock.url, 'typed-client');
    const { data, error, response } = await client.POST('/mfa/enable', {
      body: {} as components['schemas']['EnableMfaRequest'],
    });
    expect(response.status).toBe(422);
    expect(data).toBeUndefined();
    expect(error).toMatchObject({ success: false, error: expect.any(String) });
  });
});

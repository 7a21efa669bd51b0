import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { components } from '../openapi/flashback.types.ts';
import { loadContract } from '../openapi/index.ts';
import { spawnMock } from '../testing/spawn-mock.ts';
import type { StartedProcess } from '../testing/start-process.ts';
import { createFlashbackClient } from './typed-client.ts';

let mock: StartedProcess;
beforeAll(async () => {
  mock = await spawnMock(['--quiet']);
});
afterAll(async () => {
  await mock?.stop();
});

describe('the typed client (openapi-fetch with the generated paths)', () => {
  it('enables each mfaType against the running mock and reads the typed answer', async () => {
    const operation = (await loadContract()).operations[0];
    const client = createFlashbackClient(mock.ready[1] ?? '', 'typed-client');
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
    const client = createFlashbackClient(mock.ready[1] ?? '', 'typed-client');
    const { data, error, response } = await client.POST('/mfa/enable', {
      body: {} as components['schemas']['EnableMfaRequest'],
    });
    expect(response.status).toBe(422);
    expect(data).toBeUndefined();
    expect(error).toMatchObject({ success: false, error: expect.any(String) });
  });
});

// Type tests for the typed client: `npm run typecheck` fails if any @ts-expect-error stops being an error.
import type { components } from '../openapi/flashback.types.ts';
import { createFlashbackClient } from './typed-client.ts';

// Any documented value: the test is about the types, not one value of the enum.
declare const documented: components['schemas']['MfaType'];

const client = createFlashbackClient('http://127.0.0.1:4010', 'token');

export async function calls(): Promise<void> {
  // @ts-expect-error A value outside the document's enum is refused in the call itself.
  await client.POST('/mfa/enable', { body: { mfaType: 'SMS_CODE' } });
  // @ts-expect-error mfaType is required.
  await client.POST('/mfa/enable', { body: {} });
  // @ts-expect-error The document has no GET /mfa/enable.
  await client.GET('/mfa/enable');
  const { data } = await client.POST('/mfa/enable', { body: { mfaType: documented } });
  // @ts-expect-error success is a boolean, not a string.
  const wrong: string | undefined = data?.success;
  return void wrong;
}

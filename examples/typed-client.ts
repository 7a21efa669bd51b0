// A frontend's typed client for the API, as the README shows it: openapi-fetch with the generated `paths`.
// In a project that installs the kit, the import reads 'flashback-contract-kit/types'.
import createClient from 'openapi-fetch';
import type { paths } from '../openapi/flashback.types.ts';

/** A client whose every path, body and answer is typed from the OpenAPI document. */
export function createFlashbackClient(baseUrl: string, token: string) {
  return createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${token}` } });
}

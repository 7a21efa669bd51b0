// Type tests for the generated types: `npm run typecheck` fails if any @ts-expect-error stops being an error.
import type { components, operations } from './flashback.types.ts';

type EnableRequest = operations['enableMfa']['requestBody']['content']['application/json'];

// @ts-expect-error A value outside the document's enum is refused.
const unknown: EnableRequest = { mfaType: 'SMS_CODE' };

// @ts-expect-error mfaType is required by the document.
const missing: EnableRequest = {};

// @ts-expect-error The document types success as a boolean.
const wrongType: components['schemas']['EnableMfaSuccess'] = { success: 'yes' };

// No response field is required, so an empty success body type-checks.
const empty: components['schemas']['EnableMfaSuccess'] = {};

export type { empty, missing, unknown, wrongType };

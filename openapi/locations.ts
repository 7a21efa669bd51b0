import { fileURLToPath } from 'node:url';

/** The OpenAPI document: the single source of truth. */
export const DOCUMENT_PATH = fileURLToPath(new URL('./flashback.yaml', import.meta.url));
/** The gap policy: what the document leaves unsaid. */
export const GAP_POLICY_PATH = fileURLToPath(new URL('./gap-policy.yaml', import.meta.url));
/** The JSON Schema that every gap policy file must satisfy. */
export const GAP_POLICY_SCHEMA_PATH = fileURLToPath(new URL('./gap-policy.schema.json', import.meta.url));
/** The TypeScript types generated from the document. */
export const TYPES_PATH = fileURLToPath(new URL('./flashback.types.ts', import.meta.url));

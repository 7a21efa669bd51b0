import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// Resolved from the repository root, one level up from this file. The mock's bundle (dist/mock.mjs) sits one
// level deep too, so the same paths hold when this module is bundled there.
const ROOT = new URL('../', import.meta.url);

/** The OpenAPI document: the single source of truth. */
export const DOCUMENT_PATH = fileURLToPath(new URL('openapi/flashback.yaml', ROOT));
/** The gap policy: what the document leaves unsaid. */
export const GAP_POLICY_PATH = fileURLToPath(new URL('openapi/gap-policy.yaml', ROOT));
/** The JSON Schema that every gap policy file must satisfy. */
export const GAP_POLICY_SCHEMA_PATH = fileURLToPath(new URL('openapi/gap-policy.schema.json', ROOT));
/** The TypeScript types generated from the document. */
export const TYPES_PATH = fileURLToPath(new URL('openapi/flashback.types.ts', ROOT));
/** The kit's own folder: its files are named relative to it, wherever the kit is installed. */
const KIT_ROOT = fileURLToPath(ROOT);

/**
 * How a file is named to users (X-Mock-Source, logs): the kit's own files relative to the kit, wherever it is
 * installed, so that the mock server and the MSW handlers (whose bundle carries the documents) name them alike;
 * any other file relative to the working directory.
 */
export function fileLabel(path: string): string {
  const inKit = relative(KIT_ROOT, path);
  return inKit.startsWith('..') ? relative(process.cwd(), path) : inKit;
}

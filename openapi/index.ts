// The document, the gap policy and the Node-only code that reads them from files. What the kit makes of them
// (the contract model, the pipeline, the checks) is the engine's (engine/index.ts).
export { bundleDocument, loadContract } from './load-contract.ts';
export { DEFAULT_POLICY_LABEL, loadGapPolicy, policyFor } from './load-gap-policy.ts';
export { DOCUMENT_PATH, fileLabel, GAP_POLICY_PATH, TYPES_PATH } from './locations.ts';
export { DocumentFileRefused, MAX_DOCUMENT_BYTES, parseDocumentYaml, readDocumentFile } from './read-document-file.ts';

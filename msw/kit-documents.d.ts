// The kit's document and gap policy as the build read them: scripts/build.ts writes this module into the MSW
// bundle (dist/msw.mjs). Only that bundle imports it; the tests build handlers from the files instead.
declare module 'flashback:kit-documents' {
  const documents: {
    /** The dereferenced OpenAPI document. */
    readonly document: import('openapi-types').OpenAPIV3_1.Document;
    /** How X-Mock-Source names the document, e.g. "openapi/flashback.yaml". */
    readonly documentLabel: string;
    /** The gap policy, its `path` being its label, e.g. "openapi/gap-policy.yaml". */
    readonly policy: import('../openapi/load-gap-policy.ts').GapPolicy;
  };
  export default documents;
}

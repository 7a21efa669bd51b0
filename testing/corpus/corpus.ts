// The documents the Prism differential (testing/prism-differential.ts) runs on: the kit's own, two written for
// the engine, and public ones read from the @readme/oas-examples package rather than copied into the repository
// (third-party files are not committed here). The list is the only place a document is named.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CorpusEntry {
  /** A short name for tables and for `--only`. */
  readonly name: string;
  /** Where the document is: a file of this repository, or one of the @readme/oas-examples package. */
  readonly source: { readonly repository: string } | { readonly oasExamples: string };
}

export interface CorpusDocument {
  readonly name: string;
  readonly path: string;
}

/** The corpus, in the order the differential runs it. */
export const CORPUS: readonly CorpusEntry[] = [
  { name: 'flashback', source: { repository: 'openapi/flashback.yaml' } },
  { name: 'flashback-draft', source: { repository: 'testing/corpus/flashback-draft.yaml' } },
  { name: 'features', source: { repository: 'testing/corpus/features.yaml' } },
  { name: 'petstore-3.0', source: { oasExamples: '3.0/json/petstore.json' } },
  { name: 'petstore-3.1', source: { oasExamples: '3.1/json/petstore.json' } },
  { name: 'petstore-expanded', source: { oasExamples: '3.0/json/petstore-expanded.json' } },
  { name: 'train-travel', source: { oasExamples: '3.1/json/train-travel.json' } },
  { name: 'uspto', source: { oasExamples: '3.0/json/uspto.json' } },
  // Every security scheme type but mutualTLS (which 3.1/json/security.json adds, and no HTTP request can carry).
  { name: 'security', source: { oasExamples: '3.0/json/security.json' } },
  { name: 'security-multiple', source: { oasExamples: '3.0/json/security-multiple.json' } },
  // Path-level parameters shared by several methods, overridden per operation.
  { name: 'parameters-common', source: { oasExamples: '3.0/json/parameters-common.json' } },
  { name: 'response-http-behavior', source: { oasExamples: '3.0/json/response-http-behavior.json' } },
  // Not 3.0/json/parameters-style.json: `prism mock` 5.14 exits with a TypeError in its style deserializers on
  // most of its operations (an absent array or object header, label and matrix path parameters), so no
  // comparison with it can finish.
];

const REPOSITORY_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The directory of the installed @readme/oas-examples package (a devDependency: public documents are read where
 * npm installs them, never copied into this repository); throws a sentence saying how to install it.
 */
export function oasExamplesDirectory(): string {
  try {
    // The package has no "exports" map, so its package.json resolves like any file of it.
    return dirname(createRequire(import.meta.url).resolve('@readme/oas-examples/package.json'));
  } catch {
    throw new Error(
      `The corpus needs the npm package @readme/oas-examples (8.2.2), which does not resolve from ${REPOSITORY_ROOT}; run npm ci.`,
    );
  }
}

/** Every corpus document with the path it is read from, in corpus order. */
export function corpusDocuments(): CorpusDocument[] {
  let examples: string | undefined;
  return CORPUS.map((entry) => {
    if ('repository' in entry.source) return { name: entry.name, path: join(REPOSITORY_ROOT, entry.source.repository) };
    examples ??= oasExamplesDirectory();
    return { name: entry.name, path: join(examples, entry.source.oasExamples) };
  });
}

import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import {
  type Contract,
  ContractLoadError,
  compileEverySchema,
  contractFromDocument,
  type OpenApiDocument,
} from '../engine/index.ts';
import { fitsOpenApiSchema } from './check-openapi-schema.ts';
import { DOCUMENT_PATH } from './locations.ts';
import { DocumentFileRefused, parseDocumentYaml, readDocumentFile } from './read-document-file.ts';

/**
 * Documents already read in this process, by path and validation, with the file's size and time of change:
 * a contract run, the vitest adapter, the proxy and the tests read the same document many times, and reading it
 * (validation above all) costs about 0.1 s. An edit to the file, or a link re-pointed to another file, reads it
 * again; an edit only to a file it refers to does not, until the process restarts.
 */
const loaded = new Map<string, { readonly stamp: string; readonly contract: Promise<Contract> }>();

/** Loads, validates and dereferences the OpenAPI document; throws ContractLoadError when it is unreadable or invalid. */
export function loadContract(documentPath: string = DOCUMENT_PATH, options: { validate?: boolean } = {}): Promise<Contract> {
  const key = `${documentPath}\0${options.validate !== false}`;
  let stamp: string;
  try {
    // The inode as well: a symbolic link re-pointed to another file (a ConfigMap update) may keep size and time.
    const { ino, mtimeMs, size } = statSync(documentPath);
    stamp = `${ino}:${mtimeMs}:${size}`;
  } catch {
    stamp = 'unreadable';
  }
  const known = loaded.get(key);
  if (known?.stamp === stamp) return known.contract;
  const contract = readContract(documentPath, options);
  loaded.set(key, { stamp, contract });
  contract.catch(() => loaded.delete(key));
  return contract;
}

/** The path a file resolver is given: json-schema-ref-parser percent-encodes file paths (a space, "#") into URLs. */
function filePathOf(url: string): string {
  return url.toLowerCase().startsWith('file:') ? fileURLToPath(url) : decodeURIComponent(url);
}

/**
 * Options for swagger-parser that read every file, the document and each file it $refs, through the kit's
 * bounded reader and the `yaml` package with its alias bound, instead of json-schema-ref-parser's readFile and
 * js-yaml (which expands no aliases itself, but hands the validator a tree of 10^9 nodes to walk). The first
 * file that is refused or cannot be read is kept in `refused`, with why: the library rewraps a resolver's error
 * without its message.
 */
function boundedReading(refused: { file?: string; reason?: string }): SwaggerParser.Options {
  const keep = (file: string, error: unknown): never => {
    if (refused.reason === undefined) {
      refused.file = file;
      refused.reason = error instanceof DocumentFileRefused ? error.reason : `cannot be read (${(error as Error).message})`;
    }
    throw error;
  };
  return {
    resolve: {
      file: {
        read: (file: SwaggerParser.FileInfo) => {
          const path = filePathOf(file.url);
          try {
            return readDocumentFile(path);
          } catch (error) {
            return keep(path, error);
          }
        },
      },
    },
    parse: {
      yaml: {
        order: 200,
        allowEmpty: true,
        // JSON is YAML, so a .json document reads the same way.
        canParse: ['.yaml', '.yml', '.json'],
        parse: (file: SwaggerParser.FileInfo) => {
          try {
            return parseDocumentYaml(Buffer.isBuffer(file.data) ? file.data.toString('utf8') : file.data);
          } catch (error) {
            // Text that is not YAML keeps the library's wording, which names the file and the line.
            if (!(error instanceof DocumentFileRefused)) throw error;
            return keep(filePathOf(file.url), error);
          }
        },
      },
    },
  };
}

async function readContract(documentPath: string, options: { validate?: boolean }): Promise<Contract> {
  let document: OpenApiDocument;
  const refused: { file?: string; reason?: string } = {};
  try {
    const reading = boundedReading(refused);
    // validate() dereferences as well; it is the same parse the lint step runs, so a document the lint
    // accepts is a document the kit can read. Skipping it saves compiling the OpenAPI meta-schema (a quarter
    // of the mock's start-up); only the mock's first start does, since lint:contract validates the kit's
    // document in every npm test and a reload validates the edit.
    document = (
      options.validate === false
        ? await SwaggerParser.dereference(documentPath, reading)
        : await dereferenceValidated(documentPath, reading)
    ) as OpenApiDocument;
  } catch (error) {
    if (refused.reason !== undefined) {
      throw new ContractLoadError(
        refused.file === undefined || resolve(refused.file) === resolve(documentPath)
          ? `The contract ${documentPath} ${refused.reason}.`
          : `The contract ${documentPath} refers to ${refused.file}, which ${refused.reason}.`,
      );
    }
    throw new ContractLoadError(`The contract ${documentPath} does not load: ${describeLoadError(error as Error)}`);
  }
  // Refused here, naming the feature or the schema and its pointer: what the engine does not implement, and any
  // schema that does not compile (a reload then keeps the last good version; check stops before any request).
  const contract = contractFromDocument(document, documentPath);
  compileEverySchema(contract);
  return contract;
}

/**
 * What SwaggerParser.validate(documentPath) returns, with the OpenAPI schema compiled once per process
 * (check-openapi-schema.ts) rather than once per call. As validate() does, the document is checked dereferenced
 * with its circular $refs left in place, and dereferenced whole only once it fits. A document that does not fit,
 * or is neither 3.0 nor 3.1, goes through validate() itself, for the library's own verdict and wording.
 */
async function dereferenceValidated(documentPath: string, reading: SwaggerParser.Options): Promise<unknown> {
  const parser = new SwaggerParser();
  const api = await parser.dereference(documentPath, { ...reading, dereference: { circular: 'ignore' } });
  if (fitsOpenApiSchema(api) !== true) return SwaggerParser.validate(documentPath, reading);
  return parser.$refs.circular ? SwaggerParser.dereference(documentPath, reading) : api;
}

/**
 * swagger-parser's schema-validation error, as a sentence: its first finding with its pointer, and how many more
 * (the others are the same mistake seen through each oneOf branch of the OpenAPI meta-schema). Its own wording
 * calls every document "Swagger"; other errors pass through as they are.
 */
function describeLoadError(error: Error): string {
  const [head = '', ...findings] = error.message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (!/schema validation failed/i.test(head) || findings.length === 0) return error.message;
  const [first = ''] = findings;
  const more = findings.length > 1 ? ` (${findings.length - 1} more findings follow from it)` : '';
  return `it breaks the OpenAPI schema: ${first}${more}.`;
}

/**
 * The document as written, with the files it refers to folded in as internal $refs (the diff compares two of
 * these, and points into them), read through the same bounded reader as loadContract.
 */
export async function bundleDocument(documentPath: string): Promise<Record<string, unknown>> {
  const refused: { file?: string; reason?: string } = {};
  try {
    return (await SwaggerParser.bundle(documentPath, boundedReading(refused))) as Record<string, unknown>;
  } catch (error) {
    throw new ContractLoadError(
      refused.reason === undefined
        ? `The contract ${documentPath} does not load: ${(error as Error).message}`
        : `The contract ${documentPath} ${refused.reason}.`,
    );
  }
}

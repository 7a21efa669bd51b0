import { statSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import {
  type Contract,
  ContractLoadError,
  compileEverySchema,
  contractFromDocument,
  type OpenApiDocument,
} from '../engine/index.ts';
import { DOCUMENT_PATH } from './locations.ts';

/**
 * Documents already read in this process, by path and validation, with the file's size and time of change:
 * a contract run, the vitest adapter, the proxy and the tests read the same document many times, and reading it
 * (validation above all) costs about 0.1 s. An edit to the file reads it again; an edit only to a file it
 * refers to does not, until the process restarts.
 */
const loaded = new Map<string, { readonly stamp: string; readonly contract: Promise<Contract> }>();

/** Loads, validates and dereferences the OpenAPI document; throws ContractLoadError when it is unreadable or invalid. */
export function loadContract(documentPath: string = DOCUMENT_PATH, options: { validate?: boolean } = {}): Promise<Contract> {
  const key = `${documentPath}\0${options.validate !== false}`;
  let stamp: string;
  try {
    const { mtimeMs, size } = statSync(documentPath);
    stamp = `${mtimeMs}:${size}`;
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

async function readContract(documentPath: string, options: { validate?: boolean }): Promise<Contract> {
  let document: OpenApiDocument;
  try {
    // validate() dereferences as well; it is the same parse the lint step runs, so a document the lint
    // accepts is a document the kit can read. Skipping it saves compiling the OpenAPI meta-schema (a quarter
    // of the mock's start-up); only the mock's first start does, since lint:contract validates the kit's
    // document in every npm test and a reload validates the edit.
    document = (
      options.validate === false ? await SwaggerParser.dereference(documentPath) : await SwaggerParser.validate(documentPath)
    ) as OpenApiDocument;
  } catch (error) {
    throw new ContractLoadError(`The contract ${documentPath} does not load: ${(error as Error).message}`);
  }
  // Refused here, naming the feature or the schema and its pointer: what the engine does not implement, and any
  // schema that does not compile (a reload then keeps the last good version; check stops before any request).
  const contract = contractFromDocument(document, documentPath);
  compileEverySchema(contract);
  return contract;
}

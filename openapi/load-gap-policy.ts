import { readFileSync, statSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import {
  ContractLoadError,
  DEFAULT_POLICY_LABEL,
  defaultPolicyFrom,
  GAP_RULE_IDS,
  type GapPolicy,
  type GapRule,
  type GapRuleId,
} from '../engine/index.ts';
import { DOCUMENT_PATH, GAP_POLICY_PATH, GAP_POLICY_SCHEMA_PATH } from './locations.ts';
import { DocumentFileRefused, parseDocumentYaml, readDocumentFile } from './read-document-file.ts';

interface GapPolicyFile {
  version: 1;
  errorEnvelope?: GapPolicy['errorEnvelope'];
  outsidePolicyStatus: 'warn' | 'fail';
  maxRequestBodyBytes: number;
  rules: Record<
    string,
    { when: string; cite?: string; allowedStatuses: number[]; mock: { status: number; headers?: Record<string, string> } }
  >;
}

/** The policy schema's validator, compiled once per process: every policy file is checked against the same schema. */
let validatePolicy: ValidateFunction<GapPolicyFile> | undefined;

/**
 * Policies already read in this process, by path, with the file's inode, size and time of change: every contract
 * run, reference server and mock start asks for the policy, and parsing its YAML costs a few milliseconds each
 * time. An edit, or a link re-pointed to another file, reads it again (as loadContract does for documents).
 */
const loaded = new Map<string, { readonly stamp: string; readonly policy: GapPolicy }>();

/** Reads, validates and returns the gap policy; throws ContractLoadError with a sentence naming the problem. */
export function loadGapPolicy(path: string = GAP_POLICY_PATH): GapPolicy {
  let stamp: string | undefined;
  try {
    const { ino, mtimeMs, size } = statSync(path);
    stamp = `${ino}:${mtimeMs}:${size}`;
  } catch {
    // Not cached: reading it below says in one sentence why it cannot be read.
  }
  const known = loaded.get(path);
  if (stamp !== undefined && known?.stamp === stamp) return known.policy;
  const policy = readGapPolicy(path);
  if (stamp !== undefined) loaded.set(path, { stamp, policy });
  return policy;
}

function readGapPolicy(path: string): GapPolicy {
  let raw: unknown;
  try {
    raw = parseDocumentYaml(readDocumentFile(path).toString('utf8'));
  } catch (error) {
    if (error instanceof DocumentFileRefused) throw new ContractLoadError(`The gap policy ${path} ${error.reason}.`);
    const { code } = error as NodeJS.ErrnoException;
    const reason = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : undefined;
    throw new ContractLoadError(
      reason ? `The gap policy ${path} ${reason}.` : `Could not read the gap policy ${path}: ${(error as Error).message}`,
    );
  }
  // validateSchema: false: gap-policy.schema.json is ours and fixed; checking it against the JSON Schema
  // meta-schema on every start would cost 50 ms and find nothing.
  validatePolicy ??= new Ajv2020({ allErrors: true, strict: true, validateSchema: false }).compile<GapPolicyFile>(
    JSON.parse(readFileSync(GAP_POLICY_SCHEMA_PATH, 'utf8')),
  );
  const validate = validatePolicy;
  if (!validate(raw)) {
    const problems = (validate.errors ?? []).map((e) => `at ${e.instancePath || '/'}: ${e.message ?? 'is invalid'}`);
    throw new ContractLoadError(`The gap policy ${path} does not match gap-policy.schema.json: ${problems.join('; ')}.`);
  }
  const rules = {} as Record<GapRuleId, GapRule>;
  for (const id of GAP_RULE_IDS) {
    const rule = raw.rules[id];
    if (!rule) {
      throw new ContractLoadError(`The gap policy ${path} has no rule "${id}" at /rules/${id}; the mock and the suite need one.`);
    }
    if (!rule.allowedStatuses.includes(rule.mock.status)) {
      throw new ContractLoadError(
        `The gap policy ${path} lets the mock answer ${rule.mock.status} at /rules/${id}/mock/status, ` +
          `but that rule allows only ${rule.allowedStatuses.join(', ')}: the mock must keep its own policy.`,
      );
    }
    rules[id] = {
      id,
      when: rule.when,
      ...(rule.cite === undefined ? {} : { cite: rule.cite }),
      allowedStatuses: rule.allowedStatuses,
      mock: { status: rule.mock.status, headers: rule.mock.headers ?? {} },
      pointer: `/rules/${id}`,
    };
  }
  return {
    path,
    ...(raw.errorEnvelope ? { errorEnvelope: raw.errorEnvelope } : {}),
    outsidePolicyStatus: raw.outsidePolicyStatus,
    maxRequestBodyBytes: raw.maxRequestBodyBytes,
    rules,
  };
}

/**
 * The policy a document is judged under: the one named, else the kit's own for the kit's document, else the
 * default policy (the kit's rules; the envelope taken from the document's own error responses).
 */
export function policyFor(documentPath: string, policyPath?: string): GapPolicy {
  if (policyPath !== undefined) return loadGapPolicy(policyPath);
  const kit = loadGapPolicy(GAP_POLICY_PATH);
  return documentPath === DOCUMENT_PATH ? kit : defaultPolicyFrom(kit);
}

export { DEFAULT_POLICY_LABEL };

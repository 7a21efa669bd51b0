// What a stage of the request pipeline is: a named function of the request being judged that returns nothing
// (the request passes) or a refusal. pipeline.ts is the only place their order is written.
import type { SchemaError, Validate } from '../compile-validators.ts';
import type { Contract, OperationContract, SchemaObject } from '../contract.ts';
import type { GapPolicy, GapRuleId } from '../gap-policy.ts';
import type { EngineRequest } from '../request.ts';

export type StageName =
  | 'route'
  | 'security'
  | 'parameters'
  | 'size'
  | 'presence'
  | 'media-type'
  | 'parse'
  | 'depth'
  | 'body-schema'
  | 'accept';

/** Why a request is refused: the gap-policy rule, what is wrong (a phrase), and where in the request. */
export interface Refusal {
  readonly stage: StageName;
  readonly rule: GapRuleId;
  /** What is wrong, as a phrase that completes "The request is refused: …", e.g. 'its query parameter limit must be <= 100; got 500'. */
  readonly problem: string;
  /** JSON pointer into the request: /path/id, /query/limit, /headers/authorization, /cookies/session, /body/mfaType. */
  readonly pointer: string;
  /** For invalid bodies and parameters: the schema keywords that failed. */
  readonly schemaErrors?: readonly SchemaError[];
  /** For method-not-allowed: the methods the path allows (the Allow header). */
  readonly allow?: readonly string[];
}

/** What the engine needs besides the request: the contract, the policy, and the one validator cache. */
export interface EngineContext {
  readonly contract: Contract;
  readonly policy: GapPolicy;
  readonly validatorFor: (schema: SchemaObject) => Validate;
}

/** The request being judged, and what the stages before have found out about it. */
export interface Judging {
  readonly request: EngineRequest;
  readonly context: EngineContext;
  operation?: OperationContract;
  pathValues: Readonly<Record<string, string>>;
  /** Parameter values, typed by their schemas, by location and name. */
  parameters: Record<string, Record<string, unknown>>;
  /** The scheme names of the security alternative the request satisfied. */
  credentials: readonly string[];
  /** The request body's media type as the operation reads it, once the media-type stage accepted it. */
  mediaType?: string;
  /** The parsed body (JSON value, or text for text/plain), once the parse stage read it. */
  body?: { readonly value: unknown };
}

export interface Stage {
  readonly name: StageName;
  /** Nothing when the request passes this stage; a refusal when it does not. */
  judge(judging: Judging): Refusal | undefined;
}

/** The operation of a request past the route stage. */
export function operationOf(judging: Judging): OperationContract {
  if (!judging.operation) throw new Error('A stage after route ran without an operation: pipeline.ts orders the stages.');
  return judging.operation;
}

// The request pipeline: the one place the order of the stages is written. The mock and the MSW handlers turn
// its verdict into an answer, the proxy into a verdict on the client, the reference server into its refusals,
// and the suite's case builder reads the same list to make one family of negative cases per stage.
import type { OperationContract } from './contract.ts';
import type { EngineRequest } from './request.ts';
import { accept } from './stages/accept.ts';
import { bodySchema } from './stages/body-schema.ts';
import { depth } from './stages/depth.ts';
import { mediaType } from './stages/media-type.ts';
import { parameters } from './stages/parameters.ts';
import { parse } from './stages/parse.ts';
import { presence } from './stages/presence.ts';
import { route } from './stages/route.ts';
import { security } from './stages/security.ts';
import { size } from './stages/size.ts';
import type { EngineContext, Judging, Refusal, Stage } from './stages/stage.ts';

/** The stages in the order a conforming server checks a request. */
export const STAGES: readonly Stage[] = [
  route,
  security,
  parameters,
  size,
  presence,
  mediaType,
  parse,
  depth,
  bodySchema,
  accept,
];

/** What the engine makes of a request: refused (with the operation once routed), or accepted with what it read. */
export type Verdict =
  | { readonly kind: 'refused'; readonly refusal: Refusal; readonly operation?: OperationContract }
  | {
      readonly kind: 'accepted';
      readonly operation: OperationContract;
      readonly parameters: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
      readonly credentials: readonly string[];
      /** The parsed body, when the operation's media type is one the engine reads. */
      readonly body?: { readonly value: unknown };
    };

/** Runs the request through every stage in order; the first refusal ends it. */
export function judgeRequest(context: EngineContext, request: EngineRequest): Verdict {
  const judging: Judging = { request, context, pathValues: {}, parameters: {}, credentials: [] };
  for (const stage of STAGES) {
    const refusal = stage.judge(judging);
    if (refusal) return { kind: 'refused', refusal, ...(judging.operation ? { operation: judging.operation } : {}) };
  }
  const operation = judging.operation;
  if (!operation) throw new Error('The route stage accepted a request without naming its operation.');
  return {
    kind: 'accepted',
    operation,
    parameters: judging.parameters,
    credentials: judging.credentials,
    ...(judging.body ? { body: judging.body } : {}),
  };
}

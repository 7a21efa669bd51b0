import {
  containsSubset,
  documentedKeys,
  type OperationContract,
  operationLabel,
  type ResponseExample,
  responsesFor,
} from '../engine/index.ts';
import type { Preferences } from './read-preferences.ts';

export type Scenario =
  | { readonly kind: 'scenario'; readonly status: number; readonly example?: ResponseExample }
  | { readonly kind: 'unknown'; readonly sentence: string };

/**
 * Picks the documented answer for a request: the named example when one is asked for (its status follows),
 * else the example of the asked or default status whose x-request-match the request body contains.
 */
export function chooseScenario(operation: OperationContract, preferences: Preferences, body: unknown): Scenario {
  const { examples, successStatus } = shapeOf(operation);
  const label = operationLabel(operation);
  if (preferences.example !== undefined) {
    const example = examples.find((candidate) => candidate.name === preferences.example);
    if (!example) {
      return {
        kind: 'unknown',
        sentence: `There is no scenario "${preferences.example}" for ${label}; choose one of: ${examples.map((e) => e.name).join(', ')}.`,
      };
    }
    if (preferences.code !== undefined && preferences.code !== String(example.status)) {
      return {
        kind: 'unknown',
        sentence: `Scenario "${example.name}" answers ${example.status}, not the asked code=${preferences.code}; drop code or pick a ${preferences.code} scenario.`,
      };
    }
    return { kind: 'scenario', status: example.status, example };
  }
  let status = successStatus;
  if (preferences.code !== undefined) {
    const asked = /^[1-5]\d\d$/.test(preferences.code) ? Number(preferences.code) : Number.NaN;
    // Any status a key covers: an exact code, one inside a documented range (4XX), or any under default.
    if (Number.isNaN(asked) || responsesFor(operation, asked).length === 0) {
      const keys = documentedKeys(operation);
      return {
        kind: 'unknown',
        sentence: `${label} documents no status "${preferences.code}"; choose code from: ${keys.join(', ')}.`,
      };
    }
    status = asked;
  }
  const candidates = responsesFor(operation, status).flatMap((response) => response.examples);
  const example =
    candidates.find((candidate) => candidate.requestMatch !== undefined && containsSubset(body, candidate.requestMatch)) ??
    candidates.find((candidate) => candidate.requestMatch === undefined) ??
    candidates[0];
  // An example under a range or default answers the status asked for, not the key's representative one.
  if (!example) return { kind: 'scenario', status };
  return { kind: 'scenario', status, example: example.status === status ? example : { ...example, status } };
}

interface OperationShape {
  readonly examples: readonly ResponseExample[];
  /** The status a request that asks for none gets. */
  readonly successStatus: number;
}

// Read once per operation: every request to the mock asks for these (a reload builds new operations).
const shapes = new WeakMap<OperationContract, OperationShape>();

function shapeOf(operation: OperationContract): OperationShape {
  let shape = shapes.get(operation);
  if (shape) return shape;
  const statuses = [...new Set(operation.responses.map((response) => response.status))].sort((a, b) => a - b);
  // The first documented success; an operation with only `default` answers it as 200 (as Prism does); one with no
  // success at all, its first documented status.
  const hasDefault = operation.responses.some((response) => response.key === 'default');
  shape = {
    examples: operation.responses.flatMap((response) => response.examples),
    successStatus: statuses.find((candidate) => candidate >= 200 && candidate < 300) ?? (hasDefault ? 200 : (statuses[0] ?? 200)),
  };
  shapes.set(operation, shape);
  return shape;
}

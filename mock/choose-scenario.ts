import type { OperationContract, ResponseExample } from '../openapi/index.ts';
import { containsSubset } from './contains-subset.ts';
import type { Preferences } from './read-preferences.ts';

export type Scenario =
  | { readonly kind: 'scenario'; readonly status: number; readonly example?: ResponseExample }
  | { readonly kind: 'unknown'; readonly sentence: string };

/**
 * Picks the documented answer for a request: the named example when one is asked for (its status follows),
 * else the example of the asked or default status whose x-request-match the request body contains.
 */
export function chooseScenario(operation: OperationContract, preferences: Preferences, body: unknown): Scenario {
  const examples = operation.responses.flatMap((response) => response.examples);
  const label = `${operation.method.toUpperCase()} ${operation.path}`;
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
  const statuses = [...new Set(operation.responses.map((response) => response.status))].sort((a, b) => a - b);
  let status = statuses.find((candidate) => candidate >= 200 && candidate < 300) ?? statuses[0] ?? 200;
  if (preferences.code !== undefined) {
    // Written exactly as a listed status: Number() would also read "0x1f4", "5e2", " 500" and "200.0" as one.
    const asked = statuses.find((candidate) => String(candidate) === preferences.code);
    if (asked === undefined) {
      return {
        kind: 'unknown',
        sentence: `${label} documents no status "${preferences.code}"; choose code from: ${statuses.join(', ')}.`,
      };
    }
    status = asked;
  }
  const candidates = examples.filter((example) => example.status === status);
  const example =
    candidates.find((candidate) => candidate.requestMatch !== undefined && containsSubset(body, candidate.requestMatch)) ??
    candidates.find((candidate) => candidate.requestMatch === undefined) ??
    candidates[0];
  return example ? { kind: 'scenario', status, example } : { kind: 'scenario', status };
}

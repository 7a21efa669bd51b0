import { beforeAll, describe, expect, it } from 'vitest';
import type { OperationContract } from '../engine/index.ts';
import { loadContract } from '../openapi/index.ts';
import { chooseScenario } from './choose-scenario.ts';
import { readPreferences } from './read-preferences.ts';

let operation: OperationContract;
let statuses: number[];

beforeAll(async () => {
  const found = (await loadContract()).operations[0];
  if (!found) throw new Error('The document has no operation.');
  operation = found;
  statuses = [...new Set(operation.responses.map((response) => response.status))].sort((a, b) => a - b);
});

describe('chooseScenario reads code= as a status written in decimal digits', () => {
  it('answers each documented status asked for by code, through the query and through Prefer', () => {
    for (const status of statuses) {
      for (const preferences of [
        readPreferences(undefined, new URLSearchParams(`__code=${status}`)),
        readPreferences(`code=${status}`, new URLSearchParams()),
      ]) {
        expect(chooseScenario(operation, preferences, undefined)).toMatchObject({ kind: 'scenario', status });
      }
    }
  });

  // Number() reads each of these as 500 or 200; the mock used to answer them so.
  it.each(['0x1f4', '5e2', ' 500', '500 ', '200.0', '0500', '+500', '500.', '0o764', '1_0', ''])(
    'refuses code=%j, listing the documented statuses',
    (code) => {
      const label = `${operation.method.toUpperCase()} ${operation.path}`;
      const expected = {
        kind: 'unknown',
        sentence: `${label} documents no status "${code}"; choose code from: ${statuses.join(', ')}.`,
      };
      expect(chooseScenario(operation, readPreferences(undefined, new URLSearchParams({ __code: code })), undefined)).toEqual(
        expected,
      );
      // A quoted Prefer value keeps its spaces (RFC 7240); an unquoted one is trimmed, as its grammar has none.
      expect(chooseScenario(operation, readPreferences(`code="${code}"`, new URLSearchParams()), undefined)).toEqual(expected);
    },
  );
});

describe('chooseScenario follows the request where the document lets it', () => {
  it('answers code=500 with an example that names no method other than the one sent', () => {
    const properties = operation.requestBody?.schema.properties as Record<string, { enum?: string[] }> | undefined;
    const [name = '', property] = Object.entries(properties ?? {}).find(([, schema]) => schema.enum !== undefined) ?? [];
    const methods = property?.enum ?? [];
    expect(methods.length).toBeGreaterThan(1);
    for (const sent of methods) {
      const scenario = chooseScenario(operation, readPreferences('code=500', new URLSearchParams()), { [name]: sent });
      const message = JSON.stringify(scenario.kind === 'scenario' ? scenario.example?.value : undefined);
      for (const other of methods.filter((method) => method !== sent)) expect(message, sent).not.toContain(other);
    }
  });
});

// What a frontend's tests exercised of the contract, recorded by the handlers as they answer: per operation, the
// documented statuses and scenarios answered and those never answered, the refusals met, and the requests that
// broke the contract. The consumer's side of the contract, checked with no broker.
import { type Contract, documentedKeys, operationLabel, responsesFor, routeOperation } from '../engine/index.ts';
import type { MockAnswer } from '../mock/answering.ts';

export interface OperationCoverage {
  /** "POST /mfa/enable" */
  readonly operation: string;
  /** Documented statuses (keys: "200", "4XX", "default") answered, with how often. */
  readonly statuses: Readonly<Record<string, number>>;
  readonly statusesMissed: readonly string[];
  /** Named examples served, with how often. */
  readonly scenarios: Readonly<Record<string, number>>;
  readonly scenariosMissed: readonly string[];
  /** Gap-policy refusals the app met, by rule. */
  readonly refusals: Readonly<Record<string, number>>;
  /** Requests the app sent that the contract refuses and no test asked for (see expectRefusals). */
  readonly breaches: number;
}

export interface CoverageReport {
  readonly document: string;
  readonly operations: readonly OperationCoverage[];
}

interface Tally {
  statuses: Map<string, number>;
  scenarios: Map<string, number>;
  refusals: Map<string, number>;
  breaches: number;
}

/** A record of what the handlers answered, for one document; pass it to the handlers as `coverage`. */
export class ContractCoverage {
  readonly #tallies = new Map<string, Tally>();

  constructor(readonly contract: Contract) {}

  /** Called by the handlers with each answer. */
  record(request: { readonly method: string; readonly path: string }, answer: MockAnswer, breach: boolean): void {
    const route = routeOperation(this.contract.operations, request.method, request.path, this.contract.basePaths);
    if (route.kind !== 'operation') return;
    const { operation } = route;
    const tally = this.#tally(operationLabel(operation));
    if (answer.refusal) {
      bump(tally.refusals, answer.refusal.rule);
      if (breach) tally.breaches += 1;
      return;
    }
    const [documented] = responsesFor(operation, answer.status);
    if (documented) bump(tally.statuses, documented.key);
    const example = operation.responses
      .flatMap((response) => response.examples)
      .find((e) => answer.source.endsWith(`#${e.pointer}`));
    if (example) bump(tally.scenarios, example.name);
  }

  /** The coverage as values, every operation of the document listed, exercised or not. */
  report(): CoverageReport {
    return {
      document: this.contract.documentPath,
      operations: this.contract.operations.map((operation) => {
        const label = operationLabel(operation);
        const tally = this.#tally(label);
        const keys = documentedKeys(operation);
        const names = operation.responses.flatMap((response) => response.examples.map((example) => example.name));
        return {
          operation: label,
          statuses: Object.fromEntries(tally.statuses),
          statusesMissed: keys.filter((key) => !tally.statuses.has(key)),
          scenarios: Object.fromEntries(tally.scenarios),
          scenariosMissed: names.filter((name) => !tally.scenarios.has(name)),
          refusals: Object.fromEntries(tally.refusals),
          breaches: tally.breaches,
        };
      }),
    };
  }

  /** The coverage as a short Markdown table, for a CI summary. */
  markdown(): string {
    const cell = (values: readonly string[]): string =>
      values.length === 0 ? '—' : values.map((value) => `\`${value}\``).join(', ');
    const rows = this.report().operations.map(
      (o) =>
        `| \`${o.operation}\` | ${cell(Object.keys(o.statuses))} | ${cell(o.statusesMissed)} | ${cell(o.scenariosMissed)} | ${cell(Object.keys(o.refusals))} | ${o.breaches} |`,
    );
    return [
      '| operation | statuses answered | never answered | scenarios never served | refusals met | breaches |',
      '| --- | --- | --- | --- | --- | ---: |',
      ...rows,
      '',
    ].join('\n');
  }

  #tally(label: string): Tally {
    let tally = this.#tallies.get(label);
    if (!tally) {
      tally = { statuses: new Map(), scenarios: new Map(), refusals: new Map(), breaches: 0 };
      this.#tallies.set(label, tally);
    }
    return tally;
  }
}

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

// The diff as one flow: read both versions, find what changed (structural-diff.ts), classify it for clients and
// implementations (classify-change.ts, compare-policies.ts), show it by running the kit (execute-versions.ts),
// then apply the allow-list. Every output (console, JSON, Markdown) and the exit code come from the report.
import { type Contract, type GapPolicy, operationLabel } from '../engine/index.ts';
import { bundleDocument, loadContract, policyFor } from '../openapi/index.ts';
import { type Allowance, allowanceFor, readAllowList } from './allow-list.ts';
import { classifyChanges, type DocumentChange, SIDES, type Side, type Verdict } from './classify-change.ts';
import { comparePolicies } from './compare-policies.ts';
import { type Disagreement, type Execution, executeVersions } from './execute-versions.ts';
import { type ContractVersion, readVersion, VersionUnreadable } from './read-version.ts';
import { structuralChanges } from './structural-diff.ts';

export interface Change extends DocumentChange {
  /** Who decided the verdicts: the text rules, or the execution check (which overrules an unknown or adds a break). */
  readonly decidedBy: 'text' | 'execution';
  /** Requests that show it, per side (at most a few each). */
  readonly shown?: readonly Disagreement[];
  /** The allow-list's reason, when this breaking change is accepted on purpose. */
  readonly accepted?: string;
}

export type FailOn = 'any' | 'clients' | 'implementations';

export interface DiffOptions {
  readonly base: string;
  readonly head: string;
  readonly basePolicy?: string | undefined;
  readonly headPolicy?: string | undefined;
  readonly allowList?: string | undefined;
  readonly failOn: FailOn;
  /** Send each version's cases to the other's mock (default true). */
  readonly execute: boolean;
  readonly cwd: string;
}

export interface VersionSummary {
  readonly label: string;
  /** The document's info.version. */
  readonly version: string;
  readonly policy: string;
}

export interface DiffReport {
  readonly base?: VersionSummary;
  readonly head?: VersionSummary;
  /** Set when nothing could be compared: one sentence; the exit code is 2. */
  readonly notCompared?: string;
  readonly failOn: FailOn;
  /** How the versions were read, where a reader could guess otherwise (a policy shared by both). */
  readonly notes?: readonly string[];
  readonly changes: readonly Change[];
  readonly execution?: {
    readonly sent: Readonly<Record<Side, number>>;
    /** How many requests got an answer one side's contract refuses. */
    readonly disagreementCount: number;
    /** Those requests, whichever change each is shown under: the first MAX_LISTED (the report stays bounded). */
    readonly disagreements: readonly Disagreement[];
    /** Why a side sent nothing, when it did not. */
    readonly notRun: Readonly<Partial<Record<Side, string>>>;
  };
  /** Allow-list entries that matched no change. */
  readonly unusedAllowances: readonly Allowance[];
  readonly durationMs: number;
}

/** How many shown requests a change keeps per side: one shows it; a few show its reach. */
const SHOWN_PER_CHANGE = 3;
/** How many disagreements the report lists: a document rewritten end to end must not make a 20 MB report. */
const MAX_LISTED = 500;

interface LoadedVersion {
  readonly version: ContractVersion;
  readonly contract: Contract;
  readonly bundled: Record<string, unknown>;
  readonly policy: GapPolicy;
}

async function read(spec: string, policyFlag: string | undefined, cwd: string, role: 'BASE' | 'HEAD'): Promise<ContractVersion> {
  return readVersion(spec, policyFlag, cwd).catch((error: Error) => {
    throw new VersionUnreadable(`${role} ${error.message}`);
  });
}

async function load(version: ContractVersion, role: 'BASE' | 'HEAD'): Promise<LoadedVersion> {
  const spec = version.label;
  try {
    const contract = await loadContract(version.documentPath, { validate: true });
    const bundled = await bundleDocument(version.documentPath);
    const policy = policyFor(version.documentPath, version.policyPath);
    return { version, contract, bundled, policy };
  } catch (error) {
    // Name the version as the user did, not the temporary folder a revision was written to.
    const message = (error as Error).message.replaceAll(version.documentPath, spec);
    throw new VersionUnreadable(`${role} (${spec}) cannot be compared: ${message}`);
  }
}

/**
 * The kit's document is read with the kit's policy, any other with the default policy: an edited copy of the
 * kit's document would then differ from it by a whole policy it was never meant to change. When no policy is
 * named and only one version finds one of its own, the other is read under it too, and the report says so.
 */
function sharePolicy(
  base: ContractVersion,
  head: ContractVersion,
  options: DiffOptions,
  notes: string[],
): [ContractVersion, ContractVersion] {
  if (options.basePolicy !== undefined || options.headPolicy !== undefined) return [base, head];
  const lone =
    base.policyPath !== undefined && head.policyPath === undefined
      ? 'BASE'
      : head.policyPath !== undefined && base.policyPath === undefined
        ? 'HEAD'
        : undefined;
  if (lone === undefined) return [base, head];
  const [from, to] = lone === 'BASE' ? [base, head] : [head, base];
  notes.push(
    `${lone === 'BASE' ? 'HEAD' : 'BASE'} (${to.label}) has no gap policy of its own: it is compared under ${lone}'s, ${from.policyLabel}; name another with --${lone === 'BASE' ? 'head' : 'base'}-policy.`,
  );
  const shared = { ...to, policyPath: from.policyPath as string, policyLabel: from.policyLabel };
  return lone === 'BASE' ? [base, shared] : [shared, head];
}

/** Compares two versions of the contract; never throws for bad input (the report's notCompared says why). */
export async function compareVersions(options: DiffOptions): Promise<DiffReport> {
  const started = performance.now();
  const empty = { failOn: options.failOn, changes: [], unusedAllowances: [] };
  const versionsRead: ContractVersion[] = [];
  const notes: string[] = [];
  try {
    const allowances = options.allowList === undefined ? [] : readAllowList(options.allowList);
    const baseRead = await read(options.base, options.basePolicy, options.cwd, 'BASE');
    versionsRead.push(baseRead);
    const headRead = await read(options.head, options.headPolicy, options.cwd, 'HEAD');
    versionsRead.push(headRead);
    const [baseVersion, headVersion] = sharePolicy(baseRead, headRead, options, notes);
    const base = await load(baseVersion, 'BASE');
    const head = await load(headVersion, 'HEAD');
    const found = [
      ...classifyChanges(structuralChanges(base.bundled, head.bundled), { base: base.bundled, head: head.bundled }),
      ...comparePolicies(base.policy, head.policy),
    ];
    let changes: Change[] = found.map((change) => ({ ...change, decidedBy: 'text' }));
    let execution: Execution | undefined;
    if (options.execute) {
      execution = await executeVersions(
        { base: base.version, head: head.version },
        { base: base.contract, head: head.contract },
      ).catch((error: Error) => {
        throw new VersionUnreadable(`The execution check could not run (--text-only skips it): ${error.message}`);
      });
      changes = applyExecution(changes, execution, { base: base.contract, head: head.contract });
    }
    const used = new Set<Allowance>();
    changes = changes.map((change) => {
      const breaks = SIDES.some((side) => change[side] !== 'compatible');
      const allowance = breaks ? allowanceFor(allowances, change) : undefined;
      if (!allowance) return change;
      used.add(allowance);
      return { ...change, accepted: allowance.reason };
    });
    const summary = (version: LoadedVersion): VersionSummary => ({
      label: version.version.label,
      version: String(version.contract.document.info?.version ?? 'unversioned'),
      policy: version.version.policyLabel,
    });
    return {
      base: summary(base),
      head: summary(head),
      failOn: options.failOn,
      notes,
      changes: sortChanges(changes),
      ...(execution
        ? {
            execution: {
              sent: execution.sent,
              disagreementCount: execution.disagreements.length,
              disagreements: execution.disagreements.slice(0, MAX_LISTED),
              notRun: execution.notRun,
            },
          }
        : {}),
      unusedAllowances: allowances.filter((allowance) => !used.has(allowance)),
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    if (!(error instanceof VersionUnreadable)) throw error;
    return { ...empty, notCompared: error.message, durationMs: Math.round(performance.now() - started) };
  } finally {
    for (const version of versionsRead) version.dispose();
  }
}

/** Changes outside any operation that still reach every operation's requests, and so can be shown by them. */
function reachesOperations(change: Change, shown: readonly Disagreement[]): boolean {
  if (change.kind === 'servers-base-path-changed' || change.kind === 'security-scheme-changed') return true;
  // The gap policy decides refusals: a request meant to be refused can show a policy change, a valid one cannot.
  return change.kind.startsWith('policy-') && shown.some((disagreement) => disagreement.caseKind !== 'positive');
}

/**
 * Folds what the execution showed into the text's verdicts, per side: a disagreement on an operation makes
 * the unknown changes of that operation breaking, confirms its breaking ones, or, when the text found nothing
 * that breaks that side there, becomes a breaking change of its own. Agreement proves nothing (the cases are
 * samples, and a pattern narrowed where no case sends a value stays unseen): an unknown change no request
 * showed stays unknown, and counts.
 */
function applyExecution(
  changes: readonly Change[],
  execution: Execution,
  contracts: { base: Contract; head: Contract },
): Change[] {
  let out = [...changes];
  for (const side of SIDES) {
    const byOperation = new Map<string | undefined, Disagreement[]>();
    for (const disagreement of execution.disagreements.filter((d) => d.side === side)) {
      byOperation.set(disagreement.operation, [...(byOperation.get(disagreement.operation) ?? []), disagreement]);
    }
    for (const [operation, shown] of byOperation) {
      const concerns = (change: Change) =>
        operation === undefined
          ? change.operation === undefined && reachesOperations(change, shown)
          : change.operation === operation || (change.operation === undefined && reachesOperations(change, shown));
      const unknown = out.filter((change) => concerns(change) && change[side] === 'unknown');
      const breaking = out.filter((change) => concerns(change) && change[side] === 'breaking');
      // Two cases that send the same request (the valid one, and a scenario of it) show the same thing once.
      const evidence = shown
        .filter(
          (one, index) => shown.findIndex((other) => other.request === one.request && other.status === one.status) === index,
        )
        .slice(0, SHOWN_PER_CHANGE);
      if (unknown.length > 0 || breaking.length > 0) {
        const decided = new Set(unknown);
        out = out.map((change) =>
          decided.has(change)
            ? { ...change, [side]: 'breaking' as Verdict, decidedBy: 'execution', shown: [...(change.shown ?? []), ...evidence] }
            : breaking.includes(change)
              ? { ...change, shown: [...(change.shown ?? []), ...evidence].slice(0, SHOWN_PER_CHANGE) }
              : change,
        );
        continue;
      }
      const where = operationPointer(operation, contracts);
      out.push({
        kind: 'execution-shows-break',
        ...(operation ? { operation } : {}),
        where,
        base: `#${where}`,
        head: `#${where}`,
        sentence: `${operation ?? 'The API'}: ${shown.length} request${shown.length === 1 ? '' : 's'} built from ${side === 'clients' ? 'BASE got an answer from HEAD that BASE does not allow' : 'HEAD got an answer from BASE that HEAD does not allow'}, though no rule of the text diff says it breaks ${side}.`,
        clients: side === 'clients' ? 'breaking' : 'compatible',
        implementations: side === 'implementations' ? 'breaking' : 'compatible',
        decidedBy: 'execution',
        shown: evidence,
      });
    }
  }
  return out;
}

function operationPointer(operation: string | undefined, contracts: { base: Contract; head: Contract }): string {
  const found = [...contracts.base.operations, ...contracts.head.operations].find((o) => operationLabel(o) === operation);
  return found?.pointer ?? '';
}

const RANK: Record<Verdict, number> = { breaking: 0, unknown: 1, compatible: 2 };

/** Breaking first, then unknown, then compatible; within each, by operation and kind. */
function sortChanges(changes: readonly Change[]): Change[] {
  const rank = (change: Change) => Math.min(RANK[change.clients], RANK[change.implementations]);
  return [...changes].sort(
    (a, b) => rank(a) - rank(b) || (a.operation ?? '').localeCompare(b.operation ?? '') || a.kind.localeCompare(b.kind),
  );
}

/** The changes that count against the run: breaking or unknown on a side it fails on, and not accepted. */
export function failingChanges(report: DiffReport): Change[] {
  const sides = report.failOn === 'any' ? SIDES : [report.failOn];
  return report.changes.filter((change) => change.accepted === undefined && sides.some((side) => change[side] !== 'compatible'));
}

/** 0: nothing breaks; 1: something breaks (on the sides --fail-on names); 2: nothing could be compared. */
export function diffExitCode(report: DiffReport): 0 | 1 | 2 {
  if (report.notCompared !== undefined) return 2;
  return failingChanges(report).length > 0 ? 1 : 0;
}

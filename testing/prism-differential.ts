// The Prism differential: for one OpenAPI document, `prism mock` (the oracle, default settings) and the kit's
// mock (in-process) are sent the same generated requests, valid and invalid, and their answers compared by
// status class and documented required headers (issue 15, item 5). Every wait has a deadline; both servers
// are stopped by the run that started them, Prism by its process handle.
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { startMock } from '../mock/index.ts';
import { type Answer, type Comparison, compareAnswers, type Difference, statusClass } from './corpus/compare-answers.ts';
import type { CorpusDocument } from './corpus/corpus.ts';
import { type CorpusRequest, generateRequests, operationLabel, type Situation } from './corpus/generate-requests.ts';
import { type IntendedDifference, intendedDifference } from './corpus/intended-differences.ts';
import { readOperations } from './corpus/read-operations.ts';
import { type StartedProcess, startProcess } from './start-process.ts';

const PRISM = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.bin', 'prism');

export interface DifferentialOptions {
  /** The seed of every document's requests (fixed by default, so that two runs send the same requests). */
  readonly seed: number;
  /** About how many requests per document. */
  readonly budget: number;
  /** Requests in flight at once, to each server. */
  readonly concurrency: number;
  /** The deadline of Prism's start, and of each answer. */
  readonly startDeadlineMs: number;
  readonly answerDeadlineMs: number;
}

export const DEFAULT_OPTIONS: DifferentialOptions = {
  seed: 20_151,
  budget: 200,
  concurrency: 4,
  startDeadlineMs: 60_000,
  answerDeadlineMs: 15_000,
};

export interface Disagreement {
  readonly request: CorpusRequest;
  readonly prism: Answer;
  readonly kit: Answer;
  readonly differences: readonly Difference[];
  /** The table's row when every difference is a status-class difference it explains. */
  readonly intended?: IntendedDifference;
}

export interface StatusPair {
  readonly situation: Situation;
  readonly prism: number;
  readonly kit: number;
  readonly count: number;
}

export type DocumentOutcome =
  | {
      readonly kind: 'compared';
      readonly name: string;
      readonly path: string;
      readonly sent: number;
      /** Requests whose answers have the same status. */
      readonly sameStatus: number;
      /** Requests whose answers agree by class and headers, statuses included or not. */
      readonly agreements: number;
      readonly disagreements: readonly Disagreement[];
      /** Answers with the same class but another status, counted by situation and statuses (these pass). */
      readonly otherStatuses: readonly StatusPair[];
      /** When Prism stopped answering part-way (it crashed): the last lines it printed. */
      readonly prismStopped?: string;
      readonly durationMs: number;
    }
  | {
      /** The document could not be compared: `who` could not start with it (or it could not be read). */
      readonly kind: 'not-started';
      readonly name: string;
      readonly path: string;
      readonly who: 'prism' | 'kit' | 'document';
      readonly reason: string;
      readonly durationMs: number;
    };

/** A free port on 127.0.0.1, for Prism, which cannot be told to pick one and say which. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('The port probe got no TCP address from 127.0.0.1.');
  return address.port;
}

/** Starts `prism mock` on the document, on a free port, and resolves once it says it listens. */
export async function startPrism(documentPath: string, deadlineMs: number): Promise<{ url: string; process: StartedProcess }> {
  const port = await freePort();
  const started = await startProcess({
    command: PRISM,
    args: ['mock', '-h', '127.0.0.1', '-p', String(port), documentPath],
    readyLine: /Prism is listening on (http:\/\/\S+)/,
    deadlineMs,
  });
  return { url: started.ready[1] ?? `http://127.0.0.1:${port}`, process: started };
}

/** Sends one request and reads its answer whole; a refused connection or a deadline is an answer too. */
export async function send(
  dispatcher: Agent,
  baseUrl: string,
  corpusRequest: CorpusRequest,
  deadlineMs: number,
): Promise<Answer> {
  try {
    const response = await request(`${baseUrl}${corpusRequest.target}`, {
      dispatcher,
      method: corpusRequest.method as 'GET',
      headers: corpusRequest.headers,
      ...(corpusRequest.body === undefined ? {} : { body: corpusRequest.body }),
      headersTimeout: deadlineMs,
      bodyTimeout: deadlineMs,
    });
    const body = await response.body.text();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { kind: 'answered', status: response.statusCode, headers, body: body.slice(0, 300) };
  } catch (error) {
    return { kind: 'failed', reason: (error as Error).message };
  }
}

/** Runs `work` over `items` with at most `limit` at a time, keeping the results in the items' order. */
async function inOrder<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, lane));
  return results;
}

/** The table's row for a disagreement: only when every difference in it is a class difference the table explains. */
export function explain(comparison: Comparison): IntendedDifference | undefined {
  const rows = comparison.differences.map((difference) =>
    difference.kind === 'status-class' ? intendedDifference(comparison.situation, difference.prism, difference.kit) : undefined,
  );
  return rows.length > 0 && rows.every((row) => row !== undefined) ? rows[0] : undefined;
}

/** Compares the kit's mock with `prism mock` on one document. */
export async function runDocument(
  document: CorpusDocument,
  options: DifferentialOptions = DEFAULT_OPTIONS,
): Promise<DocumentOutcome> {
  const started = Date.now();
  const notStarted = (who: 'prism' | 'kit' | 'document', reason: string): DocumentOutcome => ({
    kind: 'not-started',
    name: document.name,
    path: document.path,
    who,
    reason,
    durationMs: Date.now() - started,
  });
  let requests: CorpusRequest[];
  try {
    const operations = await readOperations(document.path);
    requests = generateRequests(operations, { seed: options.seed, documentName: document.name, budget: options.budget });
  } catch (error) {
    return notStarted('document', (error as Error).message);
  }
  let kit: Awaited<ReturnType<typeof startMock>>;
  try {
    kit = await startMock({ documentPath: document.path, host: '127.0.0.1', port: 0, watch: false });
  } catch (error) {
    return notStarted('kit', (error as Error).message.split('\n')[0] ?? '');
  }
  let prism: Awaited<ReturnType<typeof startPrism>> | undefined;
  let killOnExit: (() => void) | undefined;
  // Short keep-alive: both servers are stopped right after, and an idle socket must not hold the run open.
  const dispatcher = new Agent({
    keepAliveTimeout: 1_000,
    connections: options.concurrency,
    connectTimeout: options.answerDeadlineMs,
  });
  try {
    try {
      prism = await startPrism(document.path, options.startDeadlineMs);
    } catch (error) {
      return notStarted('prism', (error as Error).message.split('\n')[0] ?? '');
    }
    const prismUrl = prism.url;
    // If the run itself dies (an uncaught error exits at once), Prism must not outlive it: kill it by its PID.
    const prismPid = prism.process.pid;
    killOnExit = () => {
      try {
        process.kill(prismPid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    process.once('exit', killOnExit);
    const pairs = await inOrder(requests, options.concurrency, async (corpusRequest) => {
      const [prismAnswer, kitAnswer] = await Promise.all([
        send(dispatcher, prismUrl, corpusRequest, options.answerDeadlineMs),
        send(dispatcher, kit.url, corpusRequest, options.answerDeadlineMs),
      ]);
      return { corpusRequest, prismAnswer, kitAnswer, comparison: compareAnswers(corpusRequest, prismAnswer, kitAnswer) };
    });
    const disagreements: Disagreement[] = [];
    for (const { corpusRequest, prismAnswer, kitAnswer, comparison } of pairs) {
      if (comparison.differences.length === 0) continue;
      const intended = explain(comparison);
      disagreements.push({
        request: corpusRequest,
        prism: prismAnswer,
        kit: kitAnswer,
        differences: comparison.differences,
        ...(intended ? { intended } : {}),
      });
    }
    const otherStatuses = new Map<string, StatusPair>();
    for (const { corpusRequest, prismAnswer, kitAnswer, comparison } of pairs) {
      if (comparison.sameStatus || comparison.differences.length > 0) continue;
      if (prismAnswer.kind !== 'answered' || kitAnswer.kind !== 'answered') continue;
      const key = `${corpusRequest.situation} ${prismAnswer.status} ${kitAnswer.status}`;
      const known = otherStatuses.get(key);
      otherStatuses.set(key, {
        situation: corpusRequest.situation,
        prism: prismAnswer.status,
        kit: kitAnswer.status,
        count: (known?.count ?? 0) + 1,
      });
    }
    const prismFailed = pairs.some((pair) => pair.prismAnswer.kind === 'failed');
    return {
      kind: 'compared',
      name: document.name,
      path: document.path,
      sent: requests.length,
      sameStatus: pairs.filter((pair) => pair.comparison.sameStatus).length,
      agreements: pairs.length - disagreements.length,
      disagreements,
      otherStatuses: [...otherStatuses.values()],
      ...(prismFailed ? { prismStopped: prism.process.output().trim().split('\n').slice(-8).join('\n') } : {}),
      durationMs: Date.now() - started,
    };
  } finally {
    await dispatcher.close();
    await kit.close();
    await prism?.process.stop();
    if (killOnExit) process.off('exit', killOnExit);
  }
}

/** A request in one line, as curl would show it: method, target and the headers that matter. */
export function describeRequest(corpusRequest: CorpusRequest): string {
  const headers = Object.entries(corpusRequest.headers).map(([name, value]) => `${name}: ${value}`);
  const body =
    corpusRequest.body === undefined
      ? ''
      : ` body ${corpusRequest.body.length > 80 ? `${corpusRequest.body.slice(0, 77)}...` : corpusRequest.body}`;
  const operation = corpusRequest.operation ? ` [${operationLabel(corpusRequest.operation)}]` : '';
  return `${corpusRequest.method} ${corpusRequest.target}${operation}${headers.length > 0 ? ` {${headers.join('; ')}}` : ''}${body}`;
}

/** An answer in a few words: the status and, for a refusal, the start of its body. */
export function describeAnswer(answer: Answer): string {
  if (answer.kind === 'failed') return `no answer (${answer.reason})`;
  // Prism names what it found wrong in a header when it answers with a documented refusal of the operation.
  const violations = answer.headers['sl-violations'];
  const body = violations ? `sl-violations: ${violations}` : answer.body;
  return `${answer.status}${body ? ` ${body.replace(/\s+/g, ' ').slice(0, 200)}` : ''}`;
}

/** One kind of disagreement: a situation and what differed, e.g. "invalid-parameter: Prism 4xx, kit 2xx". */
export function categoryOf(disagreement: Disagreement): string {
  const what = disagreement.differences
    .map((difference) =>
      difference.kind === 'status-class'
        ? `Prism ${difference.prism}, kit ${difference.kit}`
        : difference.kind === 'required-header'
          ? `required header ${difference.header} missing from the ${difference.missingFrom === 'kit' ? "kit's" : "Prism's"} answer`
          : difference.kind === 'preferred-status'
            ? `Prism gives the preferred ${difference.asked}, the kit ${difference.kit}`
            : `the kit's ${difference.kit} is undocumented, Prism's ${difference.prism} is`,
    )
    .join('; ');
  return `${disagreement.request.situation}: ${what}`;
}

/** 0 when every disagreement is intended, 1 when one is not, 2 when a document could not be compared at all. */
export function differentialExitCode(outcomes: readonly DocumentOutcome[]): 0 | 1 | 2 {
  if (outcomes.some((outcome) => outcome.kind === 'not-started' || outcome.prismStopped !== undefined)) return 2;
  const unexplained = outcomes.some(
    (outcome) => outcome.kind === 'compared' && outcome.disagreements.some((disagreement) => !disagreement.intended),
  );
  return unexplained ? 1 : 0;
}

/** The report: a table per document, then each category of unintended disagreement with a few examples. */
export function renderReport(outcomes: readonly DocumentOutcome[], examplesPerCategory = 3): string[] {
  const lines: string[] = [];
  const header = ['document', 'requests', 'same status', 'agree', 'intended', 'disagree', 'seconds'];
  const rows = outcomes.map((outcome) =>
    outcome.kind === 'compared'
      ? [
          outcome.name,
          String(outcome.sent),
          String(outcome.sameStatus),
          String(outcome.agreements),
          String(outcome.disagreements.filter((disagreement) => disagreement.intended).length),
          String(outcome.disagreements.filter((disagreement) => !disagreement.intended).length),
          (outcome.durationMs / 1000).toFixed(1),
        ]
      : [
          outcome.name,
          '-',
          '-',
          '-',
          '-',
          `${outcome.who === 'kit' ? 'kit' : outcome.who === 'prism' ? 'Prism' : 'document'} cannot load`,
          (outcome.durationMs / 1000).toFixed(1),
        ],
  );
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const format = (cells: readonly string[]): string =>
    `[prism-differential] ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ')}`;
  lines.push(format(header));
  for (const row of rows) lines.push(format(row));
  for (const outcome of outcomes) {
    if (outcome.kind === 'compared' && outcome.prismStopped !== undefined)
      lines.push(
        `[prism-differential] ✘ ${outcome.name}: Prism stopped answering part-way; its last lines:\n${outcome.prismStopped}`,
      );
    if (outcome.kind === 'not-started')
      lines.push(
        `[prism-differential] ✘ ${outcome.name}: ${outcome.who === 'document' ? 'the document' : outcome.who === 'kit' ? 'the kit' : 'Prism'} cannot load ${outcome.path}: ${outcome.reason}`,
      );
  }
  const categories = new Map<string, { documents: Set<string>; items: Disagreement[] }>();
  for (const outcome of outcomes) {
    if (outcome.kind !== 'compared') continue;
    for (const disagreement of outcome.disagreements) {
      if (disagreement.intended) continue;
      const key = categoryOf(disagreement);
      const entry = categories.get(key) ?? { documents: new Set<string>(), items: [] };
      entry.documents.add(outcome.name);
      entry.items.push(disagreement);
      categories.set(key, entry);
    }
  }
  const statuses = new Map<string, { count: number; row: IntendedDifference | undefined }>();
  for (const outcome of outcomes) {
    if (outcome.kind !== 'compared') continue;
    for (const pair of outcome.otherStatuses) {
      const key = `${pair.situation}: Prism ${pair.prism}, kit ${pair.kit}`;
      const kind = statusClass({ kind: 'answered', status: pair.prism, headers: {}, body: '' });
      const row = intendedDifference(pair.situation, kind, kind);
      statuses.set(key, { count: (statuses.get(key)?.count ?? 0) + pair.count, row });
    }
  }
  for (const [key, { count, row }] of [...statuses.entries()].sort((a, b) => b[1].count - a[1].count)) {
    const why = row ? `intended: ${row.reason}` : 'no row in the table (passes: the classes agree)';
    lines.push(`[prism-differential] ~ same class, other status: ${key}: ${count} requests; ${why}`);
  }
  const sorted = [...categories.entries()].sort((a, b) => b[1].items.length - a[1].items.length);
  for (const [category, { documents, items }] of sorted) {
    lines.push(`[prism-differential] ✘ ${category}: ${items.length} requests (${[...documents].join(', ')})`);
    for (const item of items.slice(0, examplesPerCategory)) {
      lines.push(`    ${item.request.detail}: ${describeRequest(item.request)}`);
      lines.push(`      Prism: ${describeAnswer(item.prism)}`);
      lines.push(`      kit:   ${describeAnswer(item.kit)}`);
    }
  }
  return lines;
}

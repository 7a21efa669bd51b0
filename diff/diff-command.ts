import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeFlagError } from '../runtime/describe-flag-error.ts';
import { type CliOutcome, EXIT_NOT_JUDGED } from '../runtime/run-cli.ts';
import { appendRegularFile, describeOutputError, writeRegularFile } from '../runtime/write-regular-file.ts';
import { compareVersions, type DiffReport, diffExitCode, type FailOn } from './compare-versions.ts';
import { formatDiff, formatDiffMarkdown } from './format-diff.ts';

export const DIFF_USAGE = `Usage: flashback-contract diff BASE HEAD [flags]

Lists every change from BASE to HEAD of the contract (the OpenAPI document and its gap policy) and classifies
each for clients (frontends built against BASE) and for implementations (backends built to BASE), then shows
it by sending each version's cases to a mock of the other, in this process.
  BASE, HEAD              a file, or REVISION:PATH from git (origin/main:openapi/flashback.yaml)
  --base-policy, --head-policy  each version's gap policy, a file or REVISION:PATH (default: the kit's
                          own policy of the same version for the kit's document, the default policy for another)
  --allow-list FILE       breaking changes accepted on purpose: accepted: [{ kind, where, reason }]
  --fail-on SIDE          any (default), clients or implementations: which breaks fail the run
  --text-only             classify from the text alone; changes it cannot tell stay unknown and fail
  --report FILE           write the whole report as JSON
  --markdown FILE         write the report as Markdown (also appended to GITHUB_STEP_SUMMARY when set)
Exit codes: 0 nothing breaks, 1 something breaks (on the sides --fail-on names), 2 nothing could be compared.`;

const OPTIONS = {
  'base-policy': { type: 'string' },
  'head-policy': { type: 'string' },
  'allow-list': { type: 'string' },
  'fail-on': { type: 'string' },
  'text-only': { type: 'boolean', default: false },
  report: { type: 'string' },
  markdown: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const FAIL_ON: readonly FailOn[] = ['any', 'clients', 'implementations'];

const notCompared = (sentence: string): CliOutcome => ({ exitCode: EXIT_NOT_JUDGED, lines: [`✘ ${sentence}`] });

interface Outputs {
  readonly json?: string;
  readonly markdown?: string;
  readonly summary?: string;
}

/**
 * Writes each output it was asked for (or, with `report` absent, makes sure each can be written: done before
 * comparing, so that a finished comparison is never lost to an unwritable file). The first that cannot be
 * written is one sentence.
 */
function writeOutputs(files: Outputs, report?: DiffReport): string | undefined {
  const writes: [string, () => string, string][] = [];
  if (files.json) writes.push([files.json, () => (report ? `${JSON.stringify(report, null, 2)}\n` : ''), '--report']);
  if (files.markdown) writes.push([files.markdown, () => (report ? formatDiffMarkdown(report) : ''), '--markdown']);
  for (const [file, text, flag] of writes) {
    try {
      writeRegularFile(file, text());
    } catch (error) {
      return `Cannot write ${flag} ${file}: ${describeOutputError(error)}.`;
    }
  }
  if (files.summary) {
    try {
      appendRegularFile(files.summary, report ? formatDiffMarkdown(report) : '');
    } catch (error) {
      return `Cannot append the summary to ${files.summary} (GITHUB_STEP_SUMMARY): ${describeOutputError(error)}.`;
    }
  }
  return undefined;
}

export async function diffCommand(args: readonly string[], env: NodeJS.ProcessEnv, cwd = process.cwd()): Promise<CliOutcome> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; strict: true; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    return notCompared(describeFlagError(error as Error, Object.keys(OPTIONS)));
  }
  const { values, positionals } = parsed;
  if (values.help) return { exitCode: 0, lines: [DIFF_USAGE] };
  if (positionals.length !== 2) {
    return notCompared(`diff takes two versions, BASE and HEAD; got ${positionals.length}. Run flashback-contract diff --help.`);
  }
  const failOn = (values['fail-on'] ?? 'any') as FailOn;
  if (!FAIL_ON.includes(failOn)) return notCompared(`--fail-on takes ${FAIL_ON.join(', ')}; got "${values['fail-on']}".`);
  for (const flag of ['report', 'markdown', 'allow-list', 'base-policy', 'head-policy'] as const) {
    if (values[flag] === '') return notCompared(`--${flag} was given an empty path.`);
  }
  const [base = '', head = ''] = positionals;
  const outputs: Outputs = {
    ...(values.report ? { json: resolve(cwd, values.report) } : {}),
    ...(values.markdown ? { markdown: resolve(cwd, values.markdown) } : {}),
    ...(env.GITHUB_STEP_SUMMARY ? { summary: env.GITHUB_STEP_SUMMARY } : {}),
  };
  const unwritableBefore = writeOutputs(outputs);
  if (unwritableBefore) return notCompared(unwritableBefore);
  const report = await compareVersions({
    base,
    head,
    basePolicy: values['base-policy'],
    headPolicy: values['head-policy'],
    allowList: values['allow-list'] === undefined ? undefined : resolve(cwd, values['allow-list']),
    failOn,
    execute: !values['text-only'],
    cwd,
  });
  const unwritable = writeOutputs(outputs, report);
  const lines = formatDiff(report);
  // Rare once the outputs were checked before comparing (a disk that filled up meanwhile): the verdict is lost.
  if (unwritable) return { exitCode: EXIT_NOT_JUDGED, lines: [...lines.slice(0, -1), `✘ ${unwritable}`] };
  return { exitCode: diffExitCode(report), lines };
}

// The diff report as people read it: on a console, grouped by the side a change breaks, breaking first; and as
// Markdown for a pull request's job summary, every text escaped. Both are cut to a bounded length: the JSON
// report (--report) keeps everything.
import { markdownText } from '../runtime/markdown-text.ts';
import { SIDES, type Side } from './classify-change.ts';
import { type Change, type DiffReport, diffExitCode, failingChanges } from './compare-versions.ts';
import type { Disagreement } from './execute-versions.ts';

/** How many changes each group lists before it says how many more there are. */
const LISTED = 30;

const WHO: Record<Side, string> = {
  clients: 'clients (frontends built against BASE)',
  implementations: 'implementations (backends built to BASE)',
};

function groups(report: DiffReport) {
  const open = report.changes.filter((change) => change.accepted === undefined);
  return {
    breaking: SIDES.map((side) => ({ side, changes: open.filter((change) => change[side] === 'breaking') })),
    unknown: open.filter((change) => SIDES.some((side) => change[side] === 'unknown')),
    accepted: report.changes.filter((change) => change.accepted !== undefined),
    compatible: open.filter((change) => SIDES.every((side) => change[side] === 'compatible')),
  };
}

function heading(report: DiffReport): string {
  const { base, head } = report;
  if (!base || !head) return 'flashback-contract diff';
  return `BASE ${base.label} (version ${base.version}, ${base.policy}) → HEAD ${head.label} (version ${head.version}, ${head.policy})`;
}

function closingLine(report: DiffReport): string {
  if (report.notCompared !== undefined) return `✘ Nothing compared: ${report.notCompared}`;
  const failing = failingChanges(report);
  const on = report.failOn === 'any' ? '' : ` for ${report.failOn} (--fail-on ${report.failOn})`;
  if (diffExitCode(report) === 0) {
    return `✔ Nothing breaks${on}: ${report.changes.length} change${report.changes.length === 1 ? '' : 's'}, in ${report.durationMs} ms.`;
  }
  const count = (side: Side) => failing.filter((change) => change[side] !== 'compatible').length;
  return `✘ ${failing.length} change${failing.length === 1 ? ' breaks' : 's break'} the contract${on} (clients ${count('clients')}, implementations ${count('implementations')}), in ${report.durationMs} ms.`;
}

const where = (change: Change) => `${change.kind} at ${change.where || '/'} (BASE ${change.base}, HEAD ${change.head})`;

/** What a shown request proves, in words: which version's server answered, and whose contract refuses it. */
export function describeShown(shown: Disagreement): string {
  const answered = shown.status === undefined ? 'does not answer' : `answers ${shown.status}`;
  const codes = shown.codes.length === 0 ? '' : ` (${shown.codes.join(', ')})`;
  return shown.side === 'clients'
    ? `a server built to HEAD (its mock) ${answered}, which clients built against BASE do not expect${codes}`
    : `a server built to BASE (its mock) ${answered}, which HEAD does not allow${codes}`;
}

function shownLines(change: Change, indent: string): string[] {
  return (change.shown ?? []).map((shown) => `${indent}shown by ${shown.request}: ${describeShown(shown)}`);
}

/** The report for a terminal. */
export function formatDiff(report: DiffReport): string[] {
  if (report.notCompared !== undefined) return [closingLine(report)];
  const lines = [heading(report), ...(report.notes ?? []).map((note) => `  note: ${note}`), ''];
  const listed = (changes: readonly Change[], mark: string, detail: (change: Change) => string[]) => {
    for (const change of changes.slice(0, LISTED)) lines.push(`  ${mark} ${change.sentence}`, ...detail(change));
    if (changes.length > LISTED) lines.push(`  … ${changes.length - LISTED} more in the JSON report (--report)`);
  };
  const { breaking, unknown, accepted, compatible } = groups(report);
  for (const { side, changes } of breaking) {
    if (changes.length === 0) continue;
    lines.push(`Breaks ${WHO[side]}: ${changes.length}`);
    listed(changes, '✘', (change) => [
      `      ${where(change)}${change.decidedBy === 'execution' ? ', shown by running the kit' : ''}`,
      ...shownLines(change, '      '),
    ]);
    lines.push('');
  }
  if (unknown.length > 0) {
    lines.push(
      `Cannot be told from the text, and no request showed it either way: ${unknown.length} (review them, or accept them in --allow-list)`,
    );
    listed(unknown, '?', (change) => [`      ${where(change)}`]);
    lines.push('');
  }
  if (accepted.length > 0) {
    lines.push(`Accepted on purpose (--allow-list): ${accepted.length}`);
    listed(accepted, '≈', (change) => [`      ${where(change)}: ${change.accepted}`]);
    lines.push('');
  }
  if (compatible.length > 0) {
    lines.push(`Compatible for both sides: ${compatible.length}`);
    listed(compatible, '·', () => []);
    lines.push('');
  }
  for (const unused of report.unusedAllowances) {
    lines.push(
      `⚠ The allow-list entry ${unused.kind} at ${unused.where} matches no change; remove it once it is no longer needed.`,
    );
  }
  if (report.execution) {
    const { sent, disagreementCount, notRun } = report.execution;
    lines.push(
      `Execution: ${sent.clients} requests built from BASE sent to HEAD's mock, ${sent.implementations} built from HEAD sent to BASE's mock; ${disagreementCount} disagreed.`,
    );
    for (const side of SIDES) {
      const why = notRun[side];
      if (why) lines.push(`  nothing was sent for ${side}: ${why}`);
    }
  } else lines.push('Execution: not run (--text-only).');
  lines.push(closingLine(report));
  return lines;
}

/** The report as Markdown for GITHUB_STEP_SUMMARY or a pull-request comment. */
export function formatDiffMarkdown(report: DiffReport): string {
  if (report.notCompared !== undefined) return `## Contract diff: not compared\n\n${markdownText(report.notCompared)}\n`;
  const lines = [
    `## Contract diff: ${markdownText(closingLine(report))}`,
    '',
    markdownText(heading(report)),
    '',
    ...(report.notes ?? []).flatMap((note) => [`> ${markdownText(note)}`, '']),
  ];
  // A pointer or a request in a code span: shown as written, with no Markdown in it; a backtick would end the span.
  const code = (text: string) => `\`${text.replaceAll('`', "'").replaceAll('|', '\\|').replace(/\r?\n/g, ' ')}\``;
  const table = (changes: readonly Change[], extra?: (change: Change) => string) => {
    lines.push(
      `| Change | Clients | Implementations | Kind and pointer${extra ? ' | Why' : ''} |`,
      `|---|---|---|---${extra ? '|---' : ''}|`,
    );
    for (const change of changes.slice(0, LISTED)) {
      const shown = (change.shown ?? [])[0];
      const proof = shown ? `<br>shown by ${code(shown.request)}${shown.status === undefined ? '' : ` → ${shown.status}`}` : '';
      lines.push(
        `| ${markdownText(change.sentence)}${proof} | ${change.clients} | ${change.implementations} | ${code(change.kind)} ${code(change.where || '/')}${extra ? ` | ${markdownText(extra(change))}` : ''} |`,
      );
    }
    if (changes.length > LISTED) lines.push('', `… ${changes.length - LISTED} more in the JSON report.`);
    lines.push('');
  };
  const { breaking, unknown, accepted, compatible } = groups(report);
  for (const { side, changes } of breaking) {
    if (changes.length === 0) continue;
    lines.push(`### Breaks ${WHO[side]}: ${changes.length}`, '');
    table(changes);
  }
  if (unknown.length > 0) {
    lines.push(`### Cannot be told: ${unknown.length}`, '');
    table(unknown);
  }
  if (accepted.length > 0) {
    lines.push(`### Accepted on purpose: ${accepted.length}`, '');
    table(accepted, (change) => change.accepted ?? '');
  }
  if (compatible.length > 0) {
    lines.push(`<details><summary>Compatible for both sides: ${compatible.length}</summary>`, '');
    table(compatible);
    lines.push('</details>', '');
  }
  return `${lines.join('\n')}\n`;
}

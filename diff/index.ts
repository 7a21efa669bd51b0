// The public surface of the contract diff. Anything not exported here is private to diff/.
export type { DocumentChange, Side, Verdict } from './classify-change.ts';
export {
  type Change,
  compareVersions,
  type DiffOptions,
  type DiffReport,
  diffExitCode,
  type FailOn,
} from './compare-versions.ts';
export { DIFF_USAGE, diffCommand } from './diff-command.ts';
export { formatDiff, formatDiffMarkdown } from './format-diff.ts';

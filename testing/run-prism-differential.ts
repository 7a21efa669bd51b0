// `npm run test:prism`: the Prism differential over the corpus (testing/corpus/corpus.ts), its own CI step so
// that `npm test` stays fast. Exit 0 when Prism and the kit's mock agree (or differ only as
// testing/corpus/intended-differences.ts explains), 1 on any other disagreement, 2 when a document, Prism or
// the kit cannot start with a document.
import { parseArgs } from 'node:util';
import { runCli } from '../runtime/run-cli.ts';
import { corpusDocuments } from './corpus/corpus.ts';
import { DEFAULT_OPTIONS, type DocumentOutcome, differentialExitCode, renderReport, runDocument } from './prism-differential.ts';

export const USAGE = `Usage: tsx testing/run-prism-differential.ts [--only NAME,NAME] [--seed N] [--budget N] [--examples N]

Sends the same generated requests to \`prism mock\` and the kit's mock for every corpus document, and compares them.
  --only      run these corpus documents only (names as in testing/corpus/corpus.ts)
  --seed      the requests' seed (default ${DEFAULT_OPTIONS.seed})
  --budget    about how many requests per document (default ${DEFAULT_OPTIONS.budget})
  --examples  example requests printed per category of disagreement (default 3)`;

function positiveInteger(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new RangeError(`--${flag} takes a whole number, and got "${value}".`);
  return number;
}

runCli(import.meta.url, async () => {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      seed: { type: 'string' },
      budget: { type: 'string' },
      examples: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return { exitCode: 0, lines: [USAGE] };
  const options = {
    ...DEFAULT_OPTIONS,
    seed: positiveInteger('seed', values.seed, DEFAULT_OPTIONS.seed),
    budget: positiveInteger('budget', values.budget, DEFAULT_OPTIONS.budget),
  };
  const documents = corpusDocuments();
  const only = values.only?.split(',').map((name) => name.trim());
  const unknown = only?.filter((name) => !documents.some((document) => document.name === name)) ?? [];
  if (unknown.length > 0) {
    return {
      exitCode: 2,
      lines: [
        `✘ --only names no corpus document ${unknown.join(', ')}; the corpus has ${documents.map((d) => d.name).join(', ')}.`,
      ],
    };
  }
  const outcomes: DocumentOutcome[] = [];
  // One document at a time: each starts its own Prism, and a 2-core machine runs one Prism well, not several.
  for (const document of documents.filter((candidate) => !only || only.includes(candidate.name))) {
    outcomes.push(await runDocument(document, options));
  }
  return {
    exitCode: differentialExitCode(outcomes),
    lines: renderReport(outcomes, positiveInteger('examples', values.examples, 3)),
  };
});

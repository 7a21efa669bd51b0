// A command line that parseArgs refused, in one sentence that names the nearest flag the command has: a typo
// (--base-ulr) is the usual cause, and naming the fix beats a usage page.

/** parseArgs' error as a sentence; for an unknown option, with the nearest known one ("did you mean --base-url?"). */
export function describeFlagError(error: Error, known: readonly string[]): string {
  const unknown = /^Unknown option '(--?[^']+)'/.exec(error.message)?.[1];
  if (unknown === undefined) return error.message;
  const given = unknown.replace(/^-+/, '').split('=')[0] ?? '';
  const nearest = known.map((name) => ({ name, distance: editDistance(given, name) })).sort((a, b) => a.distance - b.distance)[0];
  // Within a third of the flag's length: a typo, not another word.
  const suggestion =
    nearest && nearest.distance <= Math.max(1, Math.floor(nearest.name.length / 3)) ? ` Did you mean --${nearest.name}?` : '';
  return `Unknown option '${unknown}'.${suggestion}`;
}

/** Edit distance with a swap of two neighbours as one edit (--prot for --port), on two short strings. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, index) => index)];
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((rows[i - 1]?.[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (rows[i - 1]?.[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      row[j] = best;
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}

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

/** Levenshtein distance, on two short strings. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

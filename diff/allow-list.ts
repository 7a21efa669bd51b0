// The allow-list: breaking changes a team accepts on purpose, each named by its kind and pointer with a reason,
// as oasdiff's ignore files do. An accepted change still shows in every report, marked accepted; an entry that
// matches nothing is reported too, so that the list does not outlive what it was written for.
import { parseDocumentYaml, readDocumentFile } from '../openapi/index.ts';
import { VersionUnreadable } from './read-version.ts';

export interface Allowance {
  readonly kind: string;
  /** A pointer the change carries: where (the operations' view), or where it is written in BASE or HEAD. */
  readonly where: string;
  readonly reason: string;
}

/** Reads an allow-list file (YAML or JSON): `accepted: [{ kind, where, reason }]`. One sentence when it is wrong. */
export function readAllowList(path: string): Allowance[] {
  let raw: unknown;
  try {
    raw = parseDocumentYaml(readDocumentFile(path).toString('utf8'));
  } catch (error) {
    throw new VersionUnreadable(`The allow-list ${path} cannot be read: ${(error as Error).message}`);
  }
  const accepted = (raw as { accepted?: unknown } | null)?.accepted;
  if (!Array.isArray(accepted)) {
    throw new VersionUnreadable(`The allow-list ${path} must hold "accepted:", a list of { kind, where, reason }.`);
  }
  return accepted.map((entry, index) => {
    const { kind, where, reason } = (entry ?? {}) as Record<string, unknown>;
    for (const [name, value] of [
      ['kind', kind],
      ['where', where],
      ['reason', reason],
    ] as const) {
      if (typeof value !== 'string' || value.trim() === '') {
        throw new VersionUnreadable(
          `The allow-list ${path} at /accepted/${index}: "${name}" must be a non-empty string${name === 'reason' ? ' (why the break is accepted)' : ''}.`,
        );
      }
    }
    return { kind: String(kind), where: String(where), reason: String(reason) };
  });
}

const bare = (pointer: string) => pointer.replace(/^#/, '');

/** The allowance that accepts a change, if any. */
export function allowanceFor(
  allowances: readonly Allowance[],
  change: { readonly kind: string; readonly where: string; readonly base: string; readonly head: string },
): Allowance | undefined {
  return allowances.find(
    (allowance) =>
      allowance.kind === change.kind &&
      [change.where, change.base, change.head].some((pointer) => bare(pointer) === bare(allowance.where)),
  );
}

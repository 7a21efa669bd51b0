// BASE and HEAD as the user names them: a file, or a git revision and a path ("origin/main:openapi/flashback.yaml")
// so that CI compares a pull request with its base. A revision's files are written to a temporary folder (the
// document and every YAML or JSON file beside it, which its $refs may name), read from there, then removed.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { DEFAULT_POLICY_LABEL, DOCUMENT_PATH, GAP_POLICY_PATH, MAX_DOCUMENT_BYTES } from '../openapi/index.ts';

/** A version of the contract ready to read from disk. */
export interface ContractVersion {
  /** As the user wrote it: "origin/main:openapi/flashback.yaml", "openapi/flashback.yaml". */
  readonly label: string;
  readonly documentPath: string;
  /** The gap policy's file; absent: the default policy (policyFor decides, as check and mock do). */
  readonly policyPath?: string;
  /** The policy as the user would name it: "origin/main:openapi/gap-policy.yaml", "the default gap policy". */
  readonly policyLabel: string;
  /** Removes what was written for it. */
  readonly dispose: () => void;
}

/** A version that cannot be read: one sentence; the diff exits 2. */
export class VersionUnreadable extends Error {
  override readonly name = 'VersionUnreadable';
}

/** Git is asked small questions; each gets this long before the diff gives up on it. */
const GIT_TIMEOUT_MS = 30_000;
/** A document may reach this many files through its $refs at a revision. */
const MAX_FILES = 200;
const TOO_LARGE = 'is larger than the';

function git(args: readonly string[], cwd: string): Promise<Buffer> {
  return new Promise((done, fail) => {
    execFile(
      'git',
      args,
      { cwd, encoding: 'buffer', timeout: GIT_TIMEOUT_MS, maxBuffer: MAX_DOCUMENT_BYTES + 1, windowsHide: true },
      (error, stdout, stderr) => {
        if (error) {
          const said = stderr.toString('utf8').trim().split('\n')[0];
          const why =
            (error as NodeJS.ErrnoException).code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER'
              ? `${TOO_LARGE} ${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB a document's file may have`
              : (error as NodeJS.ErrnoException).code === 'ENOENT'
                ? 'git is not installed'
                : error.killed
                  ? `git did not answer within ${GIT_TIMEOUT_MS / 1000} s`
                  : said || error.message;
          fail(new VersionUnreadable(why));
        } else done(stdout);
      },
    );
  });
}

/**
 * Reads one version. `policyFlag` names its gap policy (a file, or REV:PATH); without it, the kit's own
 * document (as a file or at a revision) is read with the kit's policy of the same version, and any other
 * document with the default policy, as `check` and `mock` read them.
 */
export async function readVersion(spec: string, policyFlag: string | undefined, cwd: string): Promise<ContractVersion> {
  const written: string[] = [];
  const dispose = () => {
    for (const folder of written) rmSync(folder, { recursive: true, force: true });
  };
  try {
    const document = await locate(spec, cwd, written);
    const policy =
      policyFlag === undefined ? document.kitPolicy : { path: (await locate(policyFlag, cwd, written)).path, label: policyFlag };
    return {
      label: spec,
      documentPath: document.path,
      ...(policy ? { policyPath: policy.path } : {}),
      policyLabel: policy?.label ?? DEFAULT_POLICY_LABEL,
      dispose,
    };
  } catch (error) {
    dispose();
    throw error;
  }
}

async function locate(
  spec: string,
  cwd: string,
  written: string[],
): Promise<{ path: string; kitPolicy?: { path: string; label: string } }> {
  if (spec === '') throw new VersionUnreadable('An empty name was given for a version; pass a file or REVISION:PATH.');
  const asFile = resolve(cwd, spec);
  if (existsSync(asFile)) {
    if (!statSync(asFile).isFile()) throw new VersionUnreadable(`${spec} is not a regular file.`);
    return {
      path: asFile,
      ...(asFile === DOCUMENT_PATH ? { kitPolicy: { path: GAP_POLICY_PATH, label: relative(cwd, GAP_POLICY_PATH) } } : {}),
    };
  }
  // A URL has a colon too, but git would read its scheme as a revision: say what it is instead.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) {
    throw new VersionUnreadable(`${spec} is a URL; the diff reads files and REVISION:PATH only (download the document first).`);
  }
  const colon = spec.indexOf(':');
  if (colon <= 0 || colon === spec.length - 1) {
    throw new VersionUnreadable(`${spec} is not a file, nor a REVISION:PATH (such as origin/main:openapi/flashback.yaml).`);
  }
  const revision = spec.slice(0, colon);
  // A revision that starts with "-" would reach git as an option (--output=…), never as a revision.
  if (revision.startsWith('-')) throw new VersionUnreadable(`${spec}: a revision cannot start with "-".`);
  const root = (
    await git(['rev-parse', '--show-toplevel'], cwd).catch(() => {
      throw new VersionUnreadable(`${spec} is not a file, and ${cwd} is not inside a git repository to read ${revision} from.`);
    })
  )
    .toString('utf8')
    .trim();
  await git(['rev-parse', '--verify', '--quiet', `${revision}^{commit}`], root).catch(() => {
    throw new VersionUnreadable(`${spec}: ${revision} is not a revision of the git repository at ${root} (fetch it first?).`);
  });
  // "REV:./x" is relative to the working directory, as git reads it; "REV:x" to the repository's root.
  const asked = spec.slice(colon + 1);
  const inRepo = asked.startsWith('./') || asked.startsWith('../') ? relative(root, resolve(cwd, asked)) : asked;
  const path = inRepo.split(/[\\/]/).join(posix.sep);
  const into = mkdtempSync(join(tmpdir(), 'flashback-diff-'));
  written.push(into);
  // The document, then every file its $refs reach, read from the revision and written in the same places.
  const wanted = [path];
  const kitDocument = relative(root, DOCUMENT_PATH).split(/[\\/]/).join(posix.sep);
  const policyInRepo = relative(root, GAP_POLICY_PATH).split(/[\\/]/).join(posix.sep);
  const isKitDocument = path === kitDocument;
  const seen = new Set<string>();
  while (wanted.length > 0) {
    const name = wanted.shift() ?? '';
    if (seen.has(name)) continue;
    seen.add(name);
    if (seen.size > MAX_FILES) {
      throw new VersionUnreadable(`${spec}: the document reaches more than ${MAX_FILES} files through its $refs at ${revision}.`);
    }
    const text = await git(['show', `${revision}:${name}`], root).catch((error: Error) => {
      if (error.message.startsWith(TOO_LARGE)) throw new VersionUnreadable(`${spec}: ${name} at ${revision} ${error.message}.`);
      if (name === path) throw new VersionUnreadable(`${spec}: ${revision} has no file ${path}.`);
      // A $ref to a file the revision lacks: loading the document says so, naming the $ref.
      return undefined;
    });
    if (text === undefined) continue;
    const target = join(into, ...name.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    for (const reference of externalReferences(text)) {
      const reached = posix.normalize(posix.join(posix.dirname(name), reference));
      // Only files of the repository: a $ref that climbs out of it, or names a URL, is the loader's to refuse.
      if (!reached.startsWith('../') && !posix.isAbsolute(reached)) wanted.push(reached);
    }
  }
  // The kit's own document at another revision is judged with the kit's policy of that revision.
  let kitPolicy: { path: string; label: string } | undefined;
  if (isKitDocument) {
    const policy = await git(['show', `${revision}:${policyInRepo}`], root).catch(() => undefined);
    if (policy !== undefined) {
      const target = join(into, ...policyInRepo.split('/'));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, policy);
      kitPolicy = { path: target, label: `${revision}:${policyInRepo}` };
    }
  }
  const documentPath = join(into, ...path.split('/'));
  return { path: documentPath, ...(kitPolicy ? { kitPolicy } : {}) };
}

/**
 * The files a document's text names in its $refs ("schemas.yaml#/Pet" gives "schemas.yaml"), read from the text
 * as written: URLs and in-document pointers are left out. The text is not parsed: a $ref's value in YAML or JSON
 * is one token, quoted or not, and a name that is not a file of the revision is simply not found.
 */
function externalReferences(text: Buffer): string[] {
  const found = new Set<string>();
  for (const match of text.toString('utf8').matchAll(/["']?\$ref["']?\s*:\s*["']?([^"'\s,}#]+)/g)) {
    const file = decodeURIComponent(match[1] ?? '');
    if (file !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(file)) found.add(file);
  }
  return [...found];
}

// BASE and HEAD as the user names them: a file, or a git revision and a path ("origin/main:openapi/flashback.yaml")
// so that CI compares a pull request with its base. A revision's files are written to a temporary folder (the
// document and every YAML or JSON file beside it, which its $refs may name), read from there, then removed.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { DEFAULT_POLICY_LABEL, DOCUMENT_PATH, GAP_POLICY_PATH } from '../openapi/index.ts';

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
/** A revision's folder may hold this many YAML or JSON files; a document's folder rarely holds more. */
const MAX_FILES = 200;
const MAX_FILE_BYTES = 10 * 1024 * 1024;

function git(args: readonly string[], cwd: string): Promise<Buffer> {
  return new Promise((done, fail) => {
    execFile(
      'git',
      args,
      { cwd, encoding: 'buffer', timeout: GIT_TIMEOUT_MS, maxBuffer: MAX_FILE_BYTES + 1, windowsHide: true },
      (error, stdout, stderr) => {
        if (error) {
          const said = stderr.toString('utf8').trim().split('\n')[0];
          const why =
            (error as NodeJS.ErrnoException).code === 'ENOENT'
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
  const folder = posix.dirname(path);
  const listed = (
    await git(['ls-tree', '-r', '-z', '--name-only', '--full-name', revision, '--', folder === '.' ? '.' : `${folder}/`], root)
  )
    .toString('utf8')
    .split('\0')
    .filter((name) => name !== '');
  if (!listed.includes(path)) throw new VersionUnreadable(`${spec}: ${revision} has no file ${path}.`);
  const files = listed.filter((name) => name === path || /\.(ya?ml|json)$/i.test(name));
  if (files.length > MAX_FILES) {
    throw new VersionUnreadable(
      `${spec}: the folder ${folder} holds ${files.length} YAML or JSON files at ${revision}; the diff reads at most ${MAX_FILES}.`,
    );
  }
  const into = mkdtempSync(join(tmpdir(), 'flashback-diff-'));
  written.push(into);
  for (const name of files) {
    const target = join(into, ...name.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(
      target,
      await git(['show', `${revision}:${name}`], root).catch((error: Error) => {
        throw new VersionUnreadable(`${spec}: ${name} at ${revision} cannot be read (${error.message}).`);
      }),
    );
  }
  const documentPath = join(into, ...path.split('/'));
  // The kit's own document at another revision is judged with the kit's policy of that revision.
  const kitDocument = relative(root, DOCUMENT_PATH).split(/[\\/]/).join(posix.sep);
  const policyInRepo = relative(root, GAP_POLICY_PATH).split(/[\\/]/);
  const kitPolicy = { path: join(into, ...policyInRepo), label: `${revision}:${policyInRepo.join(posix.sep)}` };
  return { path: documentPath, ...(path === kitDocument && existsSync(kitPolicy.path) ? { kitPolicy } : {}) };
}

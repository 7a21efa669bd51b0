// @ts-check
// `node scripts/run-bundle.mjs SUBCOMMAND [args…]`: runs `flashback-contract SUBCOMMAND` from dist/cli.mjs,
// rebuilding the bundles first when any file they were built from is newer. Plain JavaScript, so that fresh
// bundles start without loading a TypeScript runtime or esbuild (docs/decisions/0007-layout.md); tsc checks it
// through checkJs.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The entry points esbuild bundles, by the name of the file it writes in dist/. */
export const ENTRIES = /** @type {const} */ ({
  cli: 'cli/flashback-contract.ts',
  index: 'contracts/index.ts',
  vitest: 'contracts/vitest.ts',
  mock: 'mock/index.ts',
});

/** Entry points bundled for browsers as well as Node, without the chunks the others share. */
export const BROWSER_ENTRIES = /** @type {const} */ ({
  msw: 'msw/index.ts',
});

/** The command-line entry point every npm script and the package's bin run. */
export const CLI_BUNDLE = `${ROOT}dist/cli.mjs`;
/** The project's own files the bundles were built from (esbuild's metafile, less node_modules). */
export const INPUTS_FILE = `${ROOT}dist/inputs.json`;

/**
 * Files that change the bundles without being one of the project inputs: how they are built, and which versions
 * of the packages inside (package-lock.json stands for every file under node_modules, which would be a
 * thousand stat calls at each start).
 */
const BUILD_INPUTS = ['scripts/build.ts', 'scripts/run-bundle.mjs', 'package-lock.json'];

/**
 * Why the bundles must be built again (missing, or the first input newer than them), or undefined.
 * @returns {string | undefined}
 */
export function staleReason() {
  let built;
  let inputs;
  try {
    built = statSync(CLI_BUNDLE).mtimeMs;
    inputs = JSON.parse(readFileSync(INPUTS_FILE, 'utf8'));
  } catch {
    return 'dist/cli.mjs has not been built';
  }
  for (const input of [...inputs, ...BUILD_INPUTS]) {
    try {
      if (statSync(`${ROOT}${input}`).mtimeMs > built) return `${input} changed`;
    } catch {
      return `${input} is gone`;
    }
  }
  return undefined;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (staleReason() !== undefined) {
    const build = spawnSync(process.execPath, ['--import', 'tsx', `${ROOT}scripts/build.ts`, '--bundles-only'], {
      stdio: 'inherit',
    });
    if (build.status !== 0) process.exit(2);
  }
  // The CLI runs in this process, as if node had been started with it: it reads argv[1] to know it is the entry.
  process.argv.splice(1, 1, CLI_BUNDLE);
  await import(pathToFileURL(CLI_BUNDLE).href);
}

// @ts-check
// `node scripts/run-bundle.mjs NAME [args…]`: runs dist/NAME.mjs, rebuilding it first when any file it was built
// from is newer. Plain JavaScript, so that a fresh bundle starts without loading a TypeScript runtime or esbuild
// (docs/decisions/0007-layout-and-start-up.md); tsc checks it through checkJs.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The command-line entry points that run from a bundle, by name. */
export const BUNDLES = /** @type {const} */ ({
  mock: 'mock/start-mock.ts',
  contracts: 'contracts/run-contracts.ts',
  proxy: 'proxy/start-proxy.ts',
});

/** Files that change every bundle without being one of its inputs: how it is built, and which versions it bundles. */
const BUILD_INPUTS = ['scripts/build.ts', 'scripts/run-bundle.mjs', 'package-lock.json'];

/** @param {keyof typeof BUNDLES} name */
export function bundlePath(name) {
  return `${ROOT}dist/${name}.mjs`;
}

/** @param {keyof typeof BUNDLES} name */
export function metafilePath(name) {
  return `${ROOT}dist/${name}.meta.json`;
}

/**
 * Why the bundle must be built again (it is missing, or names the first input newer than it), or undefined.
 * @param {keyof typeof BUNDLES} name
 * @returns {string | undefined}
 */
export function staleReason(name) {
  let built;
  let inputs;
  try {
    built = statSync(bundlePath(name)).mtimeMs;
    inputs = Object.keys(JSON.parse(readFileSync(metafilePath(name), 'utf8')).inputs);
  } catch {
    return `dist/${name}.mjs has not been built`;
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

/** @param {string | undefined} name @returns {name is keyof typeof BUNDLES} */
function isBundleName(name) {
  return name !== undefined && Object.hasOwn(BUNDLES, name);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const name = process.argv[2];
  if (!isBundleName(name)) {
    process.stderr.write(`✘ Expected a bundle name, one of ${Object.keys(BUNDLES).join(', ')}; got "${name ?? ''}".\n`);
    process.exit(2);
  }
  if (staleReason(name) !== undefined) {
    const build = spawnSync(process.execPath, ['--import', 'tsx', `${ROOT}scripts/build.ts`, name], { stdio: 'inherit' });
    if (build.status !== 0) process.exit(2);
  }
  // The bundle runs in this process, as if node had been started with it: its CLI reads argv[1] to know it is the entry.
  process.argv.splice(1, 2, bundlePath(name));
  await import(pathToFileURL(bundlePath(name)).href);
}

import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { runCli } from '../runtime/run-cli.ts';
import { ENTRIES, INPUTS_FILE, staleReason } from './run-bundle.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * Modules Prism imports that the mock never runs: faker only serves dynamic examples (the mock serves the
 * document's own, `dynamic: false`), postman-collection only reads Postman files. Together they are 6 of the
 * bundle's 11 MB, and parsing them was a third of the mock's start-up (docs/decisions/0004-mock-start-up.md).
 */
const LEFT_OUT = ['@faker-js/faker', 'postman-collection'];

/**
 * Bundles the CLI and the package's imports into dist/ (one file each, plus chunks they share: `check` loads
 * no Prism), unless they are already fresh. Everything is bundled but vitest, which the adapter's user has.
 */
export async function buildBundles(force = false): Promise<'built' | 'fresh'> {
  if (!force && staleReason() === undefined) return 'fresh';
  mkdirSync(`${ROOT}dist`, { recursive: true });
  for (const name of readdirSync(`${ROOT}dist`, { withFileTypes: true })) {
    if (name.isFile() && name.name.endsWith('.mjs')) rmSync(`${ROOT}dist/${name.name}`);
  }
  const leftOut = fileURLToPath(new URL('./left-out-module.ts', import.meta.url));
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    // Chunks sit beside the entries: openapi/locations.ts finds the document one level up from whichever
    // file it lands in.
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['vitest'],
    // jsonc-parser's "main" is a UMD build whose inner require()s a bundler cannot follow.
    mainFields: ['module', 'main'],
    minifyWhitespace: true,
    minifySyntax: true,
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
    alias: Object.fromEntries(LEFT_OUT.map((module) => [module, leftOut])),
    // The CommonJS packages inside need a require() of their own in an ES module.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  });
  const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.startsWith('node_modules/'));
  writeFileSync(INPUTS_FILE, JSON.stringify(inputs));
  return 'built';
}

/** Emits the .d.ts files of the package's imports into dist/types (tsconfig.build.json). */
export function buildDeclarations(): void {
  const tsc = spawnSync(process.execPath, [`${ROOT}node_modules/typescript/bin/tsc`, '-p', `${ROOT}tsconfig.build.json`], {
    stdio: 'inherit',
  });
  if (tsc.status !== 0) throw new Error('tsc could not emit the declarations (see above).');
}

runCli(import.meta.url, async () => {
  const { values } = parseArgs({
    options: { force: { type: 'boolean', default: false }, 'bundles-only': { type: 'boolean', default: false } },
    strict: true,
  });
  const outcome = await buildBundles(values.force);
  if (!values['bundles-only']) buildDeclarations();
  return { exitCode: 0, lines: outcome === 'built' ? ['[build] wrote dist/'] : [] };
});

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { runCli } from '../runtime/run-cli.ts';
import { BUNDLES, bundlePath, metafilePath, staleReason } from './run-bundle.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

type BundleName = keyof typeof BUNDLES;

/**
 * Modules Prism imports that the mock never runs: faker only serves dynamic examples (the mock serves the
 * document's own, `dynamic: false`), postman-collection only reads Postman files. Together they are 6 of the
 * bundle's 11 MB, and parsing them was a third of the mock's start-up (docs/decisions/0004-mock-start-up.md).
 */
const LEFT_OUT = ['@faker-js/faker', 'postman-collection'];

/** Bundles one entry point and everything it imports into dist/NAME.mjs, unless it is already fresh. */
export async function buildBundle(name: BundleName, force = false): Promise<'built' | 'fresh'> {
  if (!force && staleReason(name) === undefined) return 'fresh';
  const leftOut = fileURLToPath(new URL('./left-out-module.ts', import.meta.url));
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [BUNDLES[name]],
    outfile: bundlePath(name),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
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
  writeFileSync(metafilePath(name), JSON.stringify(result.metafile));
  return 'built';
}

/** Builds every bundle that is stale (all of them with `force`). */
export async function buildAll(force = false): Promise<BundleName[]> {
  const names = Object.keys(BUNDLES) as BundleName[];
  const outcomes = await Promise.all(names.map((name) => buildBundle(name, force)));
  return names.filter((_, index) => outcomes[index] === 'built');
}

runCli(import.meta.url, async () => {
  const { values, positionals } = parseArgs({
    options: { force: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  const unknown = positionals.find((name) => !Object.hasOwn(BUNDLES, name));
  if (unknown) return { exitCode: 2, lines: [`✘ No bundle "${unknown}"; expected one of ${Object.keys(BUNDLES).join(', ')}.`] };
  const built =
    positionals.length === 0
      ? await buildAll(values.force)
      : (
          await Promise.all(
            (positionals as BundleName[]).map(async (name) =>
              (await buildBundle(name, values.force)) === 'built' ? [name] : [],
            ),
          )
        ).flat();
  return { exitCode: 0, lines: built.map((name) => `[build] wrote dist/${name}.mjs`) };
});

import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { runCli } from './run-cli.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const MOCK_BUNDLE = `${ROOT}dist/mock.mjs`;
const METAFILE = `${ROOT}dist/mock.meta.json`;

/**
 * Modules Prism imports that the mock never runs: faker only serves dynamic examples (the mock serves the
 * document's own, `dynamic: false`), postman-collection only reads Postman files. Together they are 6 of the
 * bundle's 11 MB, and parsing them was a third of the mock's start-up (docs/decisions/0004-mock-start-up.md).
 */
const LEFT_OUT = ['@faker-js/faker', 'postman-collection'];

/** True when the bundle exists and no file it was built from has changed since. */
export function bundleIsFresh(): boolean {
  try {
    const built = statSync(MOCK_BUNDLE).mtimeMs;
    const meta = JSON.parse(readFileSync(METAFILE, 'utf8')) as Metafile;
    return Object.keys(meta.inputs).every((input) => statSync(`${ROOT}${input}`).mtimeMs <= built);
  } catch {
    return false;
  }
}

/** Bundles mock/start-mock.ts and everything it imports into dist/mock.mjs, unless it is already fresh. */
export async function buildMock(force = false): Promise<'built' | 'fresh'> {
  if (!force && bundleIsFresh()) return 'fresh';
  const leftOut = fileURLToPath(new URL('./left-out-module.ts', import.meta.url));
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['mock/start-mock.ts'],
    outfile: MOCK_BUNDLE,
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
    alias: Object.fromEntries(LEFT_OUT.map((name) => [name, leftOut])),
    // The CommonJS packages inside need a require() of their own in an ES module.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  }).then(async (result) => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(METAFILE, JSON.stringify(result.metafile));
  });
  return 'built';
}

runCli(import.meta.url, async () => {
  const { values } = parseArgs({ options: { force: { type: 'boolean', default: false } }, strict: true });
  const outcome = await buildMock(values.force);
  return { exitCode: 0, lines: outcome === 'built' ? ['[build] wrote dist/mock.mjs'] : [] };
});

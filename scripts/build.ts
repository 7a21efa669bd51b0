import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { DOCUMENT_PATH, fileLabel, GAP_POLICY_PATH, loadContract, loadGapPolicy } from '../openapi/index.ts';
import { runCli } from '../runtime/run-cli.ts';
import { BROWSER_ENTRIES, ENTRIES, INPUTS_FILE, staleReason } from './run-bundle.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * Bundles the CLI and the package's imports into dist/ (one file each, plus chunks they share), unless they are
 * already fresh. Everything is bundled but vitest and msw, which the user of those imports has.
 */
export async function buildBundles(force = false): Promise<'built' | 'fresh'> {
  if (!force && staleReason() === undefined) return 'fresh';
  mkdirSync(`${ROOT}dist`, { recursive: true });
  for (const name of readdirSync(`${ROOT}dist`, { withFileTypes: true })) {
    if (name.isFile() && name.name.endsWith('.mjs')) rmSync(`${ROOT}dist/${name.name}`);
  }
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
    // The CommonJS packages inside need a require() of their own in an ES module.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  });
  // The MSW handlers run in browsers too: a bundle of their own for the browser platform, so that a Node
  // module slipping into the answering logic fails the build here rather than a frontend's page.
  const browser = await build({
    absWorkingDir: ROOT,
    entryPoints: BROWSER_ENTRIES,
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16', 'node20'],
    external: ['msw'],
    minifyWhitespace: true,
    minifySyntax: true,
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [kitDocuments],
  });
  const inputs = [
    ...new Set([...Object.keys(result.metafile.inputs), ...Object.keys(browser.metafile.inputs)]),
    // Carried inside dist/msw.mjs: an edit of either must rebuild it.
    relative(ROOT, DOCUMENT_PATH),
    relative(ROOT, GAP_POLICY_PATH),
  ].filter((input) => !input.startsWith('node_modules/') && !input.includes(':'));
  writeFileSync(INPUTS_FILE, JSON.stringify(inputs));
  return 'built';
}

/**
 * The module `flashback:kit-documents` of the MSW bundle: the kit's dereferenced document and its gap policy, as
 * JSON, named as the mock server names them (relative to the kit). The handlers build the contract from it.
 */
const kitDocuments: Plugin = {
  name: 'kit-documents',
  setup(builder) {
    builder.onResolve({ filter: /^flashback:kit-documents$/ }, (args) => ({ path: args.path, namespace: 'kit-documents' }));
    builder.onLoad({ filter: /.*/, namespace: 'kit-documents' }, async () => {
      const contract = await loadContract(DOCUMENT_PATH, { validate: false });
      const policy = loadGapPolicy(GAP_POLICY_PATH);
      const contents = JSON.stringify({
        document: contract.document,
        documentLabel: fileLabel(DOCUMENT_PATH),
        policy: { ...policy, path: fileLabel(GAP_POLICY_PATH) },
      });
      return { contents, loader: 'json' };
    });
  },
};

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

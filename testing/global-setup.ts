import { staleReason } from '../scripts/run-bundle.mjs';

/** Tests start the CLI as users do, from its bundle in dist/: make sure it is built from the sources under test. */
export async function setup(): Promise<void> {
  // The staleness check alone is a few stat calls; the builder pulls in esbuild and the document loaders (a
  // quarter of a second before any test file may start), so it is loaded only when there is something to build.
  if (staleReason() === undefined) return;
  const { buildBundles } = await import('../scripts/build.ts');
  await buildBundles();
}

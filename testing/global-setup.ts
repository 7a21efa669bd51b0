import { buildBundles } from '../scripts/build.ts';

/** Tests start the CLI as users do, from its bundle in dist/: make sure it is built from the sources under test. */
export async function setup(): Promise<void> {
  await buildBundles();
}

import { buildAll } from '../scripts/build.ts';

/** Tests start the CLIs as users do, from their bundles in dist/: make sure those are built from the sources under test. */
export async function setup(): Promise<void> {
  await buildAll();
}

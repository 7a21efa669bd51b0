import { buildMock } from './build-mock.ts';

/** Tests start the mock as users do, from dist/mock.mjs: make sure it is built from the sources under test. */
export async function setup(): Promise<void> {
  await buildMock();
}

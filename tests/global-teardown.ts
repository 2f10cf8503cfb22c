/**
 * Jest global teardown: drops this run's template and any clone a crashed test file
 * left behind, then stops the embedded server.
 */
import { dropHarnessDatabases, HARNESS_STATE, type HarnessState } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<symbol, unknown>)[HARNESS_STATE] as HarnessState | undefined;
  if (state === undefined) {
    return;
  }
  try {
    await dropHarnessDatabases(state.adminUrl, `^${state.runPrefix}_`);
  } finally {
    await state.server?.stop();
  }
}

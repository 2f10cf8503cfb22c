import { withClient } from './admin';
import { migrateUp } from './migrate';
import { loadReferenceData } from '../services/reference';

export interface PrepareResult {
  migrations: string[];
  areas: number;
  designations: number;
  parameters: number;
}

/**
 * Brings a database to the current schema and loads the reference data (geography,
 * dated designations, default policy parameters). Safe to run on every start: applied
 * migrations and present rows are skipped.
 */
export async function prepareDatabase(url: string): Promise<PrepareResult> {
  const migrations = await migrateUp(url);
  const loaded = await withClient(url, (client) => loadReferenceData(client));
  return { migrations, ...loaded };
}

/**
 * Migrations are the only path to production DDL: they must build the whole schema from
 * an empty database, match the entities exactly (no drift), and reload reference data
 * idempotently.
 */
import { readdirSync } from 'node:fs';
import { createDatabase, dropDatabase, withClient, withDatabase } from '../src/db/admin';
import { createOrm, MIGRATIONS_PATH } from '../src/db/orm';
import { prepareDatabase } from '../src/db/prepare';
import { readHarnessEnv } from './helpers';

const harness = readHarnessEnv();
const name = `${harness.runPrefix}_empty`;
const url = withDatabase(harness.adminUrl, name);

beforeAll(async () => {
  await createDatabase(harness.adminUrl, name);
});

afterAll(async () => {
  await dropDatabase(harness.adminUrl, name);
});

test('every committed migration applies to an empty database, then nothing is pending or drifting', async () => {
  const committed = readdirSync(MIGRATIONS_PATH)
    .filter((file) => /^Migration\d{14}_\w+\.ts$/.test(file))
    .map((file) => file.replace(/\.ts$/, ''))
    .sort();
  const first = await prepareDatabase(url);
  expect(first.migrations).toEqual(committed);
  expect(first.areas).toBe(31 + 342 + 2978 + 957 + 12534);

  const again = await prepareDatabase(url);
  expect(again).toEqual({ migrations: [], areas: 0, designations: 0, parameters: 0 });

  const orm = await createOrm({ url, poolMax: 1 });
  try {
    expect(await orm.getMigrator().getPendingMigrations()).toEqual([]);
    const drift = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(drift.trim()).toBe('');
  } finally {
    await orm.close(true);
  }
});

test('every foreign key column is covered by an index whose leading column it is', async () => {
  const uncovered = await withClient(url, async (client) => {
    const result = await client.query<{ fk: string }>(`
      SELECT c.conrelid::regclass || '.' || a.attname AS fk
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       WHERE c.contype = 'f' AND array_length(c.conkey, 1) = 1
         AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1])
       ORDER BY 1`);
    return result.rows.map((row) => row.fk);
  });
  expect(uncovered).toEqual([]);
});

test('money is numeric everywhere: no floating-point column in the schema', async () => {
  const floats = await withClient(url, async (client) => {
    const result = await client.query<{ col: string }>(`
      SELECT table_name || '.' || column_name AS col FROM information_schema.columns
       WHERE table_schema = 'public' AND data_type IN ('real', 'double precision') ORDER BY 1`);
    return result.rows.map((row) => row.col);
  });
  expect(floats).toEqual([]);
});

/**
 * The test harness itself: each file gets a real PostgreSQL database of its own, cloned
 * from the prepared template, supported version, nothing shared.
 */
import { Client } from 'pg';
import { createDatabase, databaseExists, dropDatabase, withClient, withDatabase } from '../src/db/admin';
import { readHarnessEnv, useTestDatabase } from './helpers';

const db = useTestDatabase();
const harness = readHarnessEnv();

async function tablesOf(url: string): Promise<string[]> {
  return withClient(url, async (client) => {
    const result = await client.query<{ name: string }>(
      `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
        WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
    );
    return result.rows.map((row) => row.name);
  });
}

test('the file database is a clone of the template on PostgreSQL 15 or newer', async () => {
  const facts = await withClient(db.url(), async (client) => {
    const result = await client.query<{ database: string; version: number; encoding: string }>(
      `SELECT current_database() AS database,
              current_setting('server_version_num')::int AS version,
              pg_encoding_to_char(encoding) AS encoding
         FROM pg_database WHERE datname = current_database()`,
    );
    return result.rows[0];
  });

  expect(facts).toEqual({ database: db.name(), version: expect.any(Number), encoding: 'UTF8' });
  expect(facts.database).not.toBe(harness.template);
  expect(facts.database.startsWith(`${harness.runPrefix}_`)).toBe(true);
  expect(facts.version).toBeGreaterThanOrEqual(150000);
  expect(harness.templateTables.length).toBeGreaterThan(0);
  expect(await tablesOf(db.url())).toEqual(harness.templateTables);
});

test('writes stay in the file database and dropping ends open sessions', async () => {
  await withClient(db.url(), (client) => client.query('CREATE TABLE harness_written_here (id int)'));

  const other = `${harness.runPrefix}_other`;
  await createDatabase(harness.adminUrl, other, { template: harness.template });
  try {
    expect(await tablesOf(withDatabase(harness.adminUrl, other))).toEqual(harness.templateTables);
    expect(await tablesOf(db.url())).toEqual([...harness.templateTables, 'public.harness_written_here'].sort());

    const lingering = new Client({ connectionString: withDatabase(harness.adminUrl, other) });
    // node-postgres reports the termination, then the closed socket: keep the first.
    const ended = new Promise<Error>((resolve) => lingering.on('error', resolve));
    await lingering.connect();
    await dropDatabase(harness.adminUrl, other);
    expect((await ended).message).toMatch(/terminat/);
    await lingering.end().catch(() => undefined);
  } finally {
    await dropDatabase(harness.adminUrl, other);
  }
  expect(await databaseExists(harness.adminUrl, other)).toBe(false);
  expect(await databaseExists(harness.adminUrl, db.name())).toBe(true);
});

test('nobody can connect to the template, so cloning it cannot be blocked', async () => {
  await expect(withClient(withDatabase(harness.adminUrl, harness.template), (client) => client.query('SELECT 1'))).rejects.toThrow(
    /not currently accepting connections/,
  );
});

/**
 * Jest global setup: one PostgreSQL server and one prepared template database per run.
 *
 * With DATABASE_URL set, that server is used (as an administrator only: the harness
 * creates and drops its own databases, never writing into the one named). Otherwise an
 * embedded PostgreSQL runs from `<data dir>/test-pg` on TRIPOD_TEST_PG_PORT (default
 * 5489, apart from the demo's 5488 so that both can run at once).
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { loadConfig } from '../src/config';
import { createDatabase, dropDatabase, quoteIdent, terminateConnections, withClient, withDatabase } from '../src/db/admin';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/db/embedded';
import { prepareDatabase } from '../src/db/prepare';
import { HARNESS_ENV } from './helpers/harness-env';

/** What global teardown needs; Jest runs both hooks in the same process. */
export interface HarnessState {
  adminUrl: string;
  template: string;
  runPrefix: string;
  server?: EmbeddedPostgres;
}

export const HARNESS_STATE = Symbol.for('tripod.testHarness');

/** Every database the harness creates starts with this, so that leftovers can be found. */
export const HARNESS_DATABASE_PATTERN = '^tripod_t_';

const say = (message: string): void => {
  process.stderr.write(`tripod-test: ${message}\n`);
};

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  let server: EmbeddedPostgres | undefined;
  let adminUrl: string;

  if (config.databaseUrl !== undefined) {
    adminUrl = config.databaseUrl;
  } else {
    const clusterParent = join(config.dataDir, 'test-pg');
    server = await startEmbeddedPostgres({
      dataDir: clusterParent,
      port: testPort(),
      portSetting: 'TRIPOD_TEST_PG_PORT',
      durable: false,
      log: (message) => {
        if (!message.startsWith('Embedded PostgreSQL stopped')) say(message);
      },
    }).catch((error: Error) => {
      // A one-line reason reads better than Jest's stack trace of the setup file.
      error.stack = error.message;
      throw error;
    });
    adminUrl = server.url;
    process.env[HARNESS_ENV.embeddedClusterDir] = join(clusterParent, 'pg');
    // The embedded test server belongs to the harness alone: whatever an interrupted
    // earlier run left behind can go.
    const leftovers = await dropHarnessDatabases(adminUrl, HARNESS_DATABASE_PATTERN);
    if (leftovers.length > 0) {
      say(`dropped ${leftovers.length} database(s) left by an interrupted run`);
    }
  }

  const runPrefix = `tripod_t_${process.pid}_${Date.now().toString(36)}`;
  const template = `${runPrefix}_tpl`;
  const state: HarnessState = { adminUrl, template, runPrefix, server };
  try {
    await createDatabase(adminUrl, template).catch((error: Error) => {
      throw new Error(`Cannot create the test template database (${error.message}); the role needs CREATEDB`);
    });
    const templateUrl = withDatabase(adminUrl, template);
    await prepareDatabase(templateUrl);
    const tables = await withClient(templateUrl, async (client) => {
      const result = await client.query<{ name: string }>(
        `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
          WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
      );
      return result.rows.map((row) => row.name);
    });
    await sealTemplate(adminUrl, template);

    process.env[HARNESS_ENV.adminUrl] = adminUrl;
    process.env[HARNESS_ENV.template] = template;
    process.env[HARNESS_ENV.runPrefix] = runPrefix;
    process.env[HARNESS_ENV.templateTables] = JSON.stringify(tables);
    (globalThis as Record<symbol, unknown>)[HARNESS_STATE] = state;

    const version = await withClient(adminUrl, async (client) => (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v);
    say(
      `PostgreSQL ${version.split(' ')[0]} (${server ? `embedded, ${new URL(adminUrl).host}` : 'DATABASE_URL'}), ` +
        `template ${template} with ${tables.length} tables ready in ${Date.now() - started} ms`,
    );
  } catch (error) {
    // Jest skips global teardown when global setup fails.
    await dropDatabase(adminUrl, template).catch(() => undefined);
    await server?.stop();
    throw error;
  } finally {
    // Jest copies this process's globals into in-band test environments; MikroORM's
    // metadata registry from loading the entities here must not leak into them.
    delete (globalThis as Record<string, unknown>)['mikro-orm-metadata'];
  }
}

/**
 * Stops new connections to the template and ends any that database preparation left
 * open: CREATE DATABASE … TEMPLATE fails while anyone is connected to it.
 */
async function sealTemplate(adminUrl: string, template: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    await client.query(`ALTER DATABASE ${quoteIdent(template)} WITH ALLOW_CONNECTIONS false`);
  });
  const lingering = await terminateConnections(adminUrl, template);
  if (lingering > 0) {
    say(`warning: prepareDatabase left ${lingering} connection(s) open to the template; closed them`);
  }
}

/** Drops the databases whose names match `pattern` (a regular expression). */
export async function dropHarnessDatabases(adminUrl: string, pattern: string): Promise<string[]> {
  const names = await withClient(adminUrl, async (client) => {
    const result = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname ~ $1', [pattern]);
    return result.rows.map((row) => row.datname);
  });
  for (const name of names) {
    await dropDatabase(adminUrl, name);
  }
  return names;
}

function testPort(): number {
  const raw = process.env.TRIPOD_TEST_PG_PORT?.trim() || '5489';
  const port = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`Invalid TRIPOD_TEST_PG_PORT ${JSON.stringify(raw)}: expected an integer 1-65535`);
  }
  return port;
}

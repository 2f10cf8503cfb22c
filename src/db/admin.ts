/**
 * Database administration over a maintenance connection (`adminUrl`, usually the
 * `postgres` database of a server): creating, cloning and dropping databases for the
 * embedded demo, the test harness and CI. Never used on request paths.
 */
import { Client } from 'pg';

/** PostgreSQL silently truncates longer identifiers, which would make a drop miss its database. */
const MAX_IDENTIFIER_BYTES = 63;

/**
 * Quotes an identifier for SQL text (`a"b` → `"a""b"`), for the DDL statements that
 * cannot take parameters.
 *
 * @throws RangeError on an empty name, a NUL character or more than 63 bytes.
 */
export function quoteIdent(name: string): string {
  if (name === '' || name.includes('\0') || Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES) {
    throw new RangeError(`Invalid identifier ${JSON.stringify(name)}: expected 1-${MAX_IDENTIFIER_BYTES} bytes, no NUL`);
  }
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The same connection URL (credentials, host, port, parameters) pointing at another
 * database.
 *
 * @throws RangeError when the name contains `/`, `?`, `#` or `%`, which do not survive
 *   the URL parsing of node-postgres.
 */
export function withDatabase(url: string, name: string): string {
  if (/[/?#%]/.test(name)) {
    throw new RangeError(`Database name ${JSON.stringify(name)} cannot be put in a connection URL`);
  }
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURI(name)}`;
  return parsed.toString();
}

/** The database name of a connection URL (`postgres` when the URL names none). */
export function databaseName(url: string): string {
  const name = decodeURI(new URL(url).pathname.slice(1));
  return name === '' ? 'postgres' : name;
}

/**
 * Runs `fn` with a connected client on `url` and always closes it.
 */
export async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'tripod-admin', connectionTimeoutMillis: 10_000 });
  // A server-side disconnect while idle must not become an unhandled 'error' event.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** True when the server at `adminUrl` has a database called `name`. */
export async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  return withClient(adminUrl, async (client) => {
    const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return result.rowCount === 1;
  });
}

export interface CreateDatabaseOptions {
  /**
   * Database to clone (`CREATE DATABASE … TEMPLATE`). PostgreSQL refuses while any
   * other session is connected to it.
   */
  template?: string;
}

/** Creates database `name`, optionally as a copy of `options.template`. */
export async function createDatabase(adminUrl: string, name: string, options: CreateDatabaseOptions = {}): Promise<void> {
  const template = options.template === undefined ? '' : ` TEMPLATE ${quoteIdent(options.template)}`;
  const sql = `CREATE DATABASE ${quoteIdent(name)}${template}`;
  await withClient(adminUrl, async (client) => {
    await client.query(sql);
  });
}

/**
 * Drops database `name` if it exists, terminating the sessions connected to it first
 * (`WITH (FORCE)`, PostgreSQL 13 and newer).
 */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const sql = `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`;
  await withClient(adminUrl, async (client) => {
    await client.query(sql);
  });
}

/**
 * Terminates every other session connected to database `name` and returns how many
 * there were.
 */
export async function terminateConnections(adminUrl: string, name: string): Promise<number> {
  return withClient(adminUrl, async (client) => {
    const result = await client.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [name],
    );
    return result.rowCount ?? 0;
  });
}

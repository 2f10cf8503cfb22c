/**
 * Statements with bound `$n` parameters on a pooled node-postgres connection of the ORM,
 * as named (prepared) statements: PostgreSQL parses and plans each statement text once
 * per pooled connection instead of on every request. MikroORM's `execute` and knex's
 * `raw` send each statement to be parsed and planned again (MikroORM even inlines the
 * values), and go through knex's query builder and runner on the way, which cost the hub
 * more Node time per statement than the node-postgres call itself.
 *
 * Outside a transaction only: a statement that must see a transaction's writes runs on
 * that transaction's connection instead.
 */

/** What `queryPooled` needs of the ORM: `orm.em.getConnection()` has it. */
export interface PooledSource {
  getKnex(): { client: unknown };
}

export interface PooledStatement {
  readonly text: string;
  readonly values: readonly unknown[];
}

export interface PooledResult<R> {
  rows: R[];
  rowCount: number | null;
}

interface PgConnection {
  query<R>(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: R[]; rowCount: number | null }>;
}

interface KnexClient {
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<unknown>;
}

/**
 * The names statements are prepared under, by their `$n` text. The texts are the code's
 * own (values are always bound), so their number is bounded by the code's statement
 * shapes. The cap guards against shapes that vary with input (filter trees): PostgreSQL
 * keeps each named statement and its plan in every pooled connection that ran it, so
 * texts beyond the cap run unnamed instead (bound, but planned each time).
 */
const names = new Map<string, string>();
const MAX_NAMED = 500;

/** The name `text` is prepared under, or undefined once the cap is reached. */
export function statementName(text: string): string | undefined {
  const known = names.get(text);
  if (known !== undefined) return known;
  if (names.size >= MAX_NAMED) return undefined;
  const name = `tq${names.size + 1}`;
  names.set(text, name);
  return name;
}

/** Runs one `$n` statement on a pooled connection, prepared under its name. */
export async function queryPooled<R>(source: PooledSource, statement: PooledStatement): Promise<PooledResult<R>> {
  const client = source.getKnex().client as KnexClient;
  const connection = (await client.acquireConnection()) as PgConnection;
  try {
    const result = await connection.query<R>({ name: statementName(statement.text), text: statement.text, values: statement.values as unknown[] });
    return { rows: result.rows, rowCount: result.rowCount };
  } finally {
    await client.releaseConnection(connection);
  }
}

/** A `query(text, values)` face over `queryPooled`, for code written against node-postgres. */
export function pooledQueryable(source: PooledSource): { query<R>(text: string, values?: unknown[]): Promise<PooledResult<R>> } {
  return { query: (text, values = []) => queryPooled(source, { text, values }) };
}

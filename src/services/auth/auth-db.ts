/**
 * The database handle the auth services take. They run a handful of single-statement
 * queries (no transactions of their own), so anything that can run one parameterised
 * statement will do: a `pg` Pool, Client or PoolClient, or a MikroORM EntityManager.
 */
import type { QueryResult, QueryResultRow } from 'pg';

/** What `pg` Pool, Client and PoolClient have in common: one statement with `$n` parameters. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

/** The part of a MikroORM (knex-based) EntityManager the auth services use. */
export interface KnexBackedEntityManager {
  getKnex(): { client: { acquireConnection(): Promise<unknown>; releaseConnection(connection: unknown): Promise<unknown> } };
}

/** A `pg` pool or client, or a MikroORM EntityManager (`orm.em`, or a request's fork). */
export type AuthDb = Queryable | KnexBackedEntityManager;

/**
 * The handle as a `Queryable`. For an EntityManager each statement borrows a native
 * `pg` connection from MikroORM's pool and returns it at once, so `$n` parameters,
 * `text[]` and `bytea` values travel as node-postgres sends them. Such statements run
 * outside any transaction the EntityManager may have open: the auth services never need
 * to see uncommitted rows.
 */
export function toQueryable(db: AuthDb): Queryable {
  if (typeof (db as Queryable).query === 'function') {
    return db as Queryable;
  }
  const knexClient = (db as KnexBackedEntityManager).getKnex().client;
  return {
    async query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>> {
      const connection = (await knexClient.acquireConnection()) as Queryable;
      try {
        return await connection.query<R>(text, values);
      } finally {
        await knexClient.releaseConnection(connection);
      }
    },
  };
}

/**
 * One transaction per write call, with the audit entries that record the change written
 * in that same transaction: the change and its audit row commit together or not at all,
 * as the `keys` CLI does. (Reads are audited through the request's sink instead, flushed
 * before the response leaves.)
 */
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type { QueryResult, QueryResultRow } from 'pg';
import { createAuditSink, type AuditSink } from '../audit';
import type { ServiceScope } from './service-scope';

/**
 * Runs `work` in a MikroORM transaction (unit of work flushed at the end) with an audit
 * sink bound to it. Entries `work` records are inserted just before the commit.
 */
export async function auditedTransaction<T>(scope: ServiceScope, work: (tem: EntityManager, audit: AuditSink) => Promise<T>): Promise<T> {
  return scope.em.transactional(async (tem) => {
    const trx = tem.getTransactionContext<Knex.Transaction>();
    if (trx === undefined) {
      throw new Error('auditedTransaction: no transaction context');
    }
    const audit = createAuditSink({ requestId: scope.requestId, principal: scope.principal, db: { getKnex: () => trx } });
    const result = await work(tem, audit);
    await tem.flush();
    await audit.flush();
    return result;
  });
}

/** A native node-postgres connection inside an open transaction. */
export interface TransactionClient {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

/**
 * Runs `work` on one native `pg` connection borrowed from MikroORM's pool, inside
 * BEGIN … COMMIT (ROLLBACK when it throws), with an audit sink on that connection. For
 * services written as single SQL statements over `pg` (API key administration), so that
 * `$n` parameters, arrays and bytea travel as node-postgres sends them.
 */
export async function auditedPgTransaction<T>(scope: ServiceScope, work: (client: TransactionClient, audit: AuditSink) => Promise<T>): Promise<T> {
  const knexClient = scope.em.getKnex().client as { acquireConnection(): Promise<unknown>; releaseConnection(connection: unknown): Promise<unknown> };
  const client = (await knexClient.acquireConnection()) as TransactionClient;
  try {
    await client.query('BEGIN');
    try {
      const audit = createAuditSink({ requestId: scope.requestId, principal: scope.principal, db: client });
      const result = await work(client, audit);
      await audit.flush();
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    await knexClient.releaseConnection(client);
  }
}

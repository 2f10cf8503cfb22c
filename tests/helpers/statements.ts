import { Client } from 'pg';

/**
 * The statements node-postgres sends while `run` runs, in order (knex, MikroORM and the
 * hub's pooled statements all use this module's Client).
 */
export async function statementsDuring(run: () => Promise<unknown>): Promise<string[]> {
  const statements: string[] = [];
  const original = Client.prototype.query;
  Client.prototype.query = function (this: Client, ...args: unknown[]) {
    const first = args[0];
    statements.push(typeof first === 'string' ? first : String((first as { text?: string })?.text));
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    await run();
  } finally {
    Client.prototype.query = original;
  }
  return statements;
}

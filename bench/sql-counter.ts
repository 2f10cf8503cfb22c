/**
 * Counts the SQL statements this process sends, by wrapping `query` on the prototype of
 * every node-postgres `Client` copy in node_modules (MikroORM's driver may bring its
 * own). Used around one sample request at a time, with no other traffic running, so the
 * count is that request's.
 */
import { dirname } from 'node:path';

interface PgModule {
  Client: { prototype: { query: (...args: unknown[]) => unknown } };
}

export interface StatementCounter {
  /** Statements sent since the last `reset` (texts kept for `--verbose` reports). */
  readonly statements: string[];
  reset(): void;
  /** Restores the original `query` methods. */
  uninstall(): void;
}

function pgCopies(): PgModule[] {
  const copies = new Set<PgModule>();
  const origins = [__dirname, '@mikro-orm/postgresql', '@mikro-orm/knex', 'knex'];
  for (const origin of origins) {
    try {
      const from = origin === __dirname ? origin : dirname(require.resolve(`${origin}/package.json`));
      copies.add(require(require.resolve('pg', { paths: [from] })) as PgModule);
    } catch {
      // That package is not installed (or brings no pg of its own): nothing to wrap.
    }
  }
  return [...copies];
}

export function installStatementCounter(): StatementCounter {
  const statements: string[] = [];
  const restore: Array<() => void> = [];
  for (const pg of pgCopies()) {
    const proto = pg.Client.prototype;
    const original = proto.query;
    proto.query = function counted(this: unknown, ...args: unknown[]) {
      const first = args[0];
      const text = typeof first === 'string' ? first : typeof first === 'object' && first !== null && 'text' in first ? String((first as { text: unknown }).text) : '?';
      statements.push(text);
      return original.apply(this, args);
    };
    restore.push(() => {
      proto.query = original;
    });
  }
  return {
    statements,
    reset: () => {
      statements.length = 0;
    },
    uninstall: () => restore.forEach((undo) => undo()),
  };
}

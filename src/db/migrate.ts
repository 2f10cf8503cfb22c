import type { MikroORM } from '@mikro-orm/postgresql';
import { createOrm } from './orm';

/** Applies every committed migration that has not run yet; returns the names applied. */
export async function migrateUp(url: string): Promise<string[]> {
  const orm = await createOrm({ url, poolMax: 1 });
  try {
    const applied = await orm.getMigrator().up();
    return applied.map((m) => m.name);
  } finally {
    await orm.close(true);
  }
}

/** Committed migrations not yet applied to this database (empty when current). */
export async function pendingMigrations(orm: MikroORM): Promise<string[]> {
  const pending = await orm.getMigrator().getPendingMigrations();
  return pending.map((m) => m.name);
}

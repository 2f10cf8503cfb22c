/**
 * `npm run migration:create -- <name>` (developers only): writes a migration for the
 * difference between the entities and the committed migrations. It migrates a scratch
 * database on DATABASE_URL's server (default: the local PostgreSQL) to the committed
 * migrations, diffs, writes `migrations/Migration<timestamp>_<name>.ts` and the snapshot,
 * checks that nothing is left to diff, and drops the scratch database.
 */
import { createOrm } from '../db/orm';
import { createDatabase, dropDatabase, withDatabase } from '../db/admin';

async function main(): Promise<void> {
  const name = process.argv[2];
  if (name === undefined || !/^[a-z][a-z0-9_]{2,60}$/.test(name)) {
    console.error('usage: npm run migration:create -- <snake_case_name>');
    process.exit(2);
  }
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const scratch = `tripod_migration_${process.pid}`;
  await createDatabase(adminUrl, scratch);
  const orm = await createOrm({ url: withDatabase(adminUrl, scratch), poolMax: 1 });
  try {
    await orm.getMigrator().up();
    const created = await orm.getMigrator().createMigration(undefined, false, false, name);
    if (created.diff.up.length === 0) {
      console.log('Nothing to migrate: the entities match the committed migrations.');
      return;
    }
    console.log(`Wrote migrations/${created.fileName}`);
    await orm.getMigrator().up();
    const left = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    if (left.trim() !== '') {
      console.error(`Drift remains after the new migration (fix the entity or the migration):\n${left}`);
      process.exitCode = 1;
    }
  } finally {
    await orm.close(true);
    await dropDatabase(adminUrl, scratch);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

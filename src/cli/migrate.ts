/**
 * `npm run migrate` applies pending migrations to DATABASE_URL.
 * `npm run migrate -- create <name>` writes a new migration from the entity diff (developers only;
 * review it and commit it with its snapshot).
 */
import { loadConfig } from '../config';
import { createOrm } from '../db/orm';
import { migrateUp } from '../db/migrate';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required for npm run migrate');
  const [command, name] = process.argv.slice(2);
  if (command === 'create') {
    const orm = await createOrm({ url: config.databaseUrl, poolMax: 1 });
    try {
      const result = await orm.getMigrator().createMigration(undefined, false, false, name);
      console.log(result.fileName ? `created migrations/${result.fileName}` : 'no changes: entities match the migrations');
    } finally {
      await orm.close(true);
    }
    return;
  }
  const applied = await migrateUp(config.databaseUrl);
  console.log(applied.length ? `applied ${applied.join(', ')}` : 'database is up to date');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

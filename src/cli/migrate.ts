/**
 * `npm run migrate` applies pending migrations and the reference data to DATABASE_URL.
 * `npm run migrate -- create <name>` writes a new migration from the entity diff (developers only;
 * review it and commit it with its snapshot).
 */
import { loadConfig } from '../config';
import { createOrm } from '../db/orm';
import { prepareDatabase } from '../db/prepare';

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
  const prepared = await prepareDatabase(config.databaseUrl);
  console.log(prepared.migrations.length ? `applied ${prepared.migrations.join(', ')}` : 'schema is up to date');
  console.log(`reference data: ${prepared.areas} areas, ${prepared.designations} designations, ${prepared.parameters} policy parameters added`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

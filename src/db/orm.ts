import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import path from 'node:path';
import { ENTITIES } from '../entities';

export const MIGRATIONS_PATH = path.resolve(__dirname, '../../migrations');

export interface OrmOptions {
  url: string;
  /** Log every SQL statement (debugging). */
  debug?: boolean;
  /** Upper bound on any one statement's run time, in milliseconds. */
  statementTimeoutMs?: number;
  poolMax?: number;
}

/** The one MikroORM configuration: explicit entity list, committed migrations, no implicit schema changes. */
export function ormConfig(options: OrmOptions): Options {
  return {
    clientUrl: options.url,
    entities: ENTITIES,
    extensions: [Migrator],
    debug: options.debug ?? false,
    allowGlobalContext: false,
    forceUndefined: false,
    ignoreUndefinedInQuery: true,
    discovery: { warnWhenNoEntities: true, disableDynamicFileAccess: true },
    pool: { min: 0, max: options.poolMax ?? 10 },
    // Generic plans for statements with bound parameters: the loaders' named statements
    // (`src/loaders/loader-kit.ts`) are then planned once per pooled connection instead
    // of per request. PostgreSQL's own heuristic keeps re-planning them, because a
    // generic plan over `unnest($1::bigint[])` looks costlier than one for the actual
    // keys. MikroORM inlines its own values, so its statements are unaffected.
    driverOptions: {
      connection: {
        options: '-c plan_cache_mode=force_generic_plan',
        ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
      },
    },
    migrations: {
      path: MIGRATIONS_PATH,
      pathTs: MIGRATIONS_PATH,
      tableName: 'mikro_orm_migrations',
      transactional: true,
      silent: true,
      allOrNothing: true,
      emit: 'ts',
      snapshot: true,
      snapshotName: '.snapshot-tripod',
      disableForeignKeys: false,
    },
  };
}

export function createOrm(options: OrmOptions): Promise<MikroORM> {
  return MikroORM.init(ormConfig(options));
}

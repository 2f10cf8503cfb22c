/**
 * One database per test file, cloned from the run's prepared template (migrated, with
 * reference data) in well under a second, and dropped when the file is done, so test
 * files never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import { createDatabase, dropDatabase, withDatabase } from '../../src/db/admin';
import { readHarnessEnv } from './harness-env';

export interface TestDatabase {
  /** Connection URL of this file's database; available from the first `beforeAll` on. */
  url(): string;
  /** Name of this file's database. */
  name(): string;
  /**
   * Registers clean-up (closing an ORM, a pool, a server) to run before the database is
   * dropped, last registered first. Prefer it to an `afterAll` declared after
   * `useTestDatabase()`: Jest runs `afterAll` hooks in declaration order, so such a hook
   * would run after the drop, whose `WITH (FORCE)` has already cut its connections.
   */
  onTeardown(fn: () => unknown): void;
}

/**
 * Registers `beforeAll`/`afterAll` hooks that create this file's database from the
 * template and drop it afterwards. Call once, at the top level of a test file.
 *
 * @example
 * const db = useTestDatabase();
 * let orm: MikroORM;
 * beforeAll(async () => {
 *   orm = await createOrm({ url: db.url() });
 *   db.onTeardown(() => orm.close(true));
 * });
 */
export function useTestDatabase(): TestDatabase {
  const harness = readHarnessEnv();
  const teardowns: Array<() => unknown> = [];
  let name: string | undefined;

  beforeAll(async () => {
    const candidate = `${harness.runPrefix}_${randomBytes(5).toString('hex')}`;
    await createDatabase(harness.adminUrl, candidate, { template: harness.template });
    name = candidate;
  });

  afterAll(async () => {
    const failures: unknown[] = [];
    for (const fn of teardowns.splice(0).reverse()) {
      try {
        await fn();
      } catch (error) {
        failures.push(error);
      }
    }
    if (name !== undefined) {
      await dropDatabase(harness.adminUrl, name);
      name = undefined;
    }
    if (failures.length > 0) {
      throw failures[0];
    }
  });

  const current = (): string => {
    if (name === undefined) {
      throw new Error('The test database exists only between beforeAll and afterAll: call url() inside hooks or tests');
    }
    return name;
  };
  return {
    url: () => withDatabase(harness.adminUrl, current()),
    name: current,
    onTeardown: (fn) => {
      teardowns.push(fn);
    },
  };
}

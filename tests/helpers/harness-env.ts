/**
 * What tests/global-setup.ts hands to the test workers. Jest starts its workers after
 * global setup, so they inherit these environment variables.
 */

export const HARNESS_ENV = {
  /** Maintenance URL of the test server, used to create and drop databases. */
  adminUrl: 'TRIPOD_TEST_ADMIN_URL',
  /** The migrated, prepared database every test file clones. */
  template: 'TRIPOD_TEST_TEMPLATE_DB',
  /** Prefix of this run's databases, so that teardown can sweep what a crashed worker left. */
  runPrefix: 'TRIPOD_TEST_RUN_PREFIX',
  /** JSON list of the template's tables (`schema.table`), for the harness's own test. */
  templateTables: 'TRIPOD_TEST_TEMPLATE_TABLES',
  /** Cluster folder of the embedded test server; unset when testing against DATABASE_URL. */
  embeddedClusterDir: 'TRIPOD_TEST_EMBEDDED_CLUSTER_DIR',
} as const;

export interface HarnessEnv {
  adminUrl: string;
  template: string;
  runPrefix: string;
  templateTables: string[];
  embeddedClusterDir?: string;
}

/** Reads the harness variables, failing clearly when Jest ran without the global setup. */
export function readHarnessEnv(env: NodeJS.ProcessEnv = process.env): HarnessEnv {
  const adminUrl = env[HARNESS_ENV.adminUrl];
  const template = env[HARNESS_ENV.template];
  const runPrefix = env[HARNESS_ENV.runPrefix];
  if (!adminUrl || !template || !runPrefix) {
    throw new Error('The test database harness is not set up: run the tests with `npm test` (jest.config.js globalSetup)');
  }
  return {
    adminUrl,
    template,
    runPrefix,
    templateTables: JSON.parse(env[HARNESS_ENV.templateTables] ?? '[]') as string[],
    embeddedClusterDir: env[HARNESS_ENV.embeddedClusterDir] || undefined,
  };
}

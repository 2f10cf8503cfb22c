/**
 * `npm start`: the hub on a laptop or a server.
 *
 * Without DATABASE_URL it runs its own PostgreSQL in the data folder (`.data/` by
 * default), creates the `tripod` database and demo secrets on first start, applies the
 * migrations and reference data, seeds the demo data set once (when there are no
 * households yet), and serves the API. With DATABASE_URL nothing embedded is started.
 *
 * Requests authenticate with API keys or JWTs. In development mode the demo prints one
 * ready key per role at start (kept in `.data/demo-keys.json`) and the explorer starts
 * with the regulator's; `TRIPOD_DEV_PRINCIPAL` (e.g. `REGULATOR`, syntax in
 * src/services/access/dev-principal.ts) additionally lets requests without credentials
 * act as that principal. With NODE_ENV=production neither exists.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { ConfigError, loadConfig, type Config } from './config';
import { createDatabase, databaseExists, withDatabase } from './db/admin';
import { EmbeddedPostgresError, startEmbeddedPostgres, type EmbeddedPostgres } from './db/embedded';
import { createOrm } from './db/orm';
import { prepareDatabase } from './db/prepare';
import { loadOrCreateDemoSecrets } from './db/secrets';
import { isConnectionFailure } from './schema';
import { Pool } from 'pg';
import { createServer, GRAPHQL_PATH } from './server';
import { parseDevPrincipal, resolveDevPrincipal, type Principal } from './services/access';
import { startAlertEvaluator, type AlertEvaluatorHandle } from './services/alerts';
import { startChainer, type Chainer } from './services/audit';
import { ensureDemoKeys } from './services/auth';
import { seedDemo } from './services/demo';
import { loadLimitsSettings, type LimitsEnvironment } from './services/limits';

const DATABASE_NAME = 'tripod';

const say = (message: string): void => {
  process.stdout.write(`tripod: ${message}\n`);
};

/** What has been started, closed in reverse order on the way out. */
interface Running {
  embedded?: EmbeddedPostgres;
  orm?: MikroORM;
  app?: FastifyInstance;
  auditPool?: Pool;
  chainer?: Chainer;
  alertPool?: Pool;
  alertEvaluator?: AlertEvaluatorHandle;
}

async function start(config: Config, limits: LimitsEnvironment, running: Running): Promise<void> {
  let url = config.databaseUrl;
  if (url === undefined) {
    running.embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, log: say });
    if (!(await databaseExists(running.embedded.url, DATABASE_NAME))) {
      await createDatabase(running.embedded.url, DATABASE_NAME);
      say(`Created database ${DATABASE_NAME}`);
    }
    url = withDatabase(running.embedded.url, DATABASE_NAME);
  }

  // Configured secrets win; a development install generates its own on first start.
  const demoSecrets =
    config.matchKeys !== undefined && config.piiKeys !== undefined && config.tokenSecret !== undefined
      ? undefined
      : await loadOrCreateDemoSecrets(config.dataDir);
  const effective: Config = {
    ...config,
    matchKeys: config.matchKeys ?? demoSecrets?.matchKeys,
    piiKeys: config.piiKeys ?? demoSecrets?.piiKeys,
    tokenSecret: config.tokenSecret ?? demoSecrets?.tokenSecret,
  };

  const prepared = await prepareDatabase(url);
  if (prepared.migrations.length > 0) {
    say(`Applied migrations: ${prepared.migrations.join(', ')}`);
  }

  running.orm = await createOrm({ url, statementTimeoutMs: config.statementTimeoutMs || undefined });
  const [{ households }] = await running.orm.em.getConnection().execute<Array<{ households: string }>>('SELECT count(*) AS households FROM household');
  if (Number(households) === 0) {
    say(`Seeding the demo data set (${config.demoHouseholds} households, seed ${config.demoSeed}); this happens on the first start only`);
    const started = Date.now();
    await seedDemo(url, {
      households: config.demoHouseholds,
      seed: config.demoSeed,
      matchKeys: effective.matchKeys!,
      piiKeys: effective.piiKeys!,
      log: say,
    });
    say(`Demo data set ready in ${Math.round((Date.now() - started) / 1000)} s`);
  }

  // The audit chainer links committed audit entries in the background, in one process at a time.
  running.auditPool = new Pool({ connectionString: url, max: 2 });
  // An idle client losing its server (a restart, shutdown) must not crash the hub.
  running.auditPool.on('error', (error) => say(`audit chainer connection: ${describe(error)}`));
  running.chainer = startChainer(running.auditPool, { intervalMs: 1000, onError: (error) => say(`audit chainer: ${describe(error)}`) });

  // Early warning: rules re-evaluated after each ingestion commit (LISTEN), and swept in full on a timer.
  running.alertPool = new Pool({ connectionString: url, max: 2, application_name: 'tripod-alerts' });
  running.alertPool.on('error', (error) => say(`alert evaluator connection: ${describe(error)}`));
  running.alertEvaluator = startAlertEvaluator({ databaseUrl: url, pool: running.alertPool, sweepMinutes: config.alertSweepMinutes, log: say });

  let developmentPrincipal: Principal | null = null;
  let explorerHeaders: Record<string, string> | undefined;
  if (config.env === 'development') {
    const demo = await ensureDemoKeys(running.orm.em.fork(), config.dataDir);
    say(`Demo API keys, one per role (send as "Authorization: Bearer <key>"; kept in ${demo.file}):`);
    for (const key of demo.keys) {
      const scope = key.areaCodes.length === 0 ? 'nation' : key.areaCodes.join(',');
      say(`  ${key.role.padEnd(10)} ${key.token}  (${key.institutionCode ?? 'no institution'}, scope ${scope})`);
    }
    const regulator = demo.keys.find((key) => key.role === 'REGULATOR');
    if (regulator) explorerHeaders = { Authorization: `Bearer ${regulator.token}` };
    if (process.env.TRIPOD_DEV_PRINCIPAL) {
      const spec = parseDevPrincipal(process.env.TRIPOD_DEV_PRINCIPAL);
      developmentPrincipal = await resolveDevPrincipal(running.orm.em.fork(), spec);
      say(`Development principal: requests without credentials act as ${developmentPrincipal.role}${developmentPrincipal.institutionCode ? ` ${developmentPrincipal.institutionCode}` : ''}`);
    }
  }

  running.app = await createServer({ orm: running.orm, config: effective, developmentPrincipal, limits, explorerHeaders });
  try {
    await running.app.listen({ host: config.host, port: config.port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new StartError(`Port ${config.port} on ${config.host} is already in use; set PORT to a free port`);
    }
    throw error;
  }
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  const base = `http://${host}:${config.port}`;
  say(`Ready: GraphQL API ${base}${GRAPHQL_PATH} (POST) · explorer ${base}${GRAPHQL_PATH} (open in a browser)`);
}

/** A start-up failure whose message is the whole story, for the operator. */
class StartError extends Error {}

async function stop(running: Running): Promise<void> {
  await running.app?.close().catch((error: unknown) => say(`closing the server: ${describe(error)}`));
  await running.chainer?.stop().catch((error: unknown) => say(`stopping the audit chainer: ${describe(error)}`));
  await running.alertEvaluator?.stop().catch((error: unknown) => say(`stopping the alert evaluator: ${describe(error)}`));
  await running.alertPool?.end().catch(() => undefined);
  await running.auditPool?.end().catch(() => undefined);
  await running.orm?.close(true).catch((error: unknown) => say(`closing the database pool: ${describe(error)}`));
  await running.embedded?.stop().catch((error: unknown) => say(`stopping the embedded PostgreSQL: ${describe(error)}`));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The one line an operator needs for a failed start. */
function explain(error: unknown, config: Config): string {
  if (error instanceof StartError || error instanceof EmbeddedPostgresError) {
    return error.message;
  }
  if (isConnectionFailure(error)) {
    // The URL may hold a password: name the server, never echo the URL.
    const where = config.databaseUrl === undefined ? 'the embedded PostgreSQL' : `${new URL(config.databaseUrl).host} (DATABASE_URL)`;
    return `Cannot reach the database at ${where}: ${describe(error)}`;
  }
  return `Start-up failed: ${describe(error)}`;
}

async function main(): Promise<void> {
  let config: Config;
  let limits: LimitsEnvironment;
  try {
    config = loadConfig();
    limits = loadLimitsSettings(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const issue of error.issues) say(issue);
      process.exit(1);
    }
    throw error;
  }

  const running: Running = {};
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) {
      say(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    say(`${signal}: shutting down`);
    // Ctrl-C reaches the embedded PostgreSQL too (same process group), so connections may
    // drop while we close them: expected now, not a crash.
    process.on('uncaughtException', (error) => {
      if (!isConnectionFailure(error) && !/Connection terminated/.test(describe(error))) {
        say(`while shutting down: ${describe(error)}`);
      }
    });
    void stop(running).then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  try {
    await start(config, limits, running);
  } catch (error) {
    if (stopping) return;
    say(explain(error, config));
    await stop(running);
    process.exit(1);
  }
}

void main();

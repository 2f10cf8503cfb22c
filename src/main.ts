/**
 * `npm start`: the hub on a laptop or a server.
 *
 * Without DATABASE_URL it runs its own PostgreSQL in the data folder (`.data/` by
 * default), creates the `tripod` database and demo secrets on first start, applies the
 * migrations and reference data, seeds the demo data set once (when there are no
 * households yet), and serves the API. With DATABASE_URL nothing embedded is started.
 *
 * In development mode every request acts as the development principal,
 * `TRIPOD_DEV_PRINCIPAL` (default `REGULATOR`: nation-wide, partial PII; syntax in
 * src/services/access/dev-principal.ts). With NODE_ENV=production there is none.
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
import { createServer, fixedPrincipal, GRAPHQL_PATH, type PrincipalResolver } from './server';
import { parseDevPrincipal, resolveDevPrincipal } from './services/access';
import { seedDemo } from './services/demo';

const DATABASE_NAME = 'tripod';

const say = (message: string): void => {
  process.stdout.write(`tripod: ${message}\n`);
};

/** What has been started, closed in reverse order on the way out. */
interface Running {
  embedded?: EmbeddedPostgres;
  orm?: MikroORM;
  app?: FastifyInstance;
}

async function start(config: Config, running: Running): Promise<void> {
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

  let principalResolver: PrincipalResolver;
  if (config.env === 'production') {
    principalResolver = () => null;
  } else {
    const spec = parseDevPrincipal(process.env.TRIPOD_DEV_PRINCIPAL);
    const principal = await resolveDevPrincipal(running.orm.em.fork(), spec);
    principalResolver = fixedPrincipal(principal);
    const scope = principal.areaCodes.length === 0 ? 'nation-wide' : `areas ${principal.areaCodes.join(', ')}`;
    say(
      `Development mode: every request acts as ${principal.role}${principal.institutionCode ? ` ${principal.institutionCode}` : ''} ` +
        `(${scope}${principal.piiGranted ? ', PII granted' : ''}); set TRIPOD_DEV_PRINCIPAL to change`,
    );
  }

  running.app = await createServer({ orm: running.orm, config: effective, principalResolver });
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
  try {
    config = loadConfig();
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
    void stop(running).then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  try {
    await start(config, running);
  } catch (error) {
    if (stopping) return;
    say(explain(error, config));
    await stop(running);
    process.exit(1);
  }
}

void main();

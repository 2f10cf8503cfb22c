/**
 * The HTTP face of the hub: Fastify with Apollo Server on `POST /graphql`, the offline
 * GraphiQL explorer on `GET /graphql` and `GET /`, and the probes `GET /healthz`
 * (process up) and `GET /readyz` (database answers, no migration pending).
 */
import { createHash, randomUUID } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { MikroORM } from '@mikro-orm/postgresql';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import type { Config } from './config';
import { pendingMigrations } from './db/migrate';
import { RESOLVERS } from './resolvers';
import { createFormatError, createRequestContext, UnauthenticatedError, type Context } from './schema';
import type { Principal } from './services/access';
import { parseKeyring } from './services/identity';

/**
 * Who is making a request, or null when nobody could be authenticated (the request
 * then fails with UNAUTHENTICATED). The one function the authentication issue replaces.
 */
export type PrincipalResolver = (request: FastifyRequest) => Principal | null | Promise<Principal | null>;

export interface ServerOptions {
  orm: MikroORM;
  /** Uses `piiKeys` (required), `logLevel` and `env`. */
  config: Config;
  principalResolver: PrincipalResolver;
}

export const GRAPHQL_PATH = '/graphql';

/** How long `/readyz` waits for the database before calling it unreachable. */
const READY_TIMEOUT_MS = 2000;

/** Assembles the executable schema from the resolvers (no file is written; see `npm run schema:print`). */
export function buildTripodSchema(): Promise<GraphQLSchema> {
  const [first, ...rest] = RESOLVERS;
  return buildSchema({ resolvers: [first, ...rest], validate: false, emitSchemaFile: false });
}

/** A resolver that answers every request with the same principal (development mode, tests). */
export function fixedPrincipal(principal: Principal): PrincipalResolver {
  return () => principal;
}

/**
 * Builds the Fastify instance (not yet listening). Closing it stops Apollo Server; the
 * ORM belongs to the caller.
 *
 * @throws Error when `config.piiKeys` is missing or malformed.
 */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const { orm, config, principalResolver } = options;
  if (config.piiKeys === undefined) {
    throw new Error('TRIPOD_PII_KEYS is not configured: the server cannot read household PII');
  }
  const services = { piiKeyring: parseKeyring(config.piiKeys, 'TRIPOD_PII_KEYS') };

  const app = Fastify({
    logger: { level: config.logLevel },
    genReqId: () => randomUUID(),
    // Request ids are ours: a client-chosen one could collide in the logs and the audit trail.
    requestIdHeader: false,
  });

  const apollo = new ApolloServer<Context>({
    schema: await buildTripodSchema(),
    formatError: createFormatError(app.log),
    logger: app.log,
    csrfPrevention: true,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // The process owner (src/main.ts) handles signals and closes the server, then Apollo.
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();
  app.addHook('onClose', async () => {
    await apollo.stop();
  });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
  });

  app.post(
    GRAPHQL_PATH,
    fastifyApolloHandler(apollo, {
      context: async (request) => {
        const principal = await principalResolver(request);
        if (principal === null) {
          throw new UnauthenticatedError();
        }
        return createRequestContext({ orm, services }, { requestId: request.id, principal });
      },
    }),
  );

  let explorerPage: { html: string; etag: string } | undefined;
  const explorer = async (request: FastifyRequest, reply: FastifyReply) => {
    // Rendered once, on first use: the page inlines GraphiQL's scripts and styles (no
    // CDN), about 9 MB, so browsers revalidate it by ETag instead of downloading it again.
    if (explorerPage === undefined) {
      const html = renderGraphiQL({ endpoint: GRAPHQL_PATH, title: 'Tripod GraphQL explorer' });
      explorerPage = { html, etag: `"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}"` };
    }
    reply.header('cache-control', 'no-cache').header('etag', explorerPage.etag);
    if (request.headers['if-none-match'] === explorerPage.etag) {
      return reply.code(304).send();
    }
    return reply.type('text/html; charset=utf-8').send(explorerPage.html);
  };
  app.get(GRAPHQL_PATH, explorer);
  app.get('/', explorer);

  app.get('/healthz', async () => ({ status: 'ok' }));

  // Migrations ship with the code, so once none is pending none will be for this process.
  let migrationsCurrent = false;
  app.get('/readyz', async (request, reply) => {
    try {
      await withTimeout(orm.em.getConnection().execute('SELECT 1'), READY_TIMEOUT_MS);
      if (!migrationsCurrent) {
        const pending = await withTimeout(pendingMigrations(orm), READY_TIMEOUT_MS);
        if (pending.length > 0) {
          return reply.code(503).send({ status: 'unavailable', reason: 'migrations pending', pending });
        }
        migrationsCurrent = true;
      }
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check: database unreachable');
      return reply.code(503).send({ status: 'unavailable', reason: 'database unreachable' });
    }
    return { status: 'ready' };
  });

  return app;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

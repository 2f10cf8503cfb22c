/**
 * The HTTP face of the hub: Fastify with Apollo Server on `POST /graphql`, the offline
 * GraphiQL explorer on `GET /graphql` and `GET /`, and the probes `GET /healthz`
 * (process up) and `GET /readyz` (database answers, no migration pending).
 */
import { createHash, randomUUID } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { MikroORM } from '@mikro-orm/postgresql';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { compiledReadPlugin } from './compiled/plugin';
import type { Config } from './config';
import { pendingMigrations } from './db/migrate';
import { RESOLVERS } from './resolvers';
import { registerIndicatorExport } from './indicator-export';
import { attachSubscriptionServer } from './subscription-server';
import { createFormatError, createRequestContext, InternalError, recordPiiReads, UnauthenticatedError, type Context } from './schema';
import type { Principal } from './services/access';
import { AuthenticationError, createJwtVerifier, principalKey, resolvePrincipal } from './services/auth';
import { parseKeyring } from './services/identity';
import {
  CostLedger,
  DEFAULT_LIMITS_CONFIG,
  limitsFormatError,
  limitsPlugin,
  limitsValidationRule,
  loosestLimits,
  PersistedOperations,
  SlidingWindowRateLimiter,
  type LimitsEnvironment,
  type RateLimiter,
} from './services/limits';

/**
 * Who is making a request, or null when it presents no credentials (the request then
 * fails with UNAUTHENTICATED). Throws `AuthenticationError` for refused credentials.
 */
export type PrincipalResolver = (request: FastifyRequest) => Principal | null | Promise<Principal | null>;

export interface ServerOptions {
  orm: MikroORM;
  /** Uses `piiKeys` (required), the JWT settings, `logLevel` and `env`. */
  config: Config;
  /**
   * How requests authenticate. Default: API keys and JWTs (`credentialsResolver`), with
   * `developmentPrincipal` standing in for requests without credentials.
   */
  principalResolver?: PrincipalResolver;
  /** Development mode only: who a request without credentials acts as; none by default. */
  developmentPrincipal?: Principal | null;
  /** Query protection settings (TRIPOD_LIMITS, TRIPOD_PERSISTED_ONLY); the defaults otherwise. */
  limits?: LimitsEnvironment;
  /** Shared rate-limit state; one in-process limiter per server by default. */
  rateLimiter?: RateLimiter;
  /**
   * Answer the read operations it covers with one compiled statement (`src/compiled/`);
   * on by default. Off, every operation runs on the resolvers (tests compare the two).
   */
  compiledReads?: boolean;
  /** Development mode: request headers the explorer starts with (a demo key), so it works at once. */
  explorerHeaders?: Record<string, string>;
}

export const GRAPHQL_PATH = '/graphql';

/** What the explorer shows on first use: a county and its first registered households, on the demo data (docs/querying.md has more). */
const EXPLORER_QUERY = `# Tripod: bank loans, agricultural insurance and guarantees in one schema.
# The Headers tab holds a demo key (one per role is printed at start).
query CountyOverview {
  county(code: "450225") {
    name
    designations { kind validFrom validTo demoOnly }
    households(first: 5, filter: { status_in: [REGISTERED_POOR, LIFTED_OUT] }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        ref
        status
        headName
        loans(first: 5) {
          nodes {
            product
            principal
            combinedModel
            position { monthEnd balance overdueDays fiveClass }
          }
        }
      }
    }
  }
}
`;

/** How long `/readyz` waits for the database before calling it unreachable. */
const READY_TIMEOUT_MS = 2000;

/** Assembles the executable schema from the resolvers (no file is written; see `npm run schema:print`). */
export function buildTripodSchema(): Promise<GraphQLSchema> {
  const [first, ...rest] = RESOLVERS;
  // Every subscription brings its own `subscribe` (the change feed, src/resolvers/subscription.resolver.ts);
  // type-graphql still insists on a PubSub, which is never used.
  const pubSub = { publish: () => undefined, subscribe: () => { throw new Error('no PubSub: subscriptions use their own subscribe'); } };
  return buildSchema({ resolvers: [first, ...rest], validate: false, emitSchemaFile: false, pubSub });
}

/** A resolver that answers every request with the same principal (tests, tools). */
export function fixedPrincipal(principal: Principal): PrincipalResolver {
  return () => principal;
}

/** The production resolver: API keys (`tpd_…`) and JWTs from the request headers. */
export function credentialsResolver(orm: MikroORM, config: Config): PrincipalResolver {
  const jwt = createJwtVerifier(config);
  return (request) => resolvePrincipal(request.headers, { db: orm.em, jwt });
}

/**
 * Writes the request's audit entries before the response leaves the hub. If they cannot
 * be written, the data they describe is not sent: the response becomes an INTERNAL error.
 */
function auditPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, request, operationName, response, logger }) {
          // The operation Apollo resolved, named even when the client sent no operationName.
          recordPiiReads(contextValue, operationName ?? request.operationName ?? undefined);
          if (contextValue.audit.pendingCount === 0) return;
          try {
            await contextValue.audit.flush();
          } catch (error) {
            const internal = new InternalError(contextValue.requestId);
            logger.error(`audit write failed for request ${contextValue.requestId}: ${String(error)}`);
            response.http.status = 500;
            response.body = { kind: 'single', singleResult: { errors: [{ message: internal.message, extensions: { code: internal.code, errorId: contextValue.requestId } }] } };
          }
        },
      };
    },
  };
}

/**
 * Builds the Fastify instance (not yet listening). Closing it stops Apollo Server; the
 * ORM belongs to the caller.
 *
 * @throws Error when `config.piiKeys` is missing or malformed.
 */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const { orm, config } = options;
  if (config.piiKeys === undefined) {
    throw new Error('TRIPOD_PII_KEYS is not configured: the server cannot read household PII');
  }
  const limitsEnv: LimitsEnvironment = options.limits ?? { limits: DEFAULT_LIMITS_CONFIG, persistedOnly: false };
  const loosest = loosestLimits(limitsEnv.limits);
  const rateLimiter = options.rateLimiter ?? new SlidingWindowRateLimiter();
  const ledger = new CostLedger(orm.em);
  const persisted = new PersistedOperations(orm.em);
  const services = {
    piiKeyring: parseKeyring(config.piiKeys, 'TRIPOD_PII_KEYS'),
    matchKeyring: config.matchKeys === undefined ? null : parseKeyring(config.matchKeys, 'TRIPOD_MATCH_KEYS'),
    limits: limitsEnv.limits,
    rateLimiter,
    ledger,
  };
  const resolveCredentials = options.principalResolver ?? credentialsResolver(orm, config);
  const developmentPrincipal = config.env === 'development' ? (options.developmentPrincipal ?? null) : null;

  const app = Fastify({
    logger: { level: config.logLevel },
    genReqId: () => randomUUID(),
    // Request ids are ours: a client-chosen one could collide in the logs and the audit trail.
    requestIdHeader: false,
    bodyLimit: loosest.maxBodyBytes,
  });

  const formatError = createFormatError(app.log);
  const schema = await buildTripodSchema();
  const apollo = new ApolloServer<Context>({
    schema,
    formatError: (formatted, error) => formatError(limitsFormatError(formatted, error), error),
    logger: app.log,
    csrfPrevention: true,
    introspection: config.env !== 'production',
    includeStacktraceInErrorResponses: false,
    persistedQueries: limitsEnv.persistedOnly ? false : undefined,
    validationRules: [limitsValidationRule(loosest)],
    parseOptions: { maxTokens: loosest.maxTokens },
    // The process owner (src/main.ts) handles signals and closes the server, then Apollo.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // Tripod sets no cache hints, and the cache-control plugin would wrap every field
      // resolver to collect them (bench/: about a fifth of the CPU of a county page).
      // GraphQL responses get `no-store` in the onSend hook below instead.
      ApolloServerPluginCacheControlDisabled(),
      limitsPlugin<Context>({ limits: limitsEnv.limits, rateLimiter, ledger, persisted, persistedOnly: limitsEnv.persistedOnly }),
      auditPlugin(),
      ...(options.compiledReads === false ? [] : [compiledReadPlugin({ orm })]),
    ],
  });
  await apollo.start();
  app.addHook('onClose', async () => {
    await apollo.stop();
  });

  // Fastify's own refusals (malformed or empty JSON, an unsupported content type, a body
  // over the limit) answer in the GraphQL error shape with a stable code, like the rest.
  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ errors: [{ message: error.message, extensions: { code: 'BAD_USER_INPUT' } }] });
    }
    request.log.error({ err: error, errorId: request.id }, 'internal error');
    return reply.code(500).send({ errors: [{ message: new InternalError(request.id).message, extensions: { code: 'INTERNAL', errorId: request.id } }] });
  });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
    // Answers depend on the principal and may carry PII: no cache may keep them.
    if (request.routeOptions.url === GRAPHQL_PATH && request.method === 'POST' && !reply.hasHeader('cache-control')) {
      reply.header('cache-control', 'no-store');
    }
  });

  app.post(
    GRAPHQL_PATH,
    fastifyApolloHandler(apollo, {
      context: async (request) => {
        let principal: Principal | null;
        try {
          principal = await resolveCredentials(request);
        } catch (error) {
          if (error instanceof AuthenticationError) {
            request.log.info({ reason: error.reason }, 'authentication refused');
            throw new UnauthenticatedError();
          }
          throw error;
        }
        let key = principal === null ? null : principalKey(principal);
        if (principal === null && developmentPrincipal !== null) {
          principal = developmentPrincipal;
          key = 'dev';
        }
        if (principal === null) {
          throw new UnauthenticatedError();
        }
        return createRequestContext({ orm, services }, { requestId: request.id, principal, principalKey: key ?? `anonymous:${principal.role}` });
      },
    }),
  );

  let explorerPage: { html: string; etag: string } | undefined;
  const explorer = async (request: FastifyRequest, reply: FastifyReply) => {
    // Rendered once, on first use: the page inlines GraphiQL's scripts and styles (no
    // CDN), about 9 MB, so browsers revalidate it by ETag instead of downloading it again.
    if (explorerPage === undefined) {
      const headers = config.env === 'development' && options.explorerHeaders ? JSON.stringify(options.explorerHeaders, null, 2) : undefined;
      const html = renderGraphiQL({ endpoint: GRAPHQL_PATH, title: 'Tripod GraphQL explorer', headers, defaultQuery: EXPLORER_QUERY });
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

  registerIndicatorExport(app, {
    orm,
    resolvePrincipal: resolveCredentials,
    developmentPrincipal,
    rateLimit: { limiter: rateLimiter, limits: limitsEnv.limits },
  });

  // Subscriptions over WebSocket on the same path (docs/subscriptions.md). The credentials
  // resolvers read only a request's headers, which is all a WebSocket connection has.
  attachSubscriptionServer(app, {
    orm,
    schema,
    services,
    path: GRAPHQL_PATH,
    resolvePrincipal: (headers) => resolveCredentials({ headers } as FastifyRequest),
    developmentPrincipal,
    limits: limitsEnv,
    rateLimiter,
    persisted,
    introspection: config.env !== 'production',
    formatError,
  });

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

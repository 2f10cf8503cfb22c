/**
 * Subscriptions over WebSocket (`graphql-transport-ws`, the `graphql-ws` library) on the
 * HTTP server's own port and path, with the same schema, credentials, limits and error
 * masking as HTTP (docs/subscriptions.md):
 *
 * - the connection authenticates once in `connection_init` (`connectionParams`:
 *   `{ authorization: 'Bearer …' }` or `{ 'x-api-key': … }`; else the upgrade request's
 *   own headers) through the HTTP path's credentials resolver; without valid credentials
 *   the socket is closed with 4401 Unauthorized;
 * - every subscribe re-authenticates (a revoked key stops new subscriptions), counts
 *   against the principal's rate limit, is parsed with its token limit, validated (with
 *   introspection refused in production, as on HTTP) and held to its depth, breadth and
 *   cost limits; at most `MAX_SUBSCRIPTIONS_PER_CONNECTION` run at once per connection;
 * - every admitted subscribe is charged its estimated cost once, to the same per-key
 *   daily budget as HTTP operations, and refused like them (`RATE_LIMITED`, limit
 *   `dailyCostBudget`) when it does not fit; the pages of events it then delivers are
 *   not charged again (they are bounded by the operation's own cost limits);
 * - only subscriptions run here: queries and mutations go over HTTP, where the request
 *   audit applies;
 * - each subscription gets its own context (`SubscriptionContext`), renewed before each
 *   page of events; PII its payloads reveal is audited before each message is sent, and
 *   a message whose audit cannot be written is replaced by an INTERNAL error.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import {
  getOperationAST,
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  specifiedRules,
  validate,
  type ExecutionArgs,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import type { Context as WsContext, SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { createLoaders } from './loaders';
import { createRequestContext, InternalError, recordPiiReads, UnauthenticatedError, type RequestServices } from './schema';
import type { SubscriptionContext } from './schema/subscription-context';
import { checkPrincipal, type Principal } from './services/access';
import { createAuditSink } from './services/audit';
import { AuthenticationError, principalKey, type RequestHeaders } from './services/auth';
import { ChangeListener } from './services/changes';
import {
  budgetRefusal,
  limitError,
  limitsFor,
  limitsFormatError,
  loosestLimits,
  operationHash,
  parseWithLimits,
  rateLimited,
  enforceOperationLimits,
  type LimitsEnvironment,
  type PersistedOperations,
  type RateLimiter,
} from './services/limits';
import { pooledQueryable } from './db/pooled';

/** Subscriptions one connection may hold at once. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 20;
/** The close code for a connection without valid credentials. */
export const CLOSE_UNAUTHORIZED = 4401;

export interface SubscriptionServerOptions {
  orm: MikroORM;
  schema: GraphQLSchema;
  services: RequestServices;
  path: string;
  /** The HTTP path's credentials resolver, given the connection's credentials as headers. */
  resolvePrincipal: (headers: RequestHeaders) => Principal | null | Promise<Principal | null>;
  /** Development mode only: who a connection without credentials acts as. */
  developmentPrincipal: Principal | null;
  limits: LimitsEnvironment;
  rateLimiter: RateLimiter;
  persisted: PersistedOperations;
  introspection: boolean;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}

/** What a connection authenticated with: its credentials are checked again on every subscribe and page. */
interface ConnectionAuth {
  headers: RequestHeaders;
  principal: Principal;
  key: string;
}

type Ctx = WsContext<Record<string, unknown> | undefined, { request: IncomingMessage }>;

/**
 * Serves subscriptions on `app`'s HTTP server (upgrade requests to `options.path`) and
 * stops them, with the process's LISTEN connection, when `app` closes.
 */
export function attachSubscriptionServer(app: FastifyInstance, options: SubscriptionServerOptions): void {
  const { orm, schema, services } = options;
  const log: FastifyBaseLogger = app.log;
  const listener = new ChangeListener({ connectionString: orm.config.get('clientUrl') }, log);
  const feed = { db: orm.em, listener };
  const auths = new WeakMap<object, ConnectionAuth>();
  // A message bigger than any role's body limit is cut off by ws itself (close 1009).
  const wss = new WebSocketServer({ noServer: true, maxPayload: loosestLimits(options.limits.limits).maxBodyBytes });

  /** Who the credentials name now, or null (refused, or none and no development principal). */
  async function authenticate(headers: RequestHeaders): Promise<{ principal: Principal; key: string } | null> {
    let principal: Principal | null;
    try {
      principal = await options.resolvePrincipal(headers);
    } catch (error) {
      if (error instanceof AuthenticationError) {
        log.info({ reason: error.reason }, 'subscription authentication refused');
        return null;
      }
      throw error;
    }
    if (principal === null) {
      return options.developmentPrincipal === null ? null : { principal: options.developmentPrincipal, key: 'dev' };
    }
    const checked = checkPrincipal(principal);
    return { principal: checked, key: principalKey(checked) ?? `anonymous:${checked.role}` };
  }

  const formatAll = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map((error) => options.formatError(limitsFormatError(error.toJSON(), error), error));

  async function admit(ctx: Ctx, payload: SubscribePayload): Promise<ExecutionArgs | readonly GraphQLError[]> {
    // Counted before the first await: graphql-ws registers each subscription just before
    // calling this hook, so a burst of subscribe messages is counted one by one.
    const running = Object.keys(ctx.subscriptions).length;
    if (running > MAX_SUBSCRIPTIONS_PER_CONNECTION) {
      return [limitError('RATE_LIMITED', `A connection holds at most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions at once`, { limit: 'maxSubscriptionsPerConnection', max: MAX_SUBSCRIPTIONS_PER_CONNECTION, actual: running })];
    }
    const auth = auths.get(ctx);
    const now = auth === undefined ? null : await authenticate(auth.headers);
    if (auth === undefined || now === null) {
      return [new UnauthenticatedError('The connection’s credentials are no longer valid')];
    }
    Object.assign(auth, now);
    const limits = limitsFor(options.limits.limits, auth.principal);
    const window = await options.rateLimiter.consume(auth.key, limits.rateLimitPerMinute);
    if (!window.allowed) {
      return [rateLimited(`Rate limit of ${limits.rateLimitPerMinute} requests per minute exceeded; retry in ${window.retryAfterSeconds} s`, 'rateLimitPerMinute', limits.rateLimitPerMinute, window.retryAfterSeconds)];
    }

    let query = typeof payload.query === 'string' ? payload.query : '';
    const persistedHash = (payload.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
    if (query === '' && typeof persistedHash === 'string') {
      query = (await options.persisted.find(persistedHash.toLowerCase())) ?? '';
    }
    if (query === '') {
      return [limitError('BAD_USER_INPUT', 'A subscription needs a query (or the sha256Hash of a registered operation)')];
    }
    if (options.limits.persistedOnly && (await options.persisted.find(operationHash(query))) === undefined) {
      return [limitError('FORBIDDEN', `Operation ${operationHash(query)} is not registered; this hub accepts registered operations only`)];
    }
    if (Buffer.byteLength(query, 'utf8') > limits.maxBodyBytes) {
      return [limitError('QUERY_TOO_COMPLEX', `Request body exceeds the limit of ${limits.maxBodyBytes} bytes`, { limit: 'maxBodyBytes', max: limits.maxBodyBytes })];
    }
    const document = parseWithLimits(query, limits.maxTokens);
    const rules = options.introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];
    const invalid = validate(schema, document, rules);
    if (invalid.length > 0) return invalid;
    const operation = getOperationAST(document, payload.operationName ?? undefined);
    if (operation === null || operation === undefined) {
      return [limitError('BAD_USER_INPUT', 'Unable to identify the operation (name it with operationName)')];
    }
    if (operation.operation !== 'subscription') {
      return [limitError('BAD_USER_INPUT', `Only subscriptions are served over WebSocket; send ${operation.operation === 'query' ? 'queries' : 'mutations'} over HTTP (POST ${options.path})`)];
    }
    const { cost } = enforceOperationLimits({ schema, document, operationName: payload.operationName, variables: payload.variables }, limits);
    // Last, after every other check: a subscribe refused for any other reason costs nothing.
    const refusal = await budgetRefusal(services.ledger, auth.key, cost, limits, new Date());
    if (refusal !== null) return [refusal];

    const context = subscriptionContext(auth);
    return { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue: context };
  }

  function subscriptionContext(auth: ConnectionAuth): SubscriptionContext {
    const requestId = randomUUID();
    const base = createRequestContext({ orm, services }, { requestId, principal: auth.principal, principalKey: auth.key });
    const context: SubscriptionContext = Object.assign(base, {
      feed,
      async renew(): Promise<void> {
        const now = await authenticate(auth.headers);
        if (now === null) throw new UnauthenticatedError('The connection’s credentials are no longer valid');
        Object.assign(auth, now);
        const em = orm.em.fork();
        context.principal = now.principal;
        context.principalKey = now.key;
        context.em = em;
        context.loaders = createLoaders({ em, principal: now.principal });
        context.audit = createAuditSink({ requestId, principal: now.principal, db: pooledQueryable(orm.em.getConnection()) });
      },
    });
    return context;
  }

  const server = useServer<Record<string, unknown> | undefined, { request: IncomingMessage }>(
    {
      async onConnect(ctx) {
        const headers = credentialHeaders(ctx.connectionParams, ctx.extra.request);
        let auth: { principal: Principal; key: string } | null;
        try {
          auth = await authenticate(headers);
        } catch (error) {
          log.error({ err: error }, 'subscription authentication failed');
          auth = null;
        }
        if (auth === null) {
          ctx.extra.socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized');
          return false;
        }
        auths.set(ctx, { headers, ...auth });
        return true;
      },

      async onSubscribe(ctx, _id, payload) {
        try {
          return await admit(ctx, payload);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          const errorId = randomUUID();
          log.error({ err: error, errorId }, 'subscription admission failed');
          return [new InternalError(errorId)];
        }
      },

      onError(_ctx, _id, _payload, errors) {
        return formatAll(errors);
      },

      async onNext(_ctx, _id, payload, args, result) {
        const context = args.contextValue as SubscriptionContext;
        // The operation's own name, even when the client sent no operationName.
        const operation = payload.operationName ?? getOperationAST(args.document, args.operationName)?.name?.value;
        recordPiiReads(context, operation ?? undefined);
        if (context.audit.pendingCount > 0) {
          try {
            await context.audit.flush();
          } catch (error) {
            log.error({ err: error, errorId: context.requestId }, 'audit write failed for a subscription message');
            const internal = new InternalError(context.requestId);
            return { errors: [{ message: internal.message, extensions: { code: internal.code, errorId: context.requestId } }] };
          }
        }
        return result.errors === undefined ? undefined : { ...result, errors: formatAll(result.errors) };
      },
    },
    wss,
  );

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== options.path) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  app.server.on('upgrade', onUpgrade);

  app.addHook('preClose', async () => {
    app.server.off('upgrade', onUpgrade);
    await server.dispose();
    await listener.close();
  });
}

/**
 * The connection's credentials as request headers (lower-case names): the string values
 * of `connectionParams`; without a credential there, the upgrade request's own
 * `authorization` / `x-api-key` headers (server-side clients can send them).
 */
function credentialHeaders(params: Record<string, unknown> | undefined, request: IncomingMessage): RequestHeaders {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    if (typeof value === 'string') headers[name.toLowerCase()] = value;
  }
  if (headers.authorization === undefined && headers['x-api-key'] === undefined) {
    for (const name of ['authorization', 'x-api-key']) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
  }
  return headers;
}

/**
 * The Apollo Server plugin that holds every request to its principal's limits.
 *
 * Hooks, in request order:
 *
 * - `requestDidStart`: the rate limit (every request counts, whatever it holds), the
 *   body size, persisted operations (a registered hash becomes its document; in
 *   allow-list mode anything unregistered is refused) and the token limit, parsing
 *   with the role's `maxTokens` before Apollo's own parse and validation run.
 * - `didResolveOperation`: depth, root fields, aliases, page sizes and cost of the
 *   selected operation with its variables, then the daily budget: a request whose
 *   estimated cost exceeds what is left today is refused before execution; one that
 *   fits is charged its estimated cost in the same statement (`CostLedger.admit`),
 *   whether or not its execution then succeeds.
 *
 * Apollo turns an error thrown by `requestDidStart` into a 500, and `didResolveOperation`
 * is the first hook whose errors reach the client. So a request refused in
 * `requestDidStart` has its source replaced by a constant trivial document (nothing of
 * the refused document is parsed or validated) and the refusal is raised in
 * `didResolveOperation`, with its HTTP status (`429` and `Retry-After` for rate limits).
 *
 * Expected context (`LimitsContext`): `principal` and `principalKey`, set by the
 * server's context factory. Introspection is not this plugin's business: the server
 * disables it in production through Apollo's `introspection` option.
 */
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequest, type GraphQLRequestListener } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { CostLedger } from './cost-ledger';
import { limitError, type LimitErrorCode } from './limit.errors';
import { limitsFor, type LimitSettings, type LimitsConfig } from './limits.config';
import { enforceOperationLimits } from './operation-analysis';
import { budgetRefusal } from './budget-admission';
import { operationHash, type PersistedOperations } from './persisted-operations';
import { parseWithLimits } from './query-parse';
import type { RateLimiter } from './rate-limiter';
import { principalKeyOf, rateLimited, type LimitsContext } from './usage';

export interface LimitsPluginOptions {
  limits: LimitsConfig;
  rateLimiter: RateLimiter;
  /** The daily budget; without one, no budget is enforced (unit tests only). */
  ledger?: CostLedger;
  /** Registered operations, resolvable by hash. */
  persisted?: PersistedOperations;
  /** Allow-list mode (`TRIPOD_PERSISTED_ONLY`): only registered operations run. */
  persistedOnly?: boolean;
  /** The clock, for the budget's reset time. */
  now?: () => Date;
}

/**
 * Operation texts that parsed within a token limit. Clients send the same few operations
 * over and over (Apollo keeps their parsed documents for the same reason), so a text that
 * passed needs no second parse under the same limit. Bounded: emptied when full, and texts
 * over `MAX_TEXT` characters are not kept.
 */
class ParsedTexts {
  private static readonly MAX_TEXTS = 1000;
  private static readonly MAX_TEXT = 20_000;
  private readonly byLimit = new Map<number, Set<string>>();
  private size = 0;

  has(maxTokens: number, text: string): boolean {
    return this.byLimit.get(maxTokens)?.has(text) ?? false;
  }

  add(maxTokens: number, text: string): void {
    if (text.length > ParsedTexts.MAX_TEXT) return;
    if (this.size >= ParsedTexts.MAX_TEXTS) {
      this.byLimit.clear();
      this.size = 0;
    }
    let texts = this.byLimit.get(maxTokens);
    if (texts === undefined) this.byLimit.set(maxTokens, (texts = new Set()));
    if (!texts.has(text)) {
      texts.add(text);
      this.size += 1;
    }
  }
}

/** What a refused request is replaced with: parses and validates in microseconds. */
const REFUSED_SOURCE = '{ __typename }';

const HTTP_STATUS: Record<LimitErrorCode, number> = {
  QUERY_TOO_COMPLEX: 400,
  BAD_USER_INPUT: 400,
  RATE_LIMITED: 429,
  FORBIDDEN: 403,
  DATABASE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** Builds the plugin; see the module comment for what runs when. */
export function limitsPlugin<TContext extends LimitsContext>(options: LimitsPluginOptions): ApolloServerPlugin<TContext> {
  if (options.persistedOnly && !options.persisted) {
    throw new Error('limitsPlugin: persistedOnly needs the persisted operations store');
  }
  const now = options.now ?? (() => new Date());
  const withinTokens = new ParsedTexts();

  return {
    async requestDidStart(started): Promise<GraphQLRequestListener<TContext>> {
      const limits = limitsFor(options.limits, started.contextValue.principal);
      const key = principalKeyOf(started.contextValue);
      let refusal: GraphQLError | undefined;
      try {
        refusal = await admit(started.request, limits, key);
      } catch (error) {
        started.logger.error(`limits: admission failed: ${(error as Error).message}`);
        refusal = withHttp(limitError('DATABASE_UNAVAILABLE', 'The request could not be checked; try again shortly'));
      }
      if (refusal) {
        replaceSource(started.request);
      }

      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (refusal) {
            throw refusal;
          }
          if (!operation) {
            // Apollo reports the unknown or ambiguous operation at execution.
            return;
          }
          let cost: number;
          try {
            cost = enforceOperationLimits({ schema, document, operationName: operation.name?.value, variables: request.variables }, limits).cost;
          } catch (error) {
            throw withHttp(error as GraphQLError);
          }
          if (options.ledger) {
            // Checked and charged in one statement, before execution: the charge stands
            // whether or not execution succeeds, as it did when it was made afterwards.
            await admitToBudget(options.ledger, key, cost, limits, now());
          }
        },
      };
    },
  };

  async function admit(request: GraphQLRequest, limits: LimitSettings, key: string): Promise<GraphQLError | undefined> {
    const window = await options.rateLimiter.consume(key, limits.rateLimitPerMinute);
    if (!window.allowed) {
      return withHttp(
        rateLimited(
          `Rate limit of ${limits.rateLimitPerMinute} requests per minute exceeded; retry in ${window.retryAfterSeconds} s`,
          'rateLimitPerMinute',
          limits.rateLimitPerMinute,
          window.retryAfterSeconds,
        ),
      );
    }

    const bodyBytes = Math.max(declaredBodyBytes(request), Buffer.byteLength(request.query ?? '', 'utf8'));
    if (bodyBytes > limits.maxBodyBytes) {
      return withHttp(
        limitError('QUERY_TOO_COMPLEX', `Request body of ${bodyBytes} bytes exceeds the limit of ${limits.maxBodyBytes} bytes`, {
          limit: 'maxBodyBytes',
          max: limits.maxBodyBytes,
          actual: bodyBytes,
        }),
        413,
      );
    }

    const persistedRefusal = await resolvePersisted(request);
    if (persistedRefusal) {
      return withHttp(persistedRefusal);
    }

    if (typeof request.query === 'string' && request.query !== '' && !withinTokens.has(limits.maxTokens, request.query)) {
      try {
        parseWithLimits(request.query, limits.maxTokens);
      } catch (error) {
        return withHttp(error as GraphQLError);
      }
      withinTokens.add(limits.maxTokens, request.query);
    }
    return undefined;
  }

  /**
   * Puts a registered document in place of its hash, and in allow-list mode refuses
   * whatever is not registered. An unregistered hash outside allow-list mode is left to
   * Apollo's own automatic persisted queries.
   */
  async function resolvePersisted(request: GraphQLRequest): Promise<GraphQLError | undefined> {
    const store = options.persisted;
    if (!store) {
      return undefined;
    }
    const claimed: unknown = request.extensions?.persistedQuery?.sha256Hash;
    const hash = typeof claimed === 'string' ? claimed.toLowerCase() : undefined;

    if (request.query === undefined || request.query === '') {
      if (hash === undefined) {
        return undefined;
      }
      const document = await store.find(hash);
      if (document !== undefined) {
        request.query = document;
        dropPersistedQuery(request);
        return undefined;
      }
      return options.persistedOnly
        ? limitError('FORBIDDEN', `Operation ${describeHash(hash)} is not registered; this hub accepts registered operations only`)
        : undefined;
    }

    if (!options.persistedOnly) {
      return undefined;
    }
    const actual = operationHash(request.query);
    if (hash !== undefined && hash !== actual) {
      return limitError('BAD_USER_INPUT', 'extensions.persistedQuery.sha256Hash does not match the SHA-256 of the query');
    }
    if ((await store.find(actual)) === undefined) {
      return limitError(
        'FORBIDDEN',
        `Operation ${actual} is not registered; this hub accepts registered operations only (send the sha256Hash of a registered operation)`,
      );
    }
    dropPersistedQuery(request);
    return undefined;
  }

  async function admitToBudget(ledger: CostLedger, key: string, cost: number, limits: LimitSettings, at: Date): Promise<void> {
    const refusal = await budgetRefusal(ledger, key, cost, limits, at);
    if (refusal !== null) throw withHttp(refusal);
  }
}

/** The same error with the HTTP status (and `Retry-After`) Apollo should answer with. */
function withHttp(error: GraphQLError, status?: number): GraphQLError {
  if (!(error instanceof GraphQLError)) {
    return error;
  }
  const code = error.extensions.code as LimitErrorCode;
  const headers = new HeaderMap();
  const retryAfter = error.extensions.retryAfterSeconds;
  if (typeof retryAfter === 'number') {
    headers.set('retry-after', String(retryAfter));
  }
  // Apollo reads `extensions.http` (a status and a HeaderMap) and strips it from the
  // response; typed loosely because graphql-yoga's type augmentation claims the key.
  const extensions: Record<string, unknown> = {
    ...error.extensions,
    http: { status: status ?? HTTP_STATUS[code] ?? 400, headers },
  };
  return new GraphQLError(error.message, { source: error.source, positions: error.positions, extensions });
}

function replaceSource(request: GraphQLRequest): void {
  request.query = REFUSED_SOURCE;
  request.operationName = undefined;
  request.variables = undefined;
  dropPersistedQuery(request);
}

function dropPersistedQuery(request: GraphQLRequest): void {
  if (request.extensions?.persistedQuery !== undefined) {
    const { persistedQuery: _dropped, ...rest } = request.extensions;
    request.extensions = rest;
  }
}

function declaredBodyBytes(request: GraphQLRequest): number {
  const declared = Number(request.http?.headers.get('content-length'));
  return Number.isFinite(declared) && declared > 0 ? declared : 0;
}

function describeHash(hash: string): string {
  return /^[0-9a-f]{64}$/.test(hash) ? hash : '(malformed sha256Hash)';
}

/**
 * `GET /export/breakdown.csv`: any breakdown as CSV, with the same credentials, scoping
 * and small-cell suppression as the `breakdown` query (the same service computes both).
 *
 *   GET /export/breakdown.csv?metric=POVERTY_LOAN_BALANCE&groupBy=COUNTY&area=52&asOf=2020-12-31
 *       [&compareWith=…][&book=OWN_BOOK][&institution=CODE][&products=A,B][&models=…][&designation=…]
 *   Authorization: Bearer tpd_…   (or X-Api-Key)
 *
 * 200 text/csv (`indicator-csv.ts`), with the answer's as-of date, schema version and
 * content hash also in `x-tripod-as-of`, `x-tripod-schema-version` and
 * `x-tripod-content-hash`; errors are JSON `{ errors: [{ message, extensions: { code } }] }`
 * with 400 / 401 / 403 / 429 / 500 and the stable codes of the GraphQL API.
 */
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import { checkPrincipal, type Principal } from './services/access';
import { AuthenticationError, principalKey } from './services/auth';
import { breakdownCsv, computeBreakdown, parseBreakdownQuery, type BreakdownQuery } from './services/indicators';
import { limitsFor, type LimitsConfig, type RateLimiter } from './services/limits';

export const BREAKDOWN_CSV_PATH = '/export/breakdown.csv';

export interface IndicatorExportOptions {
  orm: MikroORM;
  /** The server's own resolver (API keys and JWTs in production). */
  resolvePrincipal: (request: FastifyRequest) => Principal | null | Promise<Principal | null>;
  /** Development mode only: who a request without credentials acts as. */
  developmentPrincipal?: Principal | null;
  /** The server's rate limits, shared with the GraphQL endpoint. */
  rateLimit?: { limiter: RateLimiter; limits: LimitsConfig };
}

const STATUS: Record<string, number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, RATE_LIMITED: 429 };

function fail(reply: FastifyReply, code: string, message: string, extra: Record<string, unknown> = {}) {
  return reply
    .code(STATUS[code] ?? 500)
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send({ errors: [{ message, extensions: { code, ...extra } }] });
}

/** Registers the export route on a Fastify instance. */
export function registerIndicatorExport(app: FastifyInstance, options: IndicatorExportOptions): void {
  app.get(BREAKDOWN_CSV_PATH, async (request, reply) => {
    let principal: Principal | null;
    try {
      principal = await options.resolvePrincipal(request);
    } catch (error) {
      if (error instanceof AuthenticationError) {
        request.log.info({ reason: error.reason }, 'authentication refused');
        return fail(reply, 'UNAUTHENTICATED', 'Authentication required');
      }
      throw error;
    }
    let key = principal === null ? null : principalKey(principal);
    if (principal === null && options.developmentPrincipal) {
      principal = options.developmentPrincipal;
      key = 'dev';
    }
    if (principal === null) return fail(reply, 'UNAUTHENTICATED', 'Authentication required');
    const checked = checkPrincipal(principal);

    if (options.rateLimit) {
      const limit = limitsFor(options.rateLimit.limits, checked).rateLimitPerMinute;
      const decision = await options.rateLimit.limiter.consume(key ?? `anonymous:${checked.role}`, limit);
      if (!decision.allowed) {
        reply.header('retry-after', String(decision.retryAfterSeconds));
        return fail(reply, 'RATE_LIMITED', 'Rate limit exceeded', { retryAfterSeconds: decision.retryAfterSeconds });
      }
    }

    try {
      const query = Object.fromEntries(
        Object.entries((request.query ?? {}) as Record<string, unknown>).map(([name, value]) => [name, Array.isArray(value) ? String(value[0]) : String(value)]),
      ) as BreakdownQuery;
      const breakdown = await computeBreakdown({ em: options.orm.em.fork(), principal: checked }, parseBreakdownQuery(query));
      const file = `${breakdown.metric}-${breakdown.groupBy}-${breakdown.area.code ?? 'nation'}-${breakdown.asOf}.csv`;
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="${file}"`)
        .header('x-tripod-as-of', breakdown.asOf)
        .header('x-tripod-schema-version', breakdown.schemaVersion)
        .header('x-tripod-content-hash', breakdown.contentHash)
        .type('text/csv; charset=utf-8')
        .send(breakdownCsv(breakdown));
    } catch (error) {
      // Refusals of the service carry a stable code and a client-safe message.
      const code = error instanceof GraphQLError ? error.extensions?.code : undefined;
      if (typeof code === 'string' && code in STATUS) {
        return fail(reply, code, (error as Error).message, error instanceof GraphQLError && error.extensions.field ? { field: error.extensions.field } : {});
      }
      const errorId = randomUUID();
      request.log.error({ err: error, errorId }, 'breakdown export failed');
      return fail(reply, 'INTERNAL', `Internal error; quote error id ${errorId} when reporting it`, { errorId });
    }
  });
}

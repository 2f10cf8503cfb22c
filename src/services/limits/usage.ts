import type { GraphQLError } from 'graphql';
import type { Principal } from '../access/principal';
import { nextChinaMidnight, type CostLedger } from './cost-ledger';
import { limitError } from './limit.errors';
import { limitsFor, type LimitsConfig } from './limits.config';
import type { RateLimitDecision, RateLimiter } from './rate-limiter';

/**
 * The request-context fields query protection reads. The server's context factory
 * sets both for every authenticated request.
 */
export interface LimitsContext {
  /** Who is asking; its role selects the limits. */
  principal?: Principal;
  /**
   * The key rate limits and budgets are counted under: `key:<keyId>` for an API key,
   * `jwt:<iss>:<sub>` for a token, `dev` for the development principal (see
   * `apiKeyPrincipalKey`, `jwtPrincipalKey`, `DEV_PRINCIPAL_KEY`).
   */
  principalKey?: string;
}

/** Requests without a principal (refused by authentication anyway) share one key. */
export const ANONYMOUS_PRINCIPAL_KEY = 'anonymous';

/** The key of a context, falling back to `anonymous`. */
export function principalKeyOf(context: LimitsContext): string {
  return context.principalKey ?? ANONYMOUS_PRINCIPAL_KEY;
}

/** The answer of the `usage` query. */
export interface Usage {
  rateLimitPerMinute: number;
  /** Requests still allowed in the current 60-second window. */
  remainingThisMinute: number;
  dailyCostBudget: number;
  costUsedToday: number;
  remainingCostToday: number;
  /** When the daily budget resets: the next midnight, China time. */
  resetsAt: Date;
}

export interface UsageDependencies {
  limits: LimitsConfig;
  rateLimiter: RateLimiter;
  ledger: CostLedger;
}

/**
 * The caller's rate limit and daily budget, for the `usage` query. Reads only: the
 * request asking is itself already counted by the plugin.
 */
export async function usageFor(context: LimitsContext, deps: UsageDependencies, now: Date = new Date()): Promise<Usage> {
  const limits = limitsFor(deps.limits, context.principal);
  const key = principalKeyOf(context);
  const [window, today] = await Promise.all([
    deps.rateLimiter.peek(key, limits.rateLimitPerMinute),
    deps.ledger.today(key),
  ]);
  return {
    rateLimitPerMinute: limits.rateLimitPerMinute,
    remainingThisMinute: window.remaining,
    dailyCostBudget: limits.dailyCostBudget,
    costUsedToday: today.cost,
    remainingCostToday: Math.max(0, limits.dailyCostBudget - today.cost),
    resetsAt: nextChinaMidnight(now),
  };
}

/**
 * Counts one `householdRegistration` lookup against the caller's own per-minute limit
 * (separate from the request rate: aliases can put several lookups in one request).
 * The resolver calls it before looking anything up.
 *
 * @throws GraphQLError `RATE_LIMITED` with `extensions.retryAfterSeconds`.
 */
export async function checkRegistrationLookup(
  context: LimitsContext,
  deps: Pick<UsageDependencies, 'limits' | 'rateLimiter'>,
): Promise<RateLimitDecision> {
  const limit = limitsFor(deps.limits, context.principal).registrationLookupsPerMinute;
  const decision = await deps.rateLimiter.consume(`registration:${principalKeyOf(context)}`, limit);
  if (!decision.allowed) {
    throw rateLimited(
      `Too many household registration lookups: the limit is ${limit} per minute; retry in ${decision.retryAfterSeconds} s`,
      'registrationLookupsPerMinute',
      limit,
      decision.retryAfterSeconds,
    );
  }
  return decision;
}

export function rateLimited(message: string, limit: string, max: number, retryAfterSeconds: number): GraphQLError {
  return limitError('RATE_LIMITED', message, { limit, max, retryAfterSeconds });
}

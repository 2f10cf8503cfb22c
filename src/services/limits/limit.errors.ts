/**
 * The errors of query protection. They are plain `GraphQLError`s carrying the stable
 * codes of DESIGN.md §2 in `extensions.code`, so that the server's `formatError` maps
 * them like any other; `limitsFormatError` restores the codes Apollo rewrites.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

export type LimitErrorCode =
  | 'QUERY_TOO_COMPLEX'
  | 'BAD_USER_INPUT'
  | 'RATE_LIMITED'
  | 'FORBIDDEN'
  | 'DATABASE_UNAVAILABLE'
  | 'INTERNAL';

const LIMIT_CODES: ReadonlySet<string> = new Set<LimitErrorCode>([
  'QUERY_TOO_COMPLEX',
  'BAD_USER_INPUT',
  'RATE_LIMITED',
  'FORBIDDEN',
  'DATABASE_UNAVAILABLE',
  'INTERNAL',
]);

/** Extra, client-safe facts an error may carry besides its code. */
export interface LimitErrorDetails {
  /** Which limit tripped (`maxDepth`, `dailyCostBudget` …). */
  limit?: string;
  /** The limit's value. */
  max?: number;
  /** What the request came to, when known. */
  actual?: number;
  /** For `RATE_LIMITED`: seconds until a retry can succeed. */
  retryAfterSeconds?: number;
}

/** A client-safe error with a stable code and the facts of the limit it names. */
export function limitError(code: LimitErrorCode, message: string, details: LimitErrorDetails = {}): GraphQLError {
  const extensions: Record<string, unknown> = { code };
  for (const [key, value] of Object.entries(details)) {
    if (value !== undefined) {
      extensions[key] = value;
    }
  }
  return new GraphQLError(message, { extensions });
}

/** `Query depth 15 exceeds the limit of 12` — the one wording of every size limit. */
export function tooComplex(what: string, limit: string, actual: number, max: number): GraphQLError {
  return limitError('QUERY_TOO_COMPLEX', `${what} ${formatCount(actual)} exceeds the limit of ${max}`, { limit, max, actual });
}

/**
 * For the server's `formatError`: Apollo re-codes errors reported by validation rules
 * as `GRAPHQL_VALIDATION_FAILED` and parse failures as `GRAPHQL_PARSE_FAILED`; this
 * puts back the code of a limit error (kept as `originalError`) and classifies parse
 * failures (`QUERY_TOO_COMPLEX` for the token limit, `BAD_USER_INPUT` otherwise).
 * Other errors pass through unchanged.
 */
export function limitsFormatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  const originalCode = original instanceof GraphQLError ? original.extensions.code : undefined;
  if (typeof originalCode === 'string' && LIMIT_CODES.has(originalCode)) {
    return { ...formatted, extensions: { ...formatted.extensions, code: originalCode } };
  }
  if (formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED') {
    const tokenLimit = TOKEN_LIMIT_MESSAGE.exec(formatted.message);
    if (tokenLimit) {
      const max = Number(tokenLimit[1]);
      return { message: tokenLimitMessage(max), extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'maxTokens', max } };
    }
    return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
  }
  return formatted;
}

/** graphql 16's wording, typo included ("more that"), tolerant of its correction. */
export const TOKEN_LIMIT_MESSAGE = /Document contains more (?:that|than) (\d+) tokens/;

export function tokenLimitMessage(max: number): string {
  return `Query exceeds the limit of ${max} tokens`;
}

/** Counts that overflowed double precision would print as `1e+24`; say what matters. */
function formatCount(value: number): string {
  return value >= Number.MAX_SAFE_INTEGER ? `over ${Number.MAX_SAFE_INTEGER}` : String(value);
}

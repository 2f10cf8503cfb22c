/**
 * Typed errors with stable `extensions.code` values (DESIGN.md §2), and the one
 * `formatError` that decides what of an error reaches a client: safe errors pass,
 * GraphQL syntax and validation problems become BAD_USER_INPUT, a lost database becomes
 * DATABASE_UNAVAILABLE, and anything else is masked as INTERNAL with an error id under
 * which it is logged in full. No SQL, stack trace or other tenant's data leaves the hub.
 */
import { randomUUID } from 'node:crypto';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'QUERY_TOO_COMPLEX'
  | 'RATE_LIMITED'
  | 'DATABASE_UNAVAILABLE'
  | 'INTERNAL';

/** Extra, client-safe facts an error may carry in its extensions. */
export type SafeExtensions = Record<string, string | number | boolean | null | readonly string[]>;

/**
 * Base of every error whose message is written for the client. Throw a subclass; its
 * message and extensions are returned as they are.
 */
export abstract class TripodError extends GraphQLError {
  abstract readonly code: ErrorCode;

  protected constructor(message: string, code: ErrorCode, httpStatus?: number, extensions: SafeExtensions = {}) {
    // `http` is read by Apollo Server for errors thrown before execution (context
    // creation) and removed from the response.
    super(message, { extensions: { ...extensions, code, ...(httpStatus === undefined ? {} : { http: { status: httpStatus } }) } });
  }
}

/** No credentials, or credentials that are not valid. */
export class UnauthenticatedError extends TripodError {
  readonly code = 'UNAUTHENTICATED';
  constructor(message = 'Authentication required') {
    super(message, 'UNAUTHENTICATED', 401);
    this.name = 'UnauthenticatedError';
  }
}

/** A valid principal asking for an action its role does not allow. */
export class ForbiddenError extends TripodError {
  readonly code = 'FORBIDDEN';
  constructor(message = 'Not allowed for this principal') {
    super(message, 'FORBIDDEN', 403);
    this.name = 'ForbiddenError';
  }
}

/** Input that is malformed or out of range; `field` names the argument or input path. */
export class BadUserInputError extends TripodError {
  readonly code = 'BAD_USER_INPUT';
  constructor(message: string, field?: string) {
    super(message, 'BAD_USER_INPUT', 400, field === undefined ? {} : { field });
    this.name = 'BadUserInputError';
  }
}

/** A record a mutation must resolve now does not exist or is not visible (the two look the same). */
export class NotFoundError extends TripodError {
  readonly code = 'NOT_FOUND';
  constructor(message = 'Not found') {
    super(message, 'NOT_FOUND', 404);
    this.name = 'NotFoundError';
  }
}

/** A stale version, or a batch id reused with another payload. */
export class ConflictError extends TripodError {
  readonly code = 'CONFLICT';
  constructor(message: string) {
    super(message, 'CONFLICT', 409);
    this.name = 'ConflictError';
  }
}

/** An operation above the depth, breadth or cost limits. */
export class QueryTooComplexError extends TripodError {
  readonly code = 'QUERY_TOO_COMPLEX';
  constructor(message: string, extensions: SafeExtensions = {}) {
    super(message, 'QUERY_TOO_COMPLEX', 400, extensions);
    this.name = 'QueryTooComplexError';
  }
}

/** Over the rate limit or the daily cost budget; `retryAfterSeconds` says when to retry. */
export class RateLimitedError extends TripodError {
  readonly code = 'RATE_LIMITED';
  constructor(message: string, retryAfterSeconds: number) {
    super(message, 'RATE_LIMITED', 429, { retryAfterSeconds });
    this.name = 'RateLimitedError';
  }
}

/** The database cannot be reached; the request may be retried. */
export class DatabaseUnavailableError extends TripodError {
  readonly code = 'DATABASE_UNAVAILABLE';
  constructor(errorId: string) {
    super('The database is unavailable; try again later', 'DATABASE_UNAVAILABLE', 503, { errorId });
    this.name = 'DatabaseUnavailableError';
  }
}

/** Anything unexpected, as the client sees it: a fixed message and the id it is logged under. */
export class InternalError extends TripodError {
  readonly code = 'INTERNAL';
  constructor(errorId: string) {
    super(`Internal error; quote error id ${errorId} when reporting it`, 'INTERNAL', 500, { errorId });
    this.name = 'InternalError';
  }
}

/** Where masked errors are logged (Fastify's pino logger fits). */
export interface ErrorLog {
  error(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/** Apollo Server's codes for requests that are not valid GraphQL for this schema. */
const INVALID_REQUEST_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'OPERATION_RESOLUTION_FAILURE', 'BAD_REQUEST']);
/** Messages of errors that graphql-js and Apollo raise about the request without a code. */
const REQUEST_MESSAGES = /^(Schema is not configured to execute \w+ operation|provided sha does not match query)/;
/** Protocol signals of automatic persisted queries that clients act on: kept as they are. */
const PROTOCOL_CODES = new Set(['PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED']);

/** Node's network error codes meaning the server could not be reached. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EPIPE']);
/**
 * SQLSTATEs meaning no usable connection: class 08, shutdowns, too many connections, and
 * a missing database or refused login (the hub's configuration, nothing a client can fix).
 */
const CONNECTION_SQLSTATES = /^(08...|57P01|57P02|57P03|53300|3D000|28000|28P01)$/;
const CONNECTION_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Timeout acquiring a connection|Client has encountered a connection error|connect ECONNREFUSED/i;

/** True when `error` (or an error it wraps) says the database could not be reached. */
export function isConnectionFailure(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current);
    const candidate = current as {
      code?: unknown;
      sqlState?: unknown;
      name?: unknown;
      message?: unknown;
      cause?: unknown;
      previous?: unknown;
      thrownValue?: unknown;
      errors?: unknown;
    };
    const code = typeof candidate.code === 'string' ? candidate.code : typeof candidate.sqlState === 'string' ? candidate.sqlState : '';
    if (NETWORK_CODES.has(code) || CONNECTION_SQLSTATES.test(code)) return true;
    if (candidate.name === 'KnexTimeoutError' || candidate.name === 'ConnectionException') return true;
    if (typeof candidate.message === 'string' && CONNECTION_MESSAGES.test(candidate.message)) return true;
    if (Array.isArray(candidate.errors) && candidate.errors.some((inner) => isConnectionFailure(inner))) return true;
    // MikroORM wraps driver errors in `previous`; graphql-js wraps non-Error values
    // (an Error from another realm counts) in `thrownValue`.
    current = candidate.previous ?? candidate.cause ?? candidate.thrownValue;
  }
  return false;
}

const STABLE_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'QUERY_TOO_COMPLEX',
  'RATE_LIMITED',
  'DATABASE_UNAVAILABLE',
  'INTERNAL',
]);

/**
 * The error marked safe for clients in `error`'s chain, if any: a `TripodError`, or any
 * `GraphQLError` built with one of the stable codes (such as query protection's). Follows
 * `originalError`, where graphql-js and Apollo keep a validation rule's own error.
 */
function safeErrorIn(error: unknown): GraphQLError | undefined {
  const seen = new Set<unknown>();
  for (let current: unknown = error; current instanceof GraphQLError && !seen.has(current); current = current.originalError) {
    seen.add(current);
    const code = current.extensions?.code;
    if (current instanceof TripodError || (typeof code === 'string' && STABLE_CODES.has(code))) {
      return current;
    }
  }
  return undefined;
}

/**
 * Builds the server's one `formatError`.
 *
 * @param log receives every masked error in full, under its error id.
 */
export function createFormatError(log: ErrorLog) {
  return function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
    const original = unwrapResolverError(error);
    const marked = safeErrorIn(original);
    if (marked !== undefined) {
      return safe(formatted, marked.message, marked.extensions);
    }
    const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : undefined;
    if (code !== undefined && PROTOCOL_CODES.has(code)) {
      return { message: formatted.message, extensions: { code } };
    }
    // Errors graphql-js or Apollo raised about the request itself (syntax, unknown
    // fields, variable coercion, an operation type the schema lacks, a persisted-query
    // hash that does not match its text) describe only the request: safe to return.
    if (original instanceof GraphQLError && ((code !== undefined && INVALID_REQUEST_CODES.has(code)) || (original.extensions?.code === undefined && REQUEST_MESSAGES.test(original.message)))) {
      return { message: redactIdNumbers(formatted.message), locations: formatted.locations, path: formatted.path, extensions: { code: 'BAD_USER_INPUT' } };
    }
    const errorId = randomUUID();
    if (isConnectionFailure(original)) {
      log.warn({ errorId, err: original, path: formatted.path }, 'database unavailable');
      return safe(formatted, new DatabaseUnavailableError(errorId).message, { code: 'DATABASE_UNAVAILABLE', errorId });
    }
    log.error({ errorId, err: original, path: formatted.path, message: formatted.message }, 'internal error');
    return safe(formatted, new InternalError(errorId).message, { code: 'INTERNAL', errorId });
  };
}

/**
 * Variable coercion errors (code BAD_USER_INPUT, so passed as safe) quote the offending
 * input value, which may be an input object holding a national ID number (a misspelt
 * field next to `headIdNumber`): anything shaped like one is cut out of every message
 * that leaves, so the number is never echoed.
 */
const ID_NUMBER_LIKE = /(?<![0-9])[0-9]{6}[\s-]?[0-9]{8}[\s-]?[0-9]{3}[0-9Xx](?![0-9])/g;

export function redactIdNumbers(message: string): string {
  return message.replace(ID_NUMBER_LIKE, '[redacted]');
}

function safe(formatted: GraphQLFormattedError, message: string, extensions: Record<string, unknown> | undefined): GraphQLFormattedError {
  const { http: _http, stacktrace: _stack, ...rest } = extensions ?? {};
  return {
    message: redactIdNumbers(message),
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: rest,
  };
}

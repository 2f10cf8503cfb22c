/**
 * Refusals decided by the domain services (role gates, input rules, records that cannot
 * be resolved). Each is a `GraphQLError` carrying one of the stable codes of DESIGN.md §2
 * in `extensions.code`, like query protection's errors, so the server's one `formatError`
 * passes it to the client as it is. Messages are written for the client: they name only
 * what the caller sent or may see, never a secret, a national ID number or another
 * tenant's data.
 */
import { GraphQLError } from 'graphql';

export type RefusalCode = 'FORBIDDEN' | 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT';

/** Client-safe facts a refusal may carry besides its code. */
export interface RefusalDetails {
  /** The argument or input path at fault (`input.validFrom`). */
  field?: string;
  /** A stable reason code (`CHECK_CHARACTER`, `KEY_REVOKED` …). */
  reason?: string;
}

export class RefusalError extends GraphQLError {
  constructor(
    readonly code: RefusalCode,
    message: string,
    details: RefusalDetails = {},
  ) {
    const extensions: Record<string, string> = { code };
    if (details.field !== undefined) extensions.field = details.field;
    if (details.reason !== undefined) extensions.reason = details.reason;
    super(message, { extensions });
    this.name = 'RefusalError';
  }
}

/** The caller's role may not do this, whatever the record. */
export function forbidden(message = 'Not allowed for this principal'): RefusalError {
  return new RefusalError('FORBIDDEN', message);
}

/** Malformed or out-of-range input. */
export function badInput(message: string, field?: string, reason?: string): RefusalError {
  return new RefusalError('BAD_USER_INPUT', message, { field, reason });
}

/** A record that does not exist or that the caller may not see (the two look the same). */
export function notFound(message: string, field?: string): RefusalError {
  return new RefusalError('NOT_FOUND', message, { field });
}

/** The record changed under the caller (stale state, a concurrent change). */
export function conflict(message: string, reason?: string): RefusalError {
  return new RefusalError('CONFLICT', message, { reason });
}

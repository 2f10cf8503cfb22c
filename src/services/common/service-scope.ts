import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal, Role } from '../access/principal';
import { forbidden } from './service.errors';

/**
 * What a service call takes from its request, passed explicitly as the first argument:
 * the principal, the request's EntityManager fork and the request id (the audit trail's
 * key). The GraphQL context satisfies it as it is.
 */
export interface ServiceScope {
  em: EntityManager;
  principal: Readonly<Principal>;
  requestId: string;
}

/**
 * Refuses every role but `roles` with FORBIDDEN: called first, before anything is
 * looked up, so a refusal says nothing about the records named.
 */
export function requireRole(principal: Readonly<Principal>, roles: ReadonlyArray<`${Role}`>, action: string): void {
  if (!roles.includes(principal.role)) {
    throw forbidden(`${action} is not allowed for the ${principal.role} role`);
  }
}

/** Who made a change, for `created_by` columns: the API key id or token subject, never a person's PII. */
export function actorLabel(principal: Readonly<Principal>): string {
  return `api:${principal.keyId ?? principal.role}`.slice(0, 100);
}

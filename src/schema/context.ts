/**
 * The typed context of one GraphQL request, built by `createRequestContext` — the one
 * factory — for every request. Nothing request-scoped lives at module level: the
 * EntityManager fork and the loaders (with their caches) die with the request.
 */
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { createLoaders, type Loaders } from '../loaders';
import { checkPrincipal, type Principal } from '../services/access';
import type { Keyring } from '../services/identity';

/** Process-wide services a request may use; configuration-derived, never request data. */
export interface RequestServices {
  /** Decrypts household PII (only ever after the access service allowed it). */
  piiKeyring: Keyring;
}

export interface Context {
  /** Also the `x-request-id` response header and the key of every log line. */
  requestId: string;
  principal: Readonly<Principal>;
  /** This request's own identity map. */
  em: EntityManager;
  loaders: Loaders;
  services: RequestServices;
}

export interface ContextDependencies {
  orm: MikroORM;
  services: RequestServices;
}

/** Builds the context of one request for an authenticated principal. */
export function createRequestContext(deps: ContextDependencies, request: { requestId: string; principal: Principal }): Context {
  const principal = checkPrincipal(request.principal);
  const em = deps.orm.em.fork();
  return {
    requestId: request.requestId,
    principal,
    em,
    loaders: createLoaders({ em, principal }),
    services: deps.services,
  };
}

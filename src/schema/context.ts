/**
 * The typed context of one GraphQL request, built by `createRequestContext` — the one
 * factory — for every request. Nothing request-scoped lives at module level: the
 * EntityManager fork, the loaders (with their caches) and the audit buffer die with the
 * request.
 */
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { createLoaders, type Loaders } from '../loaders';
import { checkPrincipal, type Principal } from '../services/access';
import { createAuditSink, type AuditSink } from '../services/audit';
import type { Keyring } from '../services/identity';
import type { CostLedger, LimitsConfig, RateLimiter } from '../services/limits';
import { pooledQueryable } from '../db/pooled';

/** Process-wide services a request may use; configuration-derived, never request data. */
export interface RequestServices {
  /** Decrypts household PII (only ever after the access service allowed it). */
  piiKeyring: Keyring;
  /** Matches national ID numbers (`householdRegistration`); null when none is configured. */
  matchKeyring: Keyring | null;
  /** Query protection settings and counters, for `usage` and page-size checks. */
  limits: LimitsConfig;
  rateLimiter: RateLimiter;
  ledger: CostLedger;
}

export interface Context {
  /** Also the `x-request-id` response header and the key of every log line. */
  requestId: string;
  principal: Readonly<Principal>;
  /** What rate limits and budgets count under: `key:<keyId>`, `jwt:<iss>:<sub>` or `dev`. */
  principalKey: string;
  /** This request's own identity map. */
  em: EntityManager;
  loaders: Loaders;
  services: RequestServices;
  /** Audit entries of this request, written before its response leaves the hub. */
  audit: AuditSink;
  /** Household PII fields revealed by this request, by household id; audited at the end. */
  piiReads: Map<string, Set<string>>;
}

export interface ContextDependencies {
  orm: MikroORM;
  services: RequestServices;
}

/** Builds the context of one request for an authenticated principal. */
export function createRequestContext(
  deps: ContextDependencies,
  request: { requestId: string; principal: Principal; principalKey: string },
): Context {
  const principal = checkPrincipal(request.principal);
  // Forked on first use: a request answered by the compiled read path, or refused by a
  // limit, never needs an identity map, and a fork costs as much as the rest of the
  // context together. The getter lives on the context's own prototype, because Apollo
  // copies the context's own properties into a clone before execution.
  let em: EntityManager | undefined;
  const scope = {
    principal,
    get em(): EntityManager {
      return (em ??= deps.orm.em.fork());
    },
  };
  const lazy = Object.create(Object.prototype, {
    em: {
      get: () => scope.em,
      set: (value: EntityManager) => {
        em = value;
      },
      enumerable: false,
    },
  }) as { em: EntityManager };
  return Object.assign(Object.create(lazy) as Context, {
    requestId: request.requestId,
    principal,
    principalKey: request.principalKey,
    loaders: createLoaders(scope),
    services: deps.services,
    audit: createAuditSink({ requestId: request.requestId, principal, db: pooledQueryable(deps.orm.em.getConnection()) }),
    piiReads: new Map(),
  });
}

/** Notes that a PII field of a household left the hub in this response. */
export function notePiiRead(ctx: Pick<Context, 'piiReads'>, householdId: string, field: string): void {
  let fields = ctx.piiReads.get(householdId);
  if (fields === undefined) {
    fields = new Set();
    ctx.piiReads.set(householdId, fields);
  }
  fields.add(field);
}

/**
 * Turns the PII reads noted during execution into audit entries: one per household,
 * households with the same fields recorded together (one entry call, one row each).
 */
export function recordPiiReads(ctx: Pick<Context, 'piiReads' | 'audit'>, operation: string | undefined): void {
  const byFields = new Map<string, string[]>();
  for (const [householdId, fields] of ctx.piiReads) {
    const key = [...fields].sort().join(',');
    const ids = byFields.get(key) ?? [];
    ids.push(householdId);
    byFields.set(key, ids);
  }
  for (const [fields, householdIds] of byFields) {
    ctx.audit.record({ action: 'PII_READ', operation, householdIds, fields: fields.split(',') });
  }
  ctx.piiReads.clear();
}

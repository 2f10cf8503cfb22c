/**
 * The hot path: API key → principal.
 *
 * Verified keys are cached in this process for `API_KEY_CACHE_TTL_MS` (30 s), keyed by
 * key id and SHA-256 of the secret, so a partner system calling many times a second costs
 * one SQL statement per key every 30 s instead of one per request. The price: a key
 * revoked (or rotated away) by another process, e.g. the `keys` CLI, keeps working in
 * this one for up to 30 s. Revocation and rotation through this process call
 * `invalidateKeyCache` and take effect at once. Expiry needs no invalidation: a cached
 * entry carries the key's `expires_at` and is refused from that instant.
 *
 * The cache assumes one database per process, as every hub process has.
 */
import { checkPrincipal } from '../access/principal-check';
import type { Principal, Role } from '../access/principal';
import { toQueryable, type AuthDb } from './auth-db';
import type { AuthOutcome } from './auth.errors';
import { digestsEqual, hashSecret, parseToken } from './api-key-token';

/** How long a verified key is trusted without asking the database again. */
export const API_KEY_CACHE_TTL_MS = 30_000;
/** Bound on cached keys (oldest evicted first), so a flood of valid keys cannot grow memory. */
const CACHE_MAX_ENTRIES = 10_000;

interface CacheEntry {
  keyId: string;
  principal: Readonly<Principal>;
  /** The key's own expiry (ms since epoch), or null. */
  expiresAt: number | null;
  /** When this entry must be checked against the database again. */
  staleAt: number;
}

/** Module level on purpose: verified keys are process-wide facts, not request state. */
const cache = new Map<string, CacheEntry>();

/**
 * Forgets cached keys: one key id, or all of them. Called by `revokeApiKey` and
 * `rotateApiKey`; call it after changing `api_key` rows by other means in this process.
 */
export function invalidateKeyCache(keyId?: string): void {
  if (keyId === undefined) {
    cache.clear();
    return;
  }
  for (const [cacheKey, entry] of cache) {
    if (entry.keyId === keyId) cache.delete(cacheKey);
  }
}

interface KeyRow {
  secret_hash: Buffer;
  role: Role;
  area_codes: string[];
  pii_granted: boolean;
  /**
   * The expiry as milliseconds since the epoch, computed in SQL: the handle may be a `pg`
   * client (timestamps arrive as Date) or the ORM's connection (timestamps arrive as
   * text, float8 possibly as text), so no driver type parsing is relied on.
   */
  expires_at_ms: number | string | null;
  revoked: boolean;
  expired: boolean;
  institution_id: string | null;
  institution_code: string | null;
  institution_closed: boolean;
}

/**
 * The principal of an API key token (`tpd_<keyId>_<secret>`), or why it is refused:
 * `MALFORMED` (not a token), `UNKNOWN` (no such key, or a wrong secret), `REVOKED` (also
 * when its institution has closed) or `EXPIRED`. Callers report every failure to the
 * client as the same UNAUTHENTICATED error.
 *
 * The principal's `keyId` is the key id; its usage-counter key is `key:<keyId>`
 * (`principalKey`).
 */
export async function authenticateApiKey(db: AuthDb, token: string): Promise<AuthOutcome> {
  const parsed = parseToken(token);
  if (parsed === null) {
    return { ok: false, reason: 'MALFORMED' };
  }
  const digest = hashSecret(parsed.secret);
  const cacheKey = `${parsed.keyId}.${digest.toString('hex')}`;
  const now = Date.now();

  const cached = cache.get(cacheKey);
  if (cached !== undefined) {
    if (cached.expiresAt !== null && cached.expiresAt <= now) {
      cache.delete(cacheKey);
      return { ok: false, reason: 'EXPIRED' };
    }
    if (cached.staleAt > now) {
      return { ok: true, principal: copy(cached.principal) };
    }
    cache.delete(cacheKey);
  }

  const result = await toQueryable(db).query<KeyRow>(
    `select k.secret_hash, k.role, k.area_codes, k.pii_granted,
            (extract(epoch from k.expires_at) * 1000)::float8 as expires_at_ms,
            k.revoked_at is not null as revoked,
            (k.expires_at is not null and k.expires_at <= now()) as expired,
            k.institution_id::text as institution_id, i.code as institution_code,
            coalesce(i.valid_to <= current_date, false) as institution_closed
       from api_key k left join institution i on i.id = k.institution_id
      where k.key_id = $1`,
    [parsed.keyId],
  );
  const row = result.rows[0];
  // A wrong secret and an unknown key id are the same failure.
  if (row === undefined || !digestsEqual(row.secret_hash, digest)) {
    return { ok: false, reason: 'UNKNOWN' };
  }
  if (row.revoked || row.institution_closed) {
    return { ok: false, reason: 'REVOKED' };
  }
  if (row.expired) {
    return { ok: false, reason: 'EXPIRED' };
  }

  const principal = checkPrincipal({
    institutionId: row.institution_id,
    institutionCode: row.institution_code,
    role: row.role,
    areaCodes: row.area_codes,
    // Only regulators can be granted full PII; a stray flag on another role means nothing.
    piiGranted: row.role === 'REGULATOR' && row.pii_granted,
    keyId: parsed.keyId,
  });
  remember(cacheKey, {
    keyId: parsed.keyId,
    principal,
    expiresAt: row.expires_at_ms === null ? null : Number(row.expires_at_ms),
    staleAt: now + API_KEY_CACHE_TTL_MS,
  });
  return { ok: true, principal: copy(principal) };
}

function remember(cacheKey: string, entry: CacheEntry): void {
  if (cache.size >= CACHE_MAX_ENTRIES) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(cacheKey, entry);
}

/** Callers get their own copy: nothing they do reaches the cache. */
function copy(principal: Readonly<Principal>): Principal {
  return { ...principal, areaCodes: [...principal.areaCodes] };
}

/**
 * `householdRegistration(idNumber)`: a partner checks one household's registry status
 * before contracting (DESIGN.md §3). The answer is the status and the date it holds on,
 * nothing else: no ref, no name, nothing about any institution's contracts.
 *
 * - who may: BANK, INSURER, GUARANTOR and GOVERNMENT (`registryLookupScope`); others are
 *   FORBIDDEN (regulators read the registry through scoped queries);
 * - rate-limited per key (`checkRegistrationLookup`: RATE_LIMITED), before any lookup;
 * - the number is validated (`validateNationalId`: BAD_USER_INPUT with the reason, never
 *   the number), hashed under every configured key version and matched against live
 *   `household_identity` rows;
 * - every call audited (`REGISTRATION_LOOKUP`, with the matched household id, if any,
 *   and the result), never the number or its hash.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, type Sql } from '../../db/sql';
import { registryLookupScope } from '../access';
import type { AuditSink } from '../audit';
import { badInput, requireRole, type ServiceScope } from '../common';
import { matchHashesForAllVersions, validateNationalId, type Keyring, type NationalIdFailure } from '../identity';
import { chinaDay, checkRegistrationLookup, type LimitsConfig, type RateLimiter } from '../limits';

export type RegistrationStatus = 'REGISTERED' | 'MARGINAL' | 'NOT_REGISTERED';

export interface RegistrationAnswer {
  status: RegistrationStatus;
  /** The date (China time) the status holds on: today. */
  asOf: string;
}

export interface RegistrationScope extends ServiceScope {
  /** What the per-key lookup limit counts under. */
  principalKey: string;
  /** The request's audit sink: the lookup is a read, audited before the response leaves. */
  audit: AuditSink;
}

export interface RegistrationDependencies {
  /** The national-ID matching keyring; null when the hub has none configured. */
  matchKeyring: Keyring | null;
  limits: LimitsConfig;
  rateLimiter: RateLimiter;
}

const LOOKUP_ROLES = ['BANK', 'INSURER', 'GUARANTOR', 'GOVERNMENT'] as const;

const FAILURE_TEXT: Record<NationalIdFailure, string> = {
  FORMAT: 'expected 17 digits followed by a digit or X',
  CHECK_CHARACTER: 'the check character does not match',
  PROVINCE: 'the first two digits are not a province-level code',
  BIRTH_DATE: 'the birth date is not a real date between 1900-01-01 and today',
};

/**
 * Looks up one household's registry status by its head's national ID number.
 *
 * @throws RefusalError FORBIDDEN or BAD_USER_INPUT (with `reason`), GraphQLError
 *   RATE_LIMITED, Error when no matching keyring is configured (an INTERNAL error).
 */
export async function lookupRegistration(
  scope: RegistrationScope,
  deps: RegistrationDependencies,
  idNumber: string,
  now: Date = new Date(),
): Promise<RegistrationAnswer> {
  requireRole(scope.principal, LOOKUP_ROLES, 'householdRegistration');
  const audit = (result: string, householdId?: string, reason?: string): void => {
    scope.audit.record({
      action: 'REGISTRATION_LOOKUP',
      operation: 'householdRegistration',
      householdIds: householdId === undefined ? [] : [householdId],
      details: reason === undefined ? { result } : { result, reason },
    });
  };

  try {
    await checkRegistrationLookup(scope, deps);
  } catch (error) {
    audit('RATE_LIMITED');
    throw error;
  }
  const check = validateNationalId(idNumber, { now });
  if (!check.ok) {
    audit('INVALID', undefined, check.reason);
    throw badInput(`idNumber is not a valid national ID number: ${FAILURE_TEXT[check.reason]}`, 'idNumber', check.reason);
  }
  if (deps.matchKeyring === null) {
    throw new Error('householdRegistration: TRIPOD_MATCH_KEYS is not configured');
  }

  const match = await findRegistered(scope.em, scope, deps.matchKeyring, check.normalized);
  const status = statusOf(match?.status ?? null);
  audit(status, match?.householdId);
  return { status, asOf: chinaDay(now) };
}

/** REGISTERED_POOR and LIFTED_OUT are registered households; OTHER and unknown ones are not. */
function statusOf(householdStatus: string | null): RegistrationStatus {
  switch (householdStatus) {
    case 'REGISTERED_POOR':
    case 'LIFTED_OUT':
      return 'REGISTERED';
    case 'MARGINAL':
      return 'MARGINAL';
    default:
      return 'NOT_REGISTERED';
  }
}

/** The household whose live identity matches under any key version, the current one first. */
async function findRegistered(
  em: EntityManager,
  scope: ServiceScope,
  keyring: Keyring,
  normalizedId: string,
): Promise<{ householdId: string; status: string } | null> {
  const hashes = matchHashesForAllVersions(keyring, normalizedId);
  const alternatives = hashes.map(({ version, hash }) => sql`(hi.key_version = ${version} AND hi.match_hash = decode(${hash.toString('hex')}, 'hex'))`);
  const anyHash = alternatives.reduce((all, next) => sql`${all} OR ${next}`);
  const query: Sql = sql`SELECT h.id AS "householdId", h.status
      FROM household_identity hi JOIN household h ON h.id = hi.household_id
     WHERE hi.valid_to IS NULL AND (${anyHash}) AND ${registryLookupScope(scope.principal)}
     ORDER BY (hi.key_version = ${keyring.current}) DESC, hi.id
     LIMIT 1`;
  const rows = await em.getConnection().execute<Array<{ householdId: string; status: string }>>(query.text, [...query.params]);
  return rows.length === 0 ? null : { householdId: String(rows[0].householdId), status: rows[0].status };
}

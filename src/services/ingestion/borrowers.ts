/**
 * Naming a borrower (or a policyholder, or a guaranteed party) in an item:
 *
 * - a household by its head's 18-character national ID number (`headIdNumber`) and its
 *   village: the number is validated (format, ISO 7064 MOD 11-2 check character,
 *   province prefix, a real birth date — never a current county code), hashed with the
 *   matching key and matched against live household identities. It is never stored,
 *   logged or echoed, not even in a rejection message. A household the hub does not
 *   know is created with status OTHER (not in the registry), never refused, so an
 *   ingestion answer never reveals registration status. `villageCode` is required with
 *   every number, known household or not, for the same reason;
 * - a household by the hub's opaque `householdRef`, when the caller can see it (its own
 *   borrower): otherwise NOT_FOUND, worded as for an unknown ref;
 * - an enterprise by its unified social credit code (GB 32100 check character), with its
 *   name and kind: an enterprise the hub does not know is created, a known one is used
 *   as it is (its registry facts are not the lender's to change).
 */
import { sql } from '../../db/sql';
import { householdScope } from '../access';
import { encryptPii, isHouseholdRef, matchHashesForAllVersions, newHouseholdRef, validateNationalId, type NationalIdFailure } from '../identity';
import type { IngestContext } from './batch-engine';
import { freeText } from './field-rules';
import { invalid, unknownReference } from './item-rejection';
import { insertRecordVersion } from './record-versions';
import { queryFragment, villageArea } from './references';

/** A borrower as the GraphQL input carries it: exactly one of the three. */
export interface BorrowerInput {
  household?: HouseholdPartyInput | null;
  householdRef?: string | null;
  enterprise?: EnterprisePartyInput | null;
}

export interface HouseholdPartyInput {
  headIdNumber: string;
  villageCode?: string | null;
  headName?: string | null;
  headPhone?: string | null;
}

export interface EnterprisePartyInput {
  creditCode: string;
  name: string;
  kind: string;
  villageCode?: string | null;
}

/** A borrower after the integrity rules that need no database. */
export type CheckedBorrower =
  | {
      kind: 'HOUSEHOLD_ID';
      /** The normalized number: kept in memory for the item's processing only. */
      normalizedId: string;
      birthDate: string;
      villageCode: string;
      headName: string | null;
      headPhone: string | null;
    }
  | { kind: 'HOUSEHOLD_REF'; ref: string }
  | { kind: 'ENTERPRISE'; creditCode: string; name: string; enterpriseKind: string; villageCode: string | null };

/** The borrower as stored: the hub's ids. */
export type ResolvedBorrower = { kind: 'HOUSEHOLD'; id: string; ref: string } | { kind: 'ENTERPRISE'; id: string; creditCode: string };

const ID_FAILURE_TEXT: Record<NationalIdFailure, string> = {
  FORMAT: 'expected 17 digits followed by a digit or X',
  CHECK_CHARACTER: 'the check character does not match (ISO 7064 MOD 11-2)',
  PROVINCE: 'the first two digits are not a province-level code',
  BIRTH_DATE: 'the birth date is not a real date between 1900-01-01 and today',
};

const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const USCC_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
const PHONE = /^\+?[0-9][0-9-]{4,19}$/;
const ENTERPRISE_KINDS: ReadonlySet<string> = new Set(['COMPANY', 'COOPERATIVE', 'FAMILY_FARM', 'INDIVIDUAL_BUSINESS']);

/** Integrity rules on a borrower that need no database. `path` is the borrower field's path. */
export function checkBorrower(input: BorrowerInput | null | undefined, path: string, today: string): CheckedBorrower {
  const given = [input?.household, input?.householdRef, input?.enterprise].filter((v) => v !== null && v !== undefined).length;
  if (input === null || input === undefined || given !== 1) {
    throw invalid(path, 'BORROWER_REQUIRED', `${path} names exactly one of household, householdRef or enterprise`);
  }
  if (input.household) {
    const h = input.household;
    const idPath = `${path}.household.headIdNumber`;
    const check = validateNationalId(h.headIdNumber, { now: new Date(`${today}T12:00:00+08:00`) });
    if (!check.ok) {
      // The reason only: the number itself never appears in a message.
      throw invalid(idPath, `ID_${check.reason}`, `${idPath} is not a valid national ID number: ${ID_FAILURE_TEXT[check.reason]}`);
    }
    if (h.villageCode === null || h.villageCode === undefined) {
      throw invalid(`${path}.household.villageCode`, 'VILLAGE_REQUIRED', `${path}.household.villageCode is required with a national ID number`);
    }
    const headPhone = h.headPhone === null || h.headPhone === undefined ? null : h.headPhone.trim();
    if (headPhone !== null && !PHONE.test(headPhone)) {
      throw invalid(`${path}.household.headPhone`, 'INVALID_PHONE', `${path}.household.headPhone must be a phone number of digits`);
    }
    return {
      kind: 'HOUSEHOLD_ID',
      normalizedId: check.normalized,
      birthDate: check.birthDate,
      villageCode: h.villageCode,
      headName: freeText(h.headName, `${path}.household.headName`, 50),
      headPhone,
    };
  }
  if (input.householdRef !== null && input.householdRef !== undefined) {
    if (!isHouseholdRef(input.householdRef)) {
      throw invalid(`${path}.householdRef`, 'INVALID_REF', `${path}.householdRef must be H followed by 12 Crockford base32 characters`);
    }
    return { kind: 'HOUSEHOLD_REF', ref: input.householdRef };
  }
  const e = input.enterprise!;
  const codePath = `${path}.enterprise.creditCode`;
  if (typeof e.creditCode !== 'string' || !USCC_SHAPE.test(e.creditCode)) {
    throw invalid(codePath, 'CREDIT_CODE_FORMAT', `${codePath} must be an 18-character unified social credit code`);
  }
  if (creditCodeCheckCharacter(e.creditCode.slice(0, 17)) !== e.creditCode[17]) {
    throw invalid(codePath, 'CREDIT_CODE_CHECK_CHARACTER', `${codePath}: the check character does not match (GB 32100)`);
  }
  const name = freeText(e.name, `${path}.enterprise.name`, 200);
  if (name === null) {
    throw invalid(`${path}.enterprise.name`, 'NAME_REQUIRED', `${path}.enterprise.name is required`);
  }
  if (!ENTERPRISE_KINDS.has(e.kind)) {
    throw invalid(`${path}.enterprise.kind`, 'INVALID_KIND', `${path}.enterprise.kind is not an enterprise kind`);
  }
  return { kind: 'ENTERPRISE', creditCode: e.creditCode, name, enterpriseKind: e.kind, villageCode: e.villageCode ?? null };
}

/** The GB 32100 check character of the first 17 characters of a credit code. */
export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(first17[i]) * USCC_WEIGHTS[i];
  return USCC_CHARSET[(31 - (sum % 31)) % 31];
}

/**
 * The hub's household or enterprise for a checked borrower, created when unknown.
 *
 * @param countyCode the county of the contract: an enterprise first seen is placed there.
 * @param since the contract's start: a household first seen is OTHER from that date.
 */
export async function resolveBorrower(ctx: IngestContext, borrower: CheckedBorrower, path: string, countyCode: string, since: string): Promise<ResolvedBorrower> {
  switch (borrower.kind) {
    case 'HOUSEHOLD_ID':
      return householdById(ctx, borrower, path, since);
    case 'HOUSEHOLD_REF': {
      const rows = await queryFragment<{ id: string }>(
        ctx.client,
        sql`SELECT h.id::text AS id FROM household h WHERE h.ref = ${borrower.ref} AND ${householdScope(ctx.principal, 'h')}`,
      );
      if (rows.length === 0) throw unknownReference(`${path}.householdRef`, `${path}.householdRef: no household ${borrower.ref} among your counterparties`);
      return { kind: 'HOUSEHOLD', id: rows[0].id, ref: borrower.ref };
    }
    case 'ENTERPRISE':
      return enterpriseByCode(ctx, borrower, path, countyCode);
  }
}

async function householdById(ctx: IngestContext, borrower: Extract<CheckedBorrower, { kind: 'HOUSEHOLD_ID' }>, path: string, since: string): Promise<ResolvedBorrower> {
  const keyring = ctx.deps.matchKeyring;
  if (keyring === null) {
    throw new Error('ingestion: TRIPOD_MATCH_KEYS is not configured, so households cannot be matched');
  }
  // The village is checked whether or not the household is known, so the answer never
  // depends on registration.
  const village = await villageArea(ctx, borrower.villageCode, `${path}.household.villageCode`);
  const hashes = matchHashesForAllVersions(keyring, borrower.normalizedId);
  const current = hashes[0];
  const params: unknown[] = [];
  const alternatives = hashes.map(({ version, hash }) => {
    params.push(version, hash);
    return `(hi.key_version = $${params.length - 1} AND hi.match_hash = $${params.length})`;
  });
  params.push(keyring.current);
  const lookup = () =>
    ctx.client.query<{ id: string; ref: string }>(
      `SELECT h.id::text AS id, h.ref FROM household_identity hi JOIN household h ON h.id = hi.household_id
        WHERE hi.valid_to IS NULL AND (${alternatives.join(' OR ')})
        ORDER BY (hi.key_version = $${params.length}) DESC, hi.id LIMIT 1`,
      params,
    );
  let found = await lookup();
  if (found.rows[0] === undefined) {
    // Two calls first reporting the same household queue here, and the second finds the
    // first's household, instead of both creating one.
    await ctx.client.query('SELECT pg_advisory_xact_lock($1::bigint)', [current.hash.readBigInt64BE(0).toString()]);
    found = await lookup();
  }
  if (found.rows[0] !== undefined) return { kind: 'HOUSEHOLD', id: found.rows[0].id, ref: found.rows[0].ref };

  const pii = ctx.deps.piiKeyring;
  const ref = newHouseholdRef();
  const provenance = [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt];
  const created = await ctx.client.query<{ id: string }>(
    `INSERT INTO household (source_institution_id, batch_id, received_at, ref, village_code, county_code, status, status_since, name_enc, phone_enc, pii_key_version, version)
     VALUES ($1, $2, $3, $4, $5, $6, 'OTHER', $7, $8, $9, $10, 1) RETURNING id::text AS id`,
    [
      ...provenance,
      ref,
      village.code,
      village.countyCode,
      since,
      encryptPii(pii, borrower.headName ?? ''),
      borrower.headPhone === null ? null : encryptPii(pii, borrower.headPhone),
      pii.current,
    ],
  );
  const id = created.rows[0].id;
  await ctx.client.query('INSERT INTO household_identity (household_id, county_code, key_version, match_hash) VALUES ($1, $2, $3, $4)', [
    id,
    village.countyCode,
    current.version,
    current.hash,
  ]);
  await ctx.client.query(
    `INSERT INTO household_status_change (source_institution_id, batch_id, received_at, household_id, county_code, status, valid_from, reason)
     VALUES ($1, $2, $3, $4, $5, 'OTHER', $6, $7)`,
    [...provenance, id, village.countyCode, since, '贷款机构首次报送，未匹配建档立卡'],
  );
  // As the demo's households: registry attributes only, never PII.
  await insertRecordVersion(ctx, 'HOUSEHOLD', id, 1, village.countyCode, {
    ref,
    countyCode: village.countyCode,
    villageCode: village.code,
    registeredOn: null,
    attribute: null,
    size: null,
  });
  return { kind: 'HOUSEHOLD', id, ref };
}

async function enterpriseByCode(ctx: IngestContext, borrower: Extract<CheckedBorrower, { kind: 'ENTERPRISE' }>, path: string, countyCode: string): Promise<ResolvedBorrower> {
  const known = await ctx.client.query<{ id: string }>('SELECT id::text AS id FROM enterprise WHERE credit_code = $1', [borrower.creditCode]);
  if (known.rows[0] !== undefined) return { kind: 'ENTERPRISE', id: known.rows[0].id, creditCode: borrower.creditCode };
  let villageCode: string | null = null;
  if (borrower.villageCode !== null) {
    villageCode = (await villageArea(ctx, borrower.villageCode, `${path}.enterprise.villageCode`)).code;
  }
  const inserted = await ctx.client.query<{ id: string }>(
    `INSERT INTO enterprise (source_institution_id, batch_id, received_at, credit_code, name, kind, county_code, village_code, poverty_driving, version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, false, 1)
     ON CONFLICT (credit_code) DO NOTHING RETURNING id::text AS id`,
    [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt, borrower.creditCode, borrower.name, borrower.enterpriseKind, countyCode, villageCode],
  );
  if (inserted.rows[0] === undefined) {
    // Created by a concurrent call meanwhile: that row is the enterprise.
    const again = await ctx.client.query<{ id: string }>('SELECT id::text AS id FROM enterprise WHERE credit_code = $1', [borrower.creditCode]);
    return { kind: 'ENTERPRISE', id: again.rows[0].id, creditCode: borrower.creditCode };
  }
  const id = inserted.rows[0].id;
  await insertRecordVersion(ctx, 'ENTERPRISE', id, 1, countyCode, {
    creditCode: borrower.creditCode,
    name: borrower.name,
    kind: borrower.enterpriseKind,
    countyCode,
    villageCode,
    povertyDriving: false,
  });
  return { kind: 'ENTERPRISE', id, creditCode: borrower.creditCode };
}

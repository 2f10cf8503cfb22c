/**
 * `upsertHouseholds`: a county government reports its poverty registry (建档立卡).
 *
 * Naming. A household is the one whose head's national ID number (`headIdNumber`) it
 * carries: the number is validated as for borrowers (`borrowers.ts`), matched through
 * `household_identity` under every configured key, and never stored, logged or echoed.
 * The item is labelled by `ref`, the government's own registry household number (户编号):
 * it is what results echo, what duplicates in a batch are found by and what replays are
 * matched on, so no answer ever carries the ID number or its hash. The idempotency of
 * the *household* is the match hash: the same number under another `ref` is still the
 * same household (a second item naming it in one batch is DUPLICATE_HOUSEHOLD).
 *
 * Adoption. A household a lender first reported (status OTHER, "not in the registry")
 * is matched by its hash and adopted, never duplicated: the registry facts become its
 * next version, the registry status is appended to its history, and the lender's OTHER
 * placeholders dated on or after the registry status are dropped (they meant "unknown
 * to the registry", which the registry now answers).
 *
 * Versions. The registry facts (village, registration date, attribute, size, status,
 * exit year, registry number; never PII) are the household's versioned terms in
 * `record_version`; the same facts again are UNCHANGED, other facts UPDATED with the
 * next version; a changed head name or phone is a new version too (its terms carry a
 * contact revision, never the PII). A changed status appends a `household_status_change`
 * row dated `statusSince` (history kept; `household.status` mirrors the latest), and
 * status history is appended in date order. `version` in an item is the household
 * version it was based on: a stale one is CONFLICT.
 *
 * Scope. The village must be in the caller's county (else NOT_FOUND, worded as for an
 * unknown village). A household registered in another county is not the caller's to
 * change: CONFLICT / REGISTERED_ELSEWHERE, which says no more than `householdRegistration`
 * tells any partner.
 */
import { decryptPii, encryptPii, matchHashesForAllVersions, newHouseholdRef } from '../identity';
import type { IngestContext, IngestionKind, WrittenItem } from './batch-engine';
import { checkBorrower } from './borrowers';
import { baseVersion } from './loan.ingestion';
import { freeText, notInFuture, partnerRef } from './field-rules';
import type { AppliedItem } from './ingestion.types';
import { conflictWith, invalid } from './item-rejection';
import { hashTerms, insertRecordVersion, type Terms } from './record-versions';
import { inScope, latestVersion, oneOf, reworded, villageInScope, wholeNumber, yearOf } from './registry-rules';

/** One registry household (the GraphQL `HouseholdRegistryInput`). */
export interface HouseholdItemInput {
  ref: string;
  headIdNumber: string;
  villageCode: string;
  headName?: string | null;
  headPhone?: string | null;
  status: string;
  statusSince: string;
  exitYear?: number | null;
  registeredOn?: string | null;
  attribute?: string | null;
  size?: number | null;
  statusReason?: string | null;
  version?: number | null;
}

interface CheckedHousehold {
  ref: string;
  /** Kept in memory for the item's processing only. */
  normalizedId: string;
  villageCode: string;
  headName: string | null;
  headPhone: string | null;
  status: string;
  statusSince: string;
  exitYear: number | null;
  registeredOn: string | null;
  attribute: string | null;
  size: number | null;
  statusReason: string | null;
  version: number | null;
}

const STATUSES: ReadonlySet<string> = new Set(['REGISTERED_POOR', 'LIFTED_OUT', 'MARGINAL', 'OTHER']);
const ATTRIBUTES: ReadonlySet<string> = new Set(['GENERAL', 'SUBSISTENCE_ALLOWANCE', 'EXTREME_HARDSHIP']);
/** The registry (精准扶贫建档立卡) opened in 2014: no registry exit before it. */
const FIRST_EXIT_YEAR = 2014;

function checkHousehold(item: HouseholdItemInput, today: string): CheckedHousehold {
  const ref = partnerRef(item.ref, 'ref');
  // The number, village and contact by the borrower rules (`borrowers.ts`), with this item's paths:
  // the number is validated there and never appears in a message.
  const head = reworded('h.household.', () =>
    checkBorrower({ household: { headIdNumber: item.headIdNumber, villageCode: item.villageCode, headName: item.headName, headPhone: item.headPhone } }, 'h', today),
  );
  if (head.kind !== 'HOUSEHOLD_ID') throw new Error('upsertHouseholds: not a household');
  const status = oneOf(STATUSES, item.status, 'status');
  notInFuture(item.statusSince, today, 'statusSince');
  const exitYear = item.exitYear ?? null;
  if (status === 'LIFTED_OUT') {
    if (exitYear === null) throw invalid('exitYear', 'EXIT_YEAR_REQUIRED', 'exitYear is required with status LIFTED_OUT');
    wholeNumber(exitYear, 'exitYear', FIRST_EXIT_YEAR, yearOf(item.statusSince));
  } else if (exitYear !== null) {
    // A marginal or relapsed household may have exited once: keep the year, bounded alike.
    wholeNumber(exitYear, 'exitYear', FIRST_EXIT_YEAR, yearOf(today));
  }
  const registeredOn = item.registeredOn ?? null;
  if (registeredOn !== null) {
    notInFuture(registeredOn, today, 'registeredOn');
    if (registeredOn > item.statusSince && status !== 'OTHER') {
      throw invalid('registeredOn', 'DATE_ORDER', 'registeredOn must not be after statusSince');
    }
  }
  return {
    ref,
    normalizedId: head.normalizedId,
    villageCode: head.villageCode,
    headName: head.headName,
    headPhone: head.headPhone,
    status,
    statusSince: item.statusSince,
    exitYear,
    registeredOn,
    attribute: item.attribute == null ? null : oneOf(ATTRIBUTES, item.attribute, 'attribute'),
    size: item.size == null ? null : wholeNumber(item.size, 'size', 1, 30),
    statusReason: freeText(item.statusReason, 'statusReason', 200),
    version: baseVersion(item.version),
  };
}

interface FoundHousehold {
  id: string;
  ref: string;
  countyCode: string;
  villageCode: string;
  status: string;
  statusSince: string;
  exitYear: number | null;
  version: number;
  nameEnc: Buffer;
  phoneEnc: Buffer | null;
}

/** The household whose live identity matches the number, locked until the batch commits. */
async function lockByIdentity(ctx: IngestContext, normalizedId: string): Promise<{ found: FoundHousehold | null; hashHex: string }> {
  const keyring = ctx.deps.matchKeyring;
  if (keyring === null) throw new Error('ingestion: TRIPOD_MATCH_KEYS is not configured, so households cannot be matched');
  const hashes = matchHashesForAllVersions(keyring, normalizedId);
  const params: unknown[] = [];
  const alternatives = hashes.map(({ version, hash }) => {
    params.push(version, hash);
    return `(hi.key_version = $${params.length - 1} AND hi.match_hash = $${params.length})`;
  });
  params.push(keyring.current);
  const lookup = async () => {
    const rows = await ctx.client.query<{
      id: string;
      ref: string;
      county_code: string;
      village_code: string;
      status: string;
      status_since: string;
      exit_year: number | null;
      version: number;
      name_enc: Buffer;
      phone_enc: Buffer | null;
    }>(
      `SELECT h.id::text AS id, h.ref, h.county_code, h.village_code, h.status, h.status_since::text AS status_since, h.exit_year, h.version, h.name_enc, h.phone_enc
         FROM household_identity hi JOIN household h ON h.id = hi.household_id
        WHERE hi.valid_to IS NULL AND (${alternatives.join(' OR ')})
        ORDER BY (hi.key_version = $${params.length}) DESC, hi.id LIMIT 1
        FOR NO KEY UPDATE OF h`,
      params,
    );
    const r = rows.rows[0];
    if (r === undefined) return null;
    return {
      id: r.id,
      ref: r.ref,
      countyCode: r.county_code,
      villageCode: r.village_code,
      status: r.status,
      statusSince: r.status_since,
      exitYear: r.exit_year === null ? null : Number(r.exit_year),
      version: Number(r.version),
      nameEnc: r.name_enc,
      phoneEnc: r.phone_enc,
    };
  };
  const hashHex = hashes[0].hash.toString('hex');
  let found = await lookup();
  if (found === null) {
    // As in `borrowers.ts`: two calls first reporting one household queue here.
    await ctx.client.query('SELECT pg_advisory_xact_lock($1::bigint)', [hashes[0].hash.readBigInt64BE(0).toString()]);
    found = await lookup();
  }
  return { found, hashHex };
}

function registryTerms(h: CheckedHousehold, hubRef: string, countyCode: string, contactRevision: number): Terms {
  return {
    ref: hubRef,
    registryRef: h.ref,
    countyCode,
    villageCode: h.villageCode,
    registeredOn: h.registeredOn,
    attribute: h.attribute,
    size: h.size,
    status: h.status,
    exitYear: h.exitYear,
    contactRevision,
  };
}

/** Whether stored PII differs from what the item sends (absent fields keep what is stored). */
function contactChanged(ctx: IngestContext, found: FoundHousehold, h: CheckedHousehold): boolean {
  const pii = ctx.deps.piiKeyring;
  if (h.headName !== null && decryptPii(pii, found.nameEnc) !== h.headName) return true;
  if (h.headPhone !== null && (found.phoneEnc === null || decryptPii(pii, found.phoneEnc) !== h.headPhone)) return true;
  return false;
}

async function applyHousehold(ctx: IngestContext, h: CheckedHousehold): Promise<AppliedItem> {
  const village = await villageInScope(ctx, h.villageCode, 'villageCode');
  const { found, hashHex } = await lockByIdentity(ctx, h.normalizedId);
  const seenKey = `household-in-batch:${hashHex}`;
  if (ctx.memo.has(seenKey)) {
    throw invalid('headIdNumber', 'DUPLICATE_HOUSEHOLD', `headIdNumber names the same household as item ref ${String(ctx.memo.get(seenKey))} of this batch; send each household once`);
  }
  const provenance = [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt];
  const pii = ctx.deps.piiKeyring;

  if (found === null) {
    if (h.version !== null) throw conflictWith('version', 'NO_SUCH_VERSION', `The item is based on version ${h.version}, but the registry has no such household yet`);
    if (h.headName === null) throw invalid('headName', 'NAME_REQUIRED', 'headName is required for a household new to the hub');
    const keyring = ctx.deps.matchKeyring!;
    const current = matchHashesForAllVersions(keyring, h.normalizedId)[0];
    const hubRef = newHouseholdRef();
    const created = await ctx.client.query<{ id: string }>(
      `INSERT INTO household (source_institution_id, batch_id, received_at, ref, village_code, county_code, status, status_since, exit_year,
                              registered_on, attribute, size, name_enc, phone_enc, pii_key_version, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1) RETURNING id::text AS id`,
      [
        ...provenance,
        hubRef,
        village.code,
        village.countyCode,
        h.status,
        h.statusSince,
        h.exitYear,
        h.registeredOn,
        h.attribute,
        h.size,
        encryptPii(pii, h.headName),
        h.headPhone === null ? null : encryptPii(pii, h.headPhone),
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
    await insertStatusChange(ctx, id, village.countyCode, h);
    await insertRecordVersion(ctx, 'HOUSEHOLD', id, 1, village.countyCode, registryTerms(h, hubRef, village.countyCode, 0));
    ctx.memo.set(seenKey, h.ref);
    return { status: 'CREATED', record: { type: 'Household', id, key: hubRef }, version: 1, warnings: [] };
  }

  if (!(await inScope(ctx, found.countyCode)) && found.status !== 'OTHER') {
    throw conflictWith('headIdNumber', 'REGISTERED_ELSEWHERE', 'headIdNumber names a household registered outside your county; its own county reports it');
  }
  const latest = await latestVersion(ctx, 'HOUSEHOLD', found.id);
  const revision = Number(latest?.terms.contactRevision ?? 0);
  const piiChanged = contactChanged(ctx, found, h);
  const terms = registryTerms(h, found.ref, village.countyCode, piiChanged ? revision + 1 : revision);
  const statusChanged = found.status !== h.status || (h.status === 'LIFTED_OUT' && found.exitYear !== h.exitYear);
  if (latest !== null && latest.hash === hashTerms(terms).hash && !statusChanged) {
    ctx.memo.set(seenKey, h.ref);
    return { status: 'UNCHANGED', record: { type: 'Household', id: found.id, key: found.ref }, version: found.version, warnings: [] };
  }
  if (h.version !== null && h.version !== found.version) {
    throw conflictWith('version', 'STALE_VERSION', `The item is based on version ${h.version}, but household ${h.ref} is at version ${found.version}; read it again`);
  }

  if (statusChanged) {
    if (found.status === 'OTHER') {
      // Adoption: the lender's "not in the registry" placeholders the registry now answers.
      await ctx.client.query(
        `DELETE FROM household_status_change c USING institution i
          WHERE c.household_id = $1 AND c.status = 'OTHER' AND c.valid_from >= $2 AND i.id = c.source_institution_id AND i.kind <> 'GOVERNMENT'`,
        [found.id, h.statusSince],
      );
    }
    const last = await ctx.client.query<{ valid_from: string; status: string }>(
      'SELECT valid_from::text AS valid_from, status FROM household_status_change WHERE household_id = $1 ORDER BY valid_from DESC LIMIT 1',
      [found.id],
    );
    const previous = last.rows[0];
    if (previous !== undefined && previous.valid_from >= h.statusSince) {
      throw conflictWith(
        'statusSince',
        'STATUS_OUT_OF_ORDER',
        `statusSince must be after the household's latest recorded status change (${previous.valid_from}); status history is appended, never rewritten`,
      );
    }
    await insertStatusChange(ctx, found.id, village.countyCode, h);
  }
  const next = found.version + 1;
  const updated = await ctx.client.query(
    `UPDATE household SET source_institution_id = $1, batch_id = $2, received_at = $3,
            village_code = $6, county_code = $7, registered_on = $8, attribute = $9, size = $10,
            status = CASE WHEN $11 THEN $12 ELSE status END,
            status_since = CASE WHEN $11 THEN $13::date ELSE status_since END,
            exit_year = CASE WHEN $11 THEN $14::smallint ELSE exit_year END,
            name_enc = coalesce($15, name_enc), phone_enc = coalesce($16, phone_enc), pii_key_version = CASE WHEN $15::bytea IS NULL AND $16::bytea IS NULL THEN pii_key_version ELSE $17 END,
            version = version + 1
      WHERE id = $4 AND version = $5`,
    [
      ...provenance,
      found.id,
      found.version,
      village.code,
      village.countyCode,
      h.registeredOn,
      h.attribute,
      h.size,
      statusChanged,
      h.status,
      h.statusSince,
      h.exitYear,
      piiChanged && h.headName !== null ? encryptPii(pii, h.headName) : null,
      piiChanged && h.headPhone !== null ? encryptPii(pii, h.headPhone) : null,
      pii.current,
    ],
  );
  if (updated.rowCount !== 1) throw conflictWith('version', 'STALE_VERSION', `Household ${h.ref} changed meanwhile; read it again`);
  if (found.countyCode !== village.countyCode) {
    // A move re-keys nothing, but the identity carries the household's county.
    await ctx.client.query('UPDATE household_identity SET county_code = $2 WHERE household_id = $1 AND valid_to IS NULL', [found.id, village.countyCode]);
  }
  await insertRecordVersion(ctx, 'HOUSEHOLD', found.id, next, village.countyCode, terms);
  ctx.memo.set(seenKey, h.ref);
  return { status: 'UPDATED', record: { type: 'Household', id: found.id, key: found.ref }, version: next, warnings: [] };
}

async function insertStatusChange(ctx: IngestContext, householdId: string, countyCode: string, h: CheckedHousehold): Promise<void> {
  await ctx.client.query(
    `INSERT INTO household_status_change (source_institution_id, batch_id, received_at, household_id, county_code, status, valid_from, exit_year, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt, householdId, countyCode, h.status, h.statusSince, h.exitYear, h.statusReason],
  );
}

async function householdsWrittenBy(ctx: IngestContext): Promise<Map<string, WrittenItem>> {
  const rows = await ctx.client.query<{ id: string; version: number; registry_ref: string; ref: string }>(
    `SELECT record_id::text AS id, version, terms->>'registryRef' AS registry_ref, terms->>'ref' AS ref
       FROM record_version WHERE batch_id = $1 AND record_kind = 'HOUSEHOLD'`,
    [ctx.batch.rowId],
  );
  return new Map(
    rows.rows.map(
      (r) => [r.registry_ref, { status: Number(r.version) === 1 ? 'CREATED' : 'UPDATED', record: { type: 'Household', id: r.id, key: r.ref }, version: Number(r.version) }] as const,
    ),
  );
}

export const HOUSEHOLD_INGESTION: IngestionKind<HouseholdItemInput, CheckedHousehold> = {
  kind: 'upsertHouseholds',
  roles: ['GOVERNMENT'],
  refOf: (item) => ({ ref: item.ref, path: 'ref' }),
  check: checkHousehold,
  apply: applyHousehold,
  writtenBy: householdsWrittenBy,
};

/**
 * `upsertLoans`, set-based: the batch engine's `applyAll` for loans. Applying item by
 * item costs a savepoint and six to ten statements per loan (≈230 loans/s); here a
 * batch of up to 1,000 loans takes about a dozen statements whatever its size:
 *
 * 1. reference data (counties, villages) read in one statement each into the batch
 *    memo, the caller's facilities and funds once per distinct reference;
 * 2. the caller's existing loans of the batch locked in one statement, in reference
 *    order (the order the item-by-item path locks them in), then their current terms
 *    hashes in one more;
 * 3. borrowers resolved in one statement per kind (households by match hash,
 *    households by ref through the row scope, enterprises by credit code);
 * 4. every item classified in Node, in reference order, exactly as `applyLoan` would
 *    have decided it one by one: the same checks in the same order, the same
 *    rejections, and a household or enterprise first seen in the batch created by the
 *    first item that lands (a rejected item creates nothing, as its savepoint would
 *    have been rolled back);
 * 5. households, enterprises, new loans, updated loans, versions and pending links
 *    written with one multi-row statement each (`INSERT … SELECT FROM unnest(…)`).
 *
 * Whatever the database refuses (a CHECK, a foreign key, a row a concurrent call
 * created meanwhile) aborts this path: the engine rolls its savepoint back and applies
 * the batch item by item, which reports the refusal against the item concerned.
 */
import { sql } from '../../db/sql';
import { householdScope } from '../access';
import { encryptPii, matchHashesForAllVersions, newHouseholdRef, type MatchHash } from '../identity';
import { ApplyItemByItem, type IngestContext } from './batch-engine';
import type { CheckedBorrower, ResolvedBorrower } from './borrowers';
import { coversBorrower } from './contract-links';
import type { AppliedItem, PolicyViolation } from './ingestion.types';
import { conflictWith, ItemRejection, unknownReference } from './item-rejection';
import type { CheckedLoan } from './loan.ingestion';
import { microcreditViolations } from './policy-rules';
import { hashTerms, type Terms, type VersionedKind } from './record-versions';
import { agreedFund, countyArea, ownRelendingFacility, queryFragment, villageArea } from './references';

/** The canonical terms of a loan version (`loanTerms` in `loan.ingestion.ts`). */
export type LoanTermsOf = (ctx: IngestContext, loan: CheckedLoan, borrower: ResolvedBorrower, violations: PolicyViolation[]) => Terms;

type Outcome = AppliedItem | ItemRejection;

/** A household or enterprise first seen in this batch, created by the first item that lands. */
interface NewParty {
  kind: 'HOUSEHOLD' | 'ENTERPRISE';
  /** Household: the generated ref; enterprise: the credit code. */
  key: string;
  id: string | null;
  /** Index (in `loans`) of the item that creates it; null until one lands. */
  creator: number | null;
}

/** What an item that passed every check writes. */
interface Landing {
  i: number;
  status: 'CREATED' | 'UPDATED' | 'UNCHANGED';
  borrower: ResolvedBorrower;
  newParty: NewParty | null;
  terms: Terms;
  json: string;
  hash: string;
  warnings: PolicyViolation[];
  facilityId: string | null;
  fundId: string | null;
  existing: ExistingLoan | null;
}

interface ExistingLoan {
  id: string;
  version: number;
  hash: string | null;
}

const VILLAGE_CODE = /^\d{12}$/;

/** Applies checked loans (in reference order) at once; one outcome per loan, in the same order. */
export async function applyLoansInBulk(ctx: IngestContext, loans: readonly CheckedLoan[], termsOf: LoanTermsOf): Promise<Outcome[]> {
  const outcomes: Array<Outcome | undefined> = new Array(loans.length);
  const reject = (i: number, error: unknown): void => {
    if (!(error instanceof ItemRejection)) throw error;
    outcomes[i] = error;
  };
  await prefetchAreas(ctx, loans);
  const existing = await lockLoans(ctx, loans.map((l) => l.ref));

  // 1. The references each item names, in `applyLoan`'s order.
  const facts: Array<{ facilityId: string | null; fundId: string | null } | null> = new Array(loans.length).fill(null);
  for (let i = 0; i < loans.length; i++) {
    const loan = loans[i];
    try {
      await countyArea(ctx, loan.countyCode, 'countyCode');
      const facilityId = loan.relendingFacilityRef === null ? null : await ownRelendingFacility(ctx, loan.relendingFacilityRef, 'relendingFacilityRef');
      const fundId = loan.riskCompensationFundRef === null ? null : await agreedFund(ctx, loan.riskCompensationFundRef, 'riskCompensationFundRef');
      if (!existing.has(loan.ref) && loan.version !== null) {
        throw conflictWith('version', 'NO_SUCH_VERSION', `The item is based on version ${loan.version}, but your institution has reported no loan ${loan.ref}`);
      }
      if (loan.borrower.kind === 'HOUSEHOLD_ID') {
        if (ctx.deps.matchKeyring === null) {
          throw new Error('ingestion: TRIPOD_MATCH_KEYS is not configured, so households cannot be matched');
        }
        await villageArea(ctx, loan.borrower.villageCode, 'borrower.household.villageCode');
      }
      facts[i] = { facilityId, fundId };
    } catch (error) {
      reject(i, error);
    }
  }

  // 2. Borrowers, one statement per kind.
  const live = (kind: CheckedBorrower['kind']) => loans.flatMap((l, i) => (facts[i] !== null && l.borrower.kind === kind ? [l.borrower] : []));
  const householdsById = await householdsByNationalId(ctx, live('HOUSEHOLD_ID') as Array<Extract<CheckedBorrower, { kind: 'HOUSEHOLD_ID' }>>);
  const householdsByRef = await visibleHouseholds(ctx, (live('HOUSEHOLD_REF') as Array<Extract<CheckedBorrower, { kind: 'HOUSEHOLD_REF' }>>).map((b) => b.ref));
  const enterprises = await knownEnterprises(ctx, (live('ENTERPRISE') as Array<Extract<CheckedBorrower, { kind: 'ENTERPRISE' }>>).map((b) => b.creditCode));

  // 3. Classification, in reference order, as `applyLoan` one by one.
  const newParties = new Map<string, NewParty>();
  const landings: Landing[] = [];
  for (let i = 0; i < loans.length; i++) {
    const fact = facts[i];
    if (fact === null) continue;
    const loan = loans[i];
    const b = loan.borrower;
    let borrower: ResolvedBorrower;
    let newParty: NewParty | null = null;
    try {
      if (b.kind === 'HOUSEHOLD_ID') {
        const found = householdsById.get(b.normalizedId)!;
        if ('id' in found) {
          borrower = { kind: 'HOUSEHOLD', id: found.id, ref: found.ref };
        } else {
          newParty = partyFor(newParties, `H:${b.normalizedId}`, 'HOUSEHOLD', found.newRef);
          borrower = { kind: 'HOUSEHOLD', id: '', ref: found.newRef };
        }
      } else if (b.kind === 'HOUSEHOLD_REF') {
        const id = householdsByRef.get(b.ref);
        if (id === undefined) throw unknownReference('borrower.householdRef', `borrower.householdRef: no household ${b.ref} among your counterparties`);
        borrower = { kind: 'HOUSEHOLD', id, ref: b.ref };
      } else {
        const id = enterprises.get(b.creditCode);
        if (id !== undefined) {
          borrower = { kind: 'ENTERPRISE', id, creditCode: b.creditCode };
        } else {
          newParty = partyFor(newParties, `E:${b.creditCode}`, 'ENTERPRISE', b.creditCode);
          // Until an earlier item of the batch created it, the enterprise is unknown and
          // its village is checked, as `enterpriseByCode` does.
          if (newParty.creator === null && b.villageCode !== null) await villageArea(ctx, b.villageCode, 'borrower.enterprise.villageCode');
          borrower = { kind: 'ENTERPRISE', id: '', creditCode: b.creditCode };
        }
      }
      const warnings = microcreditViolations(ctx.policy, {
        product: loan.product,
        borrowerKind: borrower.kind,
        principal: loan.principal,
        disbursedOn: loan.disbursedOn,
        maturesOn: loan.maturesOn,
        paidToAccount: loan.paidToAccount,
        headBirthDate: b.kind === 'HOUSEHOLD_ID' ? b.birthDate : null,
      });
      const terms = termsOf(ctx, loan, borrower, warnings);
      const { json, hash } = hashTerms(terms);
      const ex = existing.get(loan.ref) ?? null;
      let status: Landing['status'] = 'CREATED';
      if (ex !== null) {
        if (ex.hash === hash) {
          status = 'UNCHANGED';
        } else if (loan.version !== null && loan.version !== ex.version) {
          throw conflictWith('version', 'STALE_VERSION', `The item is based on version ${loan.version}, but loan ${loan.ref} is at version ${ex.version}; read it again`);
        } else {
          status = 'UPDATED';
        }
      }
      if (newParty !== null && newParty.creator === null) newParty.creator = i;
      landings.push({ i, status, borrower, newParty, terms, json, hash, warnings, facilityId: fact.facilityId, fundId: fact.fundId, existing: ex });
    } catch (error) {
      reject(i, error);
    }
  }

  // 4. Writes.
  await createHouseholds(ctx, loans, [...newParties.values()].filter((p) => p.kind === 'HOUSEHOLD' && p.creator !== null));
  const createdEnterprises = await createEnterprises(ctx, loans, [...newParties.values()].filter((p) => p.kind === 'ENTERPRISE' && p.creator !== null));
  for (const landing of landings) {
    if (landing.newParty !== null) landing.borrower = { ...landing.borrower, id: landing.newParty.id! } as ResolvedBorrower;
  }
  const loanIds = await writeLoans(ctx, loans, landings);

  const versions: VersionRow[] = [];
  for (const landing of landings) {
    const loan = loans[landing.i];
    const party = landing.newParty;
    if (party !== null && party.creator === landing.i) {
      if (party.kind === 'HOUSEHOLD') versions.push(householdVersion(ctx, loan, party));
      else if (createdEnterprises.has(party.key)) versions.push(enterpriseVersion(loan, party));
    }
    const id = loanIds.get(landing.i)!;
    if (landing.status === 'UNCHANGED') {
      outcomes[landing.i] = { status: 'UNCHANGED', record: { type: 'Loan', id }, version: landing.existing!.version, warnings: landing.warnings };
      continue;
    }
    const version = landing.status === 'CREATED' ? 1 : landing.existing!.version + 1;
    versions.push({ kind: 'LOAN', id, version, countyCode: loan.countyCode, json: landing.json, hash: landing.hash });
    outcomes[landing.i] = { status: landing.status, record: { type: 'Loan', id }, version, warnings: landing.warnings };
  }
  await insertVersions(ctx, versions);
  await resolvePendingLinksOf(
    ctx,
    landings.filter((l) => l.status !== 'UNCHANGED').map((l) => ({ id: loanIds.get(l.i)!, ref: loans[l.i].ref, borrower: l.borrower })),
  );
  return outcomes as Outcome[];
}

function partyFor(parties: Map<string, NewParty>, key: string, kind: NewParty['kind'], partyKey: string): NewParty {
  let party = parties.get(key);
  if (party === undefined) {
    party = { kind, key: partyKey, id: null, creator: null };
    parties.set(key, party);
  }
  return party;
}

/** Counties and villages the batch names, into the batch memo in two statements. */
async function prefetchAreas(ctx: IngestContext, loans: readonly CheckedLoan[]): Promise<void> {
  const counties = new Set<string>();
  const villages = new Set<string>();
  for (const loan of loans) {
    if (!ctx.memo.has(`county:${loan.countyCode}`)) counties.add(loan.countyCode);
    const b = loan.borrower;
    const village = b.kind === 'HOUSEHOLD_ID' ? b.villageCode : b.kind === 'ENTERPRISE' ? b.villageCode : null;
    if (village !== null && VILLAGE_CODE.test(village) && !ctx.memo.has(`village:${village}`)) villages.add(village);
  }
  if (counties.size > 0) {
    const rows = await ctx.client.query<{ code: string }>("SELECT code FROM area WHERE code = ANY($1::text[]) AND level = 'COUNTY'", [[...counties]]);
    const found = new Set(rows.rows.map((r) => r.code));
    for (const code of counties) ctx.memo.set(`county:${code}`, found.has(code));
  }
  if (villages.size > 0) {
    const rows = await ctx.client.query<{ code: string; county: string }>(
      `SELECT v.code, c.code AS county FROM area v JOIN area c ON c.code = left(v.code, 6) AND c.level = 'COUNTY'
        WHERE v.code = ANY($1::text[]) AND v.level = 'VILLAGE'`,
      [[...villages]],
    );
    const found = new Map(rows.rows.map((r) => [r.code, r.county]));
    for (const code of villages) ctx.memo.set(`village:${code}`, found.get(code) ?? null);
  }
}

/**
 * The caller's loans with these references, locked (FOR NO KEY UPDATE) in reference
 * order until the batch commits, with the hash of their current version's terms. The
 * hashes are read after the locks, so a writer that waited sees the committed version.
 */
async function lockLoans(ctx: IngestContext, refs: readonly string[]): Promise<Map<string, ExistingLoan>> {
  const locked = await ctx.client.query<{ id: string; ref: string; version: number }>(
    `SELECT id::text AS id, ref, version FROM loan WHERE institution_id = $1 AND ref = ANY($2::text[])
      ORDER BY ref COLLATE "C" FOR NO KEY UPDATE`,
    [ctx.institution.id, refs],
  );
  const out = new Map<string, ExistingLoan>();
  if (locked.rows.length === 0) return out;
  const hashes = await ctx.client.query<{ id: string; terms_hash: string }>(
    `SELECT rv.record_id::text AS id, rv.terms_hash FROM record_version rv
       JOIN unnest($1::bigint[], $2::int[]) AS l(id, version) ON rv.record_kind = 'LOAN' AND rv.record_id = l.id AND rv.version = l.version`,
    [locked.rows.map((r) => r.id), locked.rows.map((r) => Number(r.version))],
  );
  const hashOf = new Map(hashes.rows.map((r) => [r.id, r.terms_hash]));
  for (const r of locked.rows) out.set(r.ref, { id: r.id, version: Number(r.version), hash: hashOf.get(r.id) ?? null });
  return out;
}

type HouseholdMatch = { id: string; ref: string } | { newRef: string };

/**
 * Households by their head's national ID number: matched on the live identity under
 * any key version (the current one preferred). Numbers not found are looked up again
 * under a transaction-scoped advisory lock on their current hash — taken in a fixed
 * order — so that two calls first reporting the same household never both create one.
 */
async function householdsByNationalId(ctx: IngestContext, borrowers: ReadonlyArray<Extract<CheckedBorrower, { kind: 'HOUSEHOLD_ID' }>>): Promise<Map<string, HouseholdMatch>> {
  const out = new Map<string, HouseholdMatch>();
  if (borrowers.length === 0) return out;
  const keyring = ctx.deps.matchKeyring!;
  const hashes = new Map<string, MatchHash[]>();
  for (const b of borrowers) if (!hashes.has(b.normalizedId)) hashes.set(b.normalizedId, matchHashesForAllVersions(keyring, b.normalizedId));
  const ids = [...hashes.keys()];

  const lookup = async (which: readonly string[]) => {
    const ord: number[] = [];
    const versions: number[] = [];
    const digests: string[] = [];
    which.forEach((id, n) => {
      for (const { version, hash } of hashes.get(id)!) {
        ord.push(n);
        versions.push(version);
        digests.push(hash.toString('hex'));
      }
    });
    const rows = await ctx.client.query<{ ord: number; id: string; ref: string }>(
      `SELECT DISTINCT ON (q.ord) q.ord, h.id::text AS id, h.ref
         FROM unnest($1::int[], $2::int[], $3::text[]) AS q(ord, key_version, digest)
         JOIN household_identity hi ON hi.valid_to IS NULL AND hi.key_version = q.key_version AND hi.match_hash = decode(q.digest, 'hex')
         JOIN household h ON h.id = hi.household_id
        ORDER BY q.ord, (hi.key_version = $4) DESC, hi.id`,
      [ord, versions, digests, keyring.current],
    );
    for (const r of rows.rows) out.set(which[r.ord], { id: r.id, ref: r.ref });
  };

  await lookup(ids);
  const missing = ids.filter((id) => !out.has(id));
  if (missing.length > 0) {
    const keys = [...new Set(missing.map((id) => hashes.get(id)![0].hash.readBigInt64BE(0)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    await ctx.client.query('SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT k FROM unnest($1::bigint[]) AS k ORDER BY k) AS s', [keys.map(String)]);
    await lookup(missing);
    for (const id of missing) if (!out.has(id)) out.set(id, { newRef: newHouseholdRef() });
  }
  return out;
}

/** Households by the hub's ref that the caller may name (its own borrowers), ref → id. */
async function visibleHouseholds(ctx: IngestContext, refs: readonly string[]): Promise<Map<string, string>> {
  if (refs.length === 0) return new Map();
  const rows = await queryFragment<{ id: string; ref: string }>(
    ctx.client,
    sql`SELECT h.id::text AS id, h.ref FROM household h WHERE h.ref = ANY(${[...new Set(refs)]}::text[]) AND ${householdScope(ctx.principal, 'h')}`,
  );
  return new Map(rows.map((r) => [r.ref, r.id]));
}

/** Enterprises the hub knows, credit code → id (public registry facts: no scope). */
async function knownEnterprises(ctx: IngestContext, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await ctx.client.query<{ id: string; credit_code: string }>('SELECT id::text AS id, credit_code FROM enterprise WHERE credit_code = ANY($1::text[])', [
    [...new Set(codes)],
  ]);
  return new Map(rows.rows.map((r) => [r.credit_code, r.id]));
}

/** Households first reported here: status OTHER from the creating loan's disbursement, as `householdById` creates one. */
async function createHouseholds(ctx: IngestContext, loans: readonly CheckedLoan[], parties: NewParty[]): Promise<void> {
  if (parties.length === 0) return;
  const pii = ctx.deps.piiKeyring;
  const keyring = ctx.deps.matchKeyring!;
  const cols = { ref: [] as string[], village: [] as string[], county: [] as string[], since: [] as string[], name: [] as string[], phone: [] as Array<string | null> };
  const hashes: string[] = [];
  for (const party of parties) {
    const b = loans[party.creator!].borrower as Extract<CheckedBorrower, { kind: 'HOUSEHOLD_ID' }>;
    cols.ref.push(party.key);
    cols.village.push(b.villageCode);
    cols.county.push(countyOfVillage(ctx, b.villageCode));
    cols.since.push(loans[party.creator!].disbursedOn);
    cols.name.push(encryptPii(pii, b.headName ?? '').toString('hex'));
    cols.phone.push(b.headPhone === null ? null : encryptPii(pii, b.headPhone).toString('hex'));
    hashes.push(matchHashesForAllVersions(keyring, b.normalizedId)[0].hash.toString('hex'));
  }
  const provenance = [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt];
  const created = await ctx.client.query<{ id: string; ref: string }>(
    `INSERT INTO household (source_institution_id, batch_id, received_at, ref, village_code, county_code, status, status_since, name_enc, phone_enc, pii_key_version, version)
     SELECT $1, $2, $3, n.ref, n.village, n.county, 'OTHER', n.since::date, decode(n.name, 'hex'), decode(n.phone, 'hex'), $4, 1
       FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[]) WITH ORDINALITY AS n(ref, village, county, since, name, phone, ord)
      ORDER BY n.ord
     RETURNING id::text AS id, ref`,
    [...provenance, pii.current, cols.ref, cols.village, cols.county, cols.since, cols.name, cols.phone],
  );
  const idOf = new Map(created.rows.map((r) => [r.ref, r.id]));
  for (const party of parties) party.id = idOf.get(party.key)!;
  const ids = parties.map((p) => p.id);
  await ctx.client.query(
    `INSERT INTO household_identity (household_id, county_code, key_version, match_hash)
     SELECT n.id, n.county, $1, decode(n.digest, 'hex') FROM unnest($2::bigint[], $3::text[], $4::text[]) AS n(id, county, digest)`,
    [keyring.current, ids, cols.county, hashes],
  );
  await ctx.client.query(
    `INSERT INTO household_status_change (source_institution_id, batch_id, received_at, household_id, county_code, status, valid_from, reason)
     SELECT $1, $2, $3, n.id, n.county, 'OTHER', n.since::date, $4 FROM unnest($5::bigint[], $6::text[], $7::text[]) AS n(id, county, since)`,
    [...provenance, '贷款机构首次报送，未匹配建档立卡', ids, cols.county, cols.since],
  );
}

/**
 * Enterprises first reported here, placed in the creating loan's county. One a
 * concurrent call created meanwhile is that call's row (and its version is that
 * call's): the credit codes this call created are returned.
 */
async function createEnterprises(ctx: IngestContext, loans: readonly CheckedLoan[], parties: NewParty[]): Promise<Set<string>> {
  if (parties.length === 0) return new Set();
  const rows = parties.map((p) => {
    const loan = loans[p.creator!];
    const b = loan.borrower as Extract<CheckedBorrower, { kind: 'ENTERPRISE' }>;
    return { code: b.creditCode, name: b.name, kind: b.enterpriseKind, county: loan.countyCode, village: b.villageCode };
  });
  const inserted = await ctx.client.query<{ id: string; credit_code: string }>(
    `INSERT INTO enterprise (source_institution_id, batch_id, received_at, credit_code, name, kind, county_code, village_code, poverty_driving, version)
     SELECT $1, $2, $3, n.code, n.name, n.kind, n.county, n.village, false, 1
       FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) WITH ORDINALITY AS n(code, name, kind, county, village, ord)
      ORDER BY n.ord
     ON CONFLICT (credit_code) DO NOTHING RETURNING id::text AS id, credit_code`,
    [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt, rows.map((r) => r.code), rows.map((r) => r.name), rows.map((r) => r.kind), rows.map((r) => r.county), rows.map((r) => r.village)],
  );
  const idOf = new Map(inserted.rows.map((r) => [r.credit_code, r.id]));
  const created = new Set(idOf.keys());
  const raced = parties.filter((p) => !idOf.has(p.key)).map((p) => p.key);
  if (raced.length > 0) for (const [code, id] of await knownEnterprises(ctx, raced)) idOf.set(code, id);
  for (const party of parties) {
    party.id = idOf.get(party.key) ?? null;
    if (party.id === null) throw new ApplyItemByItem('an enterprise vanished after a conflicting insert');
  }
  return created;
}

/** New loans inserted and changed loans updated, one statement each; item index → loan id. */
async function writeLoans(ctx: IngestContext, loans: readonly CheckedLoan[], landings: readonly Landing[]): Promise<Map<number, string>> {
  const ids = new Map<number, string>();
  const columns = (list: readonly Landing[]) => {
    const pick = <T>(f: (loan: CheckedLoan, l: Landing) => T) => list.map((l) => f(loans[l.i], l));
    return [
      pick((loan) => loan.countyCode),
      pick((loan) => loan.product),
      pick((_, l) => l.borrower.kind),
      pick((_, l) => (l.borrower.kind === 'HOUSEHOLD' ? l.borrower.id : null)),
      pick((_, l) => (l.borrower.kind === 'ENTERPRISE' ? l.borrower.id : null)),
      pick((loan) => loan.principal),
      pick((loan) => loan.disbursedOn),
      pick((loan) => loan.maturesOn),
      pick((loan) => loan.annualRate),
      pick((loan) => loan.subsidyRate),
      pick((loan) => loan.guaranteeMode),
      pick((loan) => loan.paidToAccount),
      pick((_, l) => l.facilityId),
      pick((_, l) => l.fundId),
      pick((loan) => loan.purpose),
      pick((loan) => loan.closedOn),
      pick((loan) => loan.closure),
    ];
  };
  const unnestColumns = `$5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[], $10::numeric[], $11::date[], $12::date[], $13::numeric[],
           $14::numeric[], $15::text[], $16::text[], $17::bigint[], $18::bigint[], $19::text[], $20::date[], $21::text[]`;
  const names = `county_code, product, borrower_kind, household_id, enterprise_id, principal, disbursed_on, matures_on, annual_rate,
           subsidy_rate, guarantee_mode, paid_to_account, relending_facility_id, risk_compensation_fund_id, purpose, closed_on, closure`;

  const fresh = landings.filter((l) => l.status === 'CREATED');
  if (fresh.length > 0) {
    const inserted = await ctx.client.query<{ id: string; ref: string }>(
      `INSERT INTO loan (source_institution_id, batch_id, received_at, institution_id, ref, ${names}, version)
       SELECT $1, $2, $3, $1, n.ref, ${names}, 1
         FROM unnest($4::text[], ${unnestColumns}) WITH ORDINALITY AS n(ref, ${names}, ord)
        ORDER BY n.ord
       ON CONFLICT (institution_id, ref) DO NOTHING
       RETURNING id::text AS id, ref`,
      [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt, fresh.map((l) => loans[l.i].ref), ...columns(fresh)],
    );
    if (inserted.rows.length !== fresh.length) {
      // Another call created one of these loans since we looked: that is an update now,
      // which the item-by-item path handles.
      throw new ApplyItemByItem('a loan was created concurrently');
    }
    const idOf = new Map(inserted.rows.map((r) => [r.ref, r.id]));
    for (const l of fresh) ids.set(l.i, idOf.get(loans[l.i].ref)!);
  }

  const changed = landings.filter((l) => l.status === 'UPDATED');
  if (changed.length > 0) {
    const updated = await ctx.client.query(
      `UPDATE loan SET source_institution_id = $1, batch_id = $2, received_at = $3,
              county_code = u.county_code, product = u.product, borrower_kind = u.borrower_kind, household_id = u.household_id,
              enterprise_id = u.enterprise_id, principal = u.principal, disbursed_on = u.disbursed_on, matures_on = u.matures_on,
              annual_rate = u.annual_rate, subsidy_rate = u.subsidy_rate, guarantee_mode = u.guarantee_mode, paid_to_account = u.paid_to_account,
              relending_facility_id = u.relending_facility_id, risk_compensation_fund_id = u.risk_compensation_fund_id, purpose = u.purpose,
              closed_on = u.closed_on, closure = u.closure, version = loan.version + 1
         FROM unnest($4::bigint[], $22::int[], ${unnestColumns}) AS u(id, version, ${names})
        WHERE loan.id = u.id AND loan.version = u.version`,
      [
        ctx.institution.id,
        ctx.batch.rowId,
        ctx.batch.receivedAt,
        changed.map((l) => l.existing!.id),
        ...columns(changed),
        changed.map((l) => l.existing!.version),
      ],
    );
    if (updated.rowCount !== changed.length) throw new ApplyItemByItem('a locked loan changed meanwhile');
  }
  for (const l of landings) if (l.status !== 'CREATED') ids.set(l.i, l.existing!.id);
  return ids;
}

interface VersionRow {
  kind: VersionedKind;
  id: string;
  version: number;
  countyCode: string;
  json: string;
  hash: string;
}

function countyOfVillage(ctx: IngestContext, villageCode: string): string {
  return ctx.memo.get(`village:${villageCode}`) as string;
}

/** A household's first version: registry attributes only, never PII (as `householdById`). */
function householdVersion(ctx: IngestContext, loan: CheckedLoan, party: NewParty): VersionRow {
  const b = loan.borrower as Extract<CheckedBorrower, { kind: 'HOUSEHOLD_ID' }>;
  const countyCode = countyOfVillage(ctx, b.villageCode);
  const { json, hash } = hashTerms({ ref: party.key, countyCode, villageCode: b.villageCode, registeredOn: null, attribute: null, size: null });
  return { kind: 'HOUSEHOLD', id: party.id!, version: 1, countyCode, json, hash };
}

/** An enterprise's first version (as `enterpriseByCode`). */
function enterpriseVersion(loan: CheckedLoan, party: NewParty): VersionRow {
  const b = loan.borrower as Extract<CheckedBorrower, { kind: 'ENTERPRISE' }>;
  const { json, hash } = hashTerms({
    creditCode: b.creditCode,
    name: b.name,
    kind: b.enterpriseKind,
    countyCode: loan.countyCode,
    villageCode: b.villageCode,
    povertyDriving: false,
  });
  return { kind: 'ENTERPRISE', id: party.id!, version: 1, countyCode: loan.countyCode, json, hash };
}

async function insertVersions(ctx: IngestContext, rows: readonly VersionRow[]): Promise<void> {
  if (rows.length === 0) return;
  await ctx.client.query(
    `INSERT INTO record_version (source_institution_id, batch_id, received_at, record_kind, record_id, version, county_code, terms, terms_hash)
     SELECT $1, $2, $3, v.kind, v.id, v.version, v.county, v.terms::jsonb, v.hash
       FROM unnest($4::text[], $5::bigint[], $6::int[], $7::text[], $8::text[], $9::text[]) WITH ORDINALITY AS v(kind, id, version, county, terms, hash, ord)
      ORDER BY v.ord`,
    [
      ctx.institution.id,
      ctx.batch.rowId,
      ctx.batch.receivedAt,
      rows.map((r) => r.kind),
      rows.map((r) => r.id),
      rows.map((r) => r.version),
      rows.map((r) => r.countyCode),
      rows.map((r) => r.json),
      rows.map((r) => r.hash),
    ],
  );
}

/**
 * Links PENDING on the arrived loans' references whose contract covers the loan's
 * borrower become LINKED (`resolvePendingLinks`, for many loans in one statement).
 */
async function resolvePendingLinksOf(ctx: IngestContext, arrived: ReadonlyArray<{ id: string; ref: string; borrower: ResolvedBorrower }>): Promise<void> {
  if (arrived.length === 0) return;
  await ctx.client.query(
    `UPDATE contract_link cl SET status = 'LINKED', loan_id = a.loan_id, linked_at = $2
       FROM unnest($3::bigint[], $4::text[], $5::bigint[], $6::bigint[]) AS a(loan_id, ref, household_id, enterprise_id)
      WHERE cl.status = 'PENDING' AND cl.bank_code = $1 AND cl.loan_ref = a.ref
        AND ${coversBorrower('cl', 'a.household_id', 'a.enterprise_id')}`,
    [
      ctx.institution.code,
      ctx.batch.receivedAt,
      arrived.map((a) => a.id),
      arrived.map((a) => a.ref),
      arrived.map((a) => (a.borrower.kind === 'HOUSEHOLD' ? a.borrower.id : null)),
      arrived.map((a) => (a.borrower.kind === 'ENTERPRISE' ? a.borrower.id : null)),
    ],
  );
}

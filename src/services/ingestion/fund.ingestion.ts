/**
 * `upsertRiskCompensationFunds` and `recordFundMovements`: a county government's risk
 * compensation funds (风险补偿金, DOMAIN.md §1.10), the loss-sharing agreement with each
 * cooperating bank, and the money into and out of each fund.
 *
 * A fund is named by the government's own reference (unique per government), in a
 * county of the caller's scope. Its terms — name, capital, leverage cap, date, and the
 * full list of bank agreements — are versioned in `record_version` (kind
 * RISK_COMPENSATION_FUND): the same terms again are UNCHANGED, other terms UPDATED with
 * the next version, a stale `version` CONFLICT. The agreements the latest version no
 * longer names are removed from `fund_bank_agreement` (earlier versions keep them).
 * Shares of an agreement sum to exactly 1; a bank-specific leverage cap may only be
 * tighter than the fund's.
 *
 * Movements are facts named by (fund reference, movement reference) with no versions in
 * the schema: the same fact again is UNCHANGED, another fact under a recorded reference
 * CONFLICT / RECORDED_DIFFERENTLY. The fund's balance (top-ups + recoveries − payouts −
 * withdrawals, in date order, inflows of a day first) may never go below zero: a
 * movement that would overdraw it on any date is rejected (FUND_OVERDRAWN). A payout or
 * recovery may name the defaulted loan (bank code + loan reference): it must be a loan of
 * the fund's county the caller sees, else NOT_FOUND worded as for a loan that does not
 * exist, of a bank the fund has an agreement with (NO_AGREEMENT otherwise).
 */
import { sql } from '../../db/sql';
import { loanScope } from '../access';
import type { IngestContext, IngestionKind, WrittenItem } from './batch-engine';
import { exactDecimal, formatUnits, freeText, MONEY, notInFuture, partnerRef, POSITIVE_MONEY, SHARE, type DecimalRule } from './field-rules';
import type { AppliedItem } from './ingestion.types';
import { conflictWith, invalid, unknownReference } from './item-rejection';
import { baseVersion } from './loan.ingestion';
import { hashTerms, insertRecordVersion, type Terms } from './record-versions';
import { queryFragment } from './references';
import { countyInScope, institutionByCode, institutionCode, latestVersion, oneOf } from './registry-rules';

/** A leverage multiple: numeric(9,4), greater than 0. */
const LEVERAGE: DecimalRule = { scale: 4, integerDigits: 5, allowZero: false };
const MAX_AGREEMENTS = 50;

export interface FundAgreementInput {
  bankCode: string;
  fundShare: string;
  bankShare: string;
  leverageCap?: string | null;
  validFrom: string;
  validTo?: string | null;
}

/** One fund (the GraphQL `RiskCompensationFundInput`). */
export interface FundItemInput {
  ref: string;
  name: string;
  countyCode: string;
  capital: string;
  leverageCap: string;
  establishedOn: string;
  agreements?: FundAgreementInput[] | null;
  version?: number | null;
}

interface CheckedAgreement {
  bankCode: string;
  fundShare: string;
  bankShare: string;
  leverageCap: string | null;
  validFrom: string;
  validTo: string | null;
}

interface CheckedFund {
  ref: string;
  name: string;
  countyCode: string;
  capital: string;
  leverageCap: string;
  leverageUnits: bigint;
  establishedOn: string;
  agreements: CheckedAgreement[];
  version: number | null;
}

function checkFund(item: FundItemInput, today: string): CheckedFund {
  const ref = partnerRef(item.ref, 'ref');
  const name = freeText(item.name, 'name', 200);
  if (name === null) throw invalid('name', 'NAME_REQUIRED', 'name is required');
  if (typeof item.countyCode !== 'string' || !/^\d{6}$/.test(item.countyCode)) throw invalid('countyCode', 'INVALID_AREA_CODE', 'countyCode must be a 6-digit county code');
  const capital = exactDecimal(item.capital, 'capital', MONEY).text;
  const leverage = exactDecimal(item.leverageCap, 'leverageCap', LEVERAGE);
  notInFuture(item.establishedOn, today, 'establishedOn');
  const list = item.agreements ?? [];
  if (list.length > MAX_AGREEMENTS) throw invalid('agreements', 'TOO_MANY', `agreements holds at most ${MAX_AGREEMENTS} entries`);
  const seen = new Set<string>();
  const agreements = list.map((a, i): CheckedAgreement => {
    const path = `agreements[${i}]`;
    institutionCode(a.bankCode, `${path}.bankCode`);
    const fundShare = exactDecimal(a.fundShare, `${path}.fundShare`, SHARE);
    const bankShare = exactDecimal(a.bankShare, `${path}.bankShare`, SHARE);
    if (fundShare.units + bankShare.units !== 1_000_000n) {
      throw invalid(`${path}.bankShare`, 'SHARES_NOT_ONE', `${path}: fundShare and bankShare must sum to exactly 1`);
    }
    let leverageCap: string | null = null;
    if (a.leverageCap != null) {
      const cap = exactDecimal(a.leverageCap, `${path}.leverageCap`, LEVERAGE);
      if (cap.units > leverage.units) throw invalid(`${path}.leverageCap`, 'ABOVE_FUND_CAP', `${path}.leverageCap may only be tighter than the fund's leverageCap`);
      leverageCap = cap.text;
    }
    const validTo = a.validTo ?? null;
    if (validTo !== null && !(validTo > a.validFrom)) throw invalid(`${path}.validTo`, 'DATE_ORDER', `${path}.validTo must be after validFrom`);
    const key = `${a.bankCode}\u0000${a.validFrom}`;
    if (seen.has(key)) throw invalid(path, 'DUPLICATE_AGREEMENT', `${path} repeats the agreement with ${a.bankCode} from ${a.validFrom}`);
    seen.add(key);
    return { bankCode: a.bankCode, fundShare: fundShare.text, bankShare: bankShare.text, leverageCap, validFrom: a.validFrom, validTo };
  });
  agreements.sort((a, b) => (a.bankCode + a.validFrom < b.bankCode + b.validFrom ? -1 : 1));
  return {
    ref,
    name,
    countyCode: item.countyCode,
    capital,
    leverageCap: leverage.text,
    leverageUnits: leverage.units,
    establishedOn: item.establishedOn,
    agreements,
    version: baseVersion(item.version),
  };
}

async function lockFund(ctx: IngestContext, ref: string): Promise<{ id: string; version: number; countyCode: string } | null> {
  const rows = await ctx.client.query<{ id: string; version: number; county_code: string }>(
    'SELECT id::text AS id, version, county_code FROM risk_compensation_fund WHERE government_id = $1 AND ref = $2 FOR NO KEY UPDATE',
    [ctx.institution.id, ref],
  );
  const r = rows.rows[0];
  return r === undefined ? null : { id: r.id, version: Number(r.version), countyCode: r.county_code };
}

async function applyFund(ctx: IngestContext, f: CheckedFund): Promise<AppliedItem> {
  const countyCode = await countyInScope(ctx, f.countyCode, 'countyCode');
  const bankIds: string[] = [];
  for (const [i, a] of f.agreements.entries()) {
    const id = await institutionByCode(ctx, a.bankCode, ['BANK']);
    if (id === null) throw unknownReference(`agreements[${i}].bankCode`, `agreements[${i}].bankCode: no bank with code ${a.bankCode}`);
    bankIds.push(id);
  }
  const terms: Terms = {
    governmentCode: ctx.institution.code,
    ref: f.ref,
    name: f.name,
    countyCode,
    capital: f.capital,
    leverageCap: f.leverageCap,
    establishedOn: f.establishedOn,
    agreements: f.agreements.map((a) => ({ ...a })),
  };
  const provenance = [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt];
  const existing = await lockFund(ctx, f.ref);
  let id: string;
  let version: number;
  let status: 'CREATED' | 'UPDATED';
  if (existing === null) {
    if (f.version !== null) throw conflictWith('version', 'NO_SUCH_VERSION', `The item is based on version ${f.version}, but your institution has reported no fund ${f.ref}`);
    const inserted = await ctx.client.query<{ id: string }>(
      `INSERT INTO risk_compensation_fund (source_institution_id, batch_id, received_at, government_id, ref, name, county_code, capital, leverage_cap, established_on, version)
       VALUES ($1, $2, $3, $1, $4, $5, $6, $7, $8, $9, 1) RETURNING id::text AS id`,
      [...provenance, f.ref, f.name, countyCode, f.capital, f.leverageCap, f.establishedOn],
    );
    [id, version, status] = [inserted.rows[0].id, 1, 'CREATED'];
  } else {
    const latest = await latestVersion(ctx, 'RISK_COMPENSATION_FUND', existing.id);
    if (latest !== null && latest.hash === hashTerms(terms).hash) {
      return { status: 'UNCHANGED', record: { type: 'RiskCompensationFund', id: existing.id }, version: existing.version, warnings: [] };
    }
    if (f.version !== null && f.version !== existing.version) {
      throw conflictWith('version', 'STALE_VERSION', `The item is based on version ${f.version}, but fund ${f.ref} is at version ${existing.version}; read it again`);
    }
    const updated = await ctx.client.query(
      `UPDATE risk_compensation_fund SET source_institution_id = $1, batch_id = $2, received_at = $3, name = $6, county_code = $7, capital = $8,
              leverage_cap = $9, established_on = $10, version = version + 1
        WHERE id = $4 AND version = $5`,
      [...provenance, existing.id, existing.version, f.name, countyCode, f.capital, f.leverageCap, f.establishedOn],
    );
    if (updated.rowCount !== 1) throw conflictWith('version', 'STALE_VERSION', `Fund ${f.ref} changed meanwhile; read it again`);
    [id, version, status] = [existing.id, existing.version + 1, 'UPDATED'];
  }
  await ctx.client.query(
    `DELETE FROM fund_bank_agreement WHERE fund_id = $1
        AND NOT (bank_id, valid_from) IN (SELECT * FROM unnest($2::bigint[], $3::date[]))`,
    [id, bankIds, f.agreements.map((a) => a.validFrom)],
  );
  for (const [i, a] of f.agreements.entries()) {
    await ctx.client.query(
      `INSERT INTO fund_bank_agreement (source_institution_id, batch_id, received_at, fund_id, bank_id, county_code, fund_share, bank_share, leverage_cap, valid_from, valid_to)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (fund_id, bank_id, valid_from) DO UPDATE SET
         source_institution_id = excluded.source_institution_id, batch_id = excluded.batch_id, received_at = excluded.received_at,
         county_code = excluded.county_code, fund_share = excluded.fund_share, bank_share = excluded.bank_share,
         leverage_cap = excluded.leverage_cap, valid_to = excluded.valid_to`,
      [...provenance, id, bankIds[i], countyCode, a.fundShare, a.bankShare, a.leverageCap, a.validFrom, a.validTo],
    );
  }
  await insertRecordVersion(ctx, 'RISK_COMPENSATION_FUND', id, version, countyCode, terms);
  return { status, record: { type: 'RiskCompensationFund', id }, version, warnings: [] };
}

async function fundsWrittenBy(ctx: IngestContext): Promise<Map<string, WrittenItem>> {
  const rows = await ctx.client.query<{ id: string; version: number; ref: string }>(
    `SELECT record_id::text AS id, version, terms->>'ref' AS ref FROM record_version WHERE batch_id = $1 AND record_kind = 'RISK_COMPENSATION_FUND'`,
    [ctx.batch.rowId],
  );
  return new Map(rows.rows.map((r) => [r.ref, { status: Number(r.version) === 1 ? 'CREATED' : 'UPDATED', record: { type: 'RiskCompensationFund', id: r.id }, version: Number(r.version) }] as const));
}

export const FUND_INGESTION: IngestionKind<FundItemInput, CheckedFund> = {
  kind: 'upsertRiskCompensationFunds',
  roles: ['GOVERNMENT'],
  refOf: (item) => ({ ref: item.ref, path: 'ref' }),
  check: checkFund,
  apply: applyFund,
  writtenBy: fundsWrittenBy,
};

/** One movement (the GraphQL `FundMovementInput`). */
export interface FundMovementItemInput {
  fundRef: string;
  ref: string;
  kind: string;
  amount: string;
  occurredOn: string;
  loan?: { bankCode: string; loanRef: string } | null;
}

interface CheckedMovement {
  fundRef: string;
  ref: string;
  kind: string;
  amount: string;
  occurredOn: string;
  loan: { bankCode: string; loanRef: string } | null;
}

const MOVEMENT_KINDS: ReadonlySet<string> = new Set(['TOP_UP', 'PAYOUT', 'RECOVERY', 'WITHDRAWAL']);

function checkMovement(item: FundMovementItemInput, today: string): CheckedMovement {
  const fundRef = partnerRef(item.fundRef, 'fundRef');
  const ref = partnerRef(item.ref, 'ref');
  const kind = oneOf(MOVEMENT_KINDS, item.kind, 'kind');
  const amount = exactDecimal(item.amount, 'amount', POSITIVE_MONEY).text;
  notInFuture(item.occurredOn, today, 'occurredOn');
  let loan: CheckedMovement['loan'] = null;
  if (item.loan != null) {
    if (kind !== 'PAYOUT' && kind !== 'RECOVERY') throw invalid('loan', 'LOAN_NOT_EXPECTED', 'loan is named only for a PAYOUT or a RECOVERY');
    loan = { bankCode: institutionCode(item.loan.bankCode, 'loan.bankCode'), loanRef: partnerRef(item.loan.loanRef, 'loan.loanRef') };
  }
  return { fundRef, ref, kind, amount, occurredOn: item.occurredOn, loan };
}

async function applyMovement(ctx: IngestContext, m: CheckedMovement): Promise<AppliedItem> {
  const fund = await lockFund(ctx, m.fundRef);
  if (fund === null) throw unknownReference('fundRef', `fundRef: your institution has reported no fund ${m.fundRef}`);
  const record = { type: 'RiskCompensationFund' as const, id: fund.id };
  let loanId: string | null = null;
  if (m.loan !== null) {
    const rows = await queryFragment<{ id: string; agreed: boolean }>(
      ctx.client,
      sql`SELECT l.id::text AS id,
                 EXISTS (SELECT 1 FROM fund_bank_agreement a WHERE a.fund_id = ${fund.id} AND a.bank_id = l.institution_id) AS agreed
            FROM loan l JOIN institution i ON i.id = l.institution_id
           WHERE i.code = ${m.loan.bankCode} AND l.ref = ${m.loan.loanRef} AND l.county_code = ${fund.countyCode}
             AND ${loanScope(ctx.principal, { id: 'l.id', county: 'l.county_code', institution: 'l.institution_id' })}`,
    );
    if (rows.length === 0) throw unknownReference('loan.loanRef', `loan: no loan ${m.loan.loanRef} of ${m.loan.bankCode} in the fund's county`);
    // The fund shares losses only with the banks it has an agreement with (the caller sees its own agreements).
    if (rows[0].agreed !== true) throw invalid('loan.bankCode', 'NO_AGREEMENT', `loan: fund ${m.fundRef} has no loss-sharing agreement with ${m.loan.bankCode}`);
    loanId = rows[0].id;
  }
  const found = await ctx.client.query<{ kind: string; amount: string; occurred_on: string; loan_id: string | null }>(
    'SELECT kind, amount::text AS amount, occurred_on::text AS occurred_on, loan_id::text AS loan_id FROM fund_movement WHERE fund_id = $1 AND ref = $2',
    [fund.id, m.ref],
  );
  const recorded = found.rows[0];
  if (recorded !== undefined) {
    const same = recorded.kind === m.kind && exactDecimal(recorded.amount, 'amount', MONEY).text === m.amount && recorded.occurred_on === m.occurredOn && recorded.loan_id === loanId;
    if (same) return { status: 'UNCHANGED', record, version: null, warnings: [] };
    throw conflictWith('ref', 'RECORDED_DIFFERENTLY', `Movement ${m.ref} of fund ${m.fundRef} is recorded with other facts; recorded movements are not overwritten`);
  }
  await ctx.client.query(
    `INSERT INTO fund_movement (source_institution_id, batch_id, received_at, fund_id, ref, county_code, kind, amount, occurred_on, loan_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt, fund.id, m.ref, fund.countyCode, m.kind, m.amount, m.occurredOn, loanId],
  );
  // The running balance in date order (a day's inflows before its outflows) never below zero.
  const low = await ctx.client.query<{ lowest: string | null }>(
    `SELECT min(balance)::text AS lowest FROM (
       SELECT sum(CASE WHEN kind IN ('TOP_UP', 'RECOVERY') THEN amount ELSE -amount END)
                OVER (ORDER BY occurred_on, CASE WHEN kind IN ('TOP_UP', 'RECOVERY') THEN 0 ELSE 1 END, id) AS balance
         FROM fund_movement WHERE fund_id = $1) b`,
    [fund.id],
  );
  const lowest = low.rows[0]?.lowest ?? '0';
  if (lowest.startsWith('-')) {
    throw invalid('amount', 'FUND_OVERDRAWN', `amount would take fund ${m.fundRef} below zero (by ${formatUnits(-exactUnits(lowest), 2)} on some date); record its top-ups first`);
  }
  return { status: 'CREATED', record, version: null, warnings: [] };
}

function exactUnits(text: string): bigint {
  const negative = text.startsWith('-');
  const units = exactDecimal(negative ? text.slice(1) : text, 'balance', MONEY).units;
  return negative ? -units : units;
}

async function movementsWrittenBy(ctx: IngestContext): Promise<Map<string, WrittenItem>> {
  const rows = await ctx.client.query<{ id: string; key: string }>(
    `SELECT f.id::text AS id, f.ref || '/' || m.ref AS key FROM fund_movement m JOIN risk_compensation_fund f ON f.id = m.fund_id WHERE m.batch_id = $1`,
    [ctx.batch.rowId],
  );
  return new Map(rows.rows.map((r) => [r.key, { status: 'CREATED', record: { type: 'RiskCompensationFund', id: r.id }, version: null }] as const));
}

export const FUND_MOVEMENT_INGESTION: IngestionKind<FundMovementItemInput, CheckedMovement> = {
  kind: 'recordFundMovements',
  roles: ['GOVERNMENT'],
  refOf: (item) => ({ ref: `${item.fundRef}/${item.ref}`, path: 'ref' }),
  check: checkMovement,
  apply: applyMovement,
  writtenBy: movementsWrittenBy,
};

/**
 * `upsertServicePoints` and `reportServicePointActivity`.
 *
 * A service point is named by its operator's code and the operator's own reference. A
 * BANK reports the points it runs (the operator is itself; naming another is refused
 * like an unknown point); a county GOVERNMENT reports the points in its county, run by
 * itself or by any bank (`operatorCode`), because the county keeps the village coverage
 * register (DESIGN.md §3, §4 "basic financial services coverage"). A point outside the
 * caller's scope is rejected exactly like one that does not exist.
 *
 * Points are versioned like loans: the terms in `record_version` (kind SERVICE_POINT), the
 * same terms again UNCHANGED, other terms UPDATED with the next version, a stale
 * `version` CONFLICT.
 *
 * Activity is one row per (point, month end) with no version column in the schema, so
 * the same count (and amount) again is UNCHANGED and a different count or amount for a
 * recorded month is CONFLICT / RECORDED_DIFFERENTLY — never overwritten (see
 * docs/ingestion.md for the schema change that would make corrections versions). The
 * amount is optional because many points (ATMs, agents) report only counts; a month
 * recorded without an amount and re-sent with one is a different report, not a fill-in,
 * for the same reason.
 */
import { sql } from '../../db/sql';
import { servicePointScope } from '../access';
import type { IngestContext, IngestionKind, WrittenItem } from './batch-engine';
import { exactDecimal, freeText, MONEY, monthEndOf, notInFuture, partnerRef } from './field-rules';
import type { AppliedItem } from './ingestion.types';
import { conflictWith, invalid, unknownReference } from './item-rejection';
import { baseVersion } from './loan.ingestion';
import { hashTerms, insertRecordVersion, type Terms } from './record-versions';
import { queryFragment } from './references';
import { institutionByCode, institutionCode, latestVersion, oneOf, villageInScope, wholeNumber } from './registry-rules';

/** One service point (the GraphQL `ServicePointInput`). */
export interface ServicePointItemInput {
  ref: string;
  operatorCode?: string | null;
  kind: string;
  name: string;
  villageCode: string;
  openedOn: string;
  closedOn?: string | null;
  version?: number | null;
}

interface CheckedServicePoint {
  ref: string;
  operatorCode: string | null;
  kind: string;
  name: string;
  villageCode: string;
  openedOn: string;
  closedOn: string | null;
  version: number | null;
}

/** One month of a point's activity (the GraphQL `ServicePointActivityInput`). */
export interface ActivityItemInput {
  servicePointRef: string;
  operatorCode?: string | null;
  month: string;
  transactions: number;
  /** The month's transaction amount, yuan, as an exact decimal string. */
  amount?: string | null;
}

interface CheckedActivity {
  servicePointRef: string;
  operatorCode: string | null;
  month: string;
  transactions: number;
  /** Canonical two-decimal text, or null when not reported. */
  amount: string | null;
}

const KINDS: ReadonlySet<string> = new Set(['BRANCH', 'ATM', 'AGENT', 'MOBILE']);
/** A village agent point with more than this many transactions a month is a typo. */
const MAX_TRANSACTIONS = 10_000_000;

function operator(value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : institutionCode(value, 'operatorCode');
}

function checkServicePoint(item: ServicePointItemInput, today: string): CheckedServicePoint {
  const ref = partnerRef(item.ref, 'ref');
  const name = freeText(item.name, 'name', 200);
  if (name === null) throw invalid('name', 'NAME_REQUIRED', 'name is required');
  if (typeof item.villageCode !== 'string' || !/^\d{12}$/.test(item.villageCode)) {
    throw invalid('villageCode', 'INVALID_AREA_CODE', 'villageCode must be a 12-digit village code');
  }
  notInFuture(item.openedOn, today, 'openedOn');
  const closedOn = item.closedOn ?? null;
  if (closedOn !== null) {
    notInFuture(closedOn, today, 'closedOn');
    if (closedOn < item.openedOn) throw invalid('closedOn', 'DATE_ORDER', 'closedOn must not be before openedOn');
  }
  return {
    ref,
    operatorCode: operator(item.operatorCode),
    kind: oneOf(KINDS, item.kind, 'kind'),
    name,
    villageCode: item.villageCode,
    openedOn: item.openedOn,
    closedOn,
    version: baseVersion(item.version),
  };
}

/**
 * The operating institution a caller names: a bank only itself; a government itself or
 * a bank. Anything else is not found, worded as an unknown point.
 */
async function operatorOf(ctx: IngestContext, code: string | null, ref: string, path: string): Promise<{ id: string; code: string }> {
  if (code === null || code === ctx.institution.code) return ctx.institution;
  const id = ctx.principal.role === 'GOVERNMENT' ? await institutionByCode(ctx, code, ['BANK']) : null;
  if (id === null) throw unknownReference(path, `${path}: no service point ${ref} of ${code} you may report`);
  return { id, code };
}

interface FoundPoint {
  id: string;
  version: number;
  countyCode: string;
  openedOn: string;
  closedOn: string | null;
}

/** The point of (operator, ref), locked; null when absent. `visible` says whether the caller may see it. */
async function lockPoint(ctx: IngestContext, operatorId: string, ref: string): Promise<{ row: FoundPoint; visible: boolean } | null> {
  const rows = await queryFragment<{ id: string; version: number; county_code: string; opened_on: string; closed_on: string | null; visible: boolean }>(
    ctx.client,
    sql`SELECT sp.id::text AS id, sp.version, sp.county_code, sp.opened_on::text AS opened_on, sp.closed_on::text AS closed_on,
               (${servicePointScope(ctx.principal, 'sp')}) AS visible
          FROM service_point sp WHERE sp.institution_id = ${operatorId} AND sp.ref = ${ref} FOR NO KEY UPDATE`,
  );
  const r = rows[0];
  if (r === undefined) return null;
  return { row: { id: r.id, version: Number(r.version), countyCode: r.county_code, openedOn: r.opened_on, closedOn: r.closed_on }, visible: r.visible === true };
}

async function applyServicePoint(ctx: IngestContext, p: CheckedServicePoint): Promise<AppliedItem> {
  const op = await operatorOf(ctx, p.operatorCode, p.ref, 'operatorCode');
  const village = await villageInScope(ctx, p.villageCode, 'villageCode');
  const existing = await lockPoint(ctx, op.id, p.ref);
  if (existing !== null && !existing.visible) {
    // Another county's (or another operator's) point: as if it did not exist, and it cannot be created either.
    throw unknownReference('ref', `ref: no service point ${p.ref} of ${op.code} you may report`);
  }
  const terms: Terms = {
    bankCode: op.code,
    ref: p.ref,
    kind: p.kind,
    name: p.name,
    villageCode: village.code,
    countyCode: village.countyCode,
    openedOn: p.openedOn,
    closedOn: p.closedOn,
  };
  const provenance = [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt];
  if (existing === null) {
    if (p.version !== null) throw conflictWith('version', 'NO_SUCH_VERSION', `The item is based on version ${p.version}, but there is no service point ${p.ref}`);
    const inserted = await ctx.client.query<{ id: string }>(
      `INSERT INTO service_point (source_institution_id, batch_id, received_at, institution_id, ref, kind, name, village_code, county_code, opened_on, closed_on, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1) RETURNING id::text AS id`,
      [...provenance, op.id, p.ref, p.kind, p.name, village.code, village.countyCode, p.openedOn, p.closedOn],
    );
    const id = inserted.rows[0].id;
    await insertRecordVersion(ctx, 'SERVICE_POINT', id, 1, village.countyCode, terms);
    return { status: 'CREATED', record: { type: 'ServicePoint', id }, version: 1, warnings: [] };
  }
  const { row } = existing;
  const latest = await latestVersion(ctx, 'SERVICE_POINT', row.id);
  if (latest !== null && latest.hash === hashTerms(terms).hash) {
    return { status: 'UNCHANGED', record: { type: 'ServicePoint', id: row.id }, version: row.version, warnings: [] };
  }
  if (p.version !== null && p.version !== row.version) {
    throw conflictWith('version', 'STALE_VERSION', `The item is based on version ${p.version}, but service point ${p.ref} is at version ${row.version}; read it again`);
  }
  const updated = await ctx.client.query(
    `UPDATE service_point SET source_institution_id = $1, batch_id = $2, received_at = $3, kind = $6, name = $7, village_code = $8, county_code = $9,
            opened_on = $10, closed_on = $11, version = version + 1
      WHERE id = $4 AND version = $5`,
    [...provenance, row.id, row.version, p.kind, p.name, village.code, village.countyCode, p.openedOn, p.closedOn],
  );
  if (updated.rowCount !== 1) throw conflictWith('version', 'STALE_VERSION', `Service point ${p.ref} changed meanwhile; read it again`);
  const next = row.version + 1;
  await insertRecordVersion(ctx, 'SERVICE_POINT', row.id, next, village.countyCode, terms);
  return { status: 'UPDATED', record: { type: 'ServicePoint', id: row.id }, version: next, warnings: [] };
}

function checkActivity(item: ActivityItemInput, today: string): CheckedActivity {
  const servicePointRef = partnerRef(item.servicePointRef, 'servicePointRef');
  if (typeof item.month !== 'string' || monthEndOf(item.month) !== item.month) {
    throw invalid('month', 'NOT_MONTH_END', 'month must be the last day of its month');
  }
  if (item.month > monthEndOf(today)) throw invalid('month', 'IN_FUTURE', 'month must not be after the current month');
  const amount = item.amount === null || item.amount === undefined ? null : exactDecimal(item.amount, 'amount', MONEY).text;
  return { servicePointRef, operatorCode: operator(item.operatorCode), month: item.month, transactions: wholeNumber(item.transactions, 'transactions', 0, MAX_TRANSACTIONS), amount };
}

async function applyActivity(ctx: IngestContext, a: CheckedActivity): Promise<AppliedItem> {
  const op = await operatorOf(ctx, a.operatorCode, a.servicePointRef, 'operatorCode');
  const point = await lockPoint(ctx, op.id, a.servicePointRef);
  if (point === null || !point.visible) {
    throw unknownReference('servicePointRef', `servicePointRef: no service point ${a.servicePointRef} of ${op.code} you may report`);
  }
  const { row } = point;
  if (a.month < monthEndOf(row.openedOn)) throw invalid('month', 'BEFORE_OPENING', `month is before the point opened (${row.openedOn})`);
  if (row.closedOn !== null && a.month > monthEndOf(row.closedOn)) throw invalid('month', 'AFTER_CLOSING', `month is after the point closed (${row.closedOn})`);
  const record = { type: 'ServicePoint' as const, id: row.id };
  const found = await ctx.client.query<{ transactions: number; amount: string | null }>(
    'SELECT transactions, amount::text AS amount FROM service_point_activity WHERE service_point_id = $1 AND month = $2',
    [row.id, a.month],
  );
  const recorded = found.rows[0];
  if (recorded !== undefined) {
    const recordedAmount = recorded.amount === null ? null : exactDecimal(recorded.amount, 'amount', MONEY).text;
    if (Number(recorded.transactions) !== a.transactions) {
      throw conflictWith('transactions', 'RECORDED_DIFFERENTLY', `${a.month} of service point ${a.servicePointRef} is recorded with another count; recorded months are not overwritten`);
    }
    if (recordedAmount !== a.amount) {
      throw conflictWith('amount', 'RECORDED_DIFFERENTLY', `${a.month} of service point ${a.servicePointRef} is recorded with another amount; recorded months are not overwritten`);
    }
    return { status: 'UNCHANGED', record, version: null, warnings: [] };
  }
  await ctx.client.query(
    `INSERT INTO service_point_activity (source_institution_id, batch_id, received_at, service_point_id, county_code, month, transactions, amount)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt, row.id, row.countyCode, a.month, a.transactions, a.amount],
  );
  return { status: 'CREATED', record, version: null, warnings: [] };
}

async function pointsWrittenBy(ctx: IngestContext): Promise<Map<string, WrittenItem>> {
  const rows = await ctx.client.query<{ id: string; version: number; ref: string; op: string }>(
    `SELECT record_id::text AS id, version, terms->>'ref' AS ref, terms->>'bankCode' AS op FROM record_version WHERE batch_id = $1 AND record_kind = 'SERVICE_POINT'`,
    [ctx.batch.rowId],
  );
  const out = new Map<string, WrittenItem>();
  for (const r of rows.rows) {
    const item: WrittenItem = { status: Number(r.version) === 1 ? 'CREATED' : 'UPDATED', record: { type: 'ServicePoint', id: r.id }, version: Number(r.version) };
    out.set(r.ref, item);
    out.set(`${r.op}/${r.ref}`, item);
  }
  return out;
}

async function activityWrittenBy(ctx: IngestContext): Promise<Map<string, WrittenItem>> {
  const rows = await ctx.client.query<{ id: string; ref: string; op: string; month: string }>(
    `SELECT sp.id::text AS id, sp.ref, i.code AS op, a.month::text AS month
       FROM service_point_activity a JOIN service_point sp ON sp.id = a.service_point_id JOIN institution i ON i.id = sp.institution_id
      WHERE a.batch_id = $1`,
    [ctx.batch.rowId],
  );
  const out = new Map<string, WrittenItem>();
  for (const r of rows.rows) {
    const item: WrittenItem = { status: 'CREATED', record: { type: 'ServicePoint', id: r.id }, version: null };
    out.set(`${r.ref}@${r.month}`, item);
    out.set(`${r.op}/${r.ref}@${r.month}`, item);
  }
  return out;
}

export const SERVICE_POINT_INGESTION: IngestionKind<ServicePointItemInput, CheckedServicePoint> = {
  kind: 'upsertServicePoints',
  roles: ['BANK', 'GOVERNMENT'],
  refOf: (item) => ({ ref: item.operatorCode == null ? item.ref : `${item.operatorCode}/${item.ref}`, path: 'ref' }),
  check: checkServicePoint,
  apply: applyServicePoint,
  writtenBy: pointsWrittenBy,
};

export const ACTIVITY_INGESTION: IngestionKind<ActivityItemInput, CheckedActivity> = {
  kind: 'reportServicePointActivity',
  roles: ['BANK', 'GOVERNMENT'],
  refOf: (item) => ({ ref: `${item.operatorCode == null ? '' : `${item.operatorCode}/`}${item.servicePointRef}@${item.month}`, path: 'servicePointRef' }),
  check: checkActivity,
  apply: applyActivity,
  writtenBy: activityWrittenBy,
};

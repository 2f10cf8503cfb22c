/**
 * `upsertEnterprises`: a county government reports the enterprises, cooperatives and
 * family farms of its county and how many registered households each employs or is
 * otherwise linked to (employment, contract purchase, land transfer, dividends).
 *
 * Who. GOVERNMENT only, in its own county: recognising a poverty-driving enterprise and
 * counting the registered households it links to are registry facts the county poverty
 * office keeps (DESIGN.md §3 gives BANK no enterprise writes; a bank's loan still creates
 * an enterprise it names, `borrowers.ts`, and such an enterprise is adopted here, never
 * duplicated).
 *
 * Named by the unified social credit code (GB 32100 check character). An enterprise of
 * another county is not the caller's to change: CONFLICT / REGISTERED_ELSEWHERE (credit
 * codes and registered seats are public registry facts). Versions: the terms are the
 * enterprise's facts and its full list of linkage rows (mode, month end, households), so
 * a linkage count corrected for a month is a new version and the old count stays in the
 * earlier version; the same item again is UNCHANGED; a stale `version` is CONFLICT.
 */
import type { IngestContext, IngestionKind, WrittenItem } from './batch-engine';
import { checkBorrower } from './borrowers';
import { monthEndOf } from './field-rules';
import type { AppliedItem } from './ingestion.types';
import { conflictWith, invalid } from './item-rejection';
import { baseVersion } from './loan.ingestion';
import { hashTerms, insertRecordVersion, type Terms } from './record-versions';
import { countyInScope, inScope, latestVersion, oneOf, reworded, villageInScope, wholeNumber } from './registry-rules';

export interface LinkageInput {
  mode: string;
  households: number;
  asOf: string;
}

/** One enterprise (the GraphQL `EnterpriseRegistryInput`). */
export interface EnterpriseItemInput {
  creditCode: string;
  name: string;
  kind: string;
  countyCode: string;
  villageCode?: string | null;
  povertyDriving: boolean;
  linkages?: LinkageInput[] | null;
  version?: number | null;
}

interface CheckedEnterprise {
  creditCode: string;
  name: string;
  kind: string;
  countyCode: string;
  villageCode: string | null;
  povertyDriving: boolean;
  linkages: LinkageInput[];
  version: number | null;
}

const MODES: ReadonlySet<string> = new Set(['EMPLOYMENT', 'CONTRACT_PURCHASE', 'LAND_TRANSFER', 'DIVIDEND']);
const MAX_LINKAGES = 100;
const MAX_HOUSEHOLDS = 1_000_000;

function checkEnterprise(item: EnterpriseItemInput, today: string): CheckedEnterprise {
  // The credit code (GB 32100), name and kind by the borrower rules, with this item's paths.
  const checked = reworded('e.enterprise.', () =>
    checkBorrower({ enterprise: { creditCode: item.creditCode, name: item.name, kind: item.kind, villageCode: item.villageCode } }, 'e', today),
  );
  if (checked.kind !== 'ENTERPRISE') throw new Error('upsertEnterprises: not an enterprise');
  if (typeof item.countyCode !== 'string' || !/^\d{6}$/.test(item.countyCode)) throw invalid('countyCode', 'INVALID_AREA_CODE', 'countyCode must be a 6-digit county code');
  if (item.villageCode != null && !(/^\d{12}$/.test(item.villageCode) && item.villageCode.startsWith(item.countyCode))) {
    throw invalid('villageCode', 'INVALID_AREA_CODE', 'villageCode must be a 12-digit village code of countyCode');
  }
  if (typeof item.povertyDriving !== 'boolean') throw invalid('povertyDriving', 'INVALID_VALUE', 'povertyDriving must be true or false');
  const list = item.linkages ?? [];
  if (list.length > MAX_LINKAGES) throw invalid('linkages', 'TOO_MANY', `linkages holds at most ${MAX_LINKAGES} entries`);
  const seen = new Set<string>();
  const linkages = list.map((l, i) => {
    const path = `linkages[${i}]`;
    const mode = oneOf(MODES, l.mode, `${path}.mode`);
    if (typeof l.asOf !== 'string' || monthEndOf(l.asOf) !== l.asOf) throw invalid(`${path}.asOf`, 'NOT_MONTH_END', `${path}.asOf must be the last day of its month`);
    if (l.asOf > monthEndOf(today)) throw invalid(`${path}.asOf`, 'IN_FUTURE', `${path}.asOf must not be after the current month`);
    const households = wholeNumber(l.households, `${path}.households`, 0, MAX_HOUSEHOLDS);
    const key = `${mode}@${l.asOf}`;
    if (seen.has(key)) throw invalid(path, 'DUPLICATE_LINKAGE', `${path} repeats ${mode} for ${l.asOf}`);
    seen.add(key);
    return { mode, households, asOf: l.asOf };
  });
  return {
    creditCode: checked.creditCode,
    name: checked.name,
    kind: checked.enterpriseKind,
    countyCode: item.countyCode,
    villageCode: item.villageCode ?? null,
    povertyDriving: item.povertyDriving,
    linkages,
    version: baseVersion(item.version),
  };
}

async function applyEnterprise(ctx: IngestContext, e: CheckedEnterprise): Promise<AppliedItem> {
  const countyCode = await countyInScope(ctx, e.countyCode, 'countyCode');
  if (e.villageCode !== null) await villageInScope(ctx, e.villageCode, 'villageCode');
  const found = await ctx.client.query<{ id: string; version: number; county_code: string }>(
    'SELECT id::text AS id, version, county_code FROM enterprise WHERE credit_code = $1 FOR NO KEY UPDATE',
    [e.creditCode],
  );
  const existing = found.rows[0];
  if (existing !== undefined && !(await inScope(ctx, existing.county_code))) {
    throw conflictWith('creditCode', 'REGISTERED_ELSEWHERE', 'creditCode names an enterprise registered outside your county; its own county reports it');
  }
  const provenance = [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt];
  const record = (id: string) => ({ type: 'Enterprise' as const, id, key: e.creditCode });
  let id: string;
  let version: number;
  if (existing === undefined) {
    if (e.version !== null) throw conflictWith('version', 'NO_SUCH_VERSION', `The item is based on version ${e.version}, but there is no enterprise ${e.creditCode}`);
    const inserted = await ctx.client.query<{ id: string }>(
      `INSERT INTO enterprise (source_institution_id, batch_id, received_at, credit_code, name, kind, county_code, village_code, poverty_driving, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1) RETURNING id::text AS id`,
      [...provenance, e.creditCode, e.name, e.kind, countyCode, e.villageCode, e.povertyDriving],
    );
    id = inserted.rows[0].id;
    version = 1;
  } else {
    id = existing.id;
    version = Number(existing.version);
  }
  for (const l of e.linkages) {
    await ctx.client.query(
      `INSERT INTO enterprise_linkage (source_institution_id, batch_id, received_at, enterprise_id, county_code, mode, households, as_of)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (enterprise_id, mode, as_of) DO UPDATE SET source_institution_id = excluded.source_institution_id, batch_id = excluded.batch_id,
         received_at = excluded.received_at, county_code = excluded.county_code, households = excluded.households
       WHERE enterprise_linkage.households IS DISTINCT FROM excluded.households`,
      [...provenance, id, countyCode, l.mode, l.households, l.asOf],
    );
  }
  const all = await ctx.client.query<{ mode: string; households: number; as_of: string }>(
    'SELECT mode, households, as_of::text AS as_of FROM enterprise_linkage WHERE enterprise_id = $1 ORDER BY as_of, mode',
    [id],
  );
  const terms: Terms = {
    creditCode: e.creditCode,
    name: e.name,
    kind: e.kind,
    countyCode,
    villageCode: e.villageCode,
    povertyDriving: e.povertyDriving,
    linkages: all.rows.length === 0 ? undefined : all.rows.map((r) => ({ mode: r.mode, asOf: r.as_of, households: Number(r.households) })),
  };
  if (existing === undefined) {
    await insertRecordVersion(ctx, 'ENTERPRISE', id, 1, countyCode, terms);
    return { status: 'CREATED', record: record(id), version: 1, warnings: [] };
  }
  const latest = await latestVersion(ctx, 'ENTERPRISE', id);
  if (latest !== null && latest.hash === hashTerms(terms).hash) {
    return { status: 'UNCHANGED', record: record(id), version, warnings: [] };
  }
  if (e.version !== null && e.version !== version) {
    throw conflictWith('version', 'STALE_VERSION', `The item is based on version ${e.version}, but enterprise ${e.creditCode} is at version ${version}; read it again`);
  }
  const updated = await ctx.client.query(
    `UPDATE enterprise SET source_institution_id = $1, batch_id = $2, received_at = $3, name = $6, kind = $7, county_code = $8, village_code = $9,
            poverty_driving = $10, version = version + 1
      WHERE id = $4 AND version = $5`,
    [...provenance, id, version, e.name, e.kind, countyCode, e.villageCode, e.povertyDriving],
  );
  if (updated.rowCount !== 1) throw conflictWith('version', 'STALE_VERSION', `Enterprise ${e.creditCode} changed meanwhile; read it again`);
  await insertRecordVersion(ctx, 'ENTERPRISE', id, version + 1, countyCode, terms);
  return { status: 'UPDATED', record: record(id), version: version + 1, warnings: [] };
}

async function enterprisesWrittenBy(ctx: IngestContext): Promise<Map<string, WrittenItem>> {
  const rows = await ctx.client.query<{ id: string; version: number; code: string }>(
    `SELECT record_id::text AS id, version, terms->>'creditCode' AS code FROM record_version WHERE batch_id = $1 AND record_kind = 'ENTERPRISE'`,
    [ctx.batch.rowId],
  );
  return new Map(
    rows.rows.map((r) => [r.code, { status: Number(r.version) === 1 ? 'CREATED' : 'UPDATED', record: { type: 'Enterprise', id: r.id, key: r.code }, version: Number(r.version) }] as const),
  );
}

export const ENTERPRISE_INGESTION: IngestionKind<EnterpriseItemInput, CheckedEnterprise> = {
  kind: 'upsertEnterprises',
  roles: ['GOVERNMENT'],
  refOf: (item) => ({ ref: item.creditCode, path: 'creditCode' }),
  check: checkEnterprise,
  apply: applyEnterprise,
  writtenBy: enterprisesWrittenBy,
};

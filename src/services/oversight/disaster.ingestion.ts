/**
 * `recordDisasterEvents`: a regulator declares floods, epidemics, droughts … over areas
 * of any level (province to village) for a period, named by its own reference. The
 * events are public reference data (every principal reads them, `disasterScope`): banks
 * cite them in deferrals, insurers in claims.
 *
 * Every area must exist and lie in the regulator's area scope (NOT_FOUND otherwise,
 * worded alike); the period's dates must be in order and its start not in the future.
 * The same event again is UNCHANGED; a changed one (an end date once the flood is over,
 * one more county hit) is UPDATED: the row and its area list hold the latest state and
 * every state, the first included, is kept in `record_version` (without a county: an
 * event may span a province), so nothing reported is lost. `disaster_event` has no
 * version column, so no `version` is taken from the caller.
 */
import { DisasterKind } from '../../entities/enums';
import type { IngestContext, IngestionKind, WrittenItem } from '../ingestion';
import { conflictWith, freeText, invalid, notInFuture, partnerRef, type AppliedItem } from '../ingestion';
import { areaInScope } from './oversight-refs';
import { insertRecordVersion, type Terms } from '../ingestion/record-versions';

/** One disaster event (the GraphQL `DisasterEventInput`). */
export interface DisasterItemInput {
  ref: string;
  kind: `${DisasterKind}`;
  name: string;
  startsOn: string;
  endsOn?: string | null;
  areaCodes: readonly string[];
}

interface CheckedDisaster {
  ref: string;
  kind: string;
  name: string;
  startsOn: string;
  endsOn: string | null;
  areaCodes: string[];
}

/** Areas one event may list: enough for every county of a province. */
export const MAX_DISASTER_AREAS = 500;

function checkDisaster(item: DisasterItemInput, today: string): CheckedDisaster {
  const ref = partnerRef(item.ref, 'ref');
  if (!(Object.values(DisasterKind) as string[]).includes(item.kind)) throw invalid('kind', 'INVALID_KIND', 'kind is not a disaster kind');
  const name = freeText(item.name, 'name', 200);
  if (name === null) throw invalid('name', 'REQUIRED', 'name must not be empty');
  notInFuture(item.startsOn, today, 'startsOn');
  const endsOn = item.endsOn ?? null;
  if (endsOn !== null && endsOn < item.startsOn) throw invalid('endsOn', 'DATE_ORDER', 'endsOn must not be before startsOn');
  const codes = Array.isArray(item.areaCodes) ? item.areaCodes : [];
  if (codes.length === 0 || codes.length > MAX_DISASTER_AREAS) {
    throw invalid('areaCodes', 'AREA_COUNT', `areaCodes must list 1 to ${MAX_DISASTER_AREAS} areas`);
  }
  const seen = new Set<string>();
  codes.forEach((code, i) => {
    if (seen.has(code)) throw invalid(`areaCodes[${i}]`, 'DUPLICATE_AREA', `areaCodes[${i}]: ${code} is listed twice`);
    seen.add(code);
  });
  return { ref, kind: item.kind, name, startsOn: item.startsOn, endsOn, areaCodes: [...codes] };
}

async function applyDisaster(ctx: IngestContext, item: CheckedDisaster): Promise<AppliedItem> {
  for (const [i, code] of item.areaCodes.entries()) await areaInScope(ctx, code, `areaCodes[${i}]`);
  const areas = [...item.areaCodes].sort();
  const existing = await ctx.client.query<{ id: string; kind: string; name: string; starts_on: string; ends_on: string | null; areas: string[] }>(
    `SELECT e.id::text AS id, e.kind, e.name, e.starts_on::text AS starts_on, e.ends_on::text AS ends_on,
            coalesce((SELECT array_agg(da.area_code::text ORDER BY da.area_code) FROM disaster_area da WHERE da.event_id = e.id), '{}') AS areas
       FROM disaster_event e WHERE e.source_institution_id = $1 AND e.ref = $2 FOR NO KEY UPDATE`,
    [ctx.institution.id, item.ref],
  );
  const row = existing.rows[0];
  if (row === undefined) {
    const inserted = await ctx.client.query<{ id: string }>(
      `INSERT INTO disaster_event (source_institution_id, batch_id, received_at, ref, kind, name, starts_on, ends_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (source_institution_id, ref) DO NOTHING RETURNING id::text AS id`,
      [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt, item.ref, item.kind, item.name, item.startsOn, item.endsOn],
    );
    const id = inserted.rows[0]?.id;
    if (id === undefined) throw conflictWith(null, 'CONCURRENT_CHANGE', `Disaster event ${item.ref} was created by another call meanwhile; send the item again`);
    await ctx.client.query('INSERT INTO disaster_area (event_id, area_code) SELECT $1, unnest($2::text[])', [id, areas]);
    await insertRecordVersion(ctx, 'DISASTER_EVENT', id, 1, null, disasterTerms(item.kind, item.name, item.startsOn, item.endsOn, areas));
    return { status: 'CREATED', record: { type: 'DisasterEvent', id }, version: 1, warnings: [] };
  }
  const same =
    row.kind === item.kind && row.name === item.name && row.starts_on === item.startsOn && row.ends_on === item.endsOn && row.areas.join(',') === areas.join(',');
  const versions = await ctx.client.query<{ n: number }>(
    "SELECT coalesce(max(version), 0)::int AS n FROM record_version WHERE record_kind = 'DISASTER_EVENT' AND record_id = $1",
    [row.id],
  );
  let current = versions.rows[0].n;
  if (same) return { status: 'UNCHANGED', record: { type: 'DisasterEvent', id: row.id }, version: current === 0 ? null : current, warnings: [] };
  if (current === 0) {
    // An event written before versions were kept (the demo's): its state becomes version 1 first.
    current = 1;
    await insertRecordVersion(ctx, 'DISASTER_EVENT', row.id, current, null, disasterTerms(row.kind, row.name, row.starts_on, row.ends_on, row.areas));
  }
  await insertRecordVersion(ctx, 'DISASTER_EVENT', row.id, current + 1, null, disasterTerms(item.kind, item.name, item.startsOn, item.endsOn, areas));
  await ctx.client.query(
    `UPDATE disaster_event SET batch_id = $2, received_at = $3, kind = $4, name = $5, starts_on = $6, ends_on = $7 WHERE id = $1`,
    [row.id, ctx.batch.rowId, ctx.batch.receivedAt, item.kind, item.name, item.startsOn, item.endsOn],
  );
  await ctx.client.query('DELETE FROM disaster_area WHERE event_id = $1 AND NOT (area_code = ANY ($2::text[]))', [row.id, areas]);
  await ctx.client.query(
    'INSERT INTO disaster_area (event_id, area_code) SELECT $1, unnest($2::text[]) ON CONFLICT (event_id, area_code) DO NOTHING',
    [row.id, areas],
  );
  return { status: 'UPDATED', record: { type: 'DisasterEvent', id: row.id }, version: current + 1, warnings: [] };
}

/** A disaster event's terms as kept in `record_version` (no county: an event may span a province). */
function disasterTerms(kind: string, name: string, startsOn: string, endsOn: string | null, areas: readonly string[]): Terms {
  return { kind, name, startsOn, endsOn, areaCodes: [...areas] };
}

/** For replays: the events the first call changed, from the change feed it appended. */
async function disastersWrittenBy(ctx: IngestContext): Promise<Map<string, WrittenItem>> {
  const rows = await ctx.client.query<{ id: string; ref: string; action: string; version: number | null }>(
    `SELECT e.id::text AS id, e.ref, ce.action,
            (SELECT max(v.version) FROM record_version v
              WHERE v.record_kind = 'DISASTER_EVENT' AND v.record_id = e.id AND v.batch_id = ce.batch_id)::int AS version
       FROM change_event ce JOIN disaster_event e ON e.id = ce.record_id
      WHERE ce.batch_id = $1 AND ce.record_type = 'DisasterEvent'`,
    [ctx.batch.rowId],
  );
  return new Map(
    rows.rows.map((r) => [r.ref, { status: r.action === 'CREATED' ? 'CREATED' : 'UPDATED', record: { type: 'DisasterEvent', id: r.id }, version: r.version }] as const),
  );
}

export const DISASTER_INGESTION: IngestionKind<DisasterItemInput, CheckedDisaster> = {
  kind: 'recordDisasterEvents',
  roles: ['REGULATOR'],
  refOf: (item) => ({ ref: item.ref, path: 'ref' }),
  check: checkDisaster,
  apply: applyDisaster,
  writtenBy: disastersWrittenBy,
};

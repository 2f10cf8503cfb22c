/**
 * `upsertFindings`: a regulator (any REGULATOR principal, central-bank branches
 * included) reports inspection and audit findings in its area scope, named by its own
 * reference: the county, the institution that must rectify (by code; none for findings
 * on a county's own work, which the county government rectifies), when found and when
 * due, and the rectification steps, numbered 1, 2, … in the order given.
 *
 * Versioned on the finding's optimistic `version`: the same finding again is UNCHANGED,
 * a changed one a new version (its terms kept in `record_version`), a `version` that is
 * no longer current is CONFLICT — verifications close findings and bump the version too,
 * so an edit based on a read from before a closure is refused. Progress already made is
 * never rewritten: a step reported done may not be reworded or dropped, and a closed
 * finding cannot change (CONFLICT); steps not yet reported may be reworded, added or
 * dropped. A finding whose remaining steps are all verified closes.
 */
import { FindingSource } from '../../entities/enums';
import type { IngestContext, IngestionKind, WrittenItem } from '../ingestion';
import { conflictWith, freeText, invalid, notInFuture, partnerRef, unknownReference, type AppliedItem } from '../ingestion';
import { baseVersion } from '../ingestion/loan.ingestion';
import { hashTerms, insertRecordVersion, type Terms } from '../ingestion/record-versions';
import { closeIfComplete } from './findings';
import { countyInScope, institutionByCode } from './oversight-refs';

/** Steps one finding may have (what the read side lists, `MAX_FINDING_STEPS`). */
export const MAX_STEPS_PER_FINDING = 50;
/** Kinds of institution a finding may name as the one to rectify. */
const RECTIFYING_KINDS = new Set(['BANK', 'INSURER', 'GUARANTOR']);

/** One finding (the GraphQL `FindingInput`). */
export interface FindingItemInput {
  ref: string;
  source: `${FindingSource}`;
  countyCode: string;
  institutionCode?: string | null;
  text: string;
  foundOn: string;
  dueOn: string;
  steps: ReadonlyArray<{ description: string }>;
  version?: number | null;
}

interface CheckedFinding {
  ref: string;
  source: string;
  countyCode: string;
  institutionCode: string | null;
  text: string;
  foundOn: string;
  dueOn: string;
  steps: string[];
  version: number | null;
}

function checkFinding(item: FindingItemInput, today: string): CheckedFinding {
  const ref = partnerRef(item.ref, 'ref');
  if (!(Object.values(FindingSource) as string[]).includes(item.source)) throw invalid('source', 'INVALID_SOURCE', 'source is not a finding source');
  if (typeof item.countyCode !== 'string' || !/^\d{6}$/.test(item.countyCode)) throw invalid('countyCode', 'INVALID_AREA_CODE', 'countyCode must be a 6-digit county code');
  const text = freeText(item.text, 'text', 2000);
  if (text === null) throw invalid('text', 'REQUIRED', 'text must not be empty');
  notInFuture(item.foundOn, today, 'foundOn');
  if (item.dueOn < item.foundOn) throw invalid('dueOn', 'DATE_ORDER', 'dueOn must not be before foundOn');
  const steps = Array.isArray(item.steps) ? item.steps : [];
  if (steps.length === 0 || steps.length > MAX_STEPS_PER_FINDING) {
    throw invalid('steps', 'STEP_COUNT', `steps must list 1 to ${MAX_STEPS_PER_FINDING} rectification steps`);
  }
  const descriptions = steps.map((step, i) => {
    const description = freeText(step?.description, `steps[${i}].description`, 1000);
    if (description === null) throw invalid(`steps[${i}].description`, 'REQUIRED', `steps[${i}].description must not be empty`);
    return description;
  });
  const institutionCode = item.institutionCode ?? null;
  return { ref, source: item.source, countyCode: item.countyCode, institutionCode, text, foundOn: item.foundOn, dueOn: item.dueOn, steps: descriptions, version: baseVersion(item.version) };
}

interface StepRow {
  id: string;
  seq: number;
  description: string;
  reported: boolean;
}

async function applyFinding(ctx: IngestContext, item: CheckedFinding): Promise<AppliedItem> {
  const countyCode = await countyInScope(ctx, item.countyCode, 'countyCode');
  let institutionId: string | null = null;
  if (item.institutionCode !== null) {
    const institution = await institutionByCode(ctx, item.institutionCode, 'institutionCode');
    if (!RECTIFYING_KINDS.has(institution.kind)) {
      throw invalid('institutionCode', 'NOT_A_RECTIFYING_INSTITUTION', 'institutionCode must name a bank, insurer or guarantor; leave it out for a county’s own work');
    }
    institutionId = institution.id;
  }
  const terms: Terms = {
    authorityCode: ctx.institution.code,
    ref: item.ref,
    source: item.source,
    countyCode,
    institutionCode: item.institutionCode ?? undefined,
    text: item.text,
    foundOn: item.foundOn,
    dueOn: item.dueOn,
    steps: item.steps,
  };
  const { hash } = hashTerms(terms);
  const columns = [item.source, institutionId, countyCode, item.text, item.foundOn, item.dueOn];

  const existing = await ctx.client.query<{ id: string; version: number; status: string; county_code: string; last_hash: string | null }>(
    `SELECT f.id::text AS id, f.version, f.status, f.county_code,
            (SELECT rv.terms_hash FROM record_version rv WHERE rv.record_kind = 'FINDING' AND rv.record_id = f.id ORDER BY rv.version DESC LIMIT 1) AS last_hash
       FROM finding f WHERE f.source_institution_id = $1 AND f.ref = $2 FOR NO KEY UPDATE`,
    [ctx.institution.id, item.ref],
  );
  const row = existing.rows[0];
  if (row === undefined) {
    if (item.version !== null) {
      throw conflictWith('version', 'NO_SUCH_VERSION', `The item is based on version ${item.version}, but your institution has reported no finding ${item.ref}`);
    }
    const inserted = await ctx.client.query<{ id: string }>(
      `INSERT INTO finding (source_institution_id, batch_id, received_at, ref, source, institution_id, county_code, text, found_on, due_on, status, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'OPEN', 1)
       ON CONFLICT (source_institution_id, ref) DO NOTHING RETURNING id::text AS id`,
      [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt, item.ref, ...columns],
    );
    const id = inserted.rows[0]?.id;
    if (id === undefined) throw conflictWith(null, 'CONCURRENT_CHANGE', `Finding ${item.ref} was created by another call meanwhile; send the item again`);
    await ctx.client.query(
      `INSERT INTO rectification_step (finding_id, county_code, seq, description)
       SELECT $1, $2, s.ord, s.description FROM unnest($3::text[]) WITH ORDINALITY AS s(description, ord)`,
      [id, countyCode, item.steps],
    );
    await insertRecordVersion(ctx, 'FINDING', id, 1, countyCode, terms);
    return { status: 'CREATED', record: { type: 'Finding', id }, version: 1, warnings: [] };
  }

  // A finding of this authority now outside its area scope is not one it may see.
  await countyInScope(ctx, row.county_code, 'ref').catch(() => {
    throw unknownReference('ref', `ref: no finding ${item.ref} in your area scope`);
  });
  const current = { id: row.id, version: Number(row.version) };
  if (row.last_hash === hash) return { status: 'UNCHANGED', record: { type: 'Finding', id: current.id }, version: current.version, warnings: [] };
  if (item.version !== null && item.version !== current.version) {
    throw conflictWith('version', 'STALE_VERSION', `The item is based on version ${item.version}, but finding ${item.ref} is at version ${current.version}; read it again`);
  }
  if (row.status === 'CLOSED') throw conflictWith(null, 'FINDING_CLOSED', `Finding ${item.ref} is closed: every step was verified; report a new finding instead`);

  const steps = await ctx.client.query<StepRow>(
    `SELECT id::text AS id, seq, description, reported_done_on IS NOT NULL AS reported FROM rectification_step WHERE finding_id = $1 ORDER BY seq FOR NO KEY UPDATE`,
    [current.id],
  );
  for (const step of steps.rows) {
    const wanted = item.steps[step.seq - 1];
    if (wanted === step.description) continue;
    if (step.reported) {
      const path = wanted === undefined ? 'steps' : `steps[${step.seq - 1}].description`;
      throw conflictWith(path, 'STEP_IN_PROGRESS', `Step ${step.seq} was already reported done; it can no longer be ${wanted === undefined ? 'dropped' : 'reworded'}`);
    }
    if (wanted === undefined) await ctx.client.query('DELETE FROM rectification_step WHERE id = $1', [step.id]);
    else await ctx.client.query('UPDATE rectification_step SET description = $2, county_code = $3 WHERE id = $1', [step.id, wanted, countyCode]);
  }
  await ctx.client.query('UPDATE rectification_step SET county_code = $2 WHERE finding_id = $1 AND county_code <> $2', [current.id, countyCode]);
  const known = steps.rows.length;
  if (item.steps.length > known) {
    await ctx.client.query(
      `INSERT INTO rectification_step (finding_id, county_code, seq, description)
       SELECT $1, $2, $3 + s.ord, s.description FROM unnest($4::text[]) WITH ORDINALITY AS s(description, ord)`,
      [current.id, countyCode, known, item.steps.slice(known)],
    );
  }
  const updated = await ctx.client.query(
    `UPDATE finding SET batch_id = $3, received_at = $4, source = $5, institution_id = $6, county_code = $7, text = $8, found_on = $9, due_on = $10, version = version + 1
      WHERE id = $1 AND version = $2`,
    [current.id, current.version, ctx.batch.rowId, ctx.batch.receivedAt, ...columns],
  );
  if (updated.rowCount !== 1) throw conflictWith('version', 'STALE_VERSION', `Finding ${item.ref} changed meanwhile; read it again`);
  let version = current.version + 1;
  await insertRecordVersion(ctx, 'FINDING', current.id, version, countyCode, terms);
  version = (await closeIfComplete(ctx.client, current.id, ctx.today)) ?? version;
  return { status: 'UPDATED', record: { type: 'Finding', id: current.id }, version, warnings: [] };
}

async function findingsWrittenBy(ctx: IngestContext): Promise<Map<string, WrittenItem>> {
  const rows = await ctx.client.query<{ id: string; version: number; ref: string }>(
    `SELECT record_id::text AS id, version, terms->>'ref' AS ref FROM record_version WHERE batch_id = $1 AND record_kind = 'FINDING'`,
    [ctx.batch.rowId],
  );
  return new Map(rows.rows.map((r) => [r.ref, { status: Number(r.version) === 1 ? 'CREATED' : 'UPDATED', record: { type: 'Finding', id: r.id }, version: Number(r.version) }] as const));
}

export const FINDING_INGESTION: IngestionKind<FindingItemInput, CheckedFinding> = {
  kind: 'upsertFindings',
  roles: ['REGULATOR'],
  refOf: (item) => ({ ref: item.ref, path: 'ref' }),
  check: checkFinding,
  apply: applyFinding,
  writtenBy: findingsWrittenBy,
};

/**
 * `recordDockingEvents`: a county government reports its government–bank–enterprise
 * financing docking events (政银企融资对接), each with its matched projects (enterprise,
 * bank, amounts requested, signed and disbursed) and, per project, the loans that
 * resulted, named as their bank names them (bank code + loan reference).
 *
 * An event is named by the organiser's own reference and lies in a county of the
 * caller's scope. Its terms (name, date, the full project list with their loans) are
 * versioned in `record_version` (kind DOCKING_EVENT; the table has no version column):
 * the same item again is UNCHANGED, other terms UPDATED with the next version (projects
 * no longer named are removed with their loan links; earlier versions keep them), a
 * stale `version` CONFLICT.
 *
 * A project's enterprise must be one the caller sees (`enterpriseScope`: of its county)
 * and a named loan one of the project's bank in the event's county that the caller sees
 * (`loanScope`): anything else — another county's loan, a loan that does not exist —
 * is the same NOT_FOUND with the same words, so an answer never reveals another
 * institution's or county's records. Disbursed may not exceed signed.
 */
import { sql } from '../../db/sql';
import { enterpriseScope, loanScope } from '../access';
import type { IngestContext, IngestionKind, WrittenItem } from './batch-engine';
import { checkLoanNames, type LoanNameInput } from './cover-links';
import { exactDecimal, freeText, MONEY, notInFuture, partnerRef } from './field-rules';
import type { AppliedItem } from './ingestion.types';
import { conflictWith, invalid, unknownReference } from './item-rejection';
import { baseVersion } from './loan.ingestion';
import { hashTerms, insertRecordVersion, type Terms } from './record-versions';
import { queryFragment } from './references';
import { countyInScope, institutionByCode, institutionCode, latestVersion } from './registry-rules';

export interface DockingProjectInput {
  ref: string;
  enterpriseCreditCode: string;
  bankCode: string;
  requested: string;
  signed: string;
  disbursed: string;
  loans?: LoanNameInput[] | null;
}

/** One docking event (the GraphQL `DockingEventInput`). */
export interface DockingItemInput {
  ref: string;
  name: string;
  countyCode: string;
  heldOn: string;
  projects?: DockingProjectInput[] | null;
  version?: number | null;
}

interface CheckedProject {
  /** Its place in the item's list (the list is kept sorted by ref). */
  index: number;
  ref: string;
  enterpriseCreditCode: string;
  bankCode: string;
  requested: string;
  signed: string;
  disbursed: string;
  loans: LoanNameInput[];
}

interface CheckedDocking {
  ref: string;
  name: string;
  countyCode: string;
  heldOn: string;
  projects: CheckedProject[];
  version: number | null;
}

const MAX_PROJECTS = 200;
const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

function checkDocking(item: DockingItemInput, today: string): CheckedDocking {
  const ref = partnerRef(item.ref, 'ref');
  const name = freeText(item.name, 'name', 200);
  if (name === null) throw invalid('name', 'NAME_REQUIRED', 'name is required');
  if (typeof item.countyCode !== 'string' || !/^\d{6}$/.test(item.countyCode)) throw invalid('countyCode', 'INVALID_AREA_CODE', 'countyCode must be a 6-digit county code');
  notInFuture(item.heldOn, today, 'heldOn');
  const list = item.projects ?? [];
  if (list.length > MAX_PROJECTS) throw invalid('projects', 'TOO_MANY', `projects holds at most ${MAX_PROJECTS} entries`);
  const seen = new Set<string>();
  const projects = list.map((p, i): CheckedProject => {
    const path = `projects[${i}]`;
    const projectRef = partnerRef(p.ref, `${path}.ref`);
    if (seen.has(projectRef)) throw invalid(`${path}.ref`, 'DUPLICATE_REF', `${path}.ref appears more than once in this event`);
    seen.add(projectRef);
    if (typeof p.enterpriseCreditCode !== 'string' || !CREDIT_CODE.test(p.enterpriseCreditCode)) {
      throw invalid(`${path}.enterpriseCreditCode`, 'CREDIT_CODE_FORMAT', `${path}.enterpriseCreditCode must be an 18-character unified social credit code`);
    }
    institutionCode(p.bankCode, `${path}.bankCode`);
    const requested = exactDecimal(p.requested, `${path}.requested`, MONEY);
    const signed = exactDecimal(p.signed, `${path}.signed`, MONEY);
    const disbursed = exactDecimal(p.disbursed, `${path}.disbursed`, MONEY);
    if (disbursed.units > signed.units) throw invalid(`${path}.disbursed`, 'ABOVE_SIGNED', `${path}.disbursed must not exceed signed`);
    const loans = checkLoanNames(p.loans, `${path}.loans`);
    loans.forEach((loan, j) => {
      if (loan.bankCode !== p.bankCode) throw invalid(`${path}.loans[${j}].bankCode`, 'OTHER_BANK', `${path}.loans[${j}] must be a loan of the project's bank ${p.bankCode}`);
    });
    return { index: i, ref: projectRef, enterpriseCreditCode: p.enterpriseCreditCode, bankCode: p.bankCode, requested: requested.text, signed: signed.text, disbursed: disbursed.text, loans };
  });
  projects.sort((a, b) => (a.ref < b.ref ? -1 : 1));
  return { ref, name, countyCode: item.countyCode, heldOn: item.heldOn, projects, version: baseVersion(item.version) };
}

interface ResolvedProject {
  project: CheckedProject;
  enterpriseId: string;
  bankId: string;
  loanIds: string[];
}

/** Resolves every project's enterprise, bank and loans; `index` is the project's place in the checked (sorted) list. */
async function resolveProjects(ctx: IngestContext, d: CheckedDocking, countyCode: string): Promise<ResolvedProject[]> {
  const resolved: ResolvedProject[] = [];
  for (const project of d.projects) {
    const path = `projects[${project.index}]`;
    const enterprise = await queryFragment<{ id: string }>(
      ctx.client,
      sql`SELECT e.id::text AS id FROM enterprise e WHERE e.credit_code = ${project.enterpriseCreditCode} AND ${enterpriseScope(ctx.principal, 'e')}`,
    );
    if (enterprise.length === 0) throw unknownReference(`${path}.enterpriseCreditCode`, `${path}.enterpriseCreditCode: no enterprise ${project.enterpriseCreditCode} in your area`);
    const bankId = await institutionByCode(ctx, project.bankCode, ['BANK']);
    if (bankId === null) throw unknownReference(`${path}.bankCode`, `${path}.bankCode: no bank with code ${project.bankCode}`);
    const loanIds: string[] = [];
    for (const [j, loan] of project.loans.entries()) {
      const rows = await queryFragment<{ id: string }>(
        ctx.client,
        sql`SELECT l.id::text AS id FROM loan l WHERE l.institution_id = ${bankId} AND l.ref = ${loan.loanRef} AND l.county_code = ${countyCode}
              AND ${loanScope(ctx.principal, { id: 'l.id', county: 'l.county_code', institution: 'l.institution_id' })}`,
      );
      if (rows.length === 0) throw unknownReference(`${path}.loans[${j}].loanRef`, `${path}.loans[${j}]: no loan ${loan.loanRef} of ${loan.bankCode} in the event's county`);
      loanIds.push(rows[0].id);
    }
    resolved.push({ project, enterpriseId: enterprise[0].id, bankId, loanIds });
  }
  return resolved;
}

async function applyDocking(ctx: IngestContext, d: CheckedDocking): Promise<AppliedItem> {
  const countyCode = await countyInScope(ctx, d.countyCode, 'countyCode');
  const projects = await resolveProjects(ctx, d, countyCode);
  const terms: Terms = {
    organizerCode: ctx.institution.code,
    ref: d.ref,
    name: d.name,
    countyCode,
    heldOn: d.heldOn,
    projects: d.projects.map((p) => ({
      ref: p.ref,
      enterpriseCreditCode: p.enterpriseCreditCode,
      bankCode: p.bankCode,
      requested: p.requested,
      signed: p.signed,
      disbursed: p.disbursed,
      loanRefs: p.loans.map((l) => l.loanRef),
    })),
  };
  const provenance = [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt];
  const found = await ctx.client.query<{ id: string }>('SELECT id::text AS id FROM docking_event WHERE organizer_id = $1 AND ref = $2 FOR NO KEY UPDATE', [
    ctx.institution.id,
    d.ref,
  ]);
  const existing = found.rows[0];
  let id: string;
  let version: number;
  if (existing === undefined) {
    if (d.version !== null) throw conflictWith('version', 'NO_SUCH_VERSION', `The item is based on version ${d.version}, but your institution has reported no docking event ${d.ref}`);
    const inserted = await ctx.client.query<{ id: string }>(
      `INSERT INTO docking_event (source_institution_id, batch_id, received_at, organizer_id, ref, name, county_code, held_on)
       VALUES ($1, $2, $3, $1, $4, $5, $6, $7) RETURNING id::text AS id`,
      [...provenance, d.ref, d.name, countyCode, d.heldOn],
    );
    [id, version] = [inserted.rows[0].id, 1];
  } else {
    id = existing.id;
    const latest = await latestVersion(ctx, 'DOCKING_EVENT', id);
    const current = latest?.version ?? 0;
    if (latest !== null && latest.hash === hashTerms(terms).hash) {
      return { status: 'UNCHANGED', record: { type: 'DockingEvent', id }, version: current, warnings: [] };
    }
    if (d.version !== null && d.version !== current) {
      throw conflictWith('version', 'STALE_VERSION', `The item is based on version ${d.version}, but docking event ${d.ref} is at version ${current}; read it again`);
    }
    await ctx.client.query(
      'UPDATE docking_event SET source_institution_id = $1, batch_id = $2, received_at = $3, name = $5, county_code = $6, held_on = $7 WHERE id = $4',
      [...provenance, id, d.name, countyCode, d.heldOn],
    );
    version = current + 1;
  }
  await ctx.client.query('DELETE FROM docking_project_loan WHERE project_id IN (SELECT id FROM docking_project WHERE event_id = $1)', [id]);
  await ctx.client.query('DELETE FROM docking_project WHERE event_id = $1 AND NOT ref = ANY($2::text[])', [id, d.projects.map((p) => p.ref)]);
  for (const r of projects) {
    const p = r.project;
    const upserted = await ctx.client.query<{ id: string }>(
      `INSERT INTO docking_project (source_institution_id, batch_id, received_at, event_id, ref, county_code, enterprise_id, bank_id, requested, signed, disbursed)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (event_id, ref) DO UPDATE SET source_institution_id = excluded.source_institution_id, batch_id = excluded.batch_id,
         received_at = excluded.received_at, county_code = excluded.county_code, enterprise_id = excluded.enterprise_id, bank_id = excluded.bank_id,
         requested = excluded.requested, signed = excluded.signed, disbursed = excluded.disbursed
       RETURNING id::text AS id`,
      [...provenance, id, p.ref, countyCode, r.enterpriseId, r.bankId, p.requested, p.signed, p.disbursed],
    );
    for (const loanId of r.loanIds) {
      await ctx.client.query('INSERT INTO docking_project_loan (project_id, loan_id, county_code) VALUES ($1, $2, $3)', [upserted.rows[0].id, loanId, countyCode]);
    }
  }
  await insertRecordVersion(ctx, 'DOCKING_EVENT', id, version, countyCode, terms);
  return { status: version === 1 ? 'CREATED' : 'UPDATED', record: { type: 'DockingEvent', id }, version, warnings: [] };
}

async function dockingWrittenBy(ctx: IngestContext): Promise<Map<string, WrittenItem>> {
  const rows = await ctx.client.query<{ id: string; version: number; ref: string }>(
    `SELECT record_id::text AS id, version, terms->>'ref' AS ref FROM record_version WHERE batch_id = $1 AND record_kind = 'DOCKING_EVENT'`,
    [ctx.batch.rowId],
  );
  return new Map(rows.rows.map((r) => [r.ref, { status: Number(r.version) === 1 ? 'CREATED' : 'UPDATED', record: { type: 'DockingEvent', id: r.id }, version: Number(r.version) }] as const));
}

export const DOCKING_INGESTION: IngestionKind<DockingItemInput, CheckedDocking> = {
  kind: 'recordDockingEvents',
  roles: ['GOVERNMENT'],
  refOf: (item) => ({ ref: item.ref, path: 'ref' }),
  check: checkDocking,
  apply: applyDocking,
  writtenBy: dockingWrittenBy,
};

/**
 * Versions of a record's terms in `record_version`, with the conventions of the demo
 * generator (`services/demo/context.ts`): canonical JSON (sorted keys, money and rates
 * as fixed-scale decimal strings, absent members dropped), its SHA-256, and the
 * provenance of the batch that carried the version. The same terms again hash alike, so
 * the same item is recognised as UNCHANGED.
 */
import { canonicalJson, sha256Hex, type CanonicalValue } from '../demo/canonical';
import type { IngestContext, WrittenItem } from './batch-engine';
import type { IngestedRecordType } from './ingestion.types';

export type VersionedKind = 'HOUSEHOLD' | 'ENTERPRISE' | 'LOAN' | 'INSURANCE_POLICY' | 'CLAIM' | 'GUARANTEE_CONTRACT' | 'RELENDING_FACILITY' | 'FINDING' | 'SERVICE_POINT' | 'RISK_COMPENSATION_FUND' | 'DOCKING_EVENT' | 'DISASTER_EVENT';

export type Terms = { [key: string]: CanonicalValue | undefined };

/** The canonical text and hash of terms. */
export function hashTerms(terms: Terms): { json: string; hash: string } {
  const json = canonicalJson(terms as CanonicalValue);
  return { json, hash: sha256Hex(json) };
}

/** Writes one version under the current batch's provenance. */
export async function insertRecordVersion(ctx: IngestContext, kind: VersionedKind, recordId: string, version: number, countyCode: string | null, terms: Terms): Promise<string> {
  const { json, hash } = hashTerms(terms);
  await ctx.client.query(
    `INSERT INTO record_version (source_institution_id, batch_id, received_at, record_kind, record_id, version, county_code, terms, terms_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9)`,
    [ctx.institution.id, ctx.batch.rowId, ctx.batch.receivedAt, kind, recordId, version, countyCode, json, hash],
  );
  return hash;
}

/** The hash of a record's terms at `version`, or null when that version was never recorded. */
export async function termsHashOf(ctx: IngestContext, kind: VersionedKind, recordId: string, version: number): Promise<string | null> {
  const rows = await ctx.client.query<{ terms_hash: string }>(
    'SELECT terms_hash FROM record_version WHERE record_kind = $1 AND record_id = $2 AND version = $3',
    [kind, recordId, version],
  );
  return rows.rows[0]?.terms_hash ?? null;
}

/**
 * For replays of versioned kinds whose terms carry their `ref`: the records a batch wrote,
 * by reference — version 1 was CREATED, a later one UPDATED.
 */
export async function versionsWrittenBy(ctx: IngestContext, kind: VersionedKind, type: IngestedRecordType): Promise<Map<string, WrittenItem>> {
  const rows = await ctx.client.query<{ id: string; version: number; ref: string }>(
    `SELECT record_id::text AS id, version, terms->>'ref' AS ref FROM record_version WHERE batch_id = $1 AND record_kind = $2`,
    [ctx.batch.rowId, kind],
  );
  return new Map(
    rows.rows.map((r) => [r.ref, { status: Number(r.version) === 1 ? 'CREATED' : 'UPDATED', record: { type, id: r.id }, version: Number(r.version) }] as const),
  );
}

/**
 * Recording and revoking a household's consent to share with an institution (DESIGN.md
 * §3). What a consent changes — a package partner seeing the household's PII and its
 * other linked records — is decided in `access/row-scope.ts`, in the statements that
 * read the rows; this service only keeps the consent table right:
 *
 * - who may: the county government for a household of its county (any consent), or a
 *   bank, insurer or guarantor for a consent given to its own institution by a household
 *   it can see; a revocation by the government or by the institution that collected the
 *   consent (its `source_institution_id`); FORBIDDEN for every other role;
 * - at most one live consent per household and institution (the partial unique index),
 *   recording an existing live consent again returns it unchanged, revoking a revoked
 *   one returns the last revocation unchanged;
 * - provenance: the collecting institution, an `ingest_batch` row and the time received;
 * - every change audited (`CONSENT_RECORDED`, `CONSENT_REVOKED`, with the household id)
 *   in the transaction that makes it.
 */
import { createHash } from 'node:crypto';
import { ref, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, type Sql } from '../../db/sql';
import { Area, Consent, Household, IngestBatch, Institution } from '../../entities';
import { householdScope } from '../access';
import type { Principal } from '../access/principal';
import { auditedTransaction, badInput, forbidden, notFound, requireRole, type ServiceScope } from '../common';
import { isHouseholdRef } from '../identity';

export interface RecordConsentInput {
  householdRef: string;
  institutionCode: string;
  /** Where the signed consent lives (a form number, a file reference). */
  evidence?: string | null;
  /** When the household gave it; now when absent. */
  givenAt?: Date | null;
}

export interface RevokeConsentInput {
  householdRef: string;
  institutionCode: string;
}

/** What a call did: CREATED a consent, UPDATED it (revoked), or left it UNCHANGED. */
export type ConsentOutcome = 'CREATED' | 'UPDATED' | 'UNCHANGED';

export interface ConsentChange {
  /** The consent recorded, revoked, or found already so. */
  consentId: string;
  outcome: ConsentOutcome;
}

/** Roles that record and revoke consents. */
const CONSENT_ROLES = ['GOVERNMENT', 'BANK', 'INSURER', 'GUARANTOR'] as const;
/** Institution kinds a household can consent to share with: the package partners. */
const CONSENTING_KINDS: ReadonlySet<string> = new Set(['BANK', 'INSURER', 'GUARANTOR']);
const MAX_EVIDENCE_CHARS = 500;
/** Clock skew tolerated on a client's `givenAt` before it counts as the future. */
const FUTURE_SKEW_MS = 5 * 60_000;

/**
 * Records a live consent of a household to an institution.
 *
 * @throws RefusalError FORBIDDEN (role, or a partner naming another institution),
 *   NOT_FOUND (household not visible, unknown institution), BAD_USER_INPUT.
 */
export async function recordConsent(scope: ServiceScope, input: RecordConsentInput, now: Date = new Date()): Promise<ConsentChange> {
  const { principal } = scope;
  const collector = checkCollector(principal, input.institutionCode, 'Recording a consent');
  const evidence = checkEvidence(input.evidence);
  const givenAt = input.givenAt ?? now;
  if (givenAt.getTime() > now.getTime() + FUTURE_SKEW_MS) {
    throw badInput('givenAt must not be in the future', 'input.givenAt');
  }
  const household = await visibleHousehold(scope, input.householdRef);
  const institution = await consentingInstitution(scope.em, input.institutionCode);

  const live = await liveConsentId(scope.em, household.id, institution.id);
  if (live !== null) return { consentId: live, outcome: 'UNCHANGED' };

  try {
    return await auditedTransaction(scope, async (tem, audit) => {
      const batch = tem.create(IngestBatch, {
        institution: tem.getReference(Institution, collector),
        externalId: `consent-${scope.requestId}`.slice(0, 100),
        kind: 'recordConsent',
        payloadHash: payloadHash({ householdRef: input.householdRef, institutionCode: input.institutionCode, evidence, givenAt: givenAt.toISOString() }),
        itemCount: 1,
        receivedAt: new Date(),
      });
      const consent = tem.create(Consent, {
        sourceInstitution: tem.getReference(Institution, collector),
        batch,
        household: tem.getReference(Household, household.id),
        institution: tem.getReference(Institution, institution.id),
        county: ref(Area, household.countyCode),
        givenAt,
        evidence: evidence ?? undefined,
        receivedAt: new Date(),
      });
      await tem.flush();
      audit.record({
        action: 'CONSENT_RECORDED',
        operation: 'recordConsent',
        householdIds: [household.id],
        details: { consentId: consent.id, institutionCode: institution.code },
      });
      return { consentId: consent.id, outcome: 'CREATED' as const };
    });
  } catch (error) {
    // Recorded concurrently by another request: that consent is the live one.
    if (error instanceof UniqueConstraintViolationException) {
      const winner = await liveConsentId(scope.em, household.id, institution.id);
      if (winner !== null) return { consentId: winner, outcome: 'UNCHANGED' };
    }
    throw error;
  }
}

/**
 * Revokes the live consent of a household to an institution, effective from the next
 * request.
 *
 * @throws RefusalError FORBIDDEN (role; a partner naming another institution or
 *   revoking a consent it did not collect), NOT_FOUND (household not visible, unknown
 *   institution, no consent), BAD_USER_INPUT.
 */
export async function revokeConsent(scope: ServiceScope, input: RevokeConsentInput): Promise<ConsentChange> {
  const { principal } = scope;
  const revoker = checkCollector(principal, input.institutionCode, 'Revoking a consent');
  const household = await visibleHousehold(scope, input.householdRef);
  const institution = await consentingInstitution(scope.em, input.institutionCode);

  const rows = await scope.em.getConnection().execute<Array<{ id: string; live: boolean; sourceInstitutionId: string }>>(
    `SELECT id, revoked_at IS NULL AS live, source_institution_id AS "sourceInstitutionId"
       FROM consent WHERE household_id = ? AND institution_id = ?
      ORDER BY revoked_at IS NULL DESC, revoked_at DESC, id DESC LIMIT 1`,
    [household.id, institution.id],
  );
  const latest = rows[0];
  if (latest === undefined) {
    throw notFound('That household has given no consent to that institution');
  }
  if (principal.role !== 'GOVERNMENT' && String(latest.sourceInstitutionId) !== revoker) {
    throw forbidden('A consent is revoked by the institution that collected it or by the county government');
  }
  const consentId = String(latest.id);
  if (!latest.live) return { consentId, outcome: 'UNCHANGED' };

  return auditedTransaction(scope, async (tem, audit) => {
    const result = await tem
      .getConnection()
      .execute<{ affectedRows: number }>(
        'UPDATE consent SET revoked_at = greatest(now(), given_at), revoked_by_id = ? WHERE id = ? AND revoked_at IS NULL',
        [revoker, consentId],
        'run',
        tem.getTransactionContext(),
      );
    // Revoked concurrently by another request: that revocation stands.
    if (result.affectedRows === 0) return { consentId, outcome: 'UNCHANGED' as const };
    audit.record({
      action: 'CONSENT_REVOKED',
      operation: 'revokeConsent',
      householdIds: [household.id],
      details: { consentId, institutionCode: institution.code },
    });
    return { consentId, outcome: 'UPDATED' as const };
  });
}

/**
 * The role gate and the rule on whose consents a partner handles: its own institution's.
 * Returns the acting institution's id (the collector, or revoker).
 */
function checkCollector(principal: Readonly<Principal>, institutionCode: string, action: string): string {
  requireRole(principal, CONSENT_ROLES, action);
  if (principal.institutionId === null) {
    throw forbidden(`${action} needs a principal acting for an institution`);
  }
  if (principal.role !== 'GOVERNMENT' && institutionCode !== principal.institutionCode) {
    throw forbidden(`A ${principal.role} handles consents given to its own institution only`);
  }
  return principal.institutionId;
}

function checkEvidence(evidence: string | null | undefined): string | null {
  if (evidence === undefined || evidence === null) return null;
  const trimmed = evidence.trim();
  if (trimmed === '') return null;
  if (Array.from(trimmed).length > MAX_EVIDENCE_CHARS || trimmed.includes('\0')) {
    throw badInput(`evidence is a reference of at most ${MAX_EVIDENCE_CHARS} characters`, 'input.evidence');
  }
  return trimmed;
}

/** The household by ref if the principal sees it (the row scope decides); NOT_FOUND otherwise. */
async function visibleHousehold(scope: ServiceScope, ref: string): Promise<{ id: string; countyCode: string }> {
  if (!isHouseholdRef(ref)) {
    throw badInput('A household ref is H followed by 12 Crockford base32 characters', 'input.householdRef');
  }
  const query: Sql = sql`SELECT h.id, h.county_code AS "countyCode" FROM household h WHERE h.ref = ${ref} AND ${householdScope(scope.principal, 'h')}`;
  const rows = await scope.em.getConnection().execute<Array<{ id: string; countyCode: string }>>(query.text, [...query.params]);
  if (rows.length === 0) {
    throw notFound(`No household with ref ${ref}`, 'input.householdRef');
  }
  return { id: String(rows[0].id), countyCode: rows[0].countyCode };
}

/** An institution a household can consent to (public reference data). */
async function consentingInstitution(em: EntityManager, code: string): Promise<{ id: string; code: string }> {
  if (!/^[A-Za-z0-9_.-]{1,32}$/.test(code)) {
    throw badInput('An institution code has 1 to 32 letters, digits, "_", "." or "-"', 'input.institutionCode');
  }
  const rows = await em.getConnection().execute<Array<{ id: string; kind: string }>>('SELECT id, kind FROM institution WHERE code = ?', [code]);
  if (rows.length === 0) {
    throw notFound(`No institution with code ${code}`, 'input.institutionCode');
  }
  if (!CONSENTING_KINDS.has(rows[0].kind)) {
    throw badInput('A household consents to share with a bank, insurer or guarantor', 'input.institutionCode');
  }
  return { id: String(rows[0].id), code };
}

async function liveConsentId(em: EntityManager, householdId: string, institutionId: string): Promise<string | null> {
  const rows = await em
    .getConnection()
    .execute<Array<{ id: string }>>('SELECT id FROM consent WHERE household_id = ? AND institution_id = ? AND revoked_at IS NULL', [householdId, institutionId]);
  return rows.length === 0 ? null : String(rows[0].id);
}

function payloadHash(payload: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(payload), 'utf8').digest('hex');
}

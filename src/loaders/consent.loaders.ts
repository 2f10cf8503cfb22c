import { and, pgArray, raw, sql } from '../db/sql';
import { consentScope, householdScope } from '../services/access';
import { keyLoader, manyByKey, oneByKey, selectRows, type LoaderScope } from './loader-kit';
import type { ProvenanceColumns } from './rows';

/** A household's consent to share with an institution, with its provenance. */
export interface ConsentRow extends ProvenanceColumns {
  id: string;
  householdId: string;
  institutionId: string;
  countyCode: string;
  /** PostgreSQL timestamptz text. */
  givenAt: string;
  revokedAt: string | null;
  revokedById: string | null;
  evidence: string | null;
}

const CONSENT_COLUMNS = raw(`cs.id, cs.household_id AS "householdId", cs.institution_id AS "institutionId", cs.county_code AS "countyCode",
  cs.given_at AS "givenAt", cs.revoked_at AS "revokedAt", cs.revoked_by_id AS "revokedById", cs.evidence,
  cs.source_institution_id AS "sourceInstitutionId", cs.batch_id AS "batchRowId", cs.received_at AS "receivedAt"`);

/** Consents the principal may see (`consentScope`), on households it may see. */
export function createConsentLoaders(scope: LoaderScope) {
  const visible = and(consentScope(scope.principal, 'cs'), householdScope(scope.principal, 'h'));
  return {
    consentById: keyLoader<ConsentRow | null>(async (ids) => {
      const rows = await selectRows<ConsentRow>(
        scope,
        sql`SELECT ${CONSENT_COLUMNS} FROM consent cs JOIN household h ON h.id = cs.household_id
             WHERE cs.id = ANY (${pgArray(ids)}::bigint[]) AND ${visible}`,
      );
      return oneByKey(ids, rows, (row) => String(row.id));
    }),

    /** Each household's consents, oldest first, revoked ones included. */
    consentsByHouseholdId: keyLoader<ConsentRow[]>(async (ids) => {
      const rows = await selectRows<ConsentRow>(
        scope,
        sql`SELECT ${CONSENT_COLUMNS} FROM consent cs JOIN household h ON h.id = cs.household_id
             WHERE cs.household_id = ANY (${pgArray(ids)}::bigint[]) AND ${visible}
             ORDER BY cs.household_id, cs.given_at, cs.id`,
      );
      return manyByKey(ids, rows, (row) => String(row.householdId));
    }),
  };
}

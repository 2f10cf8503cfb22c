import { pgArray, raw, sql } from '../db/sql';
import { provenanceScope, referenceScope } from '../services/access';
import { cachedReferenceRows } from '../services/reference/reference-cache';
import { columns, type IngestBatchRow, type InstitutionRow } from './rows';
import { keyLoader, oneByKey, selectRows, type LoaderScope } from './loader-kit';

export function createInstitutionLoaders(scope: LoaderScope) {
  const visible = referenceScope(scope.principal);
  return {
    // Public reference data, the same for every principal: served from the process cache.
    institutionById: keyLoader<InstitutionRow | null>((ids) =>
      cachedReferenceRows(scope.em.getConnection(), 'institutionById', ids, async (missing) => {
        const rows = await selectRows<InstitutionRow>(
          scope,
          sql`SELECT ${raw(columns.institution('i'))} FROM institution i WHERE i.id = ANY (${pgArray(missing)}::bigint[]) AND ${visible}`,
        );
        return oneByKey(missing, rows, (row) => row.id);
      }),
    ),

    institutionByCode: keyLoader<InstitutionRow | null>((codes) =>
      cachedReferenceRows(scope.em.getConnection(), 'institutionByCode', codes, async (missing) => {
        const rows = await selectRows<InstitutionRow>(
          scope,
          sql`SELECT ${raw(columns.institution('i'))} FROM institution i WHERE i.code = ANY (${pgArray(missing)}::text[]) AND ${visible}`,
        );
        return oneByKey(missing, rows, (row) => row.code);
      }),
    ),

    /**
     * The partner's own id of an ingest batch, for the provenance of a row the principal
     * already sees (batches are reached only through such rows).
     */
    batchById: keyLoader<IngestBatchRow | null>(async (ids) => {
      const rows = await selectRows<IngestBatchRow>(
        scope,
        sql`SELECT b.id, b.external_id AS "externalId" FROM ingest_batch b
             WHERE b.id = ANY (${pgArray(ids)}::bigint[]) AND ${provenanceScope(scope.principal)}`,
      );
      return oneByKey(ids, rows, (row) => row.id);
    }),
  };
}

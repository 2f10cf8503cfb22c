import { pgArray, raw, sql } from '../db/sql';
import { provenanceScope, referenceScope } from '../services/access';
import { columns, type IngestBatchRow, type InstitutionRow } from './rows';
import { keyLoader, oneByKey, selectRows, type LoaderScope } from './loader-kit';

export function createInstitutionLoaders(scope: LoaderScope) {
  const visible = referenceScope(scope.principal);
  return {
    institutionById: keyLoader<InstitutionRow | null>(async (ids) => {
      const rows = await selectRows<InstitutionRow>(
        scope,
        sql`SELECT ${raw(columns.institution('i'))} FROM institution i WHERE i.id = ANY (${pgArray(ids)}::bigint[]) AND ${visible}`,
      );
      return oneByKey(ids, rows, (row) => row.id);
    }),

    institutionByCode: keyLoader<InstitutionRow | null>(async (codes) => {
      const rows = await selectRows<InstitutionRow>(
        scope,
        sql`SELECT ${raw(columns.institution('i'))} FROM institution i WHERE i.code = ANY (${pgArray(codes)}::text[]) AND ${visible}`,
      );
      return oneByKey(codes, rows, (row) => row.code);
    }),

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

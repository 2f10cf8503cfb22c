import { pgArray, raw, sql } from '../db/sql';
import { guaranteeScope } from '../services/access';
import { columns, type GuaranteeRow } from './rows';
import { keyLoader, oneByKey, selectRows, type LoaderScope } from './loader-kit';

export function createGuaranteeLoaders(scope: LoaderScope) {
  const visible = guaranteeScope(scope.principal, { id: 'g.id', county: 'g.county_code', institution: 'g.institution_id' });
  const guaranteeColumns = raw(columns.guarantee('g'));
  return {
    guaranteeById: keyLoader<GuaranteeRow | null>(async (ids) => {
      const rows = await selectRows<GuaranteeRow>(
        scope,
        sql`SELECT ${guaranteeColumns} FROM guarantee_contract g WHERE g.id = ANY (${pgArray(ids)}::bigint[]) AND ${visible}`,
      );
      return oneByKey(ids, rows, (row) => row.id);
    }),
  };
}

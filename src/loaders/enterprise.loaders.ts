import { pgArray, raw, sql } from '../db/sql';
import { enterpriseScope } from '../services/access';
import { columns, type EnterpriseRow } from './rows';
import { keyLoader, oneByKey, selectRows, type LoaderScope } from './loader-kit';

export function createEnterpriseLoaders(scope: LoaderScope) {
  const visible = enterpriseScope(scope.principal, 'e');
  const enterpriseColumns = raw(columns.enterprise('e'));
  return {
    enterpriseById: keyLoader<EnterpriseRow | null>(async (ids) => {
      const rows = await selectRows<EnterpriseRow>(
        scope,
        sql`SELECT ${enterpriseColumns} FROM enterprise e WHERE e.id = ANY (${pgArray(ids)}::bigint[]) AND ${visible}`,
      );
      return oneByKey(ids, rows, (row) => row.id);
    }),

    enterpriseByCreditCode: keyLoader<EnterpriseRow | null>(async (codes) => {
      const rows = await selectRows<EnterpriseRow>(
        scope,
        sql`SELECT ${enterpriseColumns} FROM enterprise e WHERE e.credit_code = ANY (${pgArray(codes)}::text[]) AND ${visible}`,
      );
      return oneByKey(codes, rows, (row) => row.creditCode);
    }),
  };
}

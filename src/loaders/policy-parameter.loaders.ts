import { pgArray, raw, sql } from '../db/sql';
import { referenceScope } from '../services/access';
import { POLICY_PARAMETER_COLUMNS, type PolicyParameterRow } from '../services/admin';
import { keyLoader, oneByKey, selectRows, type LoaderScope } from './loader-kit';

/** Policy parameter versions by id: reference data every principal reads. */
export function createPolicyParameterLoaders(scope: LoaderScope) {
  return {
    policyParameterById: keyLoader<PolicyParameterRow | null>(async (ids) => {
      const rows = await selectRows<PolicyParameterRow>(
        scope,
        sql`SELECT ${raw(POLICY_PARAMETER_COLUMNS)} FROM policy_parameter pp WHERE pp.id = ANY (${pgArray(ids)}::bigint[]) AND ${referenceScope(scope.principal)}`,
      );
      return oneByKey(ids, rows, (row) => String(row.id));
    }),
  };
}

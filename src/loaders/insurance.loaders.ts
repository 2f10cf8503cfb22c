import { pgArray, raw, sql } from '../db/sql';
import { claimScope, policyScope } from '../services/access';
import { columns, type ClaimRow, type PolicyRow } from './rows';
import { keyLoader, oneByKey, selectRows, type LoaderScope } from './loader-kit';

export function createInsuranceLoaders(scope: LoaderScope) {
  const { principal } = scope;
  const policyVisible = policyScope(principal, { id: 'ip.id', county: 'ip.county_code', institution: 'ip.institution_id' });
  const policyColumns = raw(columns.policy('ip'));
  const claimColumns = raw(columns.claim('c'));
  return {
    policyById: keyLoader<PolicyRow | null>(async (ids) => {
      const rows = await selectRows<PolicyRow>(
        scope,
        sql`SELECT ${policyColumns} FROM insurance_policy ip WHERE ip.id = ANY (${pgArray(ids)}::bigint[]) AND ${policyVisible}`,
      );
      return oneByKey(ids, rows, (row) => row.id);
    }),

    claimById: keyLoader<ClaimRow | null>(async (ids) => {
      const rows = await selectRows<ClaimRow>(
        scope,
        sql`SELECT ${claimColumns} FROM claim c WHERE c.id = ANY (${pgArray(ids)}::bigint[]) AND ${claimScope(principal, 'c')}`,
      );
      return oneByKey(ids, rows, (row) => row.id);
    }),
  };
}

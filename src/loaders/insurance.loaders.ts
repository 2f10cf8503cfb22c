import { pgArray, raw, sql } from '../db/sql';
import { claimScope, policyScope } from '../services/access';
import { columns, type ClaimRow, type PolicyRow } from './rows';
import { keyLoader, manyByKey, oneByKey, selectRows, type LoaderScope } from './loader-kit';

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

    /** Policies covering each household: as the policyholder or on a group policy's insured list. */
    policiesByHouseholdId: keyLoader<PolicyRow[]>(async (ids) => {
      const list = pgArray(ids);
      const rows = await selectRows<PolicyRow & { coveredHouseholdId: string }>(
        scope,
        sql`SELECT x.household_id AS "coveredHouseholdId", ${policyColumns}
              FROM (SELECT household_id, id AS policy_id FROM insurance_policy WHERE household_id = ANY (${list}::bigint[])
                    UNION
                    SELECT household_id, policy_id FROM policy_insured_household WHERE household_id = ANY (${list}::bigint[])) x
              JOIN insurance_policy ip ON ip.id = x.policy_id
             WHERE ${policyVisible}
             ORDER BY x.household_id, ip.starts_on, ip.id`,
      );
      return manyByKey(ids, rows, (row) => row.coveredHouseholdId);
    }),

    claimById: keyLoader<ClaimRow | null>(async (ids) => {
      const rows = await selectRows<ClaimRow>(
        scope,
        sql`SELECT ${claimColumns} FROM claim c WHERE c.id = ANY (${pgArray(ids)}::bigint[]) AND ${claimScope(principal, 'c')}`,
      );
      return oneByKey(ids, rows, (row) => row.id);
    }),

    claimsByPolicyId: keyLoader<ClaimRow[]>(async (ids) => {
      const rows = await selectRows<ClaimRow>(
        scope,
        sql`SELECT ${claimColumns} FROM claim c WHERE c.policy_id = ANY (${pgArray(ids)}::bigint[]) AND ${claimScope(principal, 'c')}
             ORDER BY c.policy_id, c.loss_on, c.id`,
      );
      return manyByKey(ids, rows, (row) => row.policyId);
    }),
  };
}

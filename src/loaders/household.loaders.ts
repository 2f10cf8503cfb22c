import { pgArray, raw, sql } from '../db/sql';
import { householdScope } from '../services/access';
import { columns, type HouseholdRow, type StatusChangeRow } from './rows';
import { keyLoader, manyByOrdinal, objectLoader, oneByKey, oneByOrdinal, selectRows, type LoaderScope, type Ordinal } from './loader-kit';

/** At most this many status changes per household (`Household.statusHistory`). */
export const MAX_STATUS_HISTORY = 100;

/** A household's registry status on a date. */
export interface StatusAsOfKey {
  householdId: string;
  asOf: string;
}

export function createHouseholdLoaders(scope: LoaderScope) {
  const visible = householdScope(scope.principal, 'h');
  const householdColumns = raw(columns.household('h'));
  const statusColumns = raw(columns.statusChange('s'));
  return {
    householdById: keyLoader<HouseholdRow | null>(async (ids) => {
      const rows = await selectRows<HouseholdRow>(
        scope,
        sql`SELECT ${householdColumns} FROM household h WHERE h.id = ANY (${pgArray(ids)}::bigint[]) AND ${visible}`,
      );
      return oneByKey(ids, rows, (row) => row.id);
    }),

    householdByRef: keyLoader<HouseholdRow | null>(async (refs) => {
      const rows = await selectRows<HouseholdRow>(
        scope,
        sql`SELECT ${householdColumns} FROM household h WHERE h.ref = ANY (${pgArray(refs)}::text[]) AND ${visible}`,
      );
      return oneByKey(refs, rows, (row) => row.ref);
    }),

    /** Each household's status changes, oldest first, at most `MAX_STATUS_HISTORY`. */
    statusHistoryByHouseholdId: keyLoader<StatusChangeRow[]>(async (ids) => {
      const rows = await selectRows<Ordinal<StatusChangeRow>>(
        scope,
        sql`SELECT k.ord, x.* FROM unnest(${pgArray(ids)}::bigint[]) WITH ORDINALITY AS k(household_id, ord)
            CROSS JOIN LATERAL (
              SELECT ${statusColumns} FROM household_status_change s JOIN household h ON h.id = s.household_id
               WHERE s.household_id = k.household_id AND ${visible}
               ORDER BY s.valid_from LIMIT ${MAX_STATUS_HISTORY}) x
            ORDER BY k.ord, x."validFrom"`,
      );
      return manyByOrdinal(ids.length, rows);
    }),

    statusByHouseholdIdAsOf: objectLoader<StatusAsOfKey, StatusChangeRow | null>(
      async (keys) => {
        const rows = await selectRows<Ordinal<StatusChangeRow>>(
          scope,
          sql`SELECT DISTINCT ON (k.ord) k.ord, ${statusColumns}
                FROM unnest(${pgArray(keys.map((k) => k.householdId))}::bigint[], ${pgArray(keys.map((k) => k.asOf))}::date[])
                  WITH ORDINALITY AS k(household_id, as_of, ord)
                JOIN household_status_change s ON s.household_id = k.household_id AND s.valid_from <= k.as_of
                JOIN household h ON h.id = s.household_id
               WHERE ${visible}
               ORDER BY k.ord, s.valid_from DESC`,
        );
        return oneByOrdinal(keys.length, rows);
      },
      (key) => `${key.householdId}|${key.asOf}`,
    ),

    statusChangeById: keyLoader<StatusChangeRow | null>(async (ids) => {
      const rows = await selectRows<StatusChangeRow>(
        scope,
        sql`SELECT ${statusColumns} FROM household_status_change s JOIN household h ON h.id = s.household_id
             WHERE s.id = ANY (${pgArray(ids)}::bigint[]) AND ${visible}`,
      );
      return oneByKey(ids, rows, (row) => row.id);
    }),
  };
}

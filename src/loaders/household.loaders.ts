import { pgArray, raw, sql } from '../db/sql';
import { householdScope } from '../services/access';
import { columns, type HouseholdRow, type StatusChangeRow } from './rows';
import { keyLoader, manyByKey, manyByOrdinal, objectLoader, oneByKey, oneByOrdinal, selectRows, type LoaderScope, type Ordinal } from './loader-kit';

/** The first `first` households of a county, by ref. */
export interface CountyHouseholdsKey {
  countyCode: string;
  first: number;
}

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

    householdsByCountyCode: objectLoader<CountyHouseholdsKey, HouseholdRow[]>(
      async (keys) => {
        const rows = await selectRows<Ordinal<HouseholdRow>>(
          scope,
          sql`SELECT k.ord, x.* FROM unnest(${pgArray(keys.map((k) => k.countyCode))}::text[], ${pgArray(keys.map((k) => k.first))}::int[])
                WITH ORDINALITY AS k(code, lim, ord)
              CROSS JOIN LATERAL (
                SELECT ${householdColumns} FROM household h
                 WHERE h.county_code = k.code AND ${visible}
                 ORDER BY h.ref LIMIT k.lim) x
              ORDER BY k.ord, x.ref`,
        );
        return manyByOrdinal(keys.length, rows);
      },
      (key) => `${key.countyCode}|${key.first}`,
    ),

    statusHistoryByHouseholdId: keyLoader<StatusChangeRow[]>(async (ids) => {
      const rows = await selectRows<StatusChangeRow>(
        scope,
        sql`SELECT ${statusColumns} FROM household_status_change s JOIN household h ON h.id = s.household_id
             WHERE s.household_id = ANY (${pgArray(ids)}::bigint[]) AND ${visible}
             ORDER BY s.household_id, s.valid_from`,
      );
      return manyByKey(ids, rows, (row) => row.householdId);
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

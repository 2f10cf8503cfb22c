import { pgArray, raw, sql } from '../db/sql';
import { referenceScope } from '../services/access';
import { cachedReferenceRows } from '../services/reference/reference-cache';
import { columns, type AreaRow, type DesignationRow } from './rows';
import { keyLoader, manyByOrdinal, objectLoader, oneByKey, selectRows, type LoaderScope, type Ordinal } from './loader-kit';

/** A page of an area's children. */
export interface ChildrenKey {
  code: string;
  first: number;
}

/**
 * At most this many designations per area (`Area.designations`): a county has a handful
 * over its history, so the cap only bounds what a bad feed could make one field return.
 */
export const MAX_DESIGNATIONS = 100;

/** An area's designations valid on `asOf`, or all of them when it is null. */
export interface DesignationsKey {
  code: string;
  asOf: string | null;
}

export function createAreaLoaders(scope: LoaderScope) {
  const visible = referenceScope(scope.principal);
  return {
    // Public reference data, the same for every principal: served from the process cache.
    areaByCode: keyLoader<AreaRow | null>((codes) =>
      cachedReferenceRows(scope.em.getConnection(), 'areaByCode', codes, async (missing) => {
        const rows = await selectRows<AreaRow>(
          scope,
          sql`SELECT ${raw(columns.area('a'))} FROM area a WHERE a.code = ANY (${pgArray(missing)}::text[]) AND ${visible}`,
        );
        return oneByKey(missing, rows, (row) => row.code);
      }),
    ),

    childrenByAreaCode: objectLoader<ChildrenKey, AreaRow[]>(
      async (keys) => {
        const rows = await selectRows<Ordinal<AreaRow>>(
          scope,
          sql`SELECT k.ord, c.* FROM unnest(${pgArray(keys.map((k) => k.code))}::text[], ${pgArray(keys.map((k) => k.first))}::int[])
                WITH ORDINALITY AS k(code, lim, ord)
              CROSS JOIN LATERAL (
                SELECT ${raw(columns.area('a'))} FROM area a
                 WHERE a.parent_code = k.code AND ${visible}
                 ORDER BY a.code LIMIT k.lim) c
              ORDER BY k.ord, c.code`,
        );
        return manyByOrdinal(keys.length, rows);
      },
      (key) => `${key.code}|${key.first}`,
    ),

    designationsByAreaCodeAsOf: objectLoader<DesignationsKey, DesignationRow[]>(
      async (keys) => {
        const rows = await selectRows<Ordinal<DesignationRow>>(
          scope,
          sql`SELECT k.ord, x.*
                FROM unnest(${pgArray(keys.map((k) => k.code))}::text[], ${pgArray(keys.map((k) => k.asOf))}::date[])
                  WITH ORDINALITY AS k(code, as_of, ord)
                CROSS JOIN LATERAL (
                  SELECT ${raw(columns.designation('d'))} FROM area_designation d
                   WHERE d.area_code = k.code
                     AND (k.as_of IS NULL OR (d.valid_from <= k.as_of AND (d.valid_to IS NULL OR d.valid_to > k.as_of)))
                     AND ${visible}
                   ORDER BY d.valid_from, d.kind, d.id LIMIT ${MAX_DESIGNATIONS}) x
               ORDER BY k.ord, x."validFrom", x.kind, x.id`,
        );
        return manyByOrdinal(keys.length, rows);
      },
      (key) => `${key.code}|${key.asOf ?? ''}`,
    ),

    designationById: keyLoader<DesignationRow | null>(async (ids) => {
      const rows = await selectRows<DesignationRow>(
        scope,
        sql`SELECT ${raw(columns.designation('d'))} FROM area_designation d WHERE d.id = ANY (${pgArray(ids)}::bigint[]) AND ${visible}`,
      );
      return oneByKey(ids, rows, (row) => row.id);
    }),
  };
}

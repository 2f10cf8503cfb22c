/**
 * Loaders of single records by id (for `node(id)` and to-one fields) for every listed
 * kind the first slice did not have, plus the small capped lists and per-date lookups:
 * a finding's steps, an enterprise's linkages, a household's combined models.
 */
import { and, pgArray, raw, sql, TRUE } from '../db/sql';
import { findingScope, householdScope, loanScope, relendingScope, fundScope, enterpriseScope } from '../services/access';
import { combinedModelSql, type CombinedModel } from '../services/packages';
import { COMPENSATIONS, INSURED_HOUSEHOLDS, LOAN_VERSIONS, MODIFICATIONS, REPAYMENTS } from './contract.lists';
import { chinaToday, type CompileContext, type EntityList } from './list-kit';
import { keyLoader, manyByOrdinal, objectLoader, oneByKey, selectRows, type LoaderScope, type Ordinal } from './loader-kit';
import { ALERTS, DISASTER_AREAS, DISASTER_EVENTS, DOCKING_EVENTS, DOCKING_PROJECTS, FINDINGS, SERVICE_POINTS } from './party.lists';
import {
  surfaceColumns,
  type AlertRow,
  type CompensationRow,
  type DisasterAreaRow,
  type DisasterEventRow,
  type DockingEventRow,
  type DockingProjectRow,
  type FindingRow,
  type FundRow,
  type InsuredHouseholdRow,
  type LinkageRow,
  type LoanVersionRow,
  type ModificationRow,
  type RectificationStepRow,
  type RelendingFacilityRow,
  type RepaymentRow,
  type ServicePointRow,
} from './surface-rows';

/** At most this many rectification steps per finding. */
export const MAX_FINDING_STEPS = 50;

/** An enterprise's household linkage per mode on a date (latest report on or before it). */
export interface LinkagesKey {
  enterpriseId: string;
  asOf: string | null;
}

/** The combined models of a household's visible loans outstanding on a date (all its loans without one). */
export interface HouseholdModelsKey {
  householdId: string;
  asOf: string | null;
}

export function createSurfaceLoaders(scope: LoaderScope) {
  const { principal } = scope;
  const context: CompileContext = { principal, asOf: null, today: chinaToday(), needs: new Set() };

  /** A record of a list by its id, with the list's scope and base conditions. */
  function byId<R extends { id: string }>(list: EntityList) {
    const where = and(list.base?.({}, context) ?? TRUE, list.scope(principal));
    return keyLoader<R | null>(async (ids) => {
      const rows = await selectRows<R>(
        scope,
        sql`SELECT ${list.columns} FROM ${raw(list.table)} WHERE ${list.tieBreaker.sql} = ANY (${pgArray(ids)}::bigint[]) AND ${where}`,
      );
      return oneByKey(ids, rows, (row) => row.id);
    });
  }

  return {
    servicePointById: byId<ServicePointRow>(SERVICE_POINTS),
    loanVersionById: byId<LoanVersionRow>(LOAN_VERSIONS),
    modificationById: byId<ModificationRow>(MODIFICATIONS),
    repaymentById: byId<RepaymentRow>(REPAYMENTS),
    insuredHouseholdById: byId<InsuredHouseholdRow>(INSURED_HOUSEHOLDS),
    compensationById: byId<CompensationRow>(COMPENSATIONS),
    disasterEventById: byId<DisasterEventRow>(DISASTER_EVENTS),
    disasterAreaById: byId<DisasterAreaRow>(DISASTER_AREAS),
    dockingEventById: byId<DockingEventRow>(DOCKING_EVENTS),
    dockingProjectById: byId<DockingProjectRow>(DOCKING_PROJECTS),
    findingById: byId<FindingRow>(FINDINGS),
    alertById: byId<AlertRow>(ALERTS),

    relendingFacilityById: keyLoader<RelendingFacilityRow | null>(async (ids) => {
      const rows = await selectRows<RelendingFacilityRow>(
        scope,
        sql`SELECT ${raw(surfaceColumns.relendingFacility('rf'))} FROM relending_facility rf
             WHERE rf.id = ANY (${pgArray(ids)}::bigint[]) AND ${relendingScope(principal, 'rf')}`,
      );
      return oneByKey(ids, rows, (row) => row.id);
    }),

    fundById: keyLoader<FundRow | null>(async (ids) => {
      const rows = await selectRows<FundRow>(
        scope,
        sql`SELECT ${raw(surfaceColumns.fund('rcf'))} FROM risk_compensation_fund rcf
             WHERE rcf.id = ANY (${pgArray(ids)}::bigint[]) AND ${fundScope(principal, 'rcf')}`,
      );
      return oneByKey(ids, rows, (row) => row.id);
    }),

    /** A finding's rectification steps in order, at most `MAX_FINDING_STEPS`, visible with the finding. */
    stepsByFindingId: keyLoader<RectificationStepRow[]>(async (ids) => {
      const rows = await selectRows<Ordinal<RectificationStepRow>>(
        scope,
        sql`SELECT k.ord, x.* FROM unnest(${pgArray(ids)}::bigint[]) WITH ORDINALITY AS k(finding_id, ord)
            CROSS JOIN LATERAL (
              SELECT ${raw(surfaceColumns.step('st'))} FROM rectification_step st JOIN finding f ON f.id = st.finding_id
               WHERE st.finding_id = k.finding_id AND ${findingScope(principal, 'f')}
               ORDER BY st.seq LIMIT ${MAX_FINDING_STEPS}) x
            ORDER BY k.ord, x.seq`,
      );
      return manyByOrdinal(ids.length, rows);
    }),

    stepById: keyLoader<RectificationStepRow | null>(async (ids) => {
      const rows = await selectRows<RectificationStepRow>(
        scope,
        sql`SELECT ${raw(surfaceColumns.step('st'))} FROM rectification_step st JOIN finding f ON f.id = st.finding_id
             WHERE st.id = ANY (${pgArray(ids)}::bigint[]) AND ${findingScope(principal, 'f')}`,
      );
      return oneByKey(ids, rows, (row) => row.id);
    }),

    /** The latest linkage report of each mode on or before asOf (the latest of each without it). */
    linkagesByEnterpriseIdAsOf: objectLoader<LinkagesKey, LinkageRow[]>(
      async (keys) => {
        const rows = await selectRows<Ordinal<LinkageRow>>(
          scope,
          sql`SELECT DISTINCT ON (k.ord, x.mode) k.ord, ${raw(surfaceColumns.linkage('x'))}
                FROM unnest(${pgArray(keys.map((k) => k.enterpriseId))}::bigint[], ${pgArray(keys.map((k) => k.asOf))}::date[])
                  WITH ORDINALITY AS k(enterprise_id, as_of, ord)
                JOIN enterprise_linkage x ON x.enterprise_id = k.enterprise_id AND (k.as_of IS NULL OR x.as_of <= k.as_of)
                JOIN enterprise e ON e.id = x.enterprise_id
               WHERE ${enterpriseScope(principal, 'e')}
               ORDER BY k.ord, x.mode, x.as_of DESC`,
        );
        return manyByOrdinal(keys.length, rows);
      },
      (key) => `${key.enterpriseId}|${key.asOf ?? ''}`,
    ),

    combinedModelsByHouseholdIdAsOf: objectLoader<HouseholdModelsKey, CombinedModel[]>(
      async (keys) => {
        const groups = new Map<string, number[]>();
        keys.forEach((key, i) => groups.set(key.asOf ?? '', [...(groups.get(key.asOf ?? '') ?? []), i]));
        const result: CombinedModel[][] = keys.map(() => []);
        // One statement per distinct date: a property of the operation, not of the data.
        for (const [asOfText, indexes] of groups) {
          const asOf = asOfText === '' ? null : asOfText;
          const outstanding = asOf === null ? TRUE : sql`l.disbursed_on <= ${asOf}::date AND (l.closed_on IS NULL OR l.closed_on > ${asOf}::date)`;
          const rows = await selectRows<{ ord: string; model: CombinedModel }>(
            scope,
            sql`SELECT DISTINCT k.ord, ${combinedModelSql('l.id', asOf)} AS model
                  FROM unnest(${pgArray(indexes.map((i) => keys[i].householdId))}::bigint[]) WITH ORDINALITY AS k(household_id, ord)
                  JOIN loan l ON l.household_id = k.household_id
                  JOIN household h ON h.id = l.household_id
                 WHERE ${outstanding} AND ${loanScope(principal, { id: 'l.id', county: 'l.county_code', institution: 'l.institution_id' })}
                   AND ${householdScope(principal, 'h')}
                 ORDER BY k.ord, model`,
          );
          for (const row of rows) result[indexes[Number(row.ord) - 1]].push(row.model);
        }
        return result;
      },
      (key) => `${key.householdId}|${key.asOf ?? ''}`,
    ),
  };
}

/**
 * The capped detail lists under a few records of the query surface: a risk compensation
 * fund's agreements and movements, a service point's monthly activity and a compensation's
 * recoveries. Each is one statement per nesting level (a LATERAL over the parents' ids),
 * each row visible by its own scope or its parent's (`row-scope.ts`).
 */
import { pgArray, raw, sql } from '../db/sql';
import type { FundMovementKind } from '../entities/enums';
import { compensationScope, fundAgreementScope, fundMovementScope, servicePointScope } from '../services/access';
import { keyLoader, manyByOrdinal, selectRows, type LoaderScope, type Ordinal } from './loader-kit';
import { reported, selectList, type ProvenanceColumns } from './rows';

/** At most this many agreements per fund (one per cooperating bank and period). */
export const MAX_FUND_AGREEMENTS = 50;
/** At most this many movements per fund, latest first. */
export const MAX_FUND_MOVEMENTS = 100;
/** At most this many months of a service point's activity, latest first (five years). */
export const MAX_ACTIVITY_MONTHS = 60;
/** At most this many recoveries per compensation, in date order. */
export const MAX_RECOVERIES = 50;

export interface FundAgreementRow extends ProvenanceColumns {
  id: string;
  fundId: string;
  bankId: string;
  countyCode: string;
  fundShare: string;
  bankShare: string;
  leverageCap: string | null;
  validFrom: string;
  validTo: string | null;
}

export interface FundMovementRow extends ProvenanceColumns {
  id: string;
  fundId: string;
  ref: string;
  countyCode: string;
  kind: FundMovementKind;
  amount: string;
  occurredOn: string;
  loanId: string | null;
}

export interface ServicePointMonthRow {
  id: string;
  servicePointId: string;
  /** The month, as its last day. */
  month: string;
  transactions: number;
  /** The month's transaction amount (numeric text), null where only the count was reported. */
  amount: string | null;
}

export interface RecoveryRow extends ProvenanceColumns {
  id: string;
  compensationId: string;
  ref: string;
  countyCode: string;
  amount: string;
  recoveredOn: string;
}

const detailColumns = {
  agreement: (a: string) =>
    reported(a, ['id', 'fund_id', 'bank_id', 'county_code', 'fund_share', 'bank_share', 'leverage_cap', 'valid_from', 'valid_to']),
  movement: (a: string) => reported(a, ['id', 'fund_id', 'ref', 'county_code', 'kind', 'amount', 'occurred_on', 'loan_id']),
  activity: (a: string) => selectList(a, ['id', 'service_point_id', 'month', 'transactions', 'amount']),
  recovery: (a: string) => reported(a, ['id', 'compensation_id', 'ref', 'county_code', 'amount', 'recovered_on']),
};

export function createDetailLoaders(scope: LoaderScope) {
  const { principal } = scope;
  return {
    /** A fund's agreements the principal sees, by bank and start date (at most `MAX_FUND_AGREEMENTS`). */
    agreementsByFundId: keyLoader<FundAgreementRow[]>(async (ids) => {
      const rows = await selectRows<Ordinal<FundAgreementRow>>(
        scope,
        sql`SELECT k.ord, x.* FROM unnest(${pgArray(ids)}::bigint[]) WITH ORDINALITY AS k(fund_id, ord)
            CROSS JOIN LATERAL (
              SELECT ${raw(detailColumns.agreement('fba'))} FROM fund_bank_agreement fba
               WHERE fba.fund_id = k.fund_id AND ${fundAgreementScope(principal, 'fba')}
               ORDER BY fba.bank_id, fba.valid_from, fba.id LIMIT ${MAX_FUND_AGREEMENTS}) x
            ORDER BY k.ord, x."bankId", x."validFrom", x.id`,
      );
      return manyByOrdinal(ids.length, rows);
    }),

    /** A fund's movements the principal sees, latest first (at most `MAX_FUND_MOVEMENTS`). */
    movementsByFundId: keyLoader<FundMovementRow[]>(async (ids) => {
      const rows = await selectRows<Ordinal<FundMovementRow>>(
        scope,
        sql`SELECT k.ord, x.* FROM unnest(${pgArray(ids)}::bigint[]) WITH ORDINALITY AS k(fund_id, ord)
            CROSS JOIN LATERAL (
              SELECT ${raw(detailColumns.movement('fm'))} FROM fund_movement fm
               WHERE fm.fund_id = k.fund_id AND ${fundMovementScope(principal, 'fm')}
               ORDER BY fm.occurred_on DESC, fm.id DESC LIMIT ${MAX_FUND_MOVEMENTS}) x
            ORDER BY k.ord, x."occurredOn" DESC, x.id DESC`,
      );
      return manyByOrdinal(ids.length, rows);
    }),

    /** A service point's monthly transactions, latest month first, visible with the point. */
    activityByServicePointId: keyLoader<ServicePointMonthRow[]>(async (ids) => {
      const rows = await selectRows<Ordinal<ServicePointMonthRow>>(
        scope,
        sql`SELECT k.ord, x.* FROM unnest(${pgArray(ids)}::bigint[]) WITH ORDINALITY AS k(point_id, ord)
            CROSS JOIN LATERAL (
              SELECT ${raw(detailColumns.activity('spa'))} FROM service_point_activity spa JOIN service_point sp ON sp.id = spa.service_point_id
               WHERE spa.service_point_id = k.point_id AND ${servicePointScope(principal, 'sp')}
               ORDER BY spa.month DESC LIMIT ${MAX_ACTIVITY_MONTHS}) x
            ORDER BY k.ord, x.month DESC`,
      );
      return manyByOrdinal(ids.length, rows);
    }),

    /** A compensation's recoveries in date order, visible with the compensation. */
    recoveriesByCompensationId: keyLoader<RecoveryRow[]>(async (ids) => {
      const rows = await selectRows<Ordinal<RecoveryRow>>(
        scope,
        sql`SELECT k.ord, x.* FROM unnest(${pgArray(ids)}::bigint[]) WITH ORDINALITY AS k(compensation_id, ord)
            CROSS JOIN LATERAL (
              SELECT ${raw(detailColumns.recovery('cr'))} FROM compensation_recovery cr JOIN compensation c ON c.id = cr.compensation_id
               WHERE cr.compensation_id = k.compensation_id AND ${compensationScope(principal, 'c')}
               ORDER BY cr.recovered_on, cr.id LIMIT ${MAX_RECOVERIES}) x
            ORDER BY k.ord, x."recoveredOn", x.id`,
      );
      return manyByOrdinal(ids.length, rows);
    }),
  };
}

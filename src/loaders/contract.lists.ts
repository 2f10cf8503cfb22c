/**
 * The lists of contracts and their records: loans (with positions, versions,
 * modifications, repayments), insurance policies (claims, insured households) and
 * guarantee contracts (compensations). Each declares its table, scope, filter fields and
 * orderings once; root and nested connections page over them alike.
 */
import { and, or, pgArray, raw, sql, TRUE } from '../db/sql';
import {
  claimScope,
  compensationScope,
  guaranteeScope,
  householdScope,
  insuredHouseholdScope,
  loanEventScope,
  loanScope,
  loanVersionScope,
  policyScope,
  positionScope,
} from '../services/access';
import { combinedModelSql } from '../services/packages';
import {
  areaField,
  codeList,
  dateOf,
  dateRange,
  decimalRange,
  designationField,
  householdStatusAt,
  inList,
  institutionCodes,
  intRange,
  key,
  presence,
  uniqueKey,
  type CompileContext,
  type EntityList,
  type FilterField,
} from './list-kit';
import type { SortKey } from './page-kit';
import { columns } from './rows';
import { surfaceColumns } from './surface-rows';

/** Partners' own references: up to 64 characters. */
const REF = /^[^\u0000]{1,64}$/u;
const REF_MESSAGE = 'A reference has 1 to 64 characters';

/** An `in` list on a column that may be NULL: a NULL matches no list (and so NOT of it does). */
export function nullableIn(column: string): FilterField {
  return { kind: 'in', compile: (values: string[]) => sql`(${raw(column)} IS NOT NULL AND ${raw(column)} = ANY (${pgArray(values)}::text[]))` };
}

/**
 * An area below county level matches a contract through its borrower's (or holder's)
 * village, and only a borrower the principal may see: contracts themselves carry only
 * the county they were made in.
 */
function contractArea(countyColumn: string, householdColumn: string, enterpriseColumn: string): FilterField {
  return {
    kind: 'area',
    compile: (code: string, c: CompileContext) => {
      if (code.length === 6) return sql`${raw(countyColumn)} = ${code}`;
      if (code.length < 6) return sql`${raw(countyColumn)} LIKE ${`${code}%`}`;
      const village = code.length === 12 ? (column: string) => sql`${raw(column)} = ${code}` : (column: string) => sql`${raw(column)} LIKE ${`${code}%`}`;
      return and(
        sql`${raw(countyColumn)} = ${code.slice(0, 6)}`,
        or(
          sql`EXISTS (SELECT 1 FROM household h_v WHERE h_v.id = ${raw(householdColumn)} AND ${village('h_v.village_code')} AND ${householdScope(c.principal, 'h_v')})`,
          sql`EXISTS (SELECT 1 FROM enterprise e_v WHERE e_v.id = ${raw(enterpriseColumn)} AND ${village('e_v.village_code')})`,
        ),
      );
    },
  };
}

/** Whether a contract runs on the connection's date (its asOf, else today). */
function inForce(startsOn: string, endsOn: string, releasedOn: string | null): FilterField {
  return {
    kind: 'boolean',
    compile: (flag: boolean, c: CompileContext) => {
      const on = dateOf(c);
      const running = and(
        sql`${raw(startsOn)} <= ${on}::date AND ${raw(endsOn)} >= ${on}::date`,
        releasedOn === null ? TRUE : sql`(${raw(releasedOn)} IS NULL OR ${raw(releasedOn)} > ${on}::date)`,
      );
      return flag ? running : sql`(NOT ${running})`;
    },
  };
}

// ---------------------------------------------------------------------------------------
// Loans

export enum LoanOrderField {
  PRINCIPAL = 'PRINCIPAL',
  BALANCE = 'BALANCE',
  DISBURSED_ON = 'DISBURSED_ON',
  MATURES_ON = 'MATURES_ON',
  OVERDUE_DAYS = 'OVERDUE_DAYS',
  REF = 'REF',
}

export enum Funding {
  /** Funded by a central-bank poverty re-lending facility. */
  RELENDING = 'RELENDING',
  /** The bank's own funds. */
  OTHER = 'OTHER',
}

const POSITION = 'position';
const positionKey = (column: string, type: SortKey['type']): SortKey => ({ sql: raw(`pos.${column}`), type, nullable: true, needs: POSITION });

/** A loan's position field, two-valued: a loan without a position on the date matches no condition on it. */
function positionIn(column: string): FilterField {
  return {
    kind: 'in',
    compile: (values: string[], c: CompileContext) => {
      c.needs.add(POSITION);
      return sql`(pos.${raw(column)} IS NOT NULL AND pos.${raw(column)} = ANY (${pgArray(values)}::text[]))`;
    },
  };
}

export const LOANS: EntityList<LoanOrderField> = {
  name: 'Loan',
  table: 'loan l',
  columns: raw(columns.loan('l')),
  scope: (principal) => loanScope(principal, { id: 'l.id', county: 'l.county_code', institution: 'l.institution_id' }),
  filters: {
    area: contractArea('l.county_code', 'l.household_id', 'l.enterprise_id'),
    designation_in: designationField('l.county_code'),
    product_in: inList('l.product'),
    borrowerKind_in: inList('l.borrower_kind'),
    institutionCode_in: institutionCodes('l.institution_id'),
    ref_in: codeList('l.ref', REF, REF_MESSAGE),
    funding: {
      kind: 'value',
      compile: (funding: Funding) => raw(funding === Funding.RELENDING ? 'l.relending_facility_id IS NOT NULL' : 'l.relending_facility_id IS NULL'),
    },
    fundBacked: presence('l.risk_compensation_fund_id'),
    combinedModel_in: {
      kind: 'in',
      compile: (models: string[], c: CompileContext) => sql`${combinedModelSql('l.id', c.asOf)} = ANY (${pgArray(models)}::text[])`,
    },
    disbursedOn: dateRange('l.disbursed_on'),
    maturesOn: dateRange('l.matures_on'),
    principal: decimalRange('l.principal'),
    outstanding: {
      kind: 'boolean',
      compile: (flag: boolean, c: CompileContext) => {
        const on = dateOf(c);
        const out = sql`(l.disbursed_on <= ${on}::date AND (l.closed_on IS NULL OR l.closed_on > ${on}::date))`;
        return flag ? out : sql`(NOT ${out})`;
      },
    },
    borrowerStatus_in: {
      kind: 'in',
      compile: (statuses: string[], c: CompileContext) =>
        sql`EXISTS (SELECT 1 FROM household h_b WHERE h_b.id = l.household_id AND ${householdScope(c.principal, 'h_b')}
                     AND ${householdStatusAt('h_b.id', 'h_b.status', c)} = ANY (${pgArray(statuses)}::text[]))`,
    },
    balance: decimalRange('pos.balance', true, POSITION),
    overduePrincipal: decimalRange('pos.overdue_principal', true, POSITION),
    overdueDays: intRange('pos.overdue_days', 0, true, POSITION),
    fiveClass_in: positionIn('five_class'),
  },
  orders: {
    PRINCIPAL: key('l.principal', 'numeric'),
    BALANCE: positionKey('balance', 'numeric'),
    DISBURSED_ON: key('l.disbursed_on', 'date'),
    MATURES_ON: key('l.matures_on', 'date'),
    OVERDUE_DAYS: positionKey('overdue_days', 'int'),
    REF: key('l.ref', 'text'),
  },
  defaultOrder: [{ field: LoanOrderField.DISBURSED_ON, descending: false }],
  tieBreaker: key('l.id', 'bigint'),
  joins: (c) => {
    if (!c.needs.has(POSITION)) return raw('');
    // The position at the latest month end on or before asOf; the latest reported without it.
    const upTo = c.asOf === null ? TRUE : sql`p_o.month_end <= ${c.asOf}::date`;
    return sql`LEFT JOIN LATERAL (
                 SELECT p_o.balance, p_o.overdue_principal, p_o.overdue_days, p_o.five_class FROM loan_position p_o
                  WHERE p_o.loan_id = l.id AND p_o.is_latest AND ${upTo} ORDER BY p_o.month_end DESC LIMIT 1) pos ON true`;
  },
};

export enum PositionOrderField {
  MONTH_END = 'MONTH_END',
}

export const POSITIONS: EntityList<PositionOrderField> = {
  name: 'LoanPosition',
  table: 'loan_position p',
  columns: raw(columns.position('p')),
  scope: (principal) => positionScope(principal, 'p'),
  // Superseded versions of a month are history: listed only when asked for.
  base: (options) => (options.allVersions === true ? TRUE : raw('p.is_latest')),
  filters: {
    monthEnd: dateRange('p.month_end'),
    fiveClass_in: inList('p.five_class'),
    overdueDays: intRange('p.overdue_days', 0),
    balance: decimalRange('p.balance'),
  },
  orders: { MONTH_END: key('p.month_end', 'date') },
  defaultOrder: [{ field: PositionOrderField.MONTH_END, descending: false }],
  tieBreaker: key('p.id', 'bigint'),
};

export enum VersionOrderField {
  VERSION = 'VERSION',
}

export const LOAN_VERSIONS: EntityList<VersionOrderField> = {
  name: 'LoanVersion',
  table: 'record_version rv',
  columns: raw(surfaceColumns.loanVersion('rv')),
  scope: (principal) => loanVersionScope(principal, 'rv'),
  base: () => raw(`rv.record_kind = 'LOAN'`),
  filters: {},
  orders: { VERSION: key('rv.version', 'int') },
  defaultOrder: [{ field: VersionOrderField.VERSION, descending: false }],
  tieBreaker: key('rv.id', 'bigint'),
};

export enum ModificationOrderField {
  EFFECTIVE_ON = 'EFFECTIVE_ON',
}

export const MODIFICATIONS: EntityList<ModificationOrderField> = {
  name: 'LoanModification',
  table: 'loan_modification m',
  columns: raw(surfaceColumns.modification('m')),
  scope: (principal) => loanEventScope(principal, 'm'),
  filters: {
    kind_in: inList('m.kind'),
    effectiveOn: dateRange('m.effective_on'),
    area: areaField('m.county_code', null),
  },
  orders: { EFFECTIVE_ON: key('m.effective_on', 'date') },
  defaultOrder: [{ field: ModificationOrderField.EFFECTIVE_ON, descending: false }],
  tieBreaker: key('m.id', 'bigint'),
};

export enum RepaymentOrderField {
  PAID_ON = 'PAID_ON',
  PRINCIPAL = 'PRINCIPAL',
}

export const REPAYMENTS: EntityList<RepaymentOrderField> = {
  name: 'Repayment',
  table: 'repayment r',
  columns: raw(surfaceColumns.repayment('r')),
  scope: (principal) => loanEventScope(principal, 'r'),
  filters: { paidOn: dateRange('r.paid_on'), principal: decimalRange('r.principal') },
  orders: { PAID_ON: key('r.paid_on', 'date'), PRINCIPAL: key('r.principal', 'numeric') },
  defaultOrder: [{ field: RepaymentOrderField.PAID_ON, descending: false }],
  tieBreaker: key('r.id', 'bigint'),
};

// ---------------------------------------------------------------------------------------
// Insurance

export enum PolicyOrderField {
  PREMIUM = 'PREMIUM',
  SUM_INSURED = 'SUM_INSURED',
  STARTS_ON = 'STARTS_ON',
  ENDS_ON = 'ENDS_ON',
  REF = 'REF',
}

export const POLICIES: EntityList<PolicyOrderField> = {
  name: 'InsurancePolicy',
  table: 'insurance_policy ip',
  columns: raw(columns.policy('ip')),
  scope: (principal) => policyScope(principal, { id: 'ip.id', county: 'ip.county_code', institution: 'ip.institution_id' }),
  filters: {
    area: contractArea('ip.county_code', 'ip.household_id', 'ip.enterprise_id'),
    designation_in: designationField('ip.county_code'),
    line_in: inList('ip.line'),
    holderKind_in: inList('ip.holder_kind'),
    institutionCode_in: institutionCodes('ip.institution_id'),
    ref_in: codeList('ip.ref', REF, REF_MESSAGE),
    startsOn: dateRange('ip.starts_on'),
    endsOn: dateRange('ip.ends_on'),
    premium: decimalRange('ip.premium'),
    sumInsured: decimalRange('ip.sum_insured'),
    inForce: inForce('ip.starts_on', 'ip.ends_on', null),
    linkedToLoan: {
      kind: 'boolean',
      compile: (flag: boolean) => {
        const linked = raw(`EXISTS (SELECT 1 FROM contract_link cl_f WHERE cl_f.policy_id = ip.id AND cl_f.status = 'LINKED')`);
        return flag ? linked : sql`(NOT ${linked})`;
      },
    },
  },
  orders: {
    PREMIUM: key('ip.premium', 'numeric'),
    SUM_INSURED: key('ip.sum_insured', 'numeric'),
    STARTS_ON: key('ip.starts_on', 'date'),
    ENDS_ON: key('ip.ends_on', 'date'),
    REF: key('ip.ref', 'text'),
  },
  defaultOrder: [{ field: PolicyOrderField.STARTS_ON, descending: false }],
  tieBreaker: key('ip.id', 'bigint'),
};

export enum ClaimOrderField {
  LOSS_ON = 'LOSS_ON',
  PAID_ON = 'PAID_ON',
  PAID_AMOUNT = 'PAID_AMOUNT',
}

export const CLAIMS: EntityList<ClaimOrderField> = {
  name: 'Claim',
  table: 'claim c',
  columns: raw(columns.claim('c')),
  scope: (principal) => claimScope(principal, 'c'),
  filters: {
    cause_in: inList('c.cause'),
    lossOn: dateRange('c.loss_on'),
    paidOn: dateRange('c.paid_on', true),
    paidAmount: decimalRange('c.paid_amount', true),
    paid: presence('c.paid_on'),
  },
  orders: {
    LOSS_ON: key('c.loss_on', 'date'),
    PAID_ON: key('c.paid_on', 'date', true),
    PAID_AMOUNT: key('c.paid_amount', 'numeric', true),
  },
  defaultOrder: [{ field: ClaimOrderField.LOSS_ON, descending: false }],
  tieBreaker: key('c.id', 'bigint'),
};

export enum InsuredHouseholdOrderField {
  /** The order the insurer reported the list in. */
  LISTED = 'LISTED',
}

export const INSURED_HOUSEHOLDS: EntityList<InsuredHouseholdOrderField> = {
  name: 'PolicyInsuredHousehold',
  table: 'policy_insured_household pih JOIN insurance_policy ip_i ON ip_i.id = pih.policy_id JOIN household h_i ON h_i.id = pih.household_id',
  columns: raw(surfaceColumns.insuredHousehold('pih')),
  scope: (principal) => insuredHouseholdScope(principal, 'ip_i', 'h_i'),
  filters: {},
  // By the list's own key: a sort on the household's ref would make the planner walk
  // every household in ref order looking for the few on one policy.
  orders: { LISTED: uniqueKey('pih.id', 'bigint') },
  defaultOrder: [{ field: InsuredHouseholdOrderField.LISTED, descending: false }],
  tieBreaker: key('pih.id', 'bigint'),
};

// ---------------------------------------------------------------------------------------
// Guarantees

export enum GuaranteeOrderField {
  GUARANTEED_AMOUNT = 'GUARANTEED_AMOUNT',
  FEE_RATE = 'FEE_RATE',
  STARTS_ON = 'STARTS_ON',
  ENDS_ON = 'ENDS_ON',
  REF = 'REF',
}

export const GUARANTEES: EntityList<GuaranteeOrderField> = {
  name: 'GuaranteeContract',
  table: 'guarantee_contract g',
  columns: raw(columns.guarantee('g')),
  scope: (principal) => guaranteeScope(principal, { id: 'g.id', county: 'g.county_code', institution: 'g.institution_id' }),
  filters: {
    area: contractArea('g.county_code', 'g.household_id', 'g.enterprise_id'),
    designation_in: designationField('g.county_code'),
    institutionCode_in: institutionCodes('g.institution_id'),
    borrowerKind_in: inList('g.borrower_kind'),
    ref_in: codeList('g.ref', REF, REF_MESSAGE),
    startsOn: dateRange('g.starts_on'),
    endsOn: dateRange('g.ends_on'),
    guaranteedAmount: decimalRange('g.guaranteed_amount'),
    feeRate: decimalRange('g.fee_rate'),
    released: presence('g.released_on'),
    inForce: inForce('g.starts_on', 'g.ends_on', 'g.released_on'),
  },
  orders: {
    GUARANTEED_AMOUNT: key('g.guaranteed_amount', 'numeric'),
    FEE_RATE: key('g.fee_rate', 'numeric'),
    STARTS_ON: key('g.starts_on', 'date'),
    ENDS_ON: key('g.ends_on', 'date'),
    REF: key('g.ref', 'text'),
  },
  defaultOrder: [{ field: GuaranteeOrderField.STARTS_ON, descending: false }],
  tieBreaker: key('g.id', 'bigint'),
};

export enum CompensationOrderField {
  PAID_ON = 'PAID_ON',
  AMOUNT = 'AMOUNT',
}

export const COMPENSATIONS: EntityList<CompensationOrderField> = {
  name: 'Compensation',
  table: 'compensation cp',
  columns: raw(surfaceColumns.compensation('cp')),
  scope: (principal) => compensationScope(principal, 'cp'),
  filters: { paidOn: dateRange('cp.paid_on'), amount: decimalRange('cp.amount') },
  orders: { PAID_ON: key('cp.paid_on', 'date'), AMOUNT: key('cp.amount', 'numeric') },
  defaultOrder: [{ field: CompensationOrderField.PAID_ON, descending: false }],
  tieBreaker: key('cp.id', 'bigint'),
};

/**
 * The catalogue of indicators (DESIGN.md §4, DOMAIN.md §4): for each, its family, unit,
 * timing, numerator and denominator measures, and what it may be grouped and filtered
 * by. `docs/indicators.md` states every definition in words; this table and the family
 * SQL are its implementation.
 */
import { FAMILIES, type Family, type FamilyName } from './indicator-families';
import { GroupBy, IndicatorCategory, IndicatorKey, IndicatorTiming, IndicatorUnit } from './indicator.types';

export type FilterField = 'institutionCode' | 'products' | 'combinedModels' | 'designation';

export interface IndicatorDefinition {
  key: IndicatorKey;
  category: IndicatorCategory;
  unit: IndicatorUnit;
  timing: IndicatorTiming;
  family: FamilyName;
  /** Measure summed or counted (the value itself for amounts and counts). */
  numerator: string;
  /** Measure divided by, for ratios and multiples. */
  denominator?: string;
  groupings: readonly GroupBy[];
  filters: readonly FilterField[];
  /** Reads classification floors (policy parameters) on the date. */
  needsClassificationFloors?: boolean;
  /** For PRODUCT groupings: the products the figure can be non-zero for. */
  products?: readonly string[];
  description: string;
}

const POVERTY = ['POVERTY_MICROCREDIT', 'INDUSTRIAL', 'RELOCATION_SUPPORT'] as const;
const LOAN_FILTERS: readonly FilterField[] = ['institutionCode', 'products', 'combinedModels', 'designation'];
const ALL_LOAN_GROUPINGS = FAMILIES.LOANS.groupings;
const geo = (family: Family) => family.groupings.filter((g) => g !== GroupBy.INSTITUTION);

const { AMOUNT, COUNT_HH, COUNT_LOANS, RATIO, MULTIPLE } = {
  AMOUNT: IndicatorUnit.YUAN,
  COUNT_HH: IndicatorUnit.HOUSEHOLDS,
  COUNT_LOANS: IndicatorUnit.LOANS,
  RATIO: IndicatorUnit.RATIO,
  MULTIPLE: IndicatorUnit.MULTIPLE,
};
const { STOCK, FLOW } = IndicatorTiming;
const C = IndicatorCategory;
const K = IndicatorKey;

const loans = (
  key: IndicatorKey,
  category: IndicatorCategory,
  unit: IndicatorUnit,
  numerator: string,
  denominator: string | undefined,
  products: readonly string[] | undefined,
  description: string,
  extra: Partial<IndicatorDefinition> = {},
): IndicatorDefinition => ({
  key,
  category,
  unit,
  timing: STOCK,
  family: 'LOANS',
  numerator,
  denominator,
  groupings: ALL_LOAN_GROUPINGS,
  filters: LOAN_FILTERS,
  products,
  description,
  ...extra,
});

export const INDICATORS: readonly IndicatorDefinition[] = [
  loans(K.POVERTY_LOAN_BALANCE, C.LOANS, AMOUNT, 'bal_pov', undefined, POVERTY,
    'Balance of targeted poverty loans (POVERTY_MICROCREDIT + INDUSTRIAL + RELOCATION_SUPPORT) at the month end.'),
  loans(K.LOAN_BALANCE, C.LOANS, AMOUNT, 'bal_all', undefined, undefined, 'Balance of all loans at the month end.'),
  loans(K.OUTSTANDING_LOANS, C.LOANS, COUNT_LOANS, 'loans', undefined, undefined, 'Loans with a balance above zero at the month end.'),
  loans(K.BORROWER_HOUSEHOLDS, C.LOANS, COUNT_HH, 'borrower_hh', undefined, undefined, 'Households with a loan balance above zero at the month end.'),
  loans(K.INCLUSIVE_SMALL_MICRO_BALANCE, C.LOANS, AMOUNT, 'bal_ism', undefined, ['INCLUSIVE_SMALL_MICRO'], 'Balance of inclusive small-micro loans at the month end.'),
  loans(K.INCLUSIVE_SMALL_MICRO_SHARE, C.LOANS, RATIO, 'bal_ism', 'bal_all', undefined, 'Inclusive small-micro balance / balance of all loans.'),

  {
    key: K.REGISTERED_HOUSEHOLDS, category: C.COVERAGE, unit: COUNT_HH, timing: STOCK, family: 'HOUSEHOLDS',
    numerator: 'reg', groupings: geo(FAMILIES.HOUSEHOLDS), filters: ['designation'],
    description: 'Households whose status on the date (latest change on or before it) is REGISTERED_POOR or LIFTED_OUT.',
  },
  {
    key: K.MICROCREDIT_COVERAGE, category: C.COVERAGE, unit: RATIO, timing: STOCK, family: 'HOUSEHOLDS',
    numerator: 'reg_mc', denominator: 'reg', groupings: geo(FAMILIES.HOUSEHOLDS), filters: ['institutionCode', 'designation'],
    description: 'Registered households with a poverty micro-credit balance above zero at the month end / registered households.',
  },
  {
    key: K.MICROCREDIT_CUMULATIVE_COVERAGE, category: C.COVERAGE, unit: RATIO, timing: STOCK, family: 'HOUSEHOLDS',
    numerator: 'reg_ever', denominator: 'reg', groupings: geo(FAMILIES.HOUSEHOLDS), filters: ['institutionCode', 'designation'],
    description: 'Registered households with a poverty micro-credit loan disbursed on or before the date / registered households (获贷率).',
  },
  {
    key: K.MARGINAL_HOUSEHOLDS, category: C.COVERAGE, unit: COUNT_HH, timing: STOCK, family: 'HOUSEHOLDS',
    numerator: 'marg', groupings: geo(FAMILIES.HOUSEHOLDS), filters: ['designation'],
    description: 'Households whose status on the date is MARGINAL.',
  },
  {
    key: K.MARGINAL_MICROCREDIT_COVERAGE, category: C.COVERAGE, unit: RATIO, timing: STOCK, family: 'HOUSEHOLDS',
    numerator: 'marg_mc', denominator: 'marg', groupings: geo(FAMILIES.HOUSEHOLDS), filters: ['institutionCode', 'designation'],
    description: 'Marginal households with a poverty micro-credit balance above zero at the month end / marginal households.',
  },

  loans(K.POVERTY_LOAN_OVERDUE_RATIO, C.QUALITY, RATIO, 'od_pov', 'bal_pov', POVERTY, 'Overdue principal / balance, targeted poverty loans.'),
  loans(K.POVERTY_LOAN_OVERDUE_90_RATIO, C.QUALITY, RATIO, 'od90_pov', 'bal_pov', POVERTY,
    'Balance of loans more than 90 days overdue / balance, targeted poverty loans.'),
  loans(K.POVERTY_LOAN_NPL_RATIO, C.QUALITY, RATIO, 'npl_pov', 'bal_pov', POVERTY,
    'Balance classed SUBSTANDARD, DOUBTFUL or LOSS / balance, targeted poverty loans.'),
  loans(K.POVERTY_LOAN_DEFERRED_BALANCE, C.QUALITY, AMOUNT, 'def_pov', undefined, POVERTY,
    'Balance of targeted poverty loans under an epidemic or disaster deferral in effect on the date.'),
  loans(K.POVERTY_LOAN_MODIFIED_SHARE, C.QUALITY, RATIO, 'mod_pov', 'bal_pov', POVERTY,
    'Balance of targeted poverty loans extended, renewed or deferred in the 12 months to the date / balance.'),
  loans(K.POVERTY_LOAN_CLASS_UNDERSTATED_SHARE, C.QUALITY, RATIO, 'und_pov', 'bal_pov', POVERTY,
    'Balance reported in a better class than the floor its overdue days imply (no classification relief in effect) / balance, targeted poverty loans.',
    { needsClassificationFloors: true }),

  {
    key: K.INSURANCE_PREMIUM, category: C.INSURANCE, unit: AMOUNT, timing: FLOW, family: 'INSURANCE',
    numerator: 'premium', groupings: FAMILIES.INSURANCE.groupings, filters: ['institutionCode', 'designation'],
    description: 'Premium of policies starting in the year to date.',
  },
  {
    key: K.INSURANCE_PREMIUM_SUBSIDY_SHARE, category: C.INSURANCE, unit: RATIO, timing: FLOW, family: 'INSURANCE',
    numerator: 'subsidy', denominator: 'premium', groupings: FAMILIES.INSURANCE.groupings, filters: ['institutionCode', 'designation'],
    description: 'Premium paid by others than the farmer (central, provincial, county, poverty fund) / premium, policies starting in the year to date.',
  },
  {
    key: K.INSURANCE_SUM_INSURED, category: C.INSURANCE, unit: AMOUNT, timing: FLOW, family: 'INSURANCE',
    numerator: 'sum_insured', groupings: FAMILIES.INSURANCE.groupings, filters: ['institutionCode', 'designation'],
    description: 'Sum insured of policies starting in the year to date.',
  },
  {
    key: K.INSURED_REGISTERED_HOUSEHOLDS, category: C.INSURANCE, unit: COUNT_HH, timing: FLOW, family: 'HOUSEHOLDS',
    numerator: 'reg_ins', groupings: geo(FAMILIES.HOUSEHOLDS), filters: ['institutionCode', 'designation'],
    description: 'Registered households (on the date) insured in the year to date: holder or on the insured list of a policy whose period overlaps 1 January … the date.',
  },
  {
    key: K.INSURANCE_COVERAGE, category: C.INSURANCE, unit: RATIO, timing: FLOW, family: 'HOUSEHOLDS',
    numerator: 'reg_ins', denominator: 'reg', groupings: geo(FAMILIES.HOUSEHOLDS), filters: ['institutionCode', 'designation'],
    description: 'Insured registered households / registered households.',
  },
  {
    key: K.INSURANCE_CLAIMS_PAID, category: C.INSURANCE, unit: AMOUNT, timing: FLOW, family: 'INSURANCE',
    numerator: 'claims', groupings: FAMILIES.INSURANCE.groupings, filters: ['institutionCode', 'designation'],
    description: 'Claims paid in the year to date.',
  },
  {
    key: K.INSURANCE_LOSS_RATIO, category: C.INSURANCE, unit: RATIO, timing: FLOW, family: 'INSURANCE',
    numerator: 'claims', denominator: 'premium', groupings: FAMILIES.INSURANCE.groupings, filters: ['institutionCode', 'designation'],
    description: 'Claims paid in the year to date / premium of policies starting in the year to date (simple loss ratio).',
  },

  {
    key: K.GUARANTEED_BALANCE, category: C.GUARANTEES, unit: AMOUNT, timing: STOCK, family: 'GUARANTEES',
    numerator: 'guaranteed', groupings: FAMILIES.GUARANTEES.groupings, filters: ['institutionCode', 'designation'],
    description: 'Guaranteed amount of guarantee contracts in force on the date (started, not ended, not released).',
  },
  loans(K.POVERTY_LOAN_GUARANTEED_SHARE, C.GUARANTEES, RATIO, 'bal_pov_g', 'bal_pov', POVERTY,
    'Balance of targeted poverty loans with a LINKED guarantee in force on the date / balance of targeted poverty loans.'),
  {
    key: K.GUARANTEE_COMPENSATIONS, category: C.GUARANTEES, unit: AMOUNT, timing: FLOW, family: 'GUARANTEES',
    numerator: 'compensated', groupings: FAMILIES.GUARANTEES.groupings, filters: ['institutionCode', 'designation'],
    description: 'Compensations (代偿) paid by guarantors in the year to date.',
  },
  {
    key: K.GUARANTEE_RECOVERIES, category: C.GUARANTEES, unit: AMOUNT, timing: FLOW, family: 'GUARANTEES',
    numerator: 'recovered', groupings: FAMILIES.GUARANTEES.groupings, filters: ['institutionCode', 'designation'],
    description: 'Recoveries (追偿) on compensations in the year to date.',
  },
  {
    key: K.FUND_LEVERAGE, category: C.GUARANTEES, unit: MULTIPLE, timing: STOCK, family: 'FUNDS',
    numerator: 'backed', denominator: 'capital', groupings: FAMILIES.FUNDS.groupings, filters: ['designation'],
    description: 'Balance of loans backed by the risk compensation funds of the area / their paid-in capital (top-ups − withdrawals) on the date.',
  },
  {
    key: K.FUND_UTILISATION, category: C.GUARANTEES, unit: RATIO, timing: STOCK, family: 'FUNDS',
    numerator: 'payouts', denominator: 'capital', groupings: FAMILIES.FUNDS.groupings, filters: ['designation'],
    description: 'Payouts of the risk compensation funds of the area up to the date / their paid-in capital on the date.',
  },

  loans(K.PACKAGED_LOANS, C.COMBINED_MODELS, COUNT_LOANS, 'pkg_loans', undefined, undefined,
    'Outstanding loans whose combined model on the date is not LOAN_ONLY (a policy or guarantee LINKED and in force).'),
  loans(K.PACKAGED_BALANCE, C.COMBINED_MODELS, AMOUNT, 'pkg_bal', undefined, undefined, 'Balance of loans whose combined model on the date is not LOAN_ONLY.'),
  loans(K.PACKAGED_HOUSEHOLDS, C.COMBINED_MODELS, COUNT_HH, 'pkg_hh', undefined, undefined,
    'Households with a balance on a loan whose combined model on the date is not LOAN_ONLY.'),
  loans(K.PACKAGED_LOAN_SHARE, C.COMBINED_MODELS, RATIO, 'pkg_bal', 'bal_all', undefined, 'Balance of packaged loans / balance of all loans.'),

  {
    key: K.RELENDING_BALANCE, category: C.RELENDING, unit: AMOUNT, timing: STOCK, family: 'RELENDING',
    numerator: 'relending', groupings: FAMILIES.RELENDING.groupings, filters: ['institutionCode', 'designation'],
    description: 'Poverty re-lending drawn on or before the date and not repaid by it.',
  },
  {
    key: K.RELENDING_DEEP_AREA_SHARE, category: C.RELENDING, unit: RATIO, timing: STOCK, family: 'RELENDING',
    numerator: 'relending_deep', denominator: 'relending', groupings: FAMILIES.RELENDING.groupings, filters: ['institutionCode', 'designation'],
    description: 'Outstanding re-lending to borrower institutions whose county is designated DEEPLY_IMPOVERISHED on the date / outstanding re-lending.',
  },

  {
    key: K.SERVICE_VILLAGE_COVERAGE, category: C.INCLUSION, unit: RATIO, timing: STOCK, family: 'SERVICES',
    numerator: 'covered', denominator: 'villages', groupings: FAMILIES.SERVICES.groupings, filters: ['institutionCode', 'designation'],
    description: "Villagers' committees (village codes ending 200–399) with a service point open on the date / villagers' committees.",
  },
  {
    key: K.ENTERPRISE_EMPLOYED_HOUSEHOLDS, category: C.INCLUSION, unit: COUNT_HH, timing: STOCK, family: 'ENTERPRISES',
    numerator: 'employed', groupings: geo(FAMILIES.ENTERPRISES), filters: ['designation'],
    description: 'Registered households employed by enterprises (EMPLOYMENT), each enterprise by its latest report on or before the date.',
  },
  {
    key: K.ENTERPRISE_LINKED_HOUSEHOLDS, category: C.INCLUSION, unit: COUNT_HH, timing: STOCK, family: 'ENTERPRISES',
    numerator: 'linked', groupings: geo(FAMILIES.ENTERPRISES), filters: ['designation'],
    description: 'Household linkages of enterprises in all modes (employment, contract purchase, land transfer, dividends; a household linked two ways counts twice).',
  },
  {
    key: K.DOCKING_CONVERSION, category: C.INCLUSION, unit: RATIO, timing: FLOW, family: 'ENTERPRISES',
    numerator: 'disbursed', denominator: 'signed', groupings: FAMILIES.ENTERPRISES.groupings, filters: ['institutionCode', 'designation'],
    description: 'Disbursed / signed amounts of financing docking projects of events held in the year to date.',
  },
];

const BY_KEY = new Map(INDICATORS.map((definition) => [definition.key, definition]));

export function definitionOf(key: IndicatorKey): IndicatorDefinition {
  const definition = BY_KEY.get(key);
  if (definition === undefined) throw new Error(`indicators: no definition for ${key}`);
  return definition;
}

/** Families in the order their indicators first appear. */
export function familiesOf(keys: readonly IndicatorKey[]): FamilyName[] {
  const seen: FamilyName[] = [];
  for (const key of keys) {
    const family = definitionOf(key).family;
    if (!seen.includes(family)) seen.push(family);
  }
  return seen;
}

/**
 * The public vocabulary of the indicators service (DESIGN.md §4): which figures exist,
 * how they can be cut, why a value may be missing, and the shapes of the answers. The
 * GraphQL schema exposes these under the same names; `docs/indicators.md` defines each.
 */

/** Every indicator, in the order answers list them. */
export enum IndicatorKey {
  // Targeted poverty loans and the loan book
  POVERTY_LOAN_BALANCE = 'POVERTY_LOAN_BALANCE',
  LOAN_BALANCE = 'LOAN_BALANCE',
  OUTSTANDING_LOANS = 'OUTSTANDING_LOANS',
  BORROWER_HOUSEHOLDS = 'BORROWER_HOUSEHOLDS',
  INCLUSIVE_SMALL_MICRO_BALANCE = 'INCLUSIVE_SMALL_MICRO_BALANCE',
  INCLUSIVE_SMALL_MICRO_SHARE = 'INCLUSIVE_SMALL_MICRO_SHARE',
  // Registered households and micro-credit coverage
  REGISTERED_HOUSEHOLDS = 'REGISTERED_HOUSEHOLDS',
  MICROCREDIT_COVERAGE = 'MICROCREDIT_COVERAGE',
  MICROCREDIT_CUMULATIVE_COVERAGE = 'MICROCREDIT_CUMULATIVE_COVERAGE',
  MARGINAL_HOUSEHOLDS = 'MARGINAL_HOUSEHOLDS',
  MARGINAL_MICROCREDIT_COVERAGE = 'MARGINAL_MICROCREDIT_COVERAGE',
  // Quality of targeted poverty loans
  POVERTY_LOAN_OVERDUE_RATIO = 'POVERTY_LOAN_OVERDUE_RATIO',
  POVERTY_LOAN_OVERDUE_90_RATIO = 'POVERTY_LOAN_OVERDUE_90_RATIO',
  POVERTY_LOAN_NPL_RATIO = 'POVERTY_LOAN_NPL_RATIO',
  POVERTY_LOAN_DEFERRED_BALANCE = 'POVERTY_LOAN_DEFERRED_BALANCE',
  POVERTY_LOAN_MODIFIED_SHARE = 'POVERTY_LOAN_MODIFIED_SHARE',
  POVERTY_LOAN_CLASS_UNDERSTATED_SHARE = 'POVERTY_LOAN_CLASS_UNDERSTATED_SHARE',
  // Agricultural insurance
  INSURANCE_PREMIUM = 'INSURANCE_PREMIUM',
  INSURANCE_PREMIUM_SUBSIDY_SHARE = 'INSURANCE_PREMIUM_SUBSIDY_SHARE',
  INSURANCE_SUM_INSURED = 'INSURANCE_SUM_INSURED',
  INSURED_REGISTERED_HOUSEHOLDS = 'INSURED_REGISTERED_HOUSEHOLDS',
  INSURANCE_COVERAGE = 'INSURANCE_COVERAGE',
  INSURANCE_CLAIMS_PAID = 'INSURANCE_CLAIMS_PAID',
  INSURANCE_LOSS_RATIO = 'INSURANCE_LOSS_RATIO',
  // Guarantees and risk compensation funds
  GUARANTEED_BALANCE = 'GUARANTEED_BALANCE',
  POVERTY_LOAN_GUARANTEED_SHARE = 'POVERTY_LOAN_GUARANTEED_SHARE',
  GUARANTEE_COMPENSATIONS = 'GUARANTEE_COMPENSATIONS',
  GUARANTEE_RECOVERIES = 'GUARANTEE_RECOVERIES',
  FUND_LEVERAGE = 'FUND_LEVERAGE',
  FUND_UTILISATION = 'FUND_UTILISATION',
  // Combined bank–insurance–guarantee models
  PACKAGED_LOANS = 'PACKAGED_LOANS',
  PACKAGED_BALANCE = 'PACKAGED_BALANCE',
  PACKAGED_HOUSEHOLDS = 'PACKAGED_HOUSEHOLDS',
  PACKAGED_LOAN_SHARE = 'PACKAGED_LOAN_SHARE',
  // Poverty re-lending
  RELENDING_BALANCE = 'RELENDING_BALANCE',
  RELENDING_DEEP_AREA_SHARE = 'RELENDING_DEEP_AREA_SHARE',
  // Inclusion: services, enterprises, docking
  SERVICE_VILLAGE_COVERAGE = 'SERVICE_VILLAGE_COVERAGE',
  ENTERPRISE_EMPLOYED_HOUSEHOLDS = 'ENTERPRISE_EMPLOYED_HOUSEHOLDS',
  ENTERPRISE_LINKED_HOUSEHOLDS = 'ENTERPRISE_LINKED_HOUSEHOLDS',
  DOCKING_CONVERSION = 'DOCKING_CONVERSION',
}

export enum IndicatorCategory {
  LOANS = 'LOANS',
  COVERAGE = 'COVERAGE',
  QUALITY = 'QUALITY',
  INSURANCE = 'INSURANCE',
  GUARANTEES = 'GUARANTEES',
  COMBINED_MODELS = 'COMBINED_MODELS',
  RELENDING = 'RELENDING',
  INCLUSION = 'INCLUSION',
}

/** What a value measures; decides its scale (YUAN 2 decimals, counts 0, RATIO and MULTIPLE 6). */
export enum IndicatorUnit {
  YUAN = 'YUAN',
  HOUSEHOLDS = 'HOUSEHOLDS',
  LOANS = 'LOANS',
  RATIO = 'RATIO',
  MULTIPLE = 'MULTIPLE',
}

/** A stock is read at the date; a flow is summed over the year to the date (1 Jan … date). */
export enum IndicatorTiming {
  STOCK = 'STOCK',
  FLOW = 'FLOW',
}

export enum GroupBy {
  COUNTY = 'COUNTY',
  PREFECTURE = 'PREFECTURE',
  PROVINCE = 'PROVINCE',
  INSTITUTION = 'INSTITUTION',
  PRODUCT = 'PRODUCT',
  COMBINED_MODEL = 'COMBINED_MODEL',
  MONTH = 'MONTH',
}

/** Whose rows a figure is computed over: the market in the area, or the caller's own book. */
export enum IndicatorBook {
  MARKET = 'MARKET',
  OWN_BOOK = 'OWN_BOOK',
}

/** Why a value is null. */
export enum IndicatorNullReason {
  /** The figure's rows are attributed to counties only; a township or village cannot be answered. */
  AREA_LEVEL_NOT_SUPPORTED = 'AREA_LEVEL_NOT_SUPPORTED',
  /** No month-end position is reported in the area for that month end (before the first or after the last report). */
  NO_POSITIONS_FOR_MONTH = 'NO_POSITIONS_FOR_MONTH',
  /** Some loan outstanding at the previous month end has no position for this month end yet. */
  INCOMPLETE_POSITIONS = 'INCOMPLETE_POSITIONS',
  /** A policy parameter the definition needs (classification floors) is not in force on the date. */
  PARAMETER_MISSING = 'PARAMETER_MISSING',
  /** Small-cell suppression: fewer than k households (or other parties) the caller has no row access to. */
  SUPPRESSED_SMALL_CELL = 'SUPPRESSED_SMALL_CELL',
  /** The denominator is zero. */
  ZERO_DENOMINATOR = 'ZERO_DENOMINATOR',
}

/** Why a change is null. */
export enum ChangeNullReason {
  /** One of the two values is null (see its reason). */
  VALUE_UNAVAILABLE = 'VALUE_UNAVAILABLE',
  /** Relative change from a base of zero. */
  ZERO_BASE = 'ZERO_BASE',
  /** Relative change of a ratio (read the absolute change, in ratio points), or any change of a year-to-date flow since the start of the year. */
  NOT_APPLICABLE = 'NOT_APPLICABLE',
}

/** The area asked about: exactly one of a division `code` or `nation: true`. */
export interface AreaSpec {
  code?: string | null;
  nation?: boolean | null;
}

/** Narrows the rows of a breakdown; each metric accepts only the filters that apply to it. */
export interface IndicatorFilter {
  /** Loans of this bank, policies of this insurer, guarantees of this guarantor … */
  institutionCode?: string | null;
  /** Loan products (loan-book metrics only). */
  products?: readonly string[] | null;
  /** Combined models as of the date (loan-book metrics only). */
  combinedModels?: readonly string[] | null;
  /** Only counties holding this designation on the date. */
  designation?: string | null;
}

export interface IndicatorValue {
  date: string;
  value: string | null;
  numerator: string | null;
  denominator: string | null;
  nullReason: IndicatorNullReason | null;
}

export interface IndicatorChange {
  /** Value minus base (ratio points for ratios). */
  absolute: string | null;
  /** (value − base) / base, 6 decimals; amounts and counts only. */
  relative: string | null;
  absoluteNullReason: ChangeNullReason | null;
  relativeNullReason: ChangeNullReason | null;
}

export interface IndicatorFreshness {
  /** Latest month end on or before the date with positions reported in the area (position-based figures). */
  latestMonthEnd: string | null;
  /** Latest `received_at` of the rows behind the current value (ISO 8601, UTC). */
  latestReceivedAt: string | null;
}

export interface IndicatorFigure {
  key: IndicatorKey;
  category: IndicatorCategory;
  unit: IndicatorUnit;
  timing: IndicatorTiming;
  current: IndicatorValue;
  previous: IndicatorValue;
  startOfYear: IndicatorValue;
  changeFromPrevious: IndicatorChange;
  changeFromStartOfYear: IndicatorChange;
  freshness: IndicatorFreshness;
}

export interface IndicatorArea {
  /** Null for the nation. */
  code: string | null;
  name: string;
  /** NATION, PROVINCE, PREFECTURE, COUNTY, TOWNSHIP or VILLAGE. */
  level: string;
}

/** What every answer names so that it can be reproduced (DESIGN.md §7). */
export interface AnswerProvenance {
  area: IndicatorArea;
  requestedAsOf: string;
  /** The month end the answer is as of: the latest month end on or before `requestedAsOf`. */
  asOf: string;
  /** The comparison month end: a year earlier, or the latest month end on or before `compareWith`. */
  previousDate: string;
  /** 31 December of the year before `asOf`. */
  startOfYear: string;
  book: IndicatorBook;
  /** k of small-cell suppression in force (policy parameter `suppression.min_households`). */
  minHouseholds: number;
  /** Whether this caller's figures are subject to small-cell suppression. */
  suppressionApplied: boolean;
  /** The latest applied migration. */
  schemaVersion: string;
  /** SHA-256 (hex) of the canonical JSON of the answer without this field. */
  contentHash: string;
}

export interface IndicatorSet extends AnswerProvenance {
  indicators: IndicatorFigure[];
}

export interface BreakdownRow {
  /** County / prefecture / province code, institution code, product, combined model, or month end. */
  group: string;
  label: string | null;
  current: IndicatorValue;
  previous: IndicatorValue;
  startOfYear: IndicatorValue;
  changeFromPrevious: IndicatorChange;
  changeFromStartOfYear: IndicatorChange;
  freshness: IndicatorFreshness;
}

export interface Breakdown extends AnswerProvenance {
  metric: IndicatorKey;
  category: IndicatorCategory;
  unit: IndicatorUnit;
  timing: IndicatorTiming;
  groupBy: GroupBy;
  filter: Required<{ [K in keyof IndicatorFilter]: IndicatorFilter[K] | null }>;
  rows: BreakdownRow[];
}

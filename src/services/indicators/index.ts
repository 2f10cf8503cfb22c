export * from './indicator.types';
export * from './indicator-dates';
export { INDICATORS, definitionOf, type IndicatorDefinition, type FilterField } from './indicator-definitions';
export { canonicalJson, contentHash } from './indicator-hash';
export { breakdownCsv, BREAKDOWN_CSV_COLUMNS } from './indicator-csv';
export {
  computeBreakdown,
  computeIndicators,
  DEFAULT_MIN_HOUSEHOLDS,
  type BreakdownArgs,
  type IndicatorScope,
  type IndicatorsArgs,
} from './indicator.service';
export { parseBreakdownQuery, type BreakdownQuery } from './indicator-query';

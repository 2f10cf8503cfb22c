/**
 * A breakdown question in plain strings, as the CSV export takes it (HTTP query string or
 * CLI flags), checked and turned into service arguments:
 *
 *   metric=POVERTY_LOAN_BALANCE  groupBy=COUNTY  area=52 | nation  asOf=2020-12-31
 *   [compareWith=2019-06-30] [book=MARKET|OWN_BOOK] [institution=CODE]
 *   [products=POVERTY_MICROCREDIT,INDUSTRIAL] [models=LOAN_ONLY,…] [designation=UNCAPPED_2020]
 */
import { badInput } from '../common';
import type { BreakdownArgs } from './indicator.service';
import { GroupBy, IndicatorBook, IndicatorKey } from './indicator.types';

export type BreakdownQuery = Readonly<Record<string, string | undefined>>;

const KNOWN = new Set(['metric', 'groupBy', 'area', 'asOf', 'compareWith', 'book', 'institution', 'products', 'models', 'designation']);

function oneOf<T extends string>(values: Record<string, T>, raw: string | undefined, field: string): T {
  if (raw === undefined || raw === '') throw badInput(`${field} is required`, field);
  const found = Object.values(values).find((value) => value === raw);
  if (found === undefined) throw badInput(`${field}: unknown value ${JSON.stringify(raw)}`, field);
  return found;
}

const list = (raw: string | undefined): string[] | null => (raw === undefined || raw === '' ? null : raw.split(',').map((s) => s.trim()));

/** Checks a plain-string breakdown question (field names as above). */
export function parseBreakdownQuery(query: BreakdownQuery): BreakdownArgs {
  for (const name of Object.keys(query)) {
    if (!KNOWN.has(name)) throw badInput(`Unknown parameter ${JSON.stringify(name)}`, name);
  }
  const area = query.area;
  if (area === undefined || area === '') throw badInput('area is required: a division code or "nation"', 'area');
  if (query.asOf === undefined || query.asOf === '') throw badInput('asOf is required', 'asOf');
  return {
    metric: oneOf(IndicatorKey, query.metric, 'metric'),
    groupBy: oneOf(GroupBy, query.groupBy, 'groupBy'),
    area: area === 'nation' ? { nation: true } : { code: area },
    asOf: query.asOf,
    compareWith: query.compareWith === undefined || query.compareWith === '' ? null : query.compareWith,
    book: query.book === undefined || query.book === '' ? IndicatorBook.MARKET : oneOf(IndicatorBook, query.book, 'book'),
    filter: {
      institutionCode: query.institution === undefined || query.institution === '' ? null : query.institution,
      products: list(query.products),
      combinedModels: list(query.models),
      designation: query.designation === undefined || query.designation === '' ? null : query.designation,
    },
  };
}

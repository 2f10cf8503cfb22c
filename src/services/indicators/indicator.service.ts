/**
 * The indicators of DESIGN.md §4 for an area and a date, beside the same month end a
 * year earlier (or `compareWith`) and the start of the year, and breakdowns of one of
 * them by geography, institution, product, combined model or month.
 *
 * Every answer is read in one READ ONLY, REPEATABLE READ transaction (one snapshot: the
 * same data for every statement), with one set-based statement per indicator family,
 * scoped and suppressed for the caller, and names its as-of date, the schema version and
 * a content hash. Testable without GraphQL: it takes an EntityManager and a principal.
 */
import { IsolationLevel, type EntityManager } from '@mikro-orm/postgresql';
import { sql, type Sql } from '../../db/sql';
import { LoanProduct, DesignationKind } from '../../entities/enums';
import type { Principal } from '../access';
import { badInput, forbidden } from '../common';
import { CombinedModel } from '../packages';
import { dateChecksStatement, missingAt, readDateChecks, type DateChecks } from './indicator-checks';
import { designationOn, NO_FILTER, type QueryContext, type ResolvedArea, type ResolvedFilter } from './indicator-context';
import { datesOf, monthlyTriplets, tripletOf, type DateTriplet } from './indicator-dates';
import { definitionOf, familiesOf, INDICATORS, type FilterField, type IndicatorDefinition } from './indicator-definitions';
import { familyStatement, readFamilyRows, type Cell, type FamilyRow } from './indicator-engine';
import { FAMILIES, type Family } from './indicator-families';
import { contentHash } from './indicator-hash';
import { complementarySuppression, isSmallCell, suppressionApplies } from './indicator-suppression';
import {
  ChangeNullReason,
  GroupBy,
  IndicatorBook,
  IndicatorNullReason,
  IndicatorTiming,
  IndicatorUnit,
  type AnswerProvenance,
  type AreaSpec,
  type Breakdown,
  type BreakdownRow,
  type IndicatorChange,
  type IndicatorFigure,
  type IndicatorFilter,
  type IndicatorKey,
  type IndicatorSet,
  type IndicatorValue,
} from './indicator.types';

/** What the service needs from a request: its EntityManager and its principal. */
export interface IndicatorScope {
  em: EntityManager;
  principal: Readonly<Principal>;
}

export interface IndicatorsArgs {
  area: AreaSpec;
  asOf: string;
  compareWith?: string | null;
  book?: IndicatorBook | null;
}

export interface BreakdownArgs extends IndicatorsArgs {
  metric: IndicatorKey;
  groupBy: GroupBy;
  filter?: IndicatorFilter | null;
}

/** The default k of small-cell suppression when no policy parameter is in force. */
export const DEFAULT_MIN_HOUSEHOLDS = 5;

type RunQuery = <R = Record<string, string | null>>(query: Sql) => Promise<R[]>;
/**
 * Runs one statement in the answer's snapshot; `aside` runs one on a second connection
 * that imported the same snapshot, so two statements of one answer can run at once and
 * still see exactly the same data.
 */
type Run = RunQuery & { aside?: RunQuery };
const SNAPSHOT_ID = /^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$/i;

const PARTNER_ROLES = new Set(['BANK', 'INSURER', 'GUARANTOR']);
const AREA_CODE = /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LEVELS: Record<number, ResolvedArea['level']> = { 2: 'PROVINCE', 4: 'PREFECTURE', 6: 'COUNTY', 9: 'TOWNSHIP', 12: 'VILLAGE' };

// ---------------------------------------------------------------------------------------
// Entry points

/** Every indicator for an area and a date (see the module comment). */
export async function computeIndicators(scope: IndicatorScope, args: IndicatorsArgs): Promise<IndicatorSet> {
  const book = checkCaller(scope.principal, args.book);
  const triplet = tripletOf(checkDate(args.asOf, 'asOf'), args.compareWith ? checkDate(args.compareWith, 'compareWith') : null);
  return snapshot(scope.em, async (run) => {
    const area = await resolveArea(run, scope.principal, args.area);
    const meta = await readMeta(run);
    const ctx: QueryContext = { principal: scope.principal, dates: datesOf([triplet]), area, filter: NO_FILTER, book, groupBy: null };
    const keys = INDICATORS.map((d) => d.key);
    const { rows, checks } = await runFamilies(run, ctx, keys, [triplet], ['']);
    const k = meta.minHouseholds;
    const suppress = suppressionApplies(scope.principal);
    const indicators: IndicatorFigure[] = INDICATORS.map((definition) => {
      const row = rows.get(definition.key)?.[0] ?? null;
      const assessed = assessRow(definition, row, triplet, ctx, checks, null, k, suppress);
      return {
        key: definition.key,
        category: definition.category,
        unit: definition.unit,
        timing: definition.timing,
        ...finishRow(definition, row, assessed, triplet, checks),
      };
    });
    const answer: IndicatorSet = { ...provenance(area, args.asOf, triplet, book, meta, suppress), indicators };
    answer.contentHash = contentHash(answer);
    return answer;
  });
}

/** One indicator broken down by a dimension (see the module comment). */
export async function computeBreakdown(scope: IndicatorScope, args: BreakdownArgs): Promise<Breakdown> {
  const book = checkCaller(scope.principal, args.book);
  const definition = definitionOf(args.metric);
  if (!definition.groupings.includes(args.groupBy)) {
    throw badInput(`${args.metric} cannot be broken down by ${args.groupBy}; it can by ${definition.groupings.join(', ')}`, 'groupBy');
  }
  if (args.groupBy === GroupBy.MONTH && args.compareWith) {
    throw badInput('compareWith does not apply to a breakdown by MONTH: each month is compared with the same month a year earlier', 'compareWith');
  }
  const asOf = checkDate(args.asOf, 'asOf');
  const triplet = tripletOf(asOf, args.compareWith ? checkDate(args.compareWith, 'compareWith') : null);
  const triplets = args.groupBy === GroupBy.MONTH ? monthlyTriplets(asOf) : [triplet];
  const filter = checkFilter(definition, args.filter ?? null);
  return snapshot(scope.em, async (run) => {
    const area = await resolveArea(run, scope.principal, args.area);
    const meta = await readMeta(run);
    const resolvedFilter = await resolveFilter(run, filter);
    const groupBy = args.groupBy === GroupBy.MONTH ? null : args.groupBy;
    const ctx: QueryContext = { principal: scope.principal, dates: datesOf(triplets), area, filter: resolvedFilter, book, groupBy };
    const universe = await groupUniverse(run, definition, args.groupBy, area, resolvedFilter, triplet.current);
    const { rows, checks } = await runFamilies(run, ctx, [definition.key], triplets, universe);
    const k = meta.minHouseholds;
    const suppress = suppressionApplies(scope.principal);
    let familyRows = rows.get(definition.key) ?? [];
    if (args.groupBy === GroupBy.PRODUCT && definition.products !== undefined) {
      familyRows = familyRows.filter((row) => definition.products!.includes(row.group));
    }
    const assessed = familyRows.map((row) => {
      const rowTriplet = triplets.find((t) => t.current === row.current) ?? triplet;
      return { row, rowTriplet, assessed: assessRow(definition, row, rowTriplet, ctx, checks, row.group, k, suppress) };
    });
    if (suppress && args.groupBy !== GroupBy.MONTH) {
      // Groups of one date add up to the area's figure: protect suppressed cells from subtraction.
      for (const role of ['current', 'previous', 'startOfYear'] as const) {
        const cells = assessed.map((a) => a.row.cells[role]);
        const hidden = assessed.map((a) => a.assessed[role] !== null);
        const final = complementarySuppression(cells, hidden, k);
        final.forEach((flag, i) => {
          if (flag && assessed[i].assessed[role] === null) assessed[i].assessed[role] = IndicatorNullReason.SUPPRESSED_SMALL_CELL;
        });
      }
    }
    const labels = await groupLabels(run, args.groupBy, assessed.map((a) => a.row.group));
    const breakdownRows: BreakdownRow[] = assessed
      .map(({ row, rowTriplet, assessed: reasons }) => {
        const label = labels.get(row.group) ?? { key: row.group, label: null };
        return { group: args.groupBy === GroupBy.MONTH ? row.current : label.key, label: label.label, ...finishRow(definition, row, reasons, rowTriplet, checks) };
      })
      .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
    const answer: Breakdown = {
      ...provenance(area, args.asOf, triplet, book, meta, suppress),
      metric: definition.key,
      category: definition.category,
      unit: definition.unit,
      timing: definition.timing,
      groupBy: args.groupBy,
      filter: {
        institutionCode: filter.institutionCode ?? null,
        products: filter.products ? [...filter.products] : null,
        combinedModels: filter.combinedModels ? [...filter.combinedModels] : null,
        designation: filter.designation ?? null,
      },
      rows: breakdownRows,
    };
    answer.contentHash = contentHash(answer);
    return answer;
  });
}

// ---------------------------------------------------------------------------------------
// Checks of the question

function checkCaller(principal: Readonly<Principal>, book: IndicatorBook | null | undefined): IndicatorBook {
  if (principal.role === 'ADMIN') throw forbidden('Indicators are not available to the ADMIN role');
  const chosen = book ?? IndicatorBook.MARKET;
  if (chosen === IndicatorBook.OWN_BOOK && !PARTNER_ROLES.has(principal.role)) {
    throw badInput('OWN_BOOK is for BANK, INSURER and GUARANTOR callers', 'book');
  }
  return chosen;
}

function checkDate(value: string, field: string): string {
  const match = DATE.exec(value);
  const valid =
    match !== null &&
    (() => {
      const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
      const date = new Date(Date.UTC(y, m - 1, d));
      return y >= 1900 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
    })();
  if (!valid) throw badInput(`${field} must be a calendar date in YYYY-MM-DD form`, field);
  return value;
}

function checkFilter(definition: IndicatorDefinition, filter: IndicatorFilter | null): IndicatorFilter {
  if (filter === null) return {};
  const given: Array<[FilterField, unknown]> = [
    ['institutionCode', filter.institutionCode],
    ['products', filter.products],
    ['combinedModels', filter.combinedModels],
    ['designation', filter.designation],
  ];
  for (const [field, value] of given) {
    if (value === null || value === undefined) continue;
    if (!definition.filters.includes(field)) {
      throw badInput(`filter.${field} does not apply to ${definition.key}`, `filter.${field}`);
    }
  }
  const checkAll = (values: readonly string[] | null | undefined, allowed: readonly string[], field: string) => {
    if (values === null || values === undefined) return;
    if (values.length === 0) throw badInput(`filter.${field} must not be empty`, `filter.${field}`);
    for (const value of values) {
      if (!allowed.includes(value)) throw badInput(`filter.${field}: unknown value ${JSON.stringify(value)}`, `filter.${field}`);
    }
  };
  checkAll(filter.products, Object.values(LoanProduct), 'products');
  checkAll(filter.combinedModels, Object.values(CombinedModel), 'combinedModels');
  if (filter.designation !== null && filter.designation !== undefined) checkAll([filter.designation], Object.values(DesignationKind), 'designation');
  if (filter.institutionCode !== null && filter.institutionCode !== undefined && !/^[A-Za-z0-9_.-]{1,32}$/.test(filter.institutionCode)) {
    throw badInput('filter.institutionCode is not an institution code', 'filter.institutionCode');
  }
  return filter;
}

async function resolveArea(run: Run, principal: Readonly<Principal>, spec: AreaSpec): Promise<ResolvedArea> {
  const nation = spec.nation === true;
  const code = spec.code ?? null;
  if (nation === (code !== null) || (spec.nation !== undefined && spec.nation !== null && spec.nation !== true)) {
    throw badInput('area takes either { code } or { nation: true }', 'area');
  }
  const inScope = (candidate: string | null) =>
    principal.areaCodes.length === 0 || (candidate !== null && principal.areaCodes.some((prefix) => candidate.startsWith(prefix)));
  if (code === null) {
    if (!inScope(null)) throw forbidden('The nation is outside the caller’s area scope');
    return { code: null, name: '全国', level: 'NATION', counties: null, subCountyCode: null };
  }
  if (!AREA_CODE.test(code)) throw badInput('An area code has 2, 4, 6, 9 or 12 digits', 'area.code');
  if (!inScope(code)) throw forbidden('The area is outside the caller’s area scope');
  const [found] = await run<{ name: string }>(sql`SELECT name FROM area WHERE code = ${code}`);
  if (found === undefined) throw badInput(`Unknown area ${code}`, 'area.code');
  const level = LEVELS[code.length];
  if (code.length >= 6) {
    return { code, name: found.name, level, counties: [code.slice(0, 6)], subCountyCode: code.length > 6 ? code : null };
  }
  const counties = await run<{ code: string }>(sql`SELECT code FROM area WHERE level = 'COUNTY' AND code LIKE ${`${code}%`} ORDER BY code`);
  return { code, name: found.name, level, counties: counties.map((c) => c.code), subCountyCode: null };
}

async function resolveFilter(run: Run, filter: IndicatorFilter): Promise<ResolvedFilter> {
  let institutionId: string | null = null;
  if (filter.institutionCode) {
    const [found] = await run<{ id: string }>(sql`SELECT id::text AS id FROM institution WHERE code = ${filter.institutionCode}`);
    if (found === undefined) throw badInput(`Unknown institution ${filter.institutionCode}`, 'filter.institutionCode');
    institutionId = found.id;
  }
  return {
    institutionId,
    products: filter.products ? [...filter.products] : null,
    combinedModels: filter.combinedModels ? [...filter.combinedModels] : null,
    designation: filter.designation ?? null,
  };
}

interface Meta {
  minHouseholds: number;
  schemaVersion: string;
}

async function readMeta(run: Run): Promise<Meta> {
  const [row] = await run<{ k: string | null; version: string | null }>(sql`SELECT
      (SELECT value::text FROM policy_parameter WHERE key = 'suppression.min_households'
          AND valid_from <= (now() AT TIME ZONE 'Asia/Shanghai')::date
          AND (valid_to IS NULL OR valid_to > (now() AT TIME ZONE 'Asia/Shanghai')::date)
        ORDER BY valid_from DESC LIMIT 1) AS k,
      (SELECT name FROM mikro_orm_migrations ORDER BY id DESC LIMIT 1) AS version`);
  const k = row?.k === null || row?.k === undefined ? DEFAULT_MIN_HOUSEHOLDS : Math.ceil(Number(row.k));
  return { minHouseholds: Number.isSafeInteger(k) && k >= 1 ? k : DEFAULT_MIN_HOUSEHOLDS, schemaVersion: row?.version ?? 'unknown' };
}

// ---------------------------------------------------------------------------------------
// Running the statements

async function snapshot<T>(em: EntityManager, work: (run: Run) => Promise<T>): Promise<T> {
  return em.transactional(
    async (tem) => {
      const trx = tem.getTransactionContext();
      const connection = tem.getConnection();
      const run: Run = (query) => connection.execute(query.text, [...query.params], 'all', trx) as Promise<never>;
      let exported: Promise<string> | null = null;
      run.aside = async (query) => {
        exported ??= run<{ id: string }>(sql`SELECT pg_export_snapshot() AS id`).then(([row]) => row.id);
        const id = await exported;
        if (!SNAPSHOT_ID.test(id)) throw new Error(`unexpected snapshot id ${JSON.stringify(id)}`);
        return em.fork().transactional(
          async (aside) => {
            const asideTrx = aside.getTransactionContext();
            const asideConnection = aside.getConnection();
            await asideConnection.execute(`SET TRANSACTION SNAPSHOT '${id}'`, [], 'run', asideTrx);
            return asideConnection.execute(query.text, [...query.params], 'all', asideTrx) as Promise<never>;
          },
          { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
        );
      };
      return work(run);
    },
    { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
  );
}

async function runFamilies(
  run: Run,
  ctx: QueryContext,
  keys: readonly IndicatorKey[],
  triplets: readonly DateTriplet[],
  universe: readonly string[],
): Promise<{ rows: Map<IndicatorKey, FamilyRow[]>; checks: DateChecks | null }> {
  const rows = new Map<IndicatorKey, FamilyRow[]>();
  const families = familiesOf(keys).filter((name) => ctx.area.subCountyCode === null || FAMILIES[name].subCounty);
  const positionBased = keys.some((key) => families.includes(definitionOf(key).family) && isPositionBased(definitionOf(key)));
  const needsChecks = positionBased || keys.some((key) => definitionOf(key).needsClassificationFloors);
  // The checks run beside the family statements, in the same snapshot (measured: a
  // province breakdown at 1,000,000 households spends a quarter of its time on them).
  const pendingChecks = needsChecks ? (run.aside ?? run)(dateChecksStatement(ctx)) : null;
  pendingChecks?.catch(() => undefined); // awaited below; a family failing first must not leave it unhandled
  for (const name of families) {
    const family = FAMILIES[name];
    const familyKeys = keys.filter((key) => definitionOf(key).family === name);
    const result = await run(familyStatement({ family, keys: familyKeys, triplets, ctx, groupUniverse: universe }));
    for (const row of readFamilyRows(result)) {
      const list = rows.get(row.key) ?? [];
      list.push(row);
      rows.set(row.key, list);
    }
  }
  const checks = pendingChecks === null ? null : readDateChecks(await pendingChecks);
  return { rows, checks };
}

function isPositionBased(definition: IndicatorDefinition): boolean {
  const family: Family = FAMILIES[definition.family];
  return family.positionMeasures.includes(definition.numerator) || (definition.denominator !== undefined && family.positionMeasures.includes(definition.denominator));
}

// ---------------------------------------------------------------------------------------
// Assessing values: completeness, parameters, suppression

interface Reasons {
  current: IndicatorNullReason | null;
  previous: IndicatorNullReason | null;
  startOfYear: IndicatorNullReason | null;
}

function assessRow(
  definition: IndicatorDefinition,
  row: FamilyRow | null,
  triplet: DateTriplet,
  ctx: QueryContext,
  checks: DateChecks | null,
  group: string | null,
  k: number,
  suppress: boolean,
): Reasons {
  if (row === null) {
    // Only a family skipped for the area's level yields no row.
    const reason = IndicatorNullReason.AREA_LEVEL_NOT_SUPPORTED;
    return { current: reason, previous: reason, startOfYear: reason };
  }
  const one = (date: string, cell: Cell): IndicatorNullReason | null => {
    if (checks !== null && isPositionBased(definition)) {
      if (checks.present.get(date) !== true) return IndicatorNullReason.NO_POSITIONS_FOR_MONTH;
      if (missingAt(checks, date, countyPrefixOf(ctx.groupBy, group), institutionsOf(ctx, group)) > 0) return IndicatorNullReason.INCOMPLETE_POSITIONS;
    }
    if (definition.needsClassificationFloors && checks !== null && checks.floorsInForce.get(date) !== true) return IndicatorNullReason.PARAMETER_MISSING;
    if (suppress && isSmallCell(cell, k)) return IndicatorNullReason.SUPPRESSED_SMALL_CELL;
    return null;
  };
  return {
    current: one(triplet.current, row.cells.current),
    previous: one(triplet.previous, row.cells.previous),
    startOfYear: one(triplet.startOfYear, row.cells.startOfYear),
  };
}

function countyPrefixOf(groupBy: GroupBy | null, group: string | null): string | null {
  if (group === null) return null;
  return groupBy === GroupBy.COUNTY || groupBy === GroupBy.PREFECTURE || groupBy === GroupBy.PROVINCE ? group : null;
}

/** The banks whose missing reports matter to a cell: its group's, the filter's, the caller's own book. */
function institutionsOf(ctx: QueryContext, group: string | null): Set<string> | null {
  const sets: string[] = [];
  if (ctx.groupBy === GroupBy.INSTITUTION && group !== null) sets.push(group);
  if (ctx.filter.institutionId !== null) sets.push(ctx.filter.institutionId);
  if (ctx.book === IndicatorBook.OWN_BOOK && ctx.principal.role === 'BANK' && ctx.principal.institutionId !== null) sets.push(ctx.principal.institutionId);
  if (sets.length === 0) return null;
  return new Set(sets.every((id) => id === sets[0]) ? [sets[0]] : []);
}

const QUOTIENT = new Set([IndicatorUnit.RATIO, IndicatorUnit.MULTIPLE]);

function valueOf(date: string, cell: Cell | null, reason: IndicatorNullReason | null): IndicatorValue {
  if (cell === null || reason !== null) return { date, value: null, numerator: null, denominator: null, nullReason: reason };
  return {
    date,
    value: cell.value,
    numerator: cell.numerator,
    denominator: cell.denominator,
    nullReason: cell.value === null ? IndicatorNullReason.ZERO_DENOMINATOR : null,
  };
}

function changeOf(
  definition: IndicatorDefinition,
  current: IndicatorValue,
  base: IndicatorValue,
  absolute: string | null,
  relative: string | null,
  sinceStartOfYear: boolean,
): IndicatorChange {
  if (sinceStartOfYear && definition.timing === IndicatorTiming.FLOW) {
    const na = ChangeNullReason.NOT_APPLICABLE;
    return { absolute: null, relative: null, absoluteNullReason: na, relativeNullReason: na };
  }
  if (current.value === null || base.value === null) {
    const na = ChangeNullReason.VALUE_UNAVAILABLE;
    return { absolute: null, relative: null, absoluteNullReason: na, relativeNullReason: na };
  }
  if (QUOTIENT.has(definition.unit)) {
    return { absolute, relative: null, absoluteNullReason: null, relativeNullReason: ChangeNullReason.NOT_APPLICABLE };
  }
  return { absolute, relative, absoluteNullReason: null, relativeNullReason: relative === null ? ChangeNullReason.ZERO_BASE : null };
}

function finishRow(definition: IndicatorDefinition, row: FamilyRow | null, reasons: Reasons, triplet: DateTriplet, checks: DateChecks | null) {
  const current = valueOf(triplet.current, row?.cells.current ?? null, reasons.current);
  const previous = valueOf(triplet.previous, row?.cells.previous ?? null, reasons.previous);
  const startOfYear = valueOf(triplet.startOfYear, row?.cells.startOfYear ?? null, reasons.startOfYear);
  const positionBased = isPositionBased(definition);
  return {
    current,
    previous,
    startOfYear,
    changeFromPrevious: changeOf(definition, current, previous, row?.changeFromPrevious ?? null, row?.growthFromPrevious ?? null, false),
    changeFromStartOfYear: changeOf(definition, current, startOfYear, row?.changeFromStartOfYear ?? null, row?.growthFromStartOfYear ?? null, true),
    freshness: {
      latestMonthEnd: positionBased && checks !== null && reasons.current !== IndicatorNullReason.AREA_LEVEL_NOT_SUPPORTED ? (checks.latestMonthEnd.get(triplet.current) ?? null) : null,
      latestReceivedAt: reasons.current === null ? (row?.cells.current.receivedAt ?? null) : null,
    },
  };
}

function provenance(area: ResolvedArea, requestedAsOf: string, triplet: DateTriplet, book: IndicatorBook, meta: Meta, suppress: boolean): AnswerProvenance {
  return {
    area: { code: area.code, name: area.name, level: area.level },
    requestedAsOf,
    asOf: triplet.current,
    previousDate: triplet.previous,
    startOfYear: triplet.startOfYear,
    book,
    minHouseholds: meta.minHouseholds,
    suppressionApplied: suppress,
    schemaVersion: meta.schemaVersion,
    contentHash: '',
  };
}

// ---------------------------------------------------------------------------------------
// Groups

async function groupUniverse(
  run: Run,
  definition: IndicatorDefinition,
  groupBy: GroupBy,
  area: ResolvedArea,
  filter: ResolvedFilter,
  date: string,
): Promise<string[]> {
  switch (groupBy) {
    case GroupBy.MONTH:
      return [''];
    case GroupBy.PRODUCT:
      return [...(definition.products ?? Object.values(LoanProduct))];
    case GroupBy.COMBINED_MODEL:
      return Object.values(CombinedModel);
    case GroupBy.INSTITUTION:
      return [];
    default: {
      const length = groupBy === GroupBy.COUNTY ? 6 : groupBy === GroupBy.PREFECTURE ? 4 : 2;
      if (area.code !== null && area.code.length >= length && filter.designation === null) return [area.code.slice(0, length)];
      const prefix = area.code === null ? sql`true` : sql`a.code LIKE ${`${area.code.slice(0, 6)}%`}`;
      const designated = filter.designation === null ? sql`true` : designationOn(filter.designation, sql`${date}::date`, 'a.code');
      const rows = await run<{ grp: string }>(
        sql`SELECT DISTINCT left(a.code, ${length}) AS grp FROM area a WHERE a.level = 'COUNTY' AND ${prefix} AND ${designated}`,
      );
      return rows.map((r) => r.grp);
    }
  }
}

async function groupLabels(run: Run, groupBy: GroupBy, groups: readonly string[]): Promise<Map<string, { key: string; label: string | null }>> {
  const labels = new Map<string, { key: string; label: string | null }>();
  const distinct = [...new Set(groups)];
  if (distinct.length === 0) return labels;
  const array = `{${distinct.map((g) => `"${g}"`).join(',')}}`;
  if (groupBy === GroupBy.INSTITUTION) {
    const rows = await run<{ id: string; code: string; name: string }>(
      sql`SELECT id::text AS id, code, name FROM institution WHERE id::text = ANY(${array}::text[])`,
    );
    for (const r of rows) labels.set(r.id, { key: r.code, label: r.name });
  } else if (groupBy === GroupBy.COUNTY || groupBy === GroupBy.PREFECTURE || groupBy === GroupBy.PROVINCE) {
    const rows = await run<{ code: string; name: string }>(sql`SELECT code, name FROM area WHERE code = ANY(${array}::text[])`);
    for (const r of rows) labels.set(r.code, { key: r.code, label: r.name });
  }
  return labels;
}

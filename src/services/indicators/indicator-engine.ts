/**
 * Assembles one set-based statement per family: the family's source rows for every date
 * at once, aggregated first per (date, group, party) — so that distinct households come
 * from a hash aggregate instead of one COUNT(DISTINCT) per measure — then per (date,
 * group), zero-filled over the group universe, turned into indicator values (ratios
 * divided once, in SQL numeric, rounded half away from zero to 6 decimals) and paired
 * with the comparison dates, with the changes computed in the same statement.
 *
 * Nothing in the text comes from the caller: dates, codes and ids are bound parameters;
 * column expressions come from the family definitions.
 */
import { raw, sql, type Sql } from '../../db/sql';
import type { DateTriplet } from './indicator-dates';
import { datesParam, type QueryContext } from './indicator-context';
import { definitionOf, type IndicatorDefinition } from './indicator-definitions';
import type { Family, Measure } from './indicator-families';
import { IndicatorUnit, type IndicatorKey } from './indicator.types';

/** One value of one indicator at one date in one group, as the statement returns it. */
export interface Cell {
  value: string | null;
  numerator: string | null;
  denominator: string | null;
  /** Parties behind the numerator (the value for amounts and counts) … */
  numeratorParties: number;
  /** … and those among them the caller has no row access to. */
  numeratorHidden: number;
  denominatorParties: number;
  denominatorHidden: number;
  /** Latest received_at of the rows behind it (ISO 8601, UTC). */
  receivedAt: string | null;
}

export interface FamilyRow {
  current: string;
  group: string;
  key: IndicatorKey;
  cells: { current: Cell; previous: Cell; startOfYear: Cell };
  changeFromPrevious: string | null;
  growthFromPrevious: string | null;
  changeFromStartOfYear: string | null;
  growthFromStartOfYear: string | null;
}

const SCALE: Record<IndicatorUnit, number> = {
  [IndicatorUnit.YUAN]: 2,
  [IndicatorUnit.HOUSEHOLDS]: 0,
  [IndicatorUnit.LOANS]: 0,
  [IndicatorUnit.RATIO]: 6,
  [IndicatorUnit.MULTIPLE]: 6,
};

const IS_QUOTIENT = (unit: IndicatorUnit) => unit === IndicatorUnit.RATIO || unit === IndicatorUnit.MULTIPLE;

function measureOf(family: Family, name: string): { measure: Measure; index: number } {
  const index = family.measures.findIndex((m) => m.name === name);
  if (index < 0) throw new Error(`indicators: family ${family.name} has no measure ${name}`);
  return { measure: family.measures[index], index };
}

/** The measures the keys need, in family order. */
export function measuresFor(family: Family, keys: readonly IndicatorKey[]): Measure[] {
  const names = new Set<string>();
  for (const key of keys) {
    const definition = definitionOf(key);
    names.add(definition.numerator);
    if (definition.denominator !== undefined) names.add(definition.denominator);
  }
  return family.measures.filter((m) => names.has(m.name));
}

function partyAggregates(m: Measure, i: number): string {
  const c = `(src = '${m.branch}' AND (${m.cond}))`;
  const visible = m.visible ?? 'vis';
  switch (m.kind) {
    case 'SUM':
      return [
        `sum(CASE WHEN ${c} THEN (${m.value}) END) AS v${i}`,
        `COALESCE(bool_or(${c} AND (${m.value}) > 0), false) AS h${i}`,
        `COALESCE(bool_or(${c} AND (${m.value}) > 0 AND (${visible}) IS NOT TRUE), false) AS x${i}`,
      ].join(', ');
    case 'COUNT_ROWS':
      return [
        `count(*) FILTER (WHERE ${c}) AS v${i}`,
        `COALESCE(bool_or(${c}), false) AS h${i}`,
        `COALESCE(bool_or(${c} AND (${visible}) IS NOT TRUE), false) AS x${i}`,
      ].join(', ');
    case 'COUNT_PARTIES':
      return [
        `NULL::bigint AS v${i}`,
        `COALESCE(bool_or(${c}), false) AS h${i}`,
        `COALESCE(bool_or(${c}), false) AND NOT COALESCE(bool_or(${c} AND (${visible}) IS TRUE), false) AS x${i}`,
      ].join(', ');
  }
}

/** The same values as `partyAggregates` + `outerAggregates` when every party has one row per (date, group). */
function directAggregates(m: Measure, i: number): string {
  const c = `(src = '${m.branch}' AND (${m.cond}))`;
  const visible = m.visible ?? 'vis';
  const counted = m.kind === 'SUM' ? `${c} AND (${m.value}) > 0 AND party IS NOT NULL` : `${c} AND party IS NOT NULL`;
  const value =
    m.kind === 'SUM' ? `sum(CASE WHEN ${c} THEN (${m.value}) END)` : m.kind === 'COUNT_ROWS' ? `count(*) FILTER (WHERE ${c})` : `count(*) FILTER (WHERE ${counted})`;
  return `${value} AS v${i}, count(*) FILTER (WHERE ${counted}) AS n${i}, count(*) FILTER (WHERE ${counted} AND (${visible}) IS NOT TRUE) AS o${i}`;
}

function outerAggregates(m: Measure, i: number): string {
  const value = m.kind === 'COUNT_PARTIES' ? `count(*) FILTER (WHERE h${i} AND party IS NOT NULL)` : `sum(v${i})`;
  return `${value} AS v${i}, count(*) FILTER (WHERE h${i} AND party IS NOT NULL) AS n${i}, count(*) FILTER (WHERE x${i} AND party IS NOT NULL) AS o${i}`;
}

function valuesRow(family: Family, definition: IndicatorDefinition): string {
  const num = measureOf(family, definition.numerator);
  const scale = SCALE[definition.unit];
  if (!IS_QUOTIENT(definition.unit)) {
    const v = `round(v${num.index}::numeric, ${scale})`;
    return `('${definition.key}', ${v}, ${v}, NULL::numeric, n${num.index}, o${num.index}, NULL::bigint, NULL::bigint, true)`;
  }
  if (definition.denominator === undefined) throw new Error(`indicators: ${definition.key} needs a denominator`);
  const den = measureOf(family, definition.denominator);
  return `('${definition.key}', round(v${num.index}::numeric / NULLIF(v${den.index}::numeric, 0), ${scale}), round(v${num.index}::numeric, ${num.measure.scale}), round(v${den.index}::numeric, ${den.measure.scale}), n${num.index}, o${num.index}, n${den.index}, o${den.index}, false)`;
}

const ISO_UTC = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

function cellColumns(alias: string): string {
  return [
    `${alias}.val::text AS ${alias}_val`,
    `${alias}.num::text AS ${alias}_num`,
    `${alias}.den::text AS ${alias}_den`,
    `${alias}.nn::text AS ${alias}_nn`,
    `${alias}.no::text AS ${alias}_no`,
    `${alias}.dn::text AS ${alias}_dn`,
    `${alias}.dother::text AS ${alias}_do`,
    `${ISO_UTC(`${alias}.rcv`)} AS ${alias}_rcv`,
  ].join(', ');
}

function joinSql(parts: readonly Sql[], separator: string): Sql {
  return parts.reduce<Sql>((acc, part, i) => (i === 0 ? part : sql`${acc}${raw(separator)}${part}`), raw(''));
}

export interface FamilyStatementInput {
  family: Family;
  keys: readonly IndicatorKey[];
  triplets: readonly DateTriplet[];
  ctx: QueryContext;
  /** Groups listed even without rows (every county of the area …); '' when not grouped. */
  groupUniverse: readonly string[];
}

/** The one statement of a family (see the module comment). */
export function familyStatement(input: FamilyStatementInput): Sql {
  const { family, keys, triplets, ctx } = input;
  const measures = measuresFor(family, keys);
  const names = new Set(measures.map((m) => m.name));
  const branches = family.branches.filter((b) => measures.some((m) => m.branch === b.name));
  const columns = new Map<string, string>();
  for (const branch of family.branches) for (const [name, type] of Object.entries(branch.columns)) columns.set(name, type);

  const ctes: Sql[] = [sql`dd AS (SELECT unnest(${datesParam(ctx)}) AS d)`];
  const selects: Sql[] = [];
  for (const branch of branches) {
    const built = branch.build(ctx, names);
    ctes.push(...built.ctes);
    const projection = [...columns.entries()]
      .map(([name, type]) => (name in branch.columns ? `CAST(b.${name} AS ${type}) AS ${name}` : `NULL::${type} AS ${name}`))
      .join(', ');
    selects.push(sql`SELECT b.d, b.grp::text AS grp, b.party::text AS party, b.vis, b.rcv, '${raw(branch.name)}' AS src, ${raw(projection)} FROM (${built.select}) b`);
  }
  ctes.push(sql`src AS (${joinSql(selects, '\nUNION ALL\n')})`);
  if (family.onePartyRow) {
    ctes.push(raw(`agg AS (SELECT d, grp, max(rcv) AS rcv, ${measures.map((m, i) => directAggregates(m, i)).join(', ')} FROM src GROUP BY d, grp)`));
  } else {
    ctes.push(
      raw(`pp AS (SELECT d, grp, party, max(rcv) AS rcv, ${measures.map((m, i) => partyAggregates(m, i)).join(', ')} FROM src GROUP BY d, grp, party)`),
    );
    ctes.push(raw(`agg AS (SELECT d, grp, max(rcv) AS rcv, ${measures.map((m, i) => outerAggregates(m, i)).join(', ')} FROM pp GROUP BY d, grp)`));
  }
  ctes.push(sql`grps AS (SELECT grp FROM agg UNION SELECT unnest(${`{${input.groupUniverse.map((g) => `"${g}"`).join(',')}}`}::text[]))`);
  const zeroFilled = measures.map((_, i) => `COALESCE(a.v${i}, 0) AS v${i}, COALESCE(a.n${i}, 0) AS n${i}, COALESCE(a.o${i}, 0) AS o${i}`).join(', ');
  ctes.push(raw(`z AS (SELECT dd.d, g.grp, a.rcv, ${zeroFilled} FROM dd CROSS JOIN grps g LEFT JOIN agg a ON a.d = dd.d AND a.grp = g.grp)`));
  // Index the measures as `measuresFor` ordered them, which is how v<i> were named.
  const indexed: Family = { ...family, measures };
  const rows = keys.map((key) => valuesRow(indexed, definitionOf(key))).join(',\n');
  ctes.push(raw(`vals AS (SELECT z.d, z.grp, z.rcv, v.* FROM z CROSS JOIN LATERAL (VALUES ${rows}) AS v(key, val, num, den, nn, no, dn, dother, rel))`));
  const array = (values: string[]) => sql`${`{${values.join(',')}}`}::date[]`;
  ctes.push(
    sql`t AS (SELECT * FROM unnest(${array(triplets.map((t) => t.current))}, ${array(triplets.map((t) => t.previous))}, ${array(
      triplets.map((t) => t.startOfYear),
    )}) AS t(cur, prev, soy))`,
  );
  const select = raw(`SELECT t.cur::text AS cur, c.grp, c.key, ${cellColumns('c')}, ${cellColumns('p')}, ${cellColumns('s')},
       (c.val - p.val)::text AS chg_p, (CASE WHEN c.rel THEN round((c.val - p.val) / NULLIF(p.val, 0), 6) END)::text AS gr_p,
       (c.val - s.val)::text AS chg_s, (CASE WHEN c.rel THEN round((c.val - s.val) / NULLIF(s.val, 0), 6) END)::text AS gr_s
  FROM t JOIN vals c ON c.d = t.cur
  JOIN vals p ON p.d = t.prev AND p.grp = c.grp AND p.key = c.key
  JOIN vals s ON s.d = t.soy AND s.grp = c.grp AND s.key = c.key
 ORDER BY t.cur, c.grp, c.key`);
  return sql`WITH ${joinSql(ctes, ',\n')}\n${select}`;
}

type RawRow = Record<string, string | null>;

function cell(row: RawRow, alias: string): Cell {
  const count = (name: string) => Number(row[`${alias}_${name}`] ?? 0);
  return {
    value: row[`${alias}_val`],
    numerator: row[`${alias}_num`],
    denominator: row[`${alias}_den`],
    numeratorParties: count('nn'),
    numeratorHidden: count('no'),
    denominatorParties: count('dn'),
    denominatorHidden: count('do'),
    receivedAt: row[`${alias}_rcv`],
  };
}

/** Reads the statement's rows. */
export function readFamilyRows(rows: readonly RawRow[]): FamilyRow[] {
  return rows.map((row) => ({
    current: String(row.cur),
    group: String(row.grp),
    key: row.key as IndicatorKey,
    cells: { current: cell(row, 'c'), previous: cell(row, 'p'), startOfYear: cell(row, 's') },
    changeFromPrevious: row.chg_p,
    growthFromPrevious: row.gr_p,
    changeFromStartOfYear: row.chg_s,
    growthFromStartOfYear: row.gr_s,
  }));
}

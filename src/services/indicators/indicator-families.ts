/**
 * The indicator families: for each, the rows its figures are computed from (one SQL
 * source per branch) and the measures summed or counted over them. One family is one
 * set-based statement over the area for all dates at once (`indicator-engine.ts`).
 *
 * Every source row carries:
 *   d      the date (a month end) it counts for;
 *   grp    its group ('' when not grouped);
 *   party  the household (`h<id>`), enterprise (`e<id>`), group policy (`p<id>`) or
 *          borrowing institution (`i<id>`) behind it, for small-cell suppression;
 *          null for rows about no party (villages, fund capital);
 *   vis    whether the principal may see the row itself (row-scope.ts);
 *   rcv    when the hub received it.
 *
 * Definitions live in docs/indicators.md; the SQL here is their one implementation.
 */
import { FALSE, raw, sql, TRUE, type Sql } from '../../db/sql';
import {
  claimScope,
  compensationScope,
  dockingProjectScope,
  enterpriseScope,
  fundScope,
  guaranteeScope,
  householdScope,
  loanScope,
  policyScope,
  positionScope,
  relendingScope,
  servicePointScope,
} from '../access';
import { datesParam, designated, designationOn, groupExpression, inCounties, ofInstitution, ownBook, where, type QueryContext } from './indicator-context';
import { GroupBy } from './indicator.types';

export type FamilyName = 'LOANS' | 'HOUSEHOLDS' | 'INSURANCE' | 'GUARANTEES' | 'FUNDS' | 'RELENDING' | 'SERVICES' | 'ENTERPRISES';

export type ColumnType = 'numeric' | 'boolean' | 'text' | 'integer';

/**
 * A sum or count over source rows.
 *
 * - SUM: Σ `value` over rows where `cond`; its parties are those with a row where
 *   `cond` and `value > 0`; a party is hidden when one of those rows is not visible.
 * - COUNT_ROWS: the number of rows where `cond`; parties and hiding as for SUM.
 * - COUNT_PARTIES: the number of parties with a row where `cond`; a party is hidden
 *   when no row where `cond` is `visible` (the caller cannot tell it belongs).
 */
export interface Measure {
  name: string;
  branch: string;
  kind: 'SUM' | 'COUNT_ROWS' | 'COUNT_PARTIES';
  /** Trusted SQL over the branch's columns. */
  cond: string;
  value?: string;
  /** Trusted SQL: when a row counts as visible (default `vis`). */
  visible?: string;
  /** Decimals of the measure as a numerator or denominator: 2 for yuan, 0 for counts. */
  scale: 0 | 2;
}

export interface BranchSql {
  ctes: Sql[];
  /** SELECT d, grp, party, vis, rcv, <columns> … */
  select: Sql;
}

export interface Branch {
  name: string;
  columns: Readonly<Record<string, ColumnType>>;
  build(ctx: QueryContext, measures: ReadonlySet<string>): BranchSql;
}

export interface Family {
  name: FamilyName;
  /** Answers townships and villages (its rows carry a village). */
  subCounty: boolean;
  groupings: readonly GroupBy[];
  branches: readonly Branch[];
  measures: readonly Measure[];
  /** Measures read from month-end positions: subject to the completeness checks. */
  positionMeasures: readonly string[];
  /**
   * Each party has at most one source row per (date, group) — a household's status on a
   * date — so measures aggregate straight from the rows, without the per-party step.
   */
  onePartyRow?: boolean;
}

const GEO = [GroupBy.COUNTY, GroupBy.PREFECTURE, GroupBy.PROVINCE, GroupBy.MONTH] as const;

/** A party key from a household or an enterprise id. */
const BORROWER = (alias: string) => `CASE WHEN ${alias}.household_id IS NOT NULL THEN 'h' || ${alias}.household_id ELSE 'e' || ${alias}.enterprise_id END`;

/** 1 January of the year of a date column: year-to-date flows run from it. */
const JAN1 = (dateColumn: string) => `make_date(extract(year from ${dateColumn})::int, 1, 1)`;

/** Loans excluded from balances from their closure date on (settled or written off). */
const OPEN_AT = (loan: string, dateColumn: string) => raw(`(${loan}.closed_on IS NULL OR ${loan}.closed_on > ${dateColumn})`);

const POVERTY_PRODUCTS = `('POVERTY_MICROCREDIT', 'INDUSTRIAL', 'RELOCATION_SUPPORT')`;

// ---------------------------------------------------------------------------------------
// LOANS: month-end positions (latest version) of loans open at the date.

const loanPositions: Branch = {
  name: 'pos',
  columns: {
    balance: 'numeric',
    overdue_principal: 'numeric',
    overdue_days: 'integer',
    class_rank: 'integer',
    floor_rank: 'integer',
    product: 'text',
    household: 'boolean',
    poverty: 'boolean',
    model: 'text',
    deferred: 'boolean',
    modified: 'boolean',
    relief: 'boolean',
  },
  build(ctx, measures) {
    // What the measures (and the grouping or filter) need beyond the positions themselves.
    const needsModel =
      ['pkg_loans', 'pkg_bal', 'pkg_hh', 'bal_pov_g'].some((m) => measures.has(m)) || ctx.groupBy === GroupBy.COMBINED_MODEL || ctx.filter.combinedModels !== null;
    const needsModifications = ['def_pov', 'mod_pov', 'und_pov'].some((m) => measures.has(m));
    const needsFloors = measures.has('und_pov');
    const lq = sql`lq AS (
      SELECT p.month_end AS d, p.loan_id, p.county_code, p.institution_id, p.balance, p.overdue_principal, p.overdue_days,
             p.five_class, p.received_at, l.product, l.household_id, l.enterprise_id
        FROM loan_position p JOIN loan l ON l.id = p.loan_id
       WHERE p.is_latest AND p.month_end = ANY(${datesParam(ctx)})
         AND ${where(
           inCounties(ctx, 'p.county_code'),
           OPEN_AT('l', 'p.month_end'),
           ofInstitution(ctx, 'l.institution_id'),
           ctx.filter.products === null ? TRUE : sql`l.product = ANY(${`{${ctx.filter.products.join(',')}}`}::text[])`,
           designated(ctx, 'p.month_end', 'p.county_code'),
         )})`;
    // Visibility depends on the loan, not the month: decided once per loan (row-scope.ts),
    // unless it is the same for every row (nation-wide roles, analysts).
    const loanVis = positionScope(ctx.principal, 'v');
    const constantVis = loanVis === TRUE || loanVis === FALSE;
    const lv = sql`lv AS MATERIALIZED (
      SELECT v.loan_id, v.county_code, v.institution_id, (${loanVis}) AS vis
        FROM (SELECT DISTINCT loan_id, county_code, institution_id FROM lq) v)`;
    const lp = constantVis
      ? sql`lp AS (SELECT lq.*, ${loanVis} AS vis FROM lq WHERE ${ownBook(ctx, loanVis)})`
      : sql`lp AS (
      SELECT lq.*, lv.vis FROM lq JOIN lv ON lv.loan_id = lq.loan_id AND lv.county_code = lq.county_code AND lv.institution_id = lq.institution_id
       WHERE ${ownBook(ctx, raw('lv.vis'))})`;
    // The combined model as of the date: the same rule as combinedModelSql / inForceOn
    // (services/packages): LINKED policies over their period, guarantees over their
    // period until released.
    const lk = raw(`lk AS (
      SELECT lp.loan_id, lp.d,
             bool_or(ip.id IS NOT NULL AND ip.starts_on <= lp.d AND ip.ends_on >= lp.d) AS insured,
             bool_or(g.id IS NOT NULL AND g.starts_on <= lp.d AND g.ends_on >= lp.d AND (g.released_on IS NULL OR g.released_on > lp.d)) AS guaranteed
        FROM lp JOIN contract_link cl ON cl.loan_id = lp.loan_id AND cl.status = 'LINKED'
        LEFT JOIN insurance_policy ip ON ip.id = cl.policy_id
        LEFT JOIN guarantee_contract g ON g.id = cl.guarantee_id
       GROUP BY lp.loan_id, lp.d)`);
    const md = raw(`md AS (
      SELECT lp.loan_id, lp.d,
             bool_or(m.kind IN ('EPIDEMIC_DEFERRAL', 'DISASTER_DEFERRAL') AND m.new_matures_on >= lp.d) AS deferred,
             bool_or(m.effective_on > (lp.d - interval '12 months')::date) AS modified,
             bool_or(m.classification_relief AND m.new_matures_on >= lp.d) AS relief
        FROM lp JOIN loan_modification m ON m.loan_id = lp.loan_id AND m.effective_on <= lp.d
       GROUP BY lp.loan_id, lp.d)`);
    const floor = (key: string) =>
      raw(`(SELECT pp.value FROM policy_parameter pp WHERE pp.key = '${key}' AND pp.valid_from <= dd.d AND (pp.valid_to IS NULL OR pp.valid_to > dd.d) ORDER BY pp.valid_from DESC LIMIT 1)`);
    // Materialized: four parameter lookups per date, not per position row.
    const fl = sql`fl AS MATERIALIZED (
      SELECT dd.d, ${floor('classification.floor_days.special_mention')} AS sm, ${floor('classification.floor_days.substandard')} AS sub,
             ${floor('classification.floor_days.doubtful')} AS dbt, ${floor('classification.floor_days.loss')} AS loss
        FROM dd)`;
    const lx = raw(`lx AS (
      SELECT lp.*,
             ${
               needsModel
                 ? `CASE WHEN lk.insured AND lk.guaranteed THEN 'BANK_INSURANCE_GUARANTEE' WHEN lk.insured THEN 'LOAN_INSURANCE'
                  WHEN lk.guaranteed THEN 'LOAN_GUARANTEE' ELSE 'LOAN_ONLY' END`
                 : 'NULL::text'
             } AS model,
             ${needsModifications ? 'COALESCE(md.deferred, false) AS deferred, COALESCE(md.modified, false) AS modified, COALESCE(md.relief, false) AS relief' : 'false AS deferred, false AS modified, false AS relief'},
             CASE lp.five_class WHEN 'NORMAL' THEN 0 WHEN 'SPECIAL_MENTION' THEN 1 WHEN 'SUBSTANDARD' THEN 2 WHEN 'DOUBTFUL' THEN 3 ELSE 4 END AS class_rank,
             ${
               needsFloors
                 ? `CASE WHEN lp.overdue_days >= fl.loss THEN 4 WHEN lp.overdue_days >= fl.dbt THEN 3 WHEN lp.overdue_days >= fl.sub THEN 2
                  WHEN lp.overdue_days >= fl.sm THEN 1 ELSE 0 END`
                 : '0'
             } AS floor_rank
        FROM lp
        ${needsFloors ? 'JOIN fl ON fl.d = lp.d' : ''}
        ${needsModel ? 'LEFT JOIN lk ON lk.loan_id = lp.loan_id AND lk.d = lp.d' : ''}
        ${needsModifications ? 'LEFT JOIN md ON md.loan_id = lp.loan_id AND md.d = lp.d' : ''})`);
    const grp = groupExpression(ctx, { county: 'lx.county_code', institution: 'lx.institution_id', product: 'lx.product', model: 'lx.model' });
    const models = ctx.filter.combinedModels === null ? TRUE : sql`lx.model = ANY(${`{${ctx.filter.combinedModels.join(',')}}`}::text[])`;
    return {
      ctes: [lq, ...(constantVis ? [] : [lv]), lp, ...(needsModel ? [lk] : []), ...(needsModifications ? [md] : []), ...(needsFloors ? [fl] : []), lx],
      select: sql`SELECT lx.d, ${grp} AS grp, ${raw(BORROWER('lx'))} AS party, lx.vis, lx.received_at AS rcv,
                         lx.balance, lx.overdue_principal, lx.overdue_days, lx.class_rank, lx.floor_rank, lx.product,
                         lx.household_id IS NOT NULL AS household, lx.product IN ${raw(POVERTY_PRODUCTS)} AS poverty,
                         lx.model, lx.deferred, lx.modified, lx.relief
                    FROM lx WHERE ${models}`,
    };
  },
};

export const LOANS: Family = {
  name: 'LOANS',
  subCounty: false,
  groupings: [...GEO, GroupBy.INSTITUTION, GroupBy.PRODUCT, GroupBy.COMBINED_MODEL],
  positionMeasures: ['bal_all', 'loans', 'borrower_hh', 'bal_pov', 'od_pov', 'od90_pov', 'npl_pov', 'def_pov', 'mod_pov', 'und_pov', 'bal_ism', 'pkg_loans', 'pkg_bal', 'pkg_hh', 'bal_pov_g'],
  branches: [loanPositions],
  measures: [
    { name: 'bal_all', branch: 'pos', kind: 'SUM', cond: 'true', value: 'balance', scale: 2 },
    { name: 'loans', branch: 'pos', kind: 'COUNT_ROWS', cond: 'balance > 0', scale: 0 },
    { name: 'borrower_hh', branch: 'pos', kind: 'COUNT_PARTIES', cond: 'balance > 0 AND household', scale: 0 },
    { name: 'bal_pov', branch: 'pos', kind: 'SUM', cond: 'poverty', value: 'balance', scale: 2 },
    { name: 'od_pov', branch: 'pos', kind: 'SUM', cond: 'poverty', value: 'overdue_principal', scale: 2 },
    { name: 'od90_pov', branch: 'pos', kind: 'SUM', cond: 'poverty AND overdue_days > 90', value: 'balance', scale: 2 },
    { name: 'npl_pov', branch: 'pos', kind: 'SUM', cond: 'poverty AND class_rank >= 2', value: 'balance', scale: 2 },
    { name: 'def_pov', branch: 'pos', kind: 'SUM', cond: 'poverty AND deferred', value: 'balance', scale: 2 },
    { name: 'mod_pov', branch: 'pos', kind: 'SUM', cond: 'poverty AND modified', value: 'balance', scale: 2 },
    { name: 'und_pov', branch: 'pos', kind: 'SUM', cond: 'poverty AND floor_rank > class_rank AND NOT relief', value: 'balance', scale: 2 },
    { name: 'bal_ism', branch: 'pos', kind: 'SUM', cond: `product = 'INCLUSIVE_SMALL_MICRO'`, value: 'balance', scale: 2 },
    { name: 'pkg_loans', branch: 'pos', kind: 'COUNT_ROWS', cond: `balance > 0 AND model <> 'LOAN_ONLY'`, scale: 0 },
    { name: 'pkg_bal', branch: 'pos', kind: 'SUM', cond: `model <> 'LOAN_ONLY'`, value: 'balance', scale: 2 },
    { name: 'pkg_hh', branch: 'pos', kind: 'COUNT_PARTIES', cond: `balance > 0 AND household AND model <> 'LOAN_ONLY'`, scale: 0 },
    { name: 'bal_pov_g', branch: 'pos', kind: 'SUM', cond: `poverty AND model IN ('LOAN_GUARANTEE', 'BANK_INSURANCE_GUARANTEE')`, value: 'balance', scale: 2 },
  ],
};

// ---------------------------------------------------------------------------------------
// HOUSEHOLDS: registry status on the date (latest change on or before it), with the
// household's micro-credit balance, micro-credit history and insurance cover.

const householdRows: Branch = {
  name: 'hh',
  columns: {
    registered: 'boolean',
    marginal: 'boolean',
    mc: 'boolean',
    mc_vis: 'boolean',
    ev: 'boolean',
    ev_vis: 'boolean',
    ins: 'boolean',
    ins_vis: 'boolean',
  },
  build(ctx, measures) {
    // The status history of every household with a change in the area: the interval of
    // a change ends where the household's next change begins, wherever that was made.
    const inArea =
      ctx.area.counties === null
        ? TRUE
        : sql`s.household_id IN (SELECT household_id FROM household_status_change WHERE ${inCounties(ctx, 'county_code')})`;
    const st = sql`st AS (
      SELECT s.household_id, s.status, s.county_code, s.valid_from, s.received_at,
             lead(s.valid_from) OVER (PARTITION BY s.household_id ORDER BY s.valid_from) AS valid_to
        FROM household_status_change s WHERE ${inArea})`;
    // Below the county, a household is placed by its current village (villages have no dated membership).
    const village =
      ctx.area.subCountyCode === null
        ? TRUE
        : sql`EXISTS (SELECT 1 FROM household hv WHERE hv.id = st.household_id AND hv.village_code LIKE ${`${ctx.area.subCountyCode}%`})`;
    const hs = sql`hs AS (
      SELECT dd.d, st.household_id, st.status, st.county_code, st.received_at
        FROM st JOIN dd ON st.valid_from <= dd.d AND (st.valid_to IS NULL OR st.valid_to > dd.d)
       WHERE st.status IN ('REGISTERED_POOR', 'LIFTED_OUT', 'MARGINAL')
         AND ${where(inCounties(ctx, 'st.county_code'), village, designated(ctx, 'dd.d', 'st.county_code'))})`;
    const ctes: Sql[] = [st, hs];
    // The households the micro-credit and insurance lookups need: every one for the nation.
    const ofHouseholds = (column: string) => (ctx.area.counties === null && ctx.area.subCountyCode === null ? TRUE : raw(`${column} IN (SELECT household_id FROM hid)`));
    if (ctx.area.counties !== null || ctx.area.subCountyCode !== null) ctes.push(raw('hid AS MATERIALIZED (SELECT DISTINCT household_id FROM hs)'));
    const needs = (...names: string[]) => names.some((name) => measures.has(name));
    const positionVis = positionScope(ctx.principal, 'p');
    if (needs('reg_mc', 'marg_mc')) {
      // Micro-credit with a balance at the month end, wherever the loan was made.
      ctes.push(sql`mc AS (
        SELECT p.month_end AS d, l.household_id, bool_or(${positionVis}) AS vis_any
          FROM loan_position p JOIN loan l ON l.id = p.loan_id
         WHERE p.is_latest AND p.month_end = ANY(${datesParam(ctx)}) AND p.balance > 0 AND l.product = 'POVERTY_MICROCREDIT'
           AND ${where(ofHouseholds('l.household_id'), OPEN_AT('l', 'p.month_end'), ofInstitution(ctx, 'l.institution_id'), ownBook(ctx, positionVis))}
         GROUP BY 1, 2)`);
    }
    if (needs('reg_ever')) {
      const loanVis = loanScope(ctx.principal, { id: 'l.id', county: 'l.county_code', institution: 'l.institution_id' });
      ctes.push(sql`ev AS (
        SELECT dd.d, l.household_id, bool_or(${loanVis}) AS vis_any
          FROM loan l JOIN dd ON l.disbursed_on <= dd.d
         WHERE l.product = 'POVERTY_MICROCREDIT'
           AND ${where(ofHouseholds('l.household_id'), ofInstitution(ctx, 'l.institution_id'), ownBook(ctx, loanVis))}
         GROUP BY 1, 2)`);
    }
    if (needs('reg_ins')) {
      const policyVis = policyScope(ctx.principal, { id: 'ip.id', county: 'ip.county_code', institution: 'ip.institution_id' });
      const own = where(ofInstitution(ctx, 'ip.institution_id'), ownBook(ctx, policyVis));
      const held = where(sql`ip.household_id IS NOT NULL`, ofHouseholds('ip.household_id'), own);
      const listed = where(ofHouseholds('pih.household_id'), own);
      // Insured in the year to date: a policy (held, or on a group policy's list) whose
      // period overlaps 1 January … the date.
      ctes.push(sql`ins AS (
        SELECT dd.d, x.household_id, bool_or(x.vis) AS vis_any
          FROM dd JOIN (
                SELECT ip.household_id, ip.starts_on, ip.ends_on, (${policyVis}) AS vis
                  FROM insurance_policy ip WHERE ${held}
                UNION ALL
                SELECT pih.household_id, ip.starts_on, ip.ends_on, (${policyVis}) AS vis
                  FROM policy_insured_household pih JOIN insurance_policy ip ON ip.id = pih.policy_id
                 WHERE ${listed}
               ) x ON x.starts_on <= dd.d AND x.ends_on >= ${raw(JAN1('dd.d'))}
         GROUP BY 1, 2)`);
    }
    // Visibility depends on the household, not the date: decided once per household
    // (row-scope.ts), unless it is the same for every row (nation-wide roles, analysts).
    const householdVis = householdScope(ctx.principal, 'h');
    const constantVis = householdVis === TRUE || householdVis === FALSE;
    if (!constantVis) {
      ctes.push(sql`hv AS MATERIALIZED (
        SELECT h.id AS household_id, (${householdVis}) AS vis
          FROM household h WHERE h.id IN (SELECT household_id FROM hs))`);
    }
    const join = (cte: string, present: boolean) =>
      present
        ? { on: raw(`LEFT JOIN ${cte} ON ${cte}.d = hs.d AND ${cte}.household_id = hs.household_id`), has: raw(`${cte}.household_id IS NOT NULL`), vis: raw(`COALESCE(${cte}.vis_any, false)`) }
        : { on: raw(''), has: raw('false'), vis: raw('false') };
    const mc = join('mc', needs('reg_mc', 'marg_mc'));
    const ev = join('ev', needs('reg_ever'));
    const ins = join('ins', needs('reg_ins'));
    const grp = groupExpression(ctx, { county: 'hs.county_code' });
    return {
      ctes,
      select: sql`SELECT hs.d, ${grp} AS grp, 'h' || hs.household_id AS party, ${constantVis ? householdVis : raw('hv.vis')} AS vis, hs.received_at AS rcv,
                         hs.status IN ('REGISTERED_POOR', 'LIFTED_OUT') AS registered, hs.status = 'MARGINAL' AS marginal,
                         ${mc.has} AS mc, ${mc.vis} AS mc_vis, ${ev.has} AS ev, ${ev.vis} AS ev_vis, ${ins.has} AS ins, ${ins.vis} AS ins_vis
                    FROM hs ${constantVis ? raw('') : raw('JOIN hv ON hv.household_id = hs.household_id')} ${mc.on} ${ev.on} ${ins.on}`,
    };
  },
};

export const HOUSEHOLDS: Family = {
  name: 'HOUSEHOLDS',
  subCounty: true,
  groupings: GEO,
  branches: [householdRows],
  positionMeasures: ['reg_mc', 'marg_mc'],
  onePartyRow: true,
  measures: [
    { name: 'reg', branch: 'hh', kind: 'COUNT_PARTIES', cond: 'registered', scale: 0 },
    { name: 'reg_mc', branch: 'hh', kind: 'COUNT_PARTIES', cond: 'registered AND mc', visible: 'vis AND mc_vis', scale: 0 },
    { name: 'reg_ever', branch: 'hh', kind: 'COUNT_PARTIES', cond: 'registered AND ev', visible: 'vis AND ev_vis', scale: 0 },
    { name: 'reg_ins', branch: 'hh', kind: 'COUNT_PARTIES', cond: 'registered AND ins', visible: 'vis AND ins_vis', scale: 0 },
    { name: 'marg', branch: 'hh', kind: 'COUNT_PARTIES', cond: 'marginal', scale: 0 },
    { name: 'marg_mc', branch: 'hh', kind: 'COUNT_PARTIES', cond: 'marginal AND mc', visible: 'vis AND mc_vis', scale: 0 },
  ],
};

// ---------------------------------------------------------------------------------------
// INSURANCE: policies written (started) and claims paid in the year to date.

const HOLDER = (policy: string) =>
  `CASE ${policy}.holder_kind WHEN 'HOUSEHOLD' THEN 'h' || ${policy}.household_id WHEN 'ENTERPRISE' THEN 'e' || ${policy}.enterprise_id ELSE 'p' || ${policy}.id END`;

const policiesWritten: Branch = {
  name: 'pol',
  columns: { premium: 'numeric', subsidy: 'numeric', sum_insured: 'numeric' },
  build(ctx) {
    const vis = policyScope(ctx.principal, { id: 'ip.id', county: 'ip.county_code', institution: 'ip.institution_id' });
    const grp = groupExpression(ctx, { county: 'ip.county_code', institution: 'ip.institution_id' });
    return {
      ctes: [],
      select: sql`SELECT dd.d, ${grp} AS grp, ${raw(HOLDER('ip'))} AS party, (${vis}) AS vis, ip.received_at AS rcv,
                         ip.premium, ip.premium - ip.farmer_share AS subsidy, ip.sum_insured
                    FROM dd JOIN insurance_policy ip ON ip.starts_on >= ${raw(JAN1('dd.d'))} AND ip.starts_on <= dd.d
                   WHERE ${where(inCounties(ctx, 'ip.county_code'), ofInstitution(ctx, 'ip.institution_id'), designated(ctx, 'dd.d', 'ip.county_code'), ownBook(ctx, vis))}`,
    };
  },
};

const claimsPaid: Branch = {
  name: 'clm',
  columns: { paid: 'numeric' },
  build(ctx) {
    const vis = claimScope(ctx.principal, 'c');
    const grp = groupExpression(ctx, { county: 'c.county_code', institution: 'c.institution_id' });
    return {
      ctes: [],
      select: sql`SELECT dd.d, ${grp} AS grp,
                         CASE WHEN c.household_id IS NOT NULL THEN 'h' || c.household_id ELSE ${raw(HOLDER('ip'))} END AS party,
                         (${vis}) AS vis, c.received_at AS rcv, c.paid_amount AS paid
                    FROM dd JOIN claim c ON c.paid_on >= ${raw(JAN1('dd.d'))} AND c.paid_on <= dd.d
                    JOIN insurance_policy ip ON ip.id = c.policy_id
                   WHERE ${where(inCounties(ctx, 'c.county_code'), ofInstitution(ctx, 'c.institution_id'), designated(ctx, 'dd.d', 'c.county_code'), ownBook(ctx, vis))}`,
    };
  },
};

export const INSURANCE: Family = {
  name: 'INSURANCE',
  subCounty: false,
  groupings: [...GEO, GroupBy.INSTITUTION],
  branches: [policiesWritten, claimsPaid],
  positionMeasures: [],
  measures: [
    { name: 'premium', branch: 'pol', kind: 'SUM', cond: 'true', value: 'premium', scale: 2 },
    { name: 'subsidy', branch: 'pol', kind: 'SUM', cond: 'true', value: 'subsidy', scale: 2 },
    { name: 'sum_insured', branch: 'pol', kind: 'SUM', cond: 'true', value: 'sum_insured', scale: 2 },
    { name: 'claims', branch: 'clm', kind: 'SUM', cond: 'true', value: 'paid', scale: 2 },
  ],
};

// ---------------------------------------------------------------------------------------
// GUARANTEES: contracts in force at the date; compensations and recoveries in the year to date.

const guaranteesInForce: Branch = {
  name: 'gb',
  columns: { amount: 'numeric' },
  build(ctx) {
    const vis = guaranteeScope(ctx.principal, { id: 'g.id', county: 'g.county_code', institution: 'g.institution_id' });
    const grp = groupExpression(ctx, { county: 'g.county_code', institution: 'g.institution_id' });
    return {
      ctes: [],
      select: sql`SELECT dd.d, ${grp} AS grp, ${raw(BORROWER('g'))} AS party, (${vis}) AS vis, g.received_at AS rcv, g.guaranteed_amount AS amount
                    FROM dd JOIN guarantee_contract g ON g.starts_on <= dd.d AND g.ends_on >= dd.d AND (g.released_on IS NULL OR g.released_on > dd.d)
                   WHERE ${where(inCounties(ctx, 'g.county_code'), ofInstitution(ctx, 'g.institution_id'), designated(ctx, 'dd.d', 'g.county_code'), ownBook(ctx, vis))}`,
    };
  },
};

const compensationsPaid: Branch = {
  name: 'cp',
  columns: { amount: 'numeric' },
  build(ctx) {
    const vis = compensationScope(ctx.principal, 'c');
    const grp = groupExpression(ctx, { county: 'c.county_code', institution: 'c.institution_id' });
    return {
      ctes: [],
      select: sql`SELECT dd.d, ${grp} AS grp, ${raw(BORROWER('g'))} AS party, (${vis}) AS vis, c.received_at AS rcv, c.amount
                    FROM dd JOIN compensation c ON c.paid_on >= ${raw(JAN1('dd.d'))} AND c.paid_on <= dd.d
                    JOIN guarantee_contract g ON g.id = c.guarantee_id
                   WHERE ${where(inCounties(ctx, 'c.county_code'), ofInstitution(ctx, 'c.institution_id'), designated(ctx, 'dd.d', 'c.county_code'), ownBook(ctx, vis))}`,
    };
  },
};

const recoveries: Branch = {
  name: 'rc',
  columns: { amount: 'numeric' },
  build(ctx) {
    const vis = compensationScope(ctx.principal, 'c');
    const grp = groupExpression(ctx, { county: 'r.county_code', institution: 'c.institution_id' });
    return {
      ctes: [],
      select: sql`SELECT dd.d, ${grp} AS grp, ${raw(BORROWER('g'))} AS party, (${vis}) AS vis, r.received_at AS rcv, r.amount
                    FROM dd JOIN compensation_recovery r ON r.recovered_on >= ${raw(JAN1('dd.d'))} AND r.recovered_on <= dd.d
                    JOIN compensation c ON c.id = r.compensation_id
                    JOIN guarantee_contract g ON g.id = c.guarantee_id
                   WHERE ${where(inCounties(ctx, 'r.county_code'), ofInstitution(ctx, 'c.institution_id'), designated(ctx, 'dd.d', 'r.county_code'), ownBook(ctx, vis))}`,
    };
  },
};

export const GUARANTEES: Family = {
  name: 'GUARANTEES',
  subCounty: false,
  groupings: [...GEO, GroupBy.INSTITUTION],
  branches: [guaranteesInForce, compensationsPaid, recoveries],
  positionMeasures: [],
  measures: [
    { name: 'guaranteed', branch: 'gb', kind: 'SUM', cond: 'true', value: 'amount', scale: 2 },
    { name: 'compensated', branch: 'cp', kind: 'SUM', cond: 'true', value: 'amount', scale: 2 },
    { name: 'recovered', branch: 'rc', kind: 'SUM', cond: 'true', value: 'amount', scale: 2 },
  ],
};

// ---------------------------------------------------------------------------------------
// FUNDS: risk compensation funds of the area (by the fund's county): paid-in capital and
// payouts up to the date, and the balance of the loans they back at the date.

const fundMovements: Branch = {
  name: 'mv',
  columns: { kind: 'text', amount: 'numeric' },
  build(ctx) {
    const vis = fundScope(ctx.principal, 'rf');
    const grp = groupExpression(ctx, { county: 'rf.county_code' });
    return {
      ctes: [],
      select: sql`SELECT dd.d, ${grp} AS grp, NULL::text AS party, (${vis}) AS vis, fm.received_at AS rcv, fm.kind::text AS kind, fm.amount
                    FROM dd JOIN fund_movement fm ON fm.occurred_on <= dd.d
                    JOIN risk_compensation_fund rf ON rf.id = fm.fund_id
                   WHERE ${where(inCounties(ctx, 'rf.county_code'), designated(ctx, 'dd.d', 'rf.county_code'), ownBook(ctx, vis))}`,
    };
  },
};

const fundBackedLoans: Branch = {
  name: 'bk',
  columns: { balance: 'numeric' },
  build(ctx) {
    const vis = positionScope(ctx.principal, 'p');
    const fundVis = fundScope(ctx.principal, 'rf');
    const grp = groupExpression(ctx, { county: 'rf.county_code' });
    return {
      ctes: [],
      select: sql`SELECT p.month_end AS d, ${grp} AS grp, ${raw(BORROWER('l'))} AS party, (${vis}) AS vis, p.received_at AS rcv, p.balance
                    FROM risk_compensation_fund rf
                    JOIN loan l ON l.risk_compensation_fund_id = rf.id
                    JOIN loan_position p ON p.loan_id = l.id AND p.is_latest AND p.month_end = ANY(${datesParam(ctx)})
                   WHERE ${where(
                     inCounties(ctx, 'rf.county_code'),
                     OPEN_AT('l', 'p.month_end'),
                     designated(ctx, 'p.month_end', 'rf.county_code'),
                     ownBook(ctx, fundVis),
                     ownBook(ctx, vis),
                   )}`,
    };
  },
};

export const FUNDS: Family = {
  name: 'FUNDS',
  subCounty: false,
  groupings: GEO,
  branches: [fundMovements, fundBackedLoans],
  positionMeasures: ['backed'],
  measures: [
    {
      name: 'capital',
      branch: 'mv',
      kind: 'SUM',
      cond: `kind IN ('TOP_UP', 'WITHDRAWAL')`,
      value: `CASE kind WHEN 'TOP_UP' THEN amount ELSE -amount END`,
      scale: 2,
    },
    { name: 'payouts', branch: 'mv', kind: 'SUM', cond: `kind = 'PAYOUT'`, value: 'amount', scale: 2 },
    { name: 'backed', branch: 'bk', kind: 'SUM', cond: 'true', value: 'balance', scale: 2 },
  ],
};

// ---------------------------------------------------------------------------------------
// RELENDING: facilities drawn and not repaid at the date; "deep" by the borrower
// institution's county (the facility's county) designated DEEPLY_IMPOVERISHED on the date.

const relendingOutstanding: Branch = {
  name: 'rl',
  columns: { amount: 'numeric', deep: 'boolean' },
  build(ctx) {
    const vis = relendingScope(ctx.principal, 'r');
    const grp = groupExpression(ctx, { county: 'r.county_code', institution: 'r.borrower_id' });
    return {
      ctes: [],
      select: sql`SELECT dd.d, ${grp} AS grp, 'i' || r.borrower_id AS party, (${vis}) AS vis, r.received_at AS rcv, r.amount,
                         ${designationOn('DEEPLY_IMPOVERISHED', 'dd.d', 'r.county_code')} AS deep
                    FROM dd JOIN relending_facility r ON r.drawn_on <= dd.d AND (r.repaid_on IS NULL OR r.repaid_on > dd.d)
                   WHERE ${where(inCounties(ctx, 'r.county_code'), ofInstitution(ctx, 'r.borrower_id'), designated(ctx, 'dd.d', 'r.county_code'), ownBook(ctx, vis))}`,
    };
  },
};

export const RELENDING: Family = {
  name: 'RELENDING',
  subCounty: false,
  groupings: [...GEO, GroupBy.INSTITUTION],
  branches: [relendingOutstanding],
  positionMeasures: [],
  measures: [
    { name: 'relending', branch: 'rl', kind: 'SUM', cond: 'true', value: 'amount', scale: 2 },
    { name: 'relending_deep', branch: 'rl', kind: 'SUM', cond: 'deep', value: 'amount', scale: 2 },
  ],
};

// ---------------------------------------------------------------------------------------
// SERVICES: villagers' committees (village codes ending 200–399) valid on the date, and
// whether one service point is open in each (opened on or before, not closed by, the date).

const villages: Branch = {
  name: 'vc',
  columns: { covered: 'boolean' },
  build(ctx) {
    const vis = servicePointScope(ctx.principal, 'sp');
    const prefix = ctx.area.code === null ? TRUE : sql`a.code LIKE ${`${ctx.area.code}%`}`;
    const grp = groupExpression(ctx, { county: 'a.code' });
    return {
      ctes: [],
      select: sql`SELECT dd.d, ${grp} AS grp, NULL::text AS party, true AS vis, sp.rcv, sp.n > 0 AS covered
                    FROM dd JOIN area a ON a.level = 'VILLAGE' AND substr(a.code, 10, 3) BETWEEN '200' AND '399'
                         AND (a.valid_from IS NULL OR a.valid_from <= dd.d) AND (a.valid_to IS NULL OR a.valid_to > dd.d)
                    CROSS JOIN LATERAL (
                      SELECT count(*) AS n, max(sp.received_at) AS rcv FROM service_point sp
                       WHERE sp.village_code = a.code AND sp.opened_on <= dd.d AND (sp.closed_on IS NULL OR sp.closed_on > dd.d)
                         AND ${where(ofInstitution(ctx, 'sp.institution_id'), ownBook(ctx, vis))}) sp
                   WHERE ${where(prefix, designated(ctx, 'dd.d', 'left(a.code, 6)'))}`,
    };
  },
};

export const SERVICES: Family = {
  name: 'SERVICES',
  subCounty: true,
  groupings: GEO,
  branches: [villages],
  positionMeasures: [],
  onePartyRow: true,
  measures: [
    { name: 'villages', branch: 'vc', kind: 'COUNT_ROWS', cond: 'true', scale: 0 },
    { name: 'covered', branch: 'vc', kind: 'COUNT_ROWS', cond: 'covered', scale: 0 },
  ],
};

// ---------------------------------------------------------------------------------------
// ENTERPRISES: households linked to enterprises (each enterprise's latest report per mode
// on or before the date) and docking projects of events held in the year to date.

const linkages: Branch = {
  name: 'lk',
  columns: { mode: 'text', households: 'numeric' },
  build(ctx) {
    const vis = enterpriseScope(ctx.principal, 'e');
    const latest = sql`elk AS (
      SELECT DISTINCT ON (dd.d, el.enterprise_id, el.mode) dd.d, el.enterprise_id, el.mode, el.households, el.county_code, el.received_at, (${vis}) AS vis
        FROM dd JOIN enterprise_linkage el ON el.as_of <= dd.d
        JOIN enterprise e ON e.id = el.enterprise_id
       WHERE ${where(inCounties(ctx, 'el.county_code'), designated(ctx, 'dd.d', 'el.county_code'), ownBook(ctx, vis))}
       ORDER BY dd.d, el.enterprise_id, el.mode, el.as_of DESC)`;
    const grp = groupExpression(ctx, { county: 'elk.county_code' });
    return {
      ctes: [latest],
      select: sql`SELECT elk.d, ${grp} AS grp, 'e' || elk.enterprise_id AS party, elk.vis, elk.received_at AS rcv, elk.mode::text AS mode, elk.households::numeric AS households
                    FROM elk`,
    };
  },
};

const dockingProjects: Branch = {
  name: 'dk',
  columns: { signed: 'numeric', disbursed: 'numeric' },
  build(ctx) {
    const vis = dockingProjectScope(ctx.principal, 'dp');
    const grp = groupExpression(ctx, { county: 'dp.county_code', institution: 'dp.bank_id' });
    return {
      ctes: [],
      select: sql`SELECT dd.d, ${grp} AS grp, 'e' || dp.enterprise_id AS party, (${vis}) AS vis, dp.received_at AS rcv, dp.signed, dp.disbursed
                    FROM dd JOIN docking_event de ON de.held_on >= ${raw(JAN1('dd.d'))} AND de.held_on <= dd.d
                    JOIN docking_project dp ON dp.event_id = de.id
                   WHERE ${where(inCounties(ctx, 'dp.county_code'), ofInstitution(ctx, 'dp.bank_id'), designated(ctx, 'dd.d', 'dp.county_code'), ownBook(ctx, vis))}`,
    };
  },
};

export const ENTERPRISES: Family = {
  name: 'ENTERPRISES',
  subCounty: false,
  groupings: [...GEO, GroupBy.INSTITUTION],
  branches: [linkages, dockingProjects],
  positionMeasures: [],
  measures: [
    { name: 'employed', branch: 'lk', kind: 'SUM', cond: `mode = 'EMPLOYMENT'`, value: 'households', scale: 0 },
    { name: 'linked', branch: 'lk', kind: 'SUM', cond: 'true', value: 'households', scale: 0 },
    { name: 'signed', branch: 'dk', kind: 'SUM', cond: 'true', value: 'signed', scale: 2 },
    { name: 'disbursed', branch: 'dk', kind: 'SUM', cond: 'true', value: 'disbursed', scale: 2 },
  ],
};

export const FAMILIES: Readonly<Record<FamilyName, Family>> = { LOANS, HOUSEHOLDS, INSURANCE, GUARANTEES, FUNDS, RELENDING, SERVICES, ENTERPRISES };

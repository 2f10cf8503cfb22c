/**
 * The fixed operation mix of the query-surface benchmark. Each operation is a GraphQL
 * document sent to the hub as a realistic principal, the variables it rotates through,
 * and its FLOOR: one hand-written SQL statement producing the same `data` (json_build_object
 * / json_agg), scoped by the same predicates (`src/services/access/row-scope.ts`), with
 * the same PII obligations (the household PII it returns is decrypted and masked by the
 * floor handler and audited by the statement itself, as the hub audits it).
 *
 * The floors mirror the hub's documented semantics (default orders with their id
 * tie-breakers, scoped nested lists, latest positions, derived combined models); the run
 * checks each floor's `data` against the hub's on sample requests and reports whether
 * they are equal.
 */
import type { Pool } from 'pg';
import { and, raw, sql, type Sql } from '../src/db/sql';
import {
  claimScope,
  enterpriseScope,
  guaranteeScope,
  householdScope,
  loanScope,
  policyScope,
  positionScope,
  type Principal,
} from '../src/services/access';
import type { BenchRole } from './principals';

/** What one floor statement is built from. */
export interface FloorContext {
  principal: Readonly<Principal>;
  /** The floor request's id, recorded in the audit rows it writes. */
  requestId: string;
  operationName: string;
}

export interface Operation {
  /** Short key (`BENCH_OPS=household,county`). */
  key: string;
  title: string;
  role: BenchRole;
  operationName: string;
  document: string;
  /** Root fields the document needs; the operation is skipped with a note when one is missing. */
  requires: string[];
  /** The variables of the requests, in rotation (at least one set). */
  samples(pool: Pool, principal: Readonly<Principal>): Promise<Array<Record<string, unknown>>>;
  /** The one statement; its single row has a `data` column: the JSON text of `data`. */
  floor(variables: Record<string, unknown>, c: FloorContext): Sql;
}

/** How many distinct variable sets each operation rotates through. */
const SAMPLE_COUNT = 200;

// ---------------------------------------------------------------------------------------
// SQL building blocks for the floors: trusted text for keys and column expressions,
// bound parameters for every value.

type Expr = Sql | string;

function expr(e: Expr): Sql {
  return typeof e === 'string' ? raw(e) : e;
}

function joined(parts: readonly Sql[], separator: string): Sql {
  return { text: parts.map((p) => p.text).join(separator), params: parts.flatMap((p) => p.params) };
}

/** `json_build_object('k', v, …)`; keys are GraphQL field names chosen here. */
function obj(fields: Record<string, Expr>): Sql {
  return sql`json_build_object(${joined(
    Object.entries(fields).map(([k, v]) => sql`${raw(`'${k}'`)}, ${expr(v)}`),
    ', ',
  )})`;
}

interface ListSpec {
  row: Record<string, Expr>;
  /** `table alias` and any joins. */
  from: string;
  where: Sql;
  /** Sort expressions, ascending, ending with the id tie-breaker (the hub's default orders). */
  order: string[];
  limit: number;
}

/** A nested connection's `{ nodes: [...] }`: one page of rows in the list's order. */
function nodes(spec: ListSpec): Sql {
  const keys = spec.order.map((e, i) => `${e} AS _o${i}`).join(', ');
  const aggOrder = spec.order.map((_, i) => `x._o${i}`).join(', ');
  return sql`json_build_object('nodes', coalesce((
      SELECT json_agg(x.j ORDER BY ${raw(aggOrder)}) FROM (
        SELECT ${obj(spec.row)} AS j, ${raw(keys)} FROM ${raw(spec.from)}
         WHERE ${spec.where} ORDER BY ${raw(spec.order.join(', '))} LIMIT ${raw(String(spec.limit))}) x), '[]'::json))`;
}

/** A one-row object or null: `(SELECT json_build_object(…) FROM … WHERE … LIMIT 1)`. */
function one(row: Record<string, Expr>, from: string, where: Sql, order?: string): Sql {
  return sql`(SELECT ${obj(row)} FROM ${raw(from)} WHERE ${where}${raw(order === undefined ? '' : ` ORDER BY ${order}`)} LIMIT 1)`;
}

/** Money and rates: `numeric` as its exact text, as the hub's Decimal scalar returns it. */
const dec = (column: string) => `${column}::text`;

/** Encrypted PII, revealed by the floor handler (`revealPii`) after the statement. */
const piiName = (alias: string) => `json_build_object('$pii', 'NAME', 'v', encode(${alias}.name_enc, 'hex'))`;
const piiPhone = (alias: string) =>
  `CASE WHEN ${alias}.phone_enc IS NULL THEN NULL ELSE json_build_object('$pii', 'PHONE', 'v', encode(${alias}.phone_enc, 'hex')) END`;

/**
 * The audit rows of the households whose PII the response carries (CTE `hh`), written by
 * the same statement: what the hub's audit sink writes before its response leaves.
 */
function auditCte(c: FloorContext, fields: string): Sql {
  const p = c.principal;
  return sql`audit AS (
    INSERT INTO audit_log (request_id, actor_institution_id, actor_role, actor_key, action, operation, household_id, fields)
    SELECT ${c.requestId}, ${p.institutionId}::bigint, ${p.role}, ${p.keyId ?? null}, 'PII_READ', ${c.operationName}, h.id, ${raw(fields)}
      FROM hh h)`;
}

const loanCols = (l: string) => ({ id: `${l}.id`, county: `${l}.county_code`, institution: `${l}.institution_id` });

/** The derived combined model of a loan from its LINKED contracts (no asOf). */
const combinedModel = (l: string) => `CASE
  WHEN EXISTS (SELECT 1 FROM contract_link cm WHERE cm.loan_id = ${l}.id AND cm.status = 'LINKED' AND cm.policy_id IS NOT NULL)
    THEN CASE WHEN EXISTS (SELECT 1 FROM contract_link cm WHERE cm.loan_id = ${l}.id AND cm.status = 'LINKED' AND cm.guarantee_id IS NOT NULL)
              THEN 'BANK_INSURANCE_GUARANTEE' ELSE 'LOAN_INSURANCE' END
  WHEN EXISTS (SELECT 1 FROM contract_link cm WHERE cm.loan_id = ${l}.id AND cm.status = 'LINKED' AND cm.guarantee_id IS NOT NULL)
    THEN 'LOAN_GUARANTEE'
  ELSE 'LOAN_ONLY' END`;

/** The latest reported position of loan `l` the principal may see. */
function latestPosition(p: Readonly<Principal>, l: string, row: Record<string, Expr>): Sql {
  return one(row, 'loan_position p', and(raw(`p.loan_id = ${l}.id AND p.is_latest`), positionScope(p, 'p')), 'p.month_end DESC');
}

const institutionOf = (column: string) => one({ code: 'i.code', name: 'i.name' }, 'institution i', raw(`i.id = ${column}`));

/** Contracts LINKED to loan `l`: `g.id IN (…)` / `ip.id IN (…)`. */
const linkedTo = (l: string, kind: 'guarantee_id' | 'policy_id', id: string) =>
  raw(`${id} IN (SELECT cl_p.${kind} FROM contract_link cl_p WHERE cl_p.loan_id = ${l}.id AND cl_p.status = 'LINKED')`);

// ---------------------------------------------------------------------------------------
// (1) Household detail, as the lending bank.

const HOUSEHOLD_DETAIL = `query HouseholdDetail($ref: String!) {
  household(ref: $ref) {
    ref
    status
    statusSince
    headName
    headPhone
    loans(first: 20) {
      nodes {
        ref
        product
        principal
        disbursedOn
        maturesOn
        annualRate
        combinedModel
        position { monthEnd balance overduePrincipal overdueDays fiveClass }
        guarantees(first: 10) {
          nodes { ref guaranteedAmount guarantorShare startsOn endsOn institution { code name } }
        }
        linkedPolicies(first: 10) {
          nodes {
            ref
            line
            subject
            sumInsured
            premium
            startsOn
            endsOn
            claims(first: 10) { nodes { ref cause lossOn paidOn paidAmount } }
          }
        }
      }
    }
  }
}`;

const householdDetail: Operation = {
  key: 'household',
  title: 'household detail by ref',
  role: 'BANK',
  operationName: 'HouseholdDetail',
  document: HOUSEHOLD_DETAIL,
  requires: ['household'],
  async samples(pool, principal) {
    // The bank's borrowers whose loans carry LINKED cover, scattered over the data set.
    const result = await pool.query<{ ref: string }>(
      `SELECT h.ref FROM household h
        WHERE EXISTS (SELECT 1 FROM loan l JOIN contract_link cl ON cl.loan_id = l.id AND cl.status = 'LINKED'
                       WHERE l.household_id = h.id AND l.institution_id = $1)
        ORDER BY md5(h.ref) LIMIT ${SAMPLE_COUNT}`,
      [principal.institutionId],
    );
    return result.rows.map((row) => ({ ref: row.ref }));
  },
  floor(variables, c) {
    const p = c.principal;
    const claims = nodes({
      row: { ref: 'c.ref', cause: 'c.cause', lossOn: 'c.loss_on', paidOn: 'c.paid_on', paidAmount: dec('c.paid_amount') },
      from: 'claim c',
      where: and(raw('c.policy_id = ip.id'), claimScope(p, 'c')),
      order: ['c.loss_on', 'c.id'],
      limit: 10,
    });
    const policies = nodes({
      row: {
        ref: 'ip.ref',
        line: 'ip.line',
        subject: 'ip.subject',
        sumInsured: dec('ip.sum_insured'),
        premium: dec('ip.premium'),
        startsOn: 'ip.starts_on',
        endsOn: 'ip.ends_on',
        claims,
      },
      from: 'insurance_policy ip',
      where: and(linkedTo('l', 'policy_id', 'ip.id'), policyScope(p, { id: 'ip.id', county: 'ip.county_code', institution: 'ip.institution_id' })),
      order: ['ip.starts_on', 'ip.id'],
      limit: 10,
    });
    const guarantees = nodes({
      row: {
        ref: 'g.ref',
        guaranteedAmount: dec('g.guaranteed_amount'),
        guarantorShare: dec('g.guarantor_share'),
        startsOn: 'g.starts_on',
        endsOn: 'g.ends_on',
        institution: institutionOf('g.institution_id'),
      },
      from: 'guarantee_contract g',
      where: and(linkedTo('l', 'guarantee_id', 'g.id'), guaranteeScope(p, { id: 'g.id', county: 'g.county_code', institution: 'g.institution_id' })),
      order: ['g.starts_on', 'g.id'],
      limit: 10,
    });
    const loans = nodes({
      row: {
        ref: 'l.ref',
        product: 'l.product',
        principal: dec('l.principal'),
        disbursedOn: 'l.disbursed_on',
        maturesOn: 'l.matures_on',
        annualRate: dec('l.annual_rate'),
        combinedModel: combinedModel('l'),
        position: latestPosition(p, 'l', {
          monthEnd: 'p.month_end',
          balance: dec('p.balance'),
          overduePrincipal: dec('p.overdue_principal'),
          overdueDays: 'p.overdue_days',
          fiveClass: 'p.five_class',
        }),
        guarantees,
        linkedPolicies: policies,
      },
      from: 'loan l',
      where: and(raw('l.household_id = h.id'), loanScope(p, loanCols('l'))),
      order: ['l.disbursed_on', 'l.id'],
      limit: 20,
    });
    const household = obj({
      ref: 'h.ref',
      status: 'h.status',
      statusSince: 'h.status_since',
      headName: piiName('h'),
      headPhone: piiPhone('h'),
      loans,
    });
    return sql`WITH hh AS (SELECT h.* FROM household h WHERE h.ref = ${String(variables.ref)} AND ${householdScope(p, 'h')}),
      ${auditCte(c, `CASE WHEN h.phone_enc IS NULL THEN ARRAY['headName'] ELSE ARRAY['headName', 'headPhone'] END`)}
      SELECT json_build_object('household', (SELECT ${household} FROM hh h))::text AS data`;
  },
};

// ---------------------------------------------------------------------------------------
// (2) A county page: 100 households with their contracts, as a provincial regulator.

const COUNTY_PAGE = `query CountyPage($code: String!) {
  county(code: $code) {
    code
    name
    households(first: 100) {
      nodes {
        ref
        status
        headName
        loans(first: 10) {
          nodes { ref product principal position { balance overdueDays fiveClass } }
        }
        policies(first: 10) { nodes { ref line sumInsured } }
        guarantees(first: 10) { nodes { ref guaranteedAmount } }
      }
    }
  }
}`;

const countyPage: Operation = {
  key: 'county',
  title: 'county page, 100 households with contracts',
  role: 'REGULATOR',
  operationName: 'CountyPage',
  document: COUNTY_PAGE,
  requires: ['county'],
  async samples(pool, principal) {
    const result = await pool.query<{ code: string }>(
      `SELECT a.code FROM area a WHERE a.level = 'COUNTY' AND a.code LIKE ANY ($1::text[])
          AND EXISTS (SELECT 1 FROM household h WHERE h.county_code = a.code)
        ORDER BY a.code`,
      [principal.areaCodes.length === 0 ? ['%'] : principal.areaCodes.map((code) => `${code}%`)],
    );
    return result.rows.map((row) => ({ code: row.code }));
  },
  floor(variables, c) {
    const p = c.principal;
    const loans = nodes({
      row: {
        ref: 'l.ref',
        product: 'l.product',
        principal: dec('l.principal'),
        position: latestPosition(p, 'l', { balance: dec('p.balance'), overdueDays: 'p.overdue_days', fiveClass: 'p.five_class' }),
      },
      from: 'loan l',
      where: and(raw('l.household_id = h.id'), loanScope(p, loanCols('l'))),
      order: ['l.disbursed_on', 'l.id'],
      limit: 10,
    });
    const policies = nodes({
      row: { ref: 'ip.ref', line: 'ip.line', sumInsured: dec('ip.sum_insured') },
      from: 'insurance_policy ip',
      where: and(
        raw(`ip.id IN (SELECT ip_h.id FROM insurance_policy ip_h WHERE ip_h.household_id = h.id
                       UNION ALL SELECT pih_h.policy_id FROM policy_insured_household pih_h WHERE pih_h.household_id = h.id)`),
        policyScope(p, { id: 'ip.id', county: 'ip.county_code', institution: 'ip.institution_id' }),
      ),
      order: ['ip.starts_on', 'ip.id'],
      limit: 10,
    });
    const guarantees = nodes({
      row: { ref: 'g.ref', guaranteedAmount: dec('g.guaranteed_amount') },
      from: 'guarantee_contract g',
      where: and(raw('g.household_id = h.id'), guaranteeScope(p, { id: 'g.id', county: 'g.county_code', institution: 'g.institution_id' })),
      order: ['g.starts_on', 'g.id'],
      limit: 10,
    });
    const household = obj({ ref: 'h.ref', status: 'h.status', headName: piiName('h'), loans, policies, guarantees });
    const code = String(variables.code);
    return sql`WITH hh AS MATERIALIZED (
        SELECT h.* FROM household h WHERE h.county_code = ${code} AND ${householdScope(p, 'h')}
         ORDER BY h.ref, h.id LIMIT 100),
      ${auditCte(c, `ARRAY['headName']`)}
      SELECT json_build_object('county', (
        SELECT json_build_object('code', a.code, 'name', a.name, 'households', json_build_object('nodes', coalesce(
                 (SELECT json_agg(${household} ORDER BY h.ref, h.id) FROM hh h), '[]'::json)))
          FROM area a WHERE a.code = ${code} AND a.level = 'COUNTY'))::text AS data`;
  },
};

// ---------------------------------------------------------------------------------------
// (3) The bank's overdue loans, worst first: a filtered root connection.

const OVERDUE_LOANS = `query OverdueLoans($filter: LoanFilter!) {
  loans(filter: $filter, orderBy: [{ field: OVERDUE_DAYS, direction: DESC }], first: 50) {
    totalCount
    pageInfo { hasNextPage }
    nodes {
      ref
      product
      principal
      disbursedOn
      maturesOn
      position { monthEnd balance overduePrincipal overdueDays fiveClass }
      borrower {
        __typename
        ... on Household { ref status }
        ... on Enterprise { creditCode name }
      }
    }
  }
}`;

/** The filters the operation rotates through (the floor compiles exactly these keys). */
const OVERDUE_FILTERS: Array<Record<string, unknown>> = [
  { overdueDays: { gte: 1 } },
  { overdueDays: { gte: 30 }, product_in: ['POVERTY_MICROCREDIT'] },
  { overdueDays: { gte: 90 } },
  { overdueDays: { gte: 1 }, fiveClass_in: ['SUBSTANDARD', 'DOUBTFUL', 'LOSS'] },
];

function overdueFilter(filter: Record<string, unknown>): Sql {
  const parts: Sql[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === 'overdueDays') {
      const range = value as { gte?: number; lte?: number };
      if (range.gte !== undefined) parts.push(sql`pos.overdue_days >= ${range.gte}`);
      if (range.lte !== undefined) parts.push(sql`pos.overdue_days <= ${range.lte}`);
    } else if (key === 'product_in') {
      parts.push(sql`l.product = ANY (${`{${(value as string[]).join(',')}}`}::text[])`);
    } else if (key === 'fiveClass_in') {
      parts.push(sql`pos.five_class = ANY (${`{${(value as string[]).join(',')}}`}::text[])`);
    } else {
      throw new Error(`floor: filter key ${key} is not compiled`);
    }
  }
  return and(...parts);
}

const overdueLoans: Operation = {
  key: 'loans',
  title: 'loans connection, filtered, by overdue days',
  role: 'BANK',
  operationName: 'OverdueLoans',
  document: OVERDUE_LOANS,
  requires: ['loans'],
  async samples() {
    return OVERDUE_FILTERS.map((filter) => ({ filter }));
  },
  floor(variables, c) {
    const p = c.principal;
    const first = 50;
    const order = 'm.overdue_days DESC NULLS FIRST, m.id DESC';
    // The matching loans once (materialized): the count and the page both read them.
    const matching = sql`SELECT l.id, l.ref, l.product, l.principal, l.disbursed_on, l.matures_on, l.household_id, l.enterprise_id,
             pos.month_end, pos.balance, pos.overdue_principal, pos.overdue_days, pos.five_class
        FROM loan l LEFT JOIN LATERAL (
          SELECT p.month_end, p.balance, p.overdue_principal, p.overdue_days, p.five_class FROM loan_position p
           WHERE p.loan_id = l.id AND p.is_latest AND ${positionScope(p, 'p')} ORDER BY p.month_end DESC LIMIT 1) pos ON true
       WHERE ${and(loanScope(p, loanCols('l')), overdueFilter(variables.filter as Record<string, unknown>))}`;
    const borrower = sql`CASE
        WHEN m.household_id IS NOT NULL THEN (SELECT json_build_object('__typename', 'Household', 'ref', h.ref, 'status', h.status)
                                                FROM household h WHERE h.id = m.household_id AND ${householdScope(p, 'h')})
        ELSE (SELECT json_build_object('__typename', 'Enterprise', 'creditCode', e.credit_code, 'name', e.name)
                FROM enterprise e WHERE e.id = m.enterprise_id AND ${enterpriseScope(p, 'e')}) END`;
    const node = obj({
      ref: 'm.ref',
      product: 'm.product',
      principal: dec('m.principal'),
      disbursedOn: 'm.disbursed_on',
      maturesOn: 'm.matures_on',
      position: raw(`CASE WHEN m.month_end IS NULL THEN NULL ELSE json_build_object('monthEnd', m.month_end, 'balance', m.balance::text,
                       'overduePrincipal', m.overdue_principal::text, 'overdueDays', m.overdue_days, 'fiveClass', m.five_class) END`),
      borrower,
    });
    return sql`WITH matching AS MATERIALIZED (${matching}),
      page AS (SELECT m.*, row_number() OVER (ORDER BY ${raw(order)}) AS rn FROM matching m ORDER BY ${raw(order)} LIMIT ${raw(String(first + 1))})
      SELECT json_build_object('loans', json_build_object(
        'totalCount', (SELECT count(*) FROM matching),
        'pageInfo', json_build_object('hasNextPage', (SELECT count(*) FROM page) > ${raw(String(first))}),
        'nodes', coalesce((SELECT json_agg(${node} ORDER BY m.rn) FROM page m WHERE m.rn <= ${raw(String(first))}), '[]'::json)))::text AS data`;
  },
};

// ---------------------------------------------------------------------------------------
// (4) A deep node(id) lookup: an insurer opens one of its credit-linked policies.

const POLICY_NODE = `query PolicyNode($id: ID!) {
  node(id: $id) {
    __typename
    ... on InsurancePolicy {
      ref
      line
      subject
      sumInsured
      premium
      startsOn
      endsOn
      holderKind
      institution { code name }
      holder {
        __typename
        ... on Household { ref status }
        ... on Enterprise { creditCode name }
      }
      claims(first: 20) { nodes { ref cause lossOn agreedAmount paidOn paidAmount } }
      loans(first: 20) {
        nodes {
          ref
          product
          principal
          disbursedOn
          maturesOn
          institution { code name }
          position { monthEnd balance overdueDays fiveClass }
          guarantees(first: 10) { nodes { ref guaranteedAmount institution { code name } } }
        }
      }
    }
  }
}`;

/** The database id inside an `InsurancePolicy` global id (base64url of `InsurancePolicy:<id>`). */
function policyIdOf(globalId: unknown): string {
  const decoded = Buffer.from(String(globalId), 'base64url').toString('utf8');
  const match = /^InsurancePolicy:([1-9]\d{0,18})$/.exec(decoded);
  if (match === null) throw new Error('floor: not an InsurancePolicy id');
  return match[1];
}

const policyNode: Operation = {
  key: 'node',
  title: 'deep node(id): policy → claims, loans → guarantees',
  role: 'INSURER',
  operationName: 'PolicyNode',
  document: POLICY_NODE,
  requires: ['node'],
  async samples(pool, principal) {
    const result = await pool.query<{ id: string }>(
      `SELECT ip.id::text AS id FROM insurance_policy ip
        WHERE ip.institution_id = $1 AND EXISTS (SELECT 1 FROM contract_link cl WHERE cl.policy_id = ip.id AND cl.status = 'LINKED')
        ORDER BY md5(ip.ref) LIMIT ${SAMPLE_COUNT}`,
      [principal.institutionId],
    );
    return result.rows.map((row) => ({ id: Buffer.from(`InsurancePolicy:${row.id}`, 'utf8').toString('base64url') }));
  },
  floor(variables, c) {
    const p = c.principal;
    const guarantees = nodes({
      row: { ref: 'g.ref', guaranteedAmount: dec('g.guaranteed_amount'), institution: institutionOf('g.institution_id') },
      from: 'guarantee_contract g',
      where: and(linkedTo('l', 'guarantee_id', 'g.id'), guaranteeScope(p, { id: 'g.id', county: 'g.county_code', institution: 'g.institution_id' })),
      order: ['g.starts_on', 'g.id'],
      limit: 10,
    });
    const loans = nodes({
      row: {
        ref: 'l.ref',
        product: 'l.product',
        principal: dec('l.principal'),
        disbursedOn: 'l.disbursed_on',
        maturesOn: 'l.matures_on',
        institution: institutionOf('l.institution_id'),
        position: latestPosition(p, 'l', { monthEnd: 'p.month_end', balance: dec('p.balance'), overdueDays: 'p.overdue_days', fiveClass: 'p.five_class' }),
        guarantees,
      },
      from: 'loan l',
      where: and(
        raw(`l.id IN (SELECT cl_p.loan_id FROM contract_link cl_p WHERE cl_p.policy_id = ip.id AND cl_p.status = 'LINKED')`),
        loanScope(p, loanCols('l')),
      ),
      order: ['l.disbursed_on', 'l.id'],
      limit: 20,
    });
    const claims = nodes({
      row: {
        ref: 'c.ref',
        cause: 'c.cause',
        lossOn: 'c.loss_on',
        agreedAmount: dec('c.agreed_amount'),
        paidOn: 'c.paid_on',
        paidAmount: dec('c.paid_amount'),
      },
      from: 'claim c',
      where: and(raw('c.policy_id = ip.id'), claimScope(p, 'c')),
      order: ['c.loss_on', 'c.id'],
      limit: 20,
    });
    const holder = sql`CASE
        WHEN ip.household_id IS NOT NULL THEN (SELECT json_build_object('__typename', 'Household', 'ref', h.ref, 'status', h.status)
                                                 FROM household h WHERE h.id = ip.household_id AND ${householdScope(p, 'h')})
        WHEN ip.enterprise_id IS NOT NULL THEN (SELECT json_build_object('__typename', 'Enterprise', 'creditCode', e.credit_code, 'name', e.name)
                                                  FROM enterprise e WHERE e.id = ip.enterprise_id AND ${enterpriseScope(p, 'e')}) END`;
    const policy = obj({
      __typename: `'InsurancePolicy'`,
      ref: 'ip.ref',
      line: 'ip.line',
      subject: 'ip.subject',
      sumInsured: dec('ip.sum_insured'),
      premium: dec('ip.premium'),
      startsOn: 'ip.starts_on',
      endsOn: 'ip.ends_on',
      holderKind: 'ip.holder_kind',
      institution: institutionOf('ip.institution_id'),
      holder,
      claims,
      loans,
    });
    const scope = policyScope(p, { id: 'ip.id', county: 'ip.county_code', institution: 'ip.institution_id' });
    return sql`SELECT json_build_object('node', (
        SELECT ${policy} FROM insurance_policy ip WHERE ip.id = ${policyIdOf(variables.id)}::bigint AND ${scope}))::text AS data`;
  },
};

// ---------------------------------------------------------------------------------------
// (5) Diagnostic: the smallest request, `{ __typename }`. It reads nothing, so the hub's
// figure is its fixed cost per request (HTTP, authentication, limits, the budget charge,
// the response) against a floor that answers a constant from one trivial statement.

const fixedCost: Operation = {
  key: 'fixed',
  title: 'fixed cost per request: `{ __typename }` (diagnostic)',
  role: 'BANK',
  operationName: 'FixedCost',
  document: 'query FixedCost { __typename }',
  requires: [],
  async samples() {
    return [{}];
  },
  floor() {
    return sql`SELECT json_build_object('__typename', 'Query')::text AS data`;
  },
};

/** The mix, in report order; the last is a diagnostic, not one of the issue's four. */
export const OPERATIONS: readonly Operation[] = [householdDetail, countyPage, overdueLoans, policyNode, fixedCost];


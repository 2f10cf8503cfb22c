/**
 * The compiled read path (`src/compiled/`) against the resolvers it stands in for: two
 * servers over one database, one answering covered operations with one compiled
 * statement, the other with the resolvers only. For every principal of the surface world
 * and a range of operations (every covered root, nested connection, to-one relation and
 * union, PII, global ids, filters, orderings, fragments, aliases, variables, refusals),
 * both give the same response and write the same PII audit rows. Then: the compiled path
 * is really taken (one statement besides the budget and the audit, whatever the sizes),
 * and what it does not cover falls back to the resolvers.
 */
import './reset-orm-metadata';
import { Client } from 'pg';
import { withClient } from '../../src/db/admin';
import { forgetReferenceData } from '../../src/services/reference/reference-cache';
import { statementsDuring, useTestDatabase } from '../helpers';
import { A, B, gid, HA1, HA2, HA3, HA4, HB1, startSurface, type SurfaceServer } from './surface-world';

const db = useTestDatabase();
let compiled: SurfaceServer;
let resolvers: SurfaceServer;
let ids: Record<string, string>;

beforeAll(async () => {
  compiled = await startSurface(db);
  ids = compiled.world.ids;
  resolvers = await startSurface(db, { seed: async () => compiled.world, compiledReads: false });
});

const LOAN_FIELDS = `
  id __typename ref product borrowerKind principal disbursedOn maturesOn annualRate subsidyRate guaranteeMode paidToAccount
  purpose closedOn closure version combinedModel
  institution { id code name kind validFrom validTo }
  position { id monthEnd balance overduePrincipal overdueDays fiveClass subsidyPaid version }
  borrower { __typename ... on Household { ref status headName headPhone } ... on Enterprise { creditCode name kind } }
  guarantees(first: 3) { totalCount nodes { ref guaranteedAmount feeRate startsOn endsOn releasedOn institution { code } borrower { __typename ... on Household { ref } } } }
  linkedPolicies(first: 3) {
    totalCount
    nodes { ref line subject sumInsured premium holderKind claims(first: 5) { totalCount nodes { id ref cause lossOn agreedOn agreedAmount paidOn paidAmount institution { code } } } loans(first: 2) { nodes { ref } } }
  }`;

const HOUSEHOLD_FIELDS = `
  id __typename ref status statusSince exitYear registeredOn attribute size version headName headPhone
  loans(first: 5) { totalCount nodes { ${LOAN_FIELDS} } }
  policies(first: 5) { totalCount nodes { ref line holder { __typename ... on Household { ref headName } ... on Enterprise { creditCode } } loans(first: 3) { nodes { ref } } } }
  guarantees(first: 5) { nodes { ref guaranteedAmount loans(first: 3) { totalCount nodes { ref position { balance } } } } }`;

const HOUSEHOLD = `query Household($ref: String!) { household(ref: $ref) { ${HOUSEHOLD_FIELDS} } }`;

const COUNTY = `query County($code: String!, $n: Int) {
  county(code: $code) {
    id __typename code name statisticalOnly
    households(first: $n) { totalCount nodes { ref status headName loans(first: 2) { nodes { ref principal position { balance fiveClass } } } } }
    poor: households(filter: { status_in: [REGISTERED_POOR] }, orderBy: [{ field: REF, direction: DESC }]) { totalCount nodes { ref } }
    loans(first: 10, orderBy: [{ field: PRINCIPAL, direction: DESC }]) { totalCount nodes { ref principal combinedModel } }
    micro: loans(filter: { product_in: [POVERTY_MICROCREDIT] }) { nodes { ref } }
    overdue: loans(filter: { overdueDays: { gte: 30 } }, orderBy: [{ field: OVERDUE_DAYS, direction: DESC }]) { nodes { ref position { overdueDays } } }
    policies { totalCount nodes { ref premium claims { nodes { ref } } } }
    guarantees(orderBy: [{ field: GUARANTEED_AMOUNT, direction: DESC }]) { totalCount nodes { ref guaranteedAmount } }
  }
}`;

const NODE = `query Node($id: ID!) {
  node(id: $id) {
    __typename id
    ... on Household { ref headName loans(first: 3) { nodes { ref } } }
    ... on Loan { ...LoanParts }
    ... on InsurancePolicy { ref sumInsured institution { code } holder { __typename ... on Household { ref headPhone } ... on Enterprise { name } } claims(first: 20) { nodes { ref } } loans(first: 20) { nodes { ...LoanParts } } }
    ... on GuaranteeContract { ref bankShare borrower { __typename ... on Household { ref } } loans { totalCount nodes { ref } } }
    ... on Claim { ref paidAmount institution { name } }
    ... on County { code name households(first: 2) { nodes { ref } } }
  }
}
fragment LoanParts on Loan { ref principal institution { code } position { monthEnd balance } guarantees(first: 10) { nodes { ref } } combinedModel }`;

const PRINCIPALS = ['bankA', 'bankB', 'insurer', 'guarantor', 'govA', 'regulator', 'regulatorB', 'analyst'];

/** The PII audit rows a request wrote: (household, fields) pairs, in order. */
async function auditSince(after: number): Promise<string[]> {
  return withClient(db.url(), async (client: Client) =>
    (
      await client.query<{ row: string }>(
        `SELECT household_id || ':' || array_to_string(fields, ',') AS row FROM audit_log WHERE action = 'PII_READ' ORDER BY id OFFSET $1`,
        [after],
      )
    ).rows.map((r) => r.row),
  );
}

async function both(who: string, query: string, variables: Record<string, unknown>): Promise<void> {
  const before = await withClient(db.url(), async (client: Client) => Number((await client.query(`SELECT count(*) AS n FROM audit_log WHERE action = 'PII_READ'`)).rows[0].n));
  const fast = await compiled.gql(who, query, variables);
  const fastAudit = await auditSince(before);
  const middle = before + fastAudit.length;
  const slow = await resolvers.gql(who, query, variables);
  const slowAudit = await auditSince(middle);
  expect({ who, variables, status: fast.status, body: fast.body }).toEqual({ who, variables, status: slow.status, body: slow.body });
  expect(fastAudit).toEqual(slowAudit);
}

describe('the compiled path answers as the resolvers do', () => {
  it('household(ref), for every principal and household', async () => {
    for (const who of PRINCIPALS) {
      for (const ref of [HA1, HA2, HA3, HA4, HB1, 'H0000000000ZZ']) await both(who, HOUSEHOLD, { ref });
    }
  });

  it('county(code) with filtered, ordered and counted connections, for every principal', async () => {
    for (const who of PRINCIPALS) {
      for (const code of [A, B]) {
        for (const n of [1, 3, 100]) await both(who, COUNTY, { code, n });
      }
    }
  });

  it('node(id) of every covered type, for every principal', async () => {
    const nodes = [
      ...['ha1', 'ha2', 'ha3', 'ha4', 'hb1'].map((k) => gid('Household', ({ ha1: HA1, ha2: HA2, ha3: HA3, ha4: HA4, hb1: HB1 } as Record<string, string>)[k])),
      ...['la1', 'la2', 'la3', 'la4', 'la5', 'lb1'].map((k) => gid('Loan', ids[k])),
      ...['pol1', 'pol2', 'pol3'].map((k) => gid('InsurancePolicy', ids[k])),
      ...['g1', 'g2', 'g3'].map((k) => gid('GuaranteeContract', ids[k])),
      ...['c1', 'c2', 'c3'].map((k) => gid('Claim', ids[k])),
      gid('County', A),
      gid('County', B),
      gid('Loan', '999999999'),
    ];
    for (const who of PRINCIPALS) {
      for (const id of nodes) await both(who, NODE, { id });
    }
  });

  it('root connections with filters, orderings, counts, edges, page info and a cursor, for every principal', async () => {
    const lists: Array<[string, string]> = [
      ['loans', 'ref principal position { overdueDays } borrower { __typename ... on Household { ref headName } }'],
      ['households', 'ref status headName headPhone'],
      ['insurancePolicies', 'ref premium holder { __typename ... on Household { ref } }'],
      ['guaranteeContracts', 'ref guaranteedAmount'],
    ];
    const argumentSets: Record<string, string[]> = {
      loans: ['first: 2', 'first: 3, orderBy: [{ field: OVERDUE_DAYS, direction: DESC }]', 'filter: { overdueDays: { gte: 1 } }, orderBy: [{ field: BALANCE, direction: ASC }]', 'filter: { product_in: [POVERTY_MICROCREDIT] }'],
      households: ['first: 2', 'filter: { status_in: [REGISTERED_POOR] }, orderBy: [{ field: REF, direction: DESC }]'],
      insurancePolicies: ['first: 2'],
      guaranteeContracts: ['first: 2', 'orderBy: [{ field: GUARANTEED_AMOUNT, direction: DESC }]'],
    };
    for (const who of PRINCIPALS) {
      for (const [field, selection] of lists) {
        for (const args of argumentSets[field]) {
          const query = `{ ${field}(${args}) { __typename totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ${selection} } } } }`;
          await both(who, query, {});
          await both(who, `{ ${field}(${args}) { totalCount nodes { ${selection} } } }`, {});
          await both(who, `{ ${field}(${args}) { pageInfo { hasNextPage } } }`, {});
          // The next page, after the first page's last cursor.
          const first = await resolvers.gql(who, `{ ${field}(${args}) { pageInfo { endCursor } } }`);
          const end = (first.body.data as Record<string, { pageInfo: { endCursor: string | null } }> | undefined)?.[field]?.pageInfo.endCursor;
          if (typeof end === 'string') {
            await both(who, `query Next($after: String) { ${field}(${args}, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } nodes { ${selection} } } }`, { after: end });
          }
        }
      }
    }
  });

  it('one operation text with different variables in a root list\'s arguments', async () => {
    const query = `query Q($filter: LoanFilter, $n: Int, $asOf: Date) { loans(first: $n, filter: $filter, asOf: $asOf) { totalCount nodes { ref position { overdueDays } } } }`;
    const variableSets = [
      { n: 2, filter: { product_in: ['POVERTY_MICROCREDIT'] } },
      { n: 5, filter: { overdueDays: { gte: 30 } } },
      { n: 5, filter: { overdueDays: { gte: 30 } }, asOf: '2019-12-31' },
      { n: 1 },
    ];
    for (const who of ['bankA', 'regulator', 'insurer']) {
      for (const variables of variableSets) await both(who, query, variables);
    }
  });

  it('nested connections with edges and page info', async () => {
    const query = `query Q($ref: String!) { household(ref: $ref) {
      loans(first: 1) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ref guarantees(first: 1) { pageInfo { hasNextPage } edges { node { ref } } } } } }
      policies { pageInfo { startCursor } nodes { ref } }
    } }`;
    for (const who of PRINCIPALS) {
      for (const ref of [HA1, HA2, HA3]) await both(who, query, { ref });
    }
    // The next page of a nested list, read through nodes only.
    const after = `query Q($ref: String!, $after: String) { household(ref: $ref) { loans(first: 1, after: $after) { totalCount nodes { ref } } } }`;
    const first = await resolvers.gql('bankA', `{ household(ref: "${HA1}") { loans(first: 1) { pageInfo { endCursor } } } }`);
    const cursor = (first.body.data as { household: { loans: { pageInfo: { endCursor: string } } } }).household.loans.pageInfo.endCursor;
    for (const who of PRINCIPALS) await both(who, after, { ref: HA1, after: cursor });
  });

  it('refusals and edge cases: page cap, bad arguments, aliases, literals and unknown rows', async () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      [`{ household(ref: "${HA1}") { loans(first: 101) { nodes { ref } } } }`, {}],
      [`{ household(ref: "not a ref") { ref } }`, {}],
      [`{ county(code: "12") { code } }`, {}],
      [`{ node(id: "bm90IGFuIGlk") { id } }`, {}],
      [`{ a: household(ref: "${HA1}") { r: ref h: headName l: loans(first: 1) { n: nodes { r: ref } } } b: county(code: "${A}") { name } }`, {}],
      [`{ household(ref: "${HA1}") { loans(first: 0) { totalCount nodes { ref } } } }`, {}],
      [`query Q($n: Int!) { household(ref: "${HA1}") { loans(first: $n) { nodes { ref } } } }`, { n: 'two' }],
      [`{ household(ref: "${HA1}") { loans(filter: { principal: { gte: "10000" } }, orderBy: [{ field: MATURES_ON, direction: DESC }]) { nodes { ref maturesOn } } } }`, {}],
      [`{ loans(first: 2, after: "not-a-cursor") { nodes { ref } } }`, {}],
      [`{ loans(first: 101) { nodes { ref } } }`, {}],
      [`{ loans(last: 2) { nodes { ref } pageInfo { hasPreviousPage startCursor } } }`, {}],
      [`{ loans(first: 1) { nodes { ref } edges { node { ref } } } }`, {}],
    ];
    for (const who of ['bankA', 'regulator', 'insurer']) {
      for (const [query, variables] of cases) await both(who, query, variables);
    }
  });
});

const statements = statementsDuring;

const isBookkeeping = (text: string) => /usage_counter|insert into audit_log/i.test(text);

describe('the compiled path is taken, and declines what it does not cover', () => {
  it('a deep household operation is one statement besides the budget and the audit', async () => {
    forgetReferenceData();
    const issued = await statements(() => compiled.data('bankA', HOUSEHOLD, { ref: HA1 }));
    expect(issued.filter((t) => !isBookkeeping(t))).toHaveLength(1);
    expect(issued.filter(isBookkeeping)).toHaveLength(2);
  });

  it('a county page is one statement for any page size', async () => {
    for (const n of [1, 100]) {
      const issued = await statements(() => compiled.data('regulator', COUNTY, { code: A, n }));
      expect(issued.filter((t) => !isBookkeeping(t))).toHaveLength(1);
    }
  });

  it('a root page with edges, page info and a count is one statement', async () => {
    const query = `{ loans(first: 2, orderBy: [{ field: OVERDUE_DAYS, direction: DESC }]) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ref position { overdueDays } } } } }`;
    const issued = await statements(() => compiled.data('bankA', query));
    expect(issued.filter((t) => !isBookkeeping(t))).toHaveLength(1);
  });

  it('backward pages and other uncovered shapes go to the resolvers, with the same answers', async () => {
    const query = `{ county(code: "${A}") { households(last: 2) { pageInfo { hasPreviousPage startCursor } edges { cursor node { ref village { code } } } } } }`;
    const issued = await statements(() => compiled.data('regulator', query));
    expect(issued.filter((t) => !isBookkeeping(t)).length).toBeGreaterThan(1);
    await both('regulator', query, {});
  });
});

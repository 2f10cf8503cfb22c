/**
 * The root connections over real HTTP: Relay shape, paging both ways with keyset cursors
 * that survive inserts between fetches, the page-size default and cap, cursor
 * validation, every filter kind with `and` / `or` / `not`, orderings with ties and
 * missing values, as-of answers, and scoping — a caller's connection and its count hold
 * only the rows it may see.
 */
import './reset-orm-metadata';
import { withClient } from '../../src/db/admin';
import { encryptPii, parseKeyring } from '../../src/services/identity';
import { useTestDatabase } from '../helpers';
import { A, B, gid, HA1, HA2, HA3, HA4, HB1, insert, startSurface, VA1, VA2, type SurfaceServer } from './surface-world';

const db = useTestDatabase();
let s: SurfaceServer;
let ids: Record<string, string>;

beforeAll(async () => {
  s = await startSurface(db);
  ids = s.world.ids;
});

const LOANS = `query Loans($first: Int, $after: String, $last: Int, $before: String, $filter: LoanFilter, $orderBy: [LoanOrder!], $asOf: Date) {
  loans(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy, asOf: $asOf) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { ref } }
  }
}`;

interface Page {
  refs: string[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  cursors: string[];
}

async function loans(who: string, variables: Record<string, unknown> = {}): Promise<Page> {
  const { loans: connection } = await s.data(who, LOANS, variables);
  return {
    refs: connection.edges.map((e: { node: { ref: string } }) => e.node.ref),
    totalCount: connection.totalCount,
    pageInfo: connection.pageInfo,
    cursors: connection.edges.map((e: { cursor: string }) => e.cursor),
  };
}

/** The refs a filter selects (regulator unless said otherwise), in the default order. */
async function loanRefs(filter: Record<string, unknown>, asOf?: string, who = 'regulator'): Promise<string[]> {
  return (await loans(who, { filter, asOf })).refs;
}

describe('root connections', () => {
  it('answer a regulator in Relay shape: edges with cursors, nodes, page info and a count over every page', async () => {
    const result = await s.data(
      'regulator',
      `{
        households(first: 2) { totalCount pageInfo { hasNextPage hasPreviousPage } nodes { id ref status } }
        counties(first: 3, filter: { area: "5223" }) { totalCount pageInfo { hasNextPage } nodes { id code name } }
        loans(first: 2) { totalCount edges { node { id ref principal } } }
        insurancePolicies(first: 1) { totalCount nodes { id ref line } }
        guaranteeContracts(first: 1) { totalCount nodes { id ref guaranteedAmount } }
        enterprises { totalCount nodes { id name } }
        institutions(filter: { code_in: ["TQ-BANK-A", "TQ-INS"] }) { totalCount nodes { id code kind } }
        findings(first: 1) { totalCount nodes { id ref status } }
        alerts(first: 2) { totalCount nodes { id ruleCode severity status raisedAt } }
      }`,
    );
    // By name, in the database's collation.
    const enterprisesByName = await withClient(db.url(), async (client) =>
      (await client.query('SELECT credit_code, name FROM enterprise ORDER BY name, id')).rows.map((r) => ({ id: gid('Enterprise', r.credit_code), name: r.name })),
    );
    expect(result).toEqual({
      households: {
        totalCount: 5,
        pageInfo: { hasNextPage: true, hasPreviousPage: false },
        nodes: [
          { id: gid('Household', HA1), ref: HA1, status: 'LIFTED_OUT' },
          { id: gid('Household', HA2), ref: HA2, status: 'REGISTERED_POOR' },
        ],
      },
      counties: {
        totalCount: 8,
        pageInfo: { hasNextPage: true },
        nodes: [
          { id: gid('County', '522301'), code: '522301', name: '兴义市' },
          { id: gid('County', '522302'), code: '522302', name: '兴仁市' },
          { id: gid('County', '522323'), code: '522323', name: '普安县' },
        ],
      },
      loans: {
        totalCount: 6,
        edges: [
          { node: { id: gid('Loan', ids.la1), ref: 'A-001', principal: '50000.00' } },
          { node: { id: gid('Loan', ids.la2), ref: 'A-002', principal: '8000.50' } },
        ],
      },
      insurancePolicies: { totalCount: 3, nodes: [{ id: gid('InsurancePolicy', ids.pol1), ref: 'INS-001', line: 'LIVESTOCK' }] },
      guaranteeContracts: { totalCount: 3, nodes: [{ id: gid('GuaranteeContract', ids.g1), ref: 'GUA-001', guaranteedAmount: '40000.00' }] },
      enterprises: { totalCount: 2, nodes: enterprisesByName },
      institutions: {
        totalCount: 2,
        nodes: [
          { id: gid('Institution', 'TQ-BANK-A'), code: 'TQ-BANK-A', kind: 'BANK' },
          { id: gid('Institution', 'TQ-INS'), code: 'TQ-INS', kind: 'INSURER' },
        ],
      },
      findings: { totalCount: 3, nodes: [{ id: gid('Finding', ids.fd2), ref: 'FD-002', status: 'CLOSED' }] },
      alerts: {
        totalCount: 4,
        nodes: [
          { id: gid('Alert', ids.al4), ruleCode: 'CLAIM-UNPAID', severity: 'CRITICAL', status: 'OPEN', raisedAt: '2020-07-08T02:00:00.000Z' },
          { id: gid('Alert', ids.al3), ruleCode: 'MICRO-OVERDUE', severity: 'LOW', status: 'OPEN', raisedAt: '2020-07-07T02:00:00.000Z' },
        ],
      },
    });
  });

  it('page forward with first/after and backward with last/before', async () => {
    // Default order: disbursement date, then id (A-003 and A-004 share a date).
    const all = ['A-001', 'A-002', 'A-003', 'A-004', 'B-001', 'A-005'];
    expect((await loans('regulator')).refs).toEqual(all);

    const p1 = await loans('regulator', { first: 2 });
    expect([p1.refs, p1.pageInfo.hasNextPage, p1.pageInfo.hasPreviousPage, p1.totalCount]).toEqual([['A-001', 'A-002'], true, false, 6]);
    expect(p1.pageInfo.startCursor).toBe(p1.cursors[0]);
    expect(p1.pageInfo.endCursor).toBe(p1.cursors[1]);
    const p2 = await loans('regulator', { first: 2, after: p1.pageInfo.endCursor });
    expect([p2.refs, p2.pageInfo.hasNextPage, p2.pageInfo.hasPreviousPage]).toEqual([['A-003', 'A-004'], true, true]);
    const p3 = await loans('regulator', { first: 2, after: p2.pageInfo.endCursor });
    expect([p3.refs, p3.pageInfo.hasNextPage, p3.pageInfo.hasPreviousPage]).toEqual([['B-001', 'A-005'], false, true]);

    const last = await loans('regulator', { last: 2 });
    expect([last.refs, last.pageInfo.hasNextPage, last.pageInfo.hasPreviousPage]).toEqual([['B-001', 'A-005'], false, true]);
    const before = await loans('regulator', { last: 2, before: last.pageInfo.startCursor });
    expect([before.refs, before.pageInfo.hasNextPage, before.pageInfo.hasPreviousPage]).toEqual([['A-003', 'A-004'], true, true]);
    const first = await loans('regulator', { last: 5, before: before.pageInfo.startCursor });
    expect([first.refs, first.pageInfo.hasNextPage, first.pageInfo.hasPreviousPage]).toEqual([['A-001', 'A-002'], true, false]);
    // Cursors are the same whichever way a row was reached.
    expect(before.cursors).toEqual(p2.cursors);
    // after and before together bound a window.
    const window = await loans('regulator', { first: 10, after: p1.cursors[0], before: p3.cursors[0] });
    expect(window.refs).toEqual(['A-002', 'A-003', 'A-004']);
  });

  it('keeps pages correct when rows are inserted between two page fetches', async () => {
    const query = `query ($after: String) { county(code: "${A}") { households(first: 2, after: $after) { totalCount pageInfo { endCursor hasNextPage } nodes { ref } } } }`;
    const first = (await s.data('regulator', query)).county.households;
    expect(first.nodes).toEqual([{ ref: HA1 }, { ref: HA2 }]);
    const piiKeyring = parseKeyring(`v1:${Buffer.alloc(32, 7).toString('base64')}`, 'k');
    const added: string[] = [];
    await withClient(db.url(), async (client) => {
      const batchId = await insert(client, 'ingest_batch', { institution_id: ids.govA, external_id: 'late', kind: 'test', payload_hash: 'f'.repeat(64), item_count: 2 });
      // One household sorts before the cursor, one after everything seen so far.
      for (const ref of ['H000000000009', 'H0000000000B1']) {
        added.push(
          await insert(client, 'household', {
            source_institution_id: ids.govA, batch_id: batchId, ref, village_code: VA1, county_code: A, name_enc: encryptPii(piiKeyring, '新户'),
            pii_key_version: 1, status: 'OTHER', status_since: '2020-01-01',
          }),
        );
      }
    });
    try {
      const second = (await s.data('regulator', query, { after: first.pageInfo.endCursor })).county.households;
      expect(second).toEqual({ totalCount: 6, pageInfo: { endCursor: expect.any(String), hasNextPage: true }, nodes: [{ ref: HA3 }, { ref: HA4 }] });
      const third = (await s.data('regulator', query, { after: second.pageInfo.endCursor })).county.households;
      expect(third).toEqual({ totalCount: 6, pageInfo: { endCursor: expect.any(String), hasNextPage: false }, nodes: [{ ref: 'H0000000000B1' }] });
    } finally {
      await withClient(db.url(), (client) => client.query('DELETE FROM household WHERE id = ANY ($1::bigint[])', [added]));
    }
  });

  it('default to 20 items, allow up to 100, and refuse more as BAD_USER_INPUT', async () => {
    const counties = await s.data('analyst', '{ counties { totalCount pageInfo { hasNextPage } nodes { code } } many: counties(first: 100) { nodes { code } } }');
    const total = await withClient(db.url(), async (client) => Number((await client.query("SELECT count(*) AS n FROM area WHERE level = 'COUNTY'")).rows[0].n));
    expect(counties.counties.nodes).toHaveLength(20);
    expect(counties.counties.pageInfo).toEqual({ hasNextPage: true });
    expect(counties.counties.totalCount).toBe(total);
    expect(counties.many.nodes).toHaveLength(100);

    expect(await s.errors('analyst', '{ counties(first: 101) { nodes { code } } }')).toEqual([
      { message: 'first must be between 0 and 100', code: 'BAD_USER_INPUT', field: undefined },
    ]);
    expect(await s.errors('analyst', 'query ($n: Int) { counties(last: $n) { nodes { code } } }', { n: 500 })).toEqual([
      { message: 'last must be between 0 and 100', code: 'BAD_USER_INPUT', field: undefined },
    ]);
    expect(await s.errors('analyst', '{ counties(first: 2, last: 2) { nodes { code } } }')).toEqual([
      { message: 'Pass first or last, not both', code: 'BAD_USER_INPUT', field: 'last' },
    ]);
    const empty = await s.data('regulator', '{ loans(first: 0) { totalCount pageInfo { hasNextPage startCursor } nodes { ref } } }');
    expect(empty).toEqual({ loans: { totalCount: 6, pageInfo: { hasNextPage: true, startCursor: null }, nodes: [] } });
  });

  it('rejects cursors it did not issue for that connection and ordering', async () => {
    const page = await loans('regulator', { first: 1 });
    const cursor = page.cursors[0];
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
    const households = (await s.data('regulator', '{ households(first: 1) { edges { cursor } } }')).households.edges[0].cursor;
    const invalid = [
      'not a cursor!',
      '',
      encode([decoded[0], 'not-a-date', decoded[2]]),
      encode([decoded[0], decoded[1]]),
      encode([...decoded, '1']),
      encode(['Loan:PRINCIPAL.ASC', '50000.00', decoded[2]]),
      encode([decoded[0], decoded[1], '1; DROP TABLE loan']),
      encode(['Loan:REF.ASC', '\u0000', decoded[2]]),
      encode({ cursor: decoded }),
      `${cursor}x`,
      households,
    ];
    for (const after of invalid) {
      expect([after, await s.errors('regulator', LOANS, { first: 2, after })]).toEqual([
        after,
        [{ message: 'Invalid cursor: not one this connection issued with this orderBy', code: 'BAD_USER_INPUT', field: 'after' }],
      ]);
    }
    expect(await s.errors('regulator', LOANS, { last: 2, before: invalid[2] })).toEqual([
      { message: 'Invalid cursor: not one this connection issued with this orderBy', code: 'BAD_USER_INPUT', field: 'before' },
    ]);
    // A cursor of one ordering is refused by another.
    expect(await s.errors('regulator', LOANS, { first: 2, after: cursor, orderBy: [{ field: 'PRINCIPAL' }] })).toEqual([
      { message: 'Invalid cursor: not one this connection issued with this orderBy', code: 'BAD_USER_INPUT', field: 'after' },
    ]);
  });
});

describe('filters', () => {
  it('by area at every level, by code', async () => {
    expect(await loanRefs({ area: '52' })).toEqual(['A-001', 'A-002', 'A-003', 'A-004', 'B-001', 'A-005']);
    expect(await loanRefs({ area: '5223' })).toHaveLength(6);
    expect(await loanRefs({ area: A })).toEqual(['A-001', 'A-002', 'A-003', 'A-004', 'A-005']);
    expect(await loanRefs({ area: B })).toEqual(['B-001']);
    // Below county level, through the borrower's village.
    expect(await loanRefs({ area: '522326101' })).toEqual(['A-001', 'A-002', 'A-003', 'A-004', 'A-005']);
    expect(await loanRefs({ area: VA2 })).toEqual(['A-003']);
    expect(await loanRefs({ area: '11' })).toEqual([]);
    const households = await s.data('regulator', `{ households(filter: { area: "${VA1}" }) { nodes { ref } } }`);
    expect(households.households.nodes).toEqual([{ ref: HA1 }, { ref: HA3 }, { ref: HA4 }]);
    // A borrower the caller may not see does not place a loan in its village.
    expect(await loanRefs({ area: VA2 }, undefined, 'insurer')).toEqual(['A-003']);
    expect(await loanRefs({ area: VA1 }, undefined, 'insurer')).toEqual(['A-001']);
  });

  it('by county designation as of a date', async () => {
    expect(await loanRefs({ designation_in: ['RELOCATION_AREA'] }, '2020-06-30')).toEqual(['A-001', 'A-002', 'A-003', 'A-004', 'A-005']);
    expect(await loanRefs({ designation_in: ['RELOCATION_AREA'] }, '2020-07-01')).toEqual([]);
    expect(await loanRefs({ designation_in: ['RELOCATION_AREA'] })).toEqual([]);
    expect(await loanRefs({ designation_in: ['UNCAPPED_2020'] }, '2020-06-30')).toHaveLength(6);
    expect(await loanRefs({ designation_in: ['UNCAPPED_2020'] }, '2021-06-30')).toEqual([]);
    expect(await loanRefs({ designation_in: ['NATIONAL_POVERTY_COUNTY'] })).toHaveLength(6);
    expect(await loanRefs({ designation_in: ['DEEPLY_IMPOVERISHED'] }, '2020-06-30')).toEqual([]);
    const counties = await s.data(
      'analyst',
      `{ uncapped: counties(filter: { area: "5223", designation_in: [UNCAPPED_2020] }, asOf: "2020-06-30") { nodes { code } }
         relocation: counties(filter: { designation_in: [RELOCATION_AREA] }, asOf: "2019-06-30") { nodes { code } }
         tibet: counties(first: 1, filter: { designation_in: [DEEPLY_IMPOVERISHED], not: { area: "54" } }) { nodes { code } } }`,
    );
    expect(counties.uncapped.nodes).toEqual([{ code: B }, { code: A }]);
    expect(counties.relocation.nodes).toEqual([{ code: A }]);
    expect(counties.tibet.nodes).toEqual([{ code: '513201' }]);
  });

  it('by household status, as of a date', async () => {
    const q = `query ($filter: HouseholdFilter, $asOf: Date) { households(filter: $filter, asOf: $asOf) { totalCount nodes { ref } } }`;
    const refs = async (filter: object, asOf?: string) => (await s.data('regulator', q, { filter, asOf })).households.nodes.map((n: { ref: string }) => n.ref);
    expect(await refs({ status_in: ['REGISTERED_POOR'] })).toEqual([HA2, HB1]);
    expect(await refs({ status_in: ['REGISTERED_POOR'] }, '2019-06-30')).toEqual([HA1, HA2, HB1]);
    expect(await refs({ status_in: ['MARGINAL'] }, '2019-06-30')).toEqual([]);
    expect(await refs({ status_in: ['MARGINAL'] }, '2020-06-30')).toEqual([HA3]);
    // Before its first status a household has none: NOT of a status list matches it.
    expect(await refs({ not: { status_in: ['REGISTERED_POOR'] } }, '2019-06-30')).toEqual([HA3, HA4]);
    expect(await refs({ attribute_in: ['GENERAL', 'SUBSISTENCE_ALLOWANCE'] })).toEqual([HA1, HA2]);
    expect(await refs({ not: { attribute_in: ['GENERAL'] } })).toEqual([HA2, HA3, HA4, HB1]);
    expect(await refs({ registeredOn: { lte: '2016-04-01' } })).toEqual([HA1, HB1]);
    expect(await refs({ size: { gte: 3 } })).toEqual([HA1]);
    expect(await refs({ ref_in: [HA4, HB1] })).toEqual([HA4, HB1]);
    // The borrower's status on loans.
    expect(await loanRefs({ borrowerStatus_in: ['REGISTERED_POOR'] })).toEqual(['A-003', 'B-001']);
    expect(await loanRefs({ borrowerStatus_in: ['REGISTERED_POOR'] }, '2019-06-30')).toEqual(['A-001', 'A-002', 'A-003', 'B-001']);
  });

  it('by product, class and overdue days of the position as of a date, funding, institution, dates and amounts', async () => {
    expect(await loanRefs({ product_in: ['POVERTY_MICROCREDIT'] })).toEqual(['A-001', 'A-003', 'B-001']);
    expect(await loanRefs({ borrowerKind_in: ['ENTERPRISE'] })).toEqual(['A-004']);
    expect(await loanRefs({ fiveClass_in: ['SPECIAL_MENTION', 'SUBSTANDARD'] }, '2020-06-30')).toEqual(['A-001', 'A-003']);
    expect(await loanRefs({ fiveClass_in: ['SPECIAL_MENTION', 'SUBSTANDARD'] })).toEqual([]);
    expect(await loanRefs({ fiveClass_in: ['DOUBTFUL'] })).toEqual(['A-003']);
    expect(await loanRefs({ overdueDays: { gte: 30 } }, '2020-07-15')).toEqual(['A-001', 'A-003']);
    expect(await loanRefs({ overdueDays: { gte: 100, lte: 150 } }, '2020-07-15')).toEqual(['A-003']);
    expect(await loanRefs({ overduePrincipal: { gte: '1' } })).toEqual(['A-003']);
    expect(await loanRefs({ balance: { gte: '30000' } })).toEqual(['A-001', 'A-003', 'A-004']);
    expect(await loanRefs({ balance: { gte: '40000', lte: '40000.00' } }, '2020-06-30')).toEqual(['A-001']);
    expect(await loanRefs({ funding: 'RELENDING' })).toEqual(['A-001']);
    expect(await loanRefs({ funding: 'OTHER' })).toEqual(['A-002', 'A-003', 'A-004', 'B-001', 'A-005']);
    expect(await loanRefs({ fundBacked: true })).toEqual(['A-001']);
    expect(await loanRefs({ institutionCode_in: ['TQ-BANK-B'] })).toEqual(['B-001']);
    expect(await loanRefs({ ref_in: ['A-005', 'A-002'] })).toEqual(['A-002', 'A-005']);
    expect(await loanRefs({ disbursedOn: { gte: '2019-06-01', lte: '2019-12-31' } })).toEqual(['A-003', 'A-004']);
    expect(await loanRefs({ maturesOn: { lte: '2021-12-31' } })).toEqual(['A-002', 'A-004', 'A-005']);
    expect(await loanRefs({ principal: { gte: '30000', lte: '50000' } })).toEqual(['A-001', 'A-003', 'B-001', 'A-005']);
    expect(await loanRefs({ principal: { lte: '8000.50' } })).toEqual(['A-002']);
    expect(await loanRefs({ outstanding: true }, '2020-06-30')).toEqual(['A-001', 'A-003', 'A-004', 'B-001', 'A-005']);
    expect(await loanRefs({ outstanding: false }, '2019-04-01')).toEqual(['A-002', 'A-003', 'A-004', 'B-001', 'A-005']);
  });

  it('by combined model, from all LINKED contracts or those in force on asOf', async () => {
    expect(await loanRefs({ combinedModel_in: ['BANK_INSURANCE_GUARANTEE'] })).toEqual(['A-001', 'A-003']);
    expect(await loanRefs({ combinedModel_in: ['BANK_INSURANCE_GUARANTEE'] }, '2020-06-30')).toEqual(['A-003']);
    expect(await loanRefs({ combinedModel_in: ['LOAN_GUARANTEE'] }, '2020-06-30')).toEqual(['A-001', 'A-004']);
    expect(await loanRefs({ combinedModel_in: ['LOAN_GUARANTEE'] }, '2021-01-31')).toEqual(['A-001']);
    expect(await loanRefs({ combinedModel_in: ['LOAN_ONLY'] })).toEqual(['A-002', 'B-001', 'A-005']);
    // The field and the filter apply the same rule.
    const models = await s.data('regulator', '{ loans { nodes { ref now: combinedModel mid2020: combinedModel(asOf: "2020-06-30") y2021: combinedModel(asOf: "2021-01-31") } } }');
    expect(models.loans.nodes).toEqual([
      { ref: 'A-001', now: 'BANK_INSURANCE_GUARANTEE', mid2020: 'LOAN_GUARANTEE', y2021: 'LOAN_GUARANTEE' },
      { ref: 'A-002', now: 'LOAN_ONLY', mid2020: 'LOAN_ONLY', y2021: 'LOAN_ONLY' },
      { ref: 'A-003', now: 'BANK_INSURANCE_GUARANTEE', mid2020: 'BANK_INSURANCE_GUARANTEE', y2021: 'BANK_INSURANCE_GUARANTEE' },
      { ref: 'A-004', now: 'LOAN_GUARANTEE', mid2020: 'LOAN_GUARANTEE', y2021: 'LOAN_ONLY' },
      { ref: 'B-001', now: 'LOAN_ONLY', mid2020: 'LOAN_ONLY', y2021: 'LOAN_ONLY' },
      { ref: 'A-005', now: 'LOAN_ONLY', mid2020: 'LOAN_ONLY', y2021: 'LOAN_ONLY' },
    ]);
  });

  it('combine with and, or and not', async () => {
    expect(await loanRefs({ or: [{ product_in: ['INDUSTRIAL'] }, { and: [{ product_in: ['POVERTY_MICROCREDIT'] }, { area: B }] }] })).toEqual(['A-004', 'B-001']);
    expect(await loanRefs({ not: { product_in: ['POVERTY_MICROCREDIT'] } })).toEqual(['A-002', 'A-004', 'A-005']);
    // A loan without a position matches no position condition, so NOT of one matches it.
    expect(await loanRefs({ not: { fiveClass_in: ['NORMAL'] } })).toEqual(['A-003', 'A-005']);
    expect(await loanRefs({ product_in: ['POVERTY_MICROCREDIT'], not: { area: B }, or: [{ fiveClass_in: ['DOUBTFUL'] }, { funding: 'RELENDING' }] })).toEqual(['A-001', 'A-003']);
    expect(await loanRefs({ and: [] })).toHaveLength(6);
    expect(await loanRefs({ or: [] })).toEqual([]);
    expect(await loanRefs({ product_in: [] })).toEqual([]);
  });

  it('on policies, guarantees, enterprises, institutions, findings and alerts', async () => {
    const contracts = await s.data(
      'regulator',
      `{
        livestock: insurancePolicies(filter: { line_in: [LIVESTOCK, CROP], premium: { gte: "1000" } }) { nodes { ref } }
        inForce: insurancePolicies(filter: { inForce: true }, asOf: "2020-06-30") { nodes { ref } }
        credit: insurancePolicies(filter: { linkedToLoan: true, holderKind_in: [HOUSEHOLD] }) { nodes { ref } }
        groupArea: insurancePolicies(filter: { area: "${VA2}" }) { nodes { ref } }
        guaranteesInForce: guaranteeContracts(filter: { inForce: true }, asOf: "2021-01-31") { nodes { ref } }
        released: guaranteeContracts(filter: { released: true }) { nodes { ref } }
        enterpriseGuarantees: guaranteeContracts(filter: { borrowerKind_in: [ENTERPRISE], feeRate: { lte: "0.005" } }) { nodes { ref } }
      }`,
    );
    const others = await s.data(
      'regulator',
      `{
        driving: enterprises(filter: { povertyDriving: true }) { nodes { creditCode } }
        inB: enterprises(filter: { area: "${B}" }) { nodes { creditCode } }
        insurers: institutions(filter: { kind_in: [INSURER, GUARANTOR], area: "52", code_in: ["TQ-INS", "TQ-GUA", "TQ-BANK-A"] }) { nodes { code } }
        overdue: findings(filter: { overdue: true }, asOf: "2020-09-01") { nodes { ref } }
        closed: findings(filter: { status_in: [CLOSED] }) { nodes { ref } }
        bankFindings: findings(filter: { institutionCode_in: ["TQ-BANK-A", "TQ-BANK-B"], foundOn: { gte: "2020-05-01" } }) { nodes { ref } }
        severe: alerts(filter: { severity_in: [HIGH, CRITICAL] }) { nodes { subjectType } }
        countyA: alerts(filter: { area: "${A}", status_in: [OPEN, ACKNOWLEDGED] }) { nodes { subjectType } }
        raised: alerts(filter: { raisedOn: { gte: "2020-07-06", lte: "2020-07-07" }, ruleKind_in: [MICROCREDIT_OVERDUE_RATIO] }) { nodes { subjectType } }
      }`,
    );
    expect({ ...contracts, ...others }).toEqual({
      livestock: { nodes: [{ ref: 'INS-002' }] },
      inForce: { nodes: [{ ref: 'INS-003' }, { ref: 'INS-002' }] },
      credit: { nodes: [{ ref: 'INS-001' }, { ref: 'INS-003' }] },
      groupArea: { nodes: [{ ref: 'INS-003' }] },
      guaranteesInForce: { nodes: [{ ref: 'GUA-001' }, { ref: 'GUA-002' }] },
      released: { nodes: [{ ref: 'GUA-003' }] },
      enterpriseGuarantees: { nodes: [{ ref: 'GUA-003' }] },
      driving: { nodes: [{ creditCode: '91522326MA6DL0XX1B' }] },
      inB: { nodes: [{ creditCode: '91522324MA6DL0XX2C' }] },
      insurers: { nodes: [{ code: 'TQ-GUA' }, { code: 'TQ-INS' }] },
      overdue: { nodes: [{ ref: 'FD-001' }] },
      closed: { nodes: [{ ref: 'FD-002' }] },
      bankFindings: { nodes: [{ ref: 'FD-001' }, { ref: 'FD-003' }] },
      severe: { nodes: [{ subjectType: 'CLAIM' }, { subjectType: 'LOAN' }] },
      countyA: { nodes: [{ subjectType: 'COUNTY' }, { subjectType: 'LOAN' }] },
      raised: { nodes: [{ subjectType: 'COUNTY' }, { subjectType: 'COUNTY' }] },
    });
  });

  it('validate every value and name the path of a bad one', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ overdueDays: { gte: 10, lte: 5 } }, 'The range is empty: gte is above lte', 'filter.overdueDays'],
      [{ or: [{ product_in: ['INDUSTRIAL'] }, { area: '123' }] }, 'An area code has 2, 4, 6, 9 or 12 digits', 'filter.or[1].area'],
      [{ not: { and: [{ overdueDays: { gte: -1 } }] } }, 'A bound is at least 0', 'filter.not.and[0].overdueDays'],
      [{ principal: { gte: '50000', lte: '49999.99' } }, 'The range is empty: gte is above lte', 'filter.principal'],
      [{ principal: { gte: '1234567890123456789012' } }, 'A bound has at most 20 digits before the point and 10 after', 'filter.principal'],
      [{ disbursedOn: { gte: '2020-02-01', lte: '2020-01-31' } }, 'The range is empty: gte is above lte', 'filter.disbursedOn'],
      [{ institutionCode_in: ['TQ-BANK-A', 'bad code!'] }, 'An institution code has 1 to 32 letters, digits, "_", "." or "-"', 'filter.institutionCode_in[1]'],
      [{ ref_in: ['x'.repeat(65)] }, 'A reference has 1 to 64 characters', 'filter.ref_in[0]'],
      [{ ref_in: ['A-001', 'A\u0000'] }, 'A value may not contain a NUL character', 'filter.ref_in[1]'],
      [{ not: { not: { not: { not: { not: { product_in: ['INDUSTRIAL'] } } } } } }, 'Filters nest at most 5 levels deep', 'filter.not.not.not.not.not'],
      [{ product_in: Array.from({ length: 101 }, () => 'INDUSTRIAL') }, 'A list in a filter has at most 100 items', 'filter.product_in'],
    ];
    for (const [filter, message, field] of cases) {
      expect([filter, await s.errors('regulator', LOANS, { filter })]).toEqual([filter, [{ message, code: 'BAD_USER_INPUT', field }]]);
    }
    // Scalars and enums are checked by GraphQL itself.
    for (const filter of [{ principal: { gte: '1e5' } }, { product_in: ['MORTGAGE'] }, { disbursedOn: { gte: '2020-02-30' } }]) {
      expect((await s.errors('regulator', LOANS, { filter })).map((e) => e.code)).toEqual(['BAD_USER_INPUT']);
    }
    expect(await s.errors('regulator', LOANS, { orderBy: [{ field: 'REF' }, { field: 'PRINCIPAL' }, { field: 'BALANCE' }, { field: 'MATURES_ON' }] })).toEqual([
      { message: 'orderBy takes at most 3 keys', code: 'BAD_USER_INPUT', field: 'orderBy' },
    ]);
    expect(await s.errors('regulator', LOANS, { orderBy: [{ field: 'REF' }, { field: 'REF', direction: 'DESC' }] })).toEqual([
      { message: 'orderBy names REF twice', code: 'BAD_USER_INPUT', field: 'orderBy[1].field' },
    ]);
  });
});

describe('ordering', () => {
  const refsOf = async (orderBy: unknown, asOf?: string) => (await loans('regulator', { orderBy, asOf })).refs;

  it('is total and stable: ties are broken by id in the direction of the first key', async () => {
    expect(await refsOf([{ field: 'PRINCIPAL' }])).toEqual(['A-002', 'A-003', 'B-001', 'A-001', 'A-005', 'A-004']);
    expect(await refsOf([{ field: 'PRINCIPAL', direction: 'DESC' }])).toEqual(['A-004', 'A-005', 'A-001', 'B-001', 'A-003', 'A-002']);
    expect(await refsOf([{ field: 'PRINCIPAL', direction: 'DESC' }, { field: 'DISBURSED_ON' }])).toEqual(['A-004', 'A-001', 'A-005', 'A-003', 'B-001', 'A-002']);
    expect(await refsOf([{ field: 'MATURES_ON', direction: 'DESC' }])).toEqual(['B-001', 'A-003', 'A-001', 'A-004', 'A-005', 'A-002']);
    expect(await refsOf([{ field: 'REF', direction: 'DESC' }])).toEqual(['B-001', 'A-005', 'A-004', 'A-003', 'A-002', 'A-001']);
  });

  it('puts missing values last in either direction, as of the connection’s date', async () => {
    expect(await refsOf([{ field: 'BALANCE' }])).toEqual(['A-002', 'B-001', 'A-001', 'A-003', 'A-004', 'A-005']);
    expect(await refsOf([{ field: 'BALANCE', direction: 'DESC' }])).toEqual(['A-004', 'A-003', 'A-001', 'B-001', 'A-002', 'A-005']);
    expect(await refsOf([{ field: 'BALANCE', direction: 'DESC' }], '2020-06-30')).toEqual(['A-001', 'A-003', 'A-002', 'B-001', 'A-005', 'A-004']);
    expect(await refsOf([{ field: 'OVERDUE_DAYS', direction: 'DESC' }, { field: 'REF' }], '2020-06-30')).toEqual(['A-003', 'A-001', 'A-002', 'A-004', 'A-005', 'B-001']);
  });

  it('pages through ties and missing values without losing or repeating a row, both ways', async () => {
    for (const [orderBy, asOf] of [
      [[{ field: 'PRINCIPAL' }], undefined],
      [[{ field: 'BALANCE', direction: 'DESC' }], undefined],
      [[{ field: 'BALANCE' }], '2020-06-30'],
      [[{ field: 'OVERDUE_DAYS', direction: 'DESC' }, { field: 'PRINCIPAL' }], '2020-06-30'],
    ] as const) {
      const all = (await loans('regulator', { orderBy, asOf })).refs;
      const forward: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 10; i += 1) {
        const page: Page = await loans('regulator', { orderBy, asOf, first: 1, after });
        forward.push(...page.refs);
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      const backward: string[] = [];
      let before: string | null = null;
      for (let i = 0; i < 10; i += 1) {
        const page: Page = await loans('regulator', { orderBy, asOf, last: 2, before });
        backward.unshift(...page.refs);
        if (!page.pageInfo.hasPreviousPage) break;
        before = page.pageInfo.startCursor;
      }
      expect([orderBy, forward, backward]).toEqual([orderBy, all, all]);
    }
  });

  it('counts every row under the filter when the page is ordered by a position key, on every page and alone', async () => {
    // Ordered by overdue days, a first page reads its count in its own statement; a page
    // after a cursor, or a count asked for alone, reads it separately: all agree.
    const orderBy = [{ field: 'OVERDUE_DAYS', direction: 'DESC' }];
    const asOf = '2020-06-30';
    const countAlone = async (filter: unknown, who = 'regulator') =>
      (await s.data(who, 'query ($f: LoanFilter, $o: [LoanOrder!], $a: Date) { loans(filter: $f, orderBy: $o, asOf: $a) { totalCount } }', { f: filter, o: orderBy, a: asOf })).loans
        .totalCount;
    for (const [who, filter, refs] of [
      ['regulator', null, ['A-003', 'A-001', 'A-002', 'A-004', 'A-005', 'B-001']],
      ['regulator', { overdueDays: { gte: 30 } }, ['A-003', 'A-001']],
      ['regulator', { overdueDays: { gte: 1000 } }, []],
      ['bankA', { overdueDays: { gte: 1 } }, ['A-003', 'A-001']],
    ] as const) {
      // `refs` in overdue order; the loans without overdue days tie, broken by id.
      const whole = await loans(who, { filter, orderBy, asOf });
      expect([who, filter, whole.refs.slice(0, 2), [...whole.refs].sort(), whole.totalCount]).toEqual([who, filter, refs.slice(0, 2), [...refs].sort(), refs.length]);
      expect(await countAlone(filter, who)).toBe(refs.length);
      const first = await loans(who, { filter, orderBy, asOf, first: 1 });
      expect([first.refs, first.totalCount, first.pageInfo.hasNextPage]).toEqual([whole.refs.slice(0, 1), refs.length, refs.length > 1]);
      if (refs.length > 1) {
        const second = await loans(who, { filter, orderBy, asOf, first: 1, after: first.pageInfo.endCursor });
        expect([second.refs, second.totalCount]).toEqual([[whole.refs[1]], refs.length]);
      }
      const last = await loans(who, { filter, orderBy, asOf, last: 1 });
      expect([last.refs, last.totalCount]).toEqual([whole.refs.slice(-1), refs.length]);
    }
  });

  it('orders households, counties and alerts by their own keys', async () => {
    const result = await s.data(
      'regulator',
      `{
        registered: households(orderBy: [{ field: REGISTERED_ON }]) { nodes { ref } }
        since: households(orderBy: [{ field: STATUS_SINCE, direction: DESC }]) { nodes { ref } }
        named: counties(filter: { area: "5223" }, orderBy: [{ field: NAME }], first: 3) { nodes { code } }
        bySeverity: alerts(orderBy: [{ field: SEVERITY, direction: DESC }]) { nodes { severity } }
        oldest: alerts(orderBy: [{ field: RAISED_AT }], first: 1) { nodes { subjectType } }
      }`,
    );
    const names = await withClient(db.url(), async (client) =>
      (await client.query("SELECT code FROM area WHERE level = 'COUNTY' AND code LIKE '5223%' ORDER BY name, code LIMIT 3")).rows.map((r) => ({ code: r.code })),
    );
    expect(result).toEqual({
      registered: { nodes: [{ ref: HA1 }, { ref: HB1 }, { ref: HA2 }, { ref: HA3 }, { ref: HA4 }] },
      since: { nodes: [{ ref: HA3 }, { ref: HA1 }, { ref: HA4 }, { ref: HA2 }, { ref: HB1 }] },
      named: { nodes: names },
      bySeverity: { nodes: [{ severity: 'CRITICAL' }, { severity: 'HIGH' }, { severity: 'MEDIUM' }, { severity: 'LOW' }] },
      oldest: { nodes: [{ subjectType: 'LOAN' }] },
    });
  });
});

describe('cursors of every key type', () => {
  it('page alerts by time and by severity, counties by name, households by a nullable date', async () => {
    const cases: Array<[string, string]> = [
      ['alerts', 'orderBy: [{ field: RAISED_AT }]'],
      ['alerts', 'orderBy: [{ field: SEVERITY, direction: DESC }, { field: UPDATED_AT }]'],
      ['households', 'orderBy: [{ field: REGISTERED_ON, direction: DESC }]'],
      ['counties', 'filter: { area: "5223" }, orderBy: [{ field: NAME }]'],
      ['insurancePolicies', 'orderBy: [{ field: PREMIUM }]'],
      ['guaranteeContracts', 'orderBy: [{ field: FEE_RATE, direction: DESC }]'],
      ['findings', 'orderBy: [{ field: DUE_ON }]'],
      ['enterprises', 'orderBy: [{ field: CREDIT_CODE }]'],
      ['institutions', 'filter: { code_in: ["TQ-BANK-A", "TQ-BANK-B", "TQ-INS", "TQ-GUA", "TQ-PBC"] }, orderBy: [{ field: NAME, direction: DESC }]'],
    ];
    for (const [field, args] of cases) {
      const query = `query ($after: String) { ${field}(${args}, first: 2, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } } }`;
      const all = (await s.data('regulator', `{ ${field}(${args}) { nodes { id } } }`))[field].nodes;
      const paged: unknown[] = [];
      let after: string | null = null;
      for (let i = 0; i < 10; i += 1) {
        const page: { pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: unknown[] } = (await s.data('regulator', query, { after }))[field];
        paged.push(...page.nodes);
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect([field, args, paged]).toEqual([field, args, all]);
    }
  });
});

describe('scoping', () => {
  it('gives each caller only its rows, and counts only those', async () => {
    const query = `{
      loans { totalCount nodes { ref } }
      households { totalCount nodes { ref } }
      insurancePolicies { totalCount nodes { ref } }
      guaranteeContracts { totalCount nodes { ref } }
      enterprises { totalCount nodes { creditCode } }
      findings { totalCount nodes { ref } }
      alerts { totalCount nodes { subjectType } }
    }`;
    const view = async (who: string) => {
      const r = await s.data(who, query);
      const pick = (c: { totalCount: number; nodes: Array<Record<string, string>> }) => {
        expect(c.totalCount).toBe(c.nodes.length);
        return c.nodes.map((n) => Object.values(n)[0]);
      };
      return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, pick(v as never)]));
    };
    expect(await view('bankA')).toEqual({
      loans: ['A-001', 'A-002', 'A-003', 'A-004', 'A-005'],
      households: [HA1, HA2, HA3],
      insurancePolicies: ['INS-001', 'INS-003'],
      guaranteeContracts: ['GUA-001', 'GUA-002', 'GUA-003'],
      enterprises: ['91522326MA6DL0XX1B'],
      findings: ['FD-001'],
      alerts: ['LOAN'],
    });
    expect(await view('bankB')).toEqual({
      loans: ['B-001'], households: [HB1], insurancePolicies: [], guaranteeContracts: [], enterprises: [], findings: ['FD-003'], alerts: ['COUNTY'],
    });
    expect(await view('insurer')).toEqual({
      loans: ['A-001', 'A-003'],
      households: [HA1, HA2, HA4],
      insurancePolicies: ['INS-001', 'INS-003', 'INS-002'],
      guaranteeContracts: [],
      enterprises: [],
      findings: ['FD-002'],
      alerts: ['CLAIM'],
    });
    expect(await view('guarantor')).toEqual({
      loans: ['A-001', 'A-003', 'A-004'],
      households: [HA1, HA2],
      insurancePolicies: [],
      guaranteeContracts: ['GUA-001', 'GUA-002', 'GUA-003'],
      enterprises: ['91522326MA6DL0XX1B'],
      findings: [],
      alerts: [],
    });
    expect(await view('govA')).toEqual({
      loans: ['A-001', 'A-002', 'A-003', 'A-004', 'A-005'],
      households: [HA1, HA2, HA3, HA4],
      insurancePolicies: ['INS-001', 'INS-003', 'INS-002'],
      guaranteeContracts: ['GUA-001', 'GUA-002', 'GUA-003'],
      enterprises: ['91522326MA6DL0XX1B'],
      findings: ['FD-002', 'FD-001'],
      alerts: ['COUNTY', 'LOAN'],
    });
    expect(await view('regulatorB')).toEqual({
      loans: ['B-001'], households: [HB1], insurancePolicies: [], guaranteeContracts: [], enterprises: ['91522324MA6DL0XX2C'], findings: ['FD-003'], alerts: ['COUNTY'],
    });
    expect(await view('analyst')).toEqual({ loans: [], households: [], insurancePolicies: [], guaranteeContracts: [], enterprises: [], findings: [], alerts: [] });
  });

  it('never widens with a filter, and a bank’s loan count is its own whatever the page', async () => {
    expect(await loans('bankA', { filter: { institutionCode_in: ['TQ-BANK-B'] } })).toEqual({
      refs: [], totalCount: 0, cursors: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
    const page = await loans('bankA', { first: 2, orderBy: [{ field: 'BALANCE', direction: 'DESC' }] });
    expect([page.refs, page.totalCount]).toEqual([['A-004', 'A-003'], 5]);
    // Reference data is everyone's, the analyst's too.
    const institutions = await s.data('analyst', '{ institutions(filter: { code_in: ["TQ-BANK-B"] }) { totalCount nodes { code name } } }');
    expect(institutions).toEqual({ institutions: { totalCount: 1, nodes: [{ code: 'TQ-BANK-B', name: '晴隆县村镇银行' }] } });
  });
});

/**
 * The number of SQL statements an operation issues depends on its shape only: one per
 * nesting level (and per `totalCount` asked for), never on page sizes or on how many
 * rows there are. Each representative deep operation is counted exactly, at two page
 * sizes and before and after the data grows, so that an N+1 regression fails here.
 */
import './reset-orm-metadata';
import { Client } from 'pg';
import { withClient } from '../../src/db/admin';
import { encryptPii, parseKeyring } from '../../src/services/identity';
import { forgetReferenceData } from '../../src/services/reference/reference-cache';
import { statementsDuring, useTestDatabase } from '../helpers';
import { A, startSurface, VA1, type SurfaceServer } from './surface-world';

const db = useTestDatabase();
let s: SurfaceServer;
let ids: Record<string, string>;

const piiKeyring = parseKeyring(`v1:${Buffer.alloc(32, 7).toString('base64')}`, 'k');

/**
 * Adds `households` registered households to county A, each with `loansEach` loans of
 * bank A, every loan with a position, a guarantee and a policy LINKED to it, every
 * policy with `claimsEach` claims.
 */
async function grow(client: Client, offset: number, households: number, loansEach: number, claimsEach: number): Promise<void> {
  const batch = (await client.query<{ id: string }>(
    `INSERT INTO ingest_batch (institution_id, external_id, kind, payload_hash, item_count) VALUES ($1, $2, 'test', $3, 0) RETURNING id`,
    [ids.bankA, `bulk-${offset}`, 'b'.repeat(64)],
  )).rows[0].id;
  const params = { bank: ids.bankA, insurer: ids.insurer, guarantor: ids.guarantor, batch };
  await client.query(
    `INSERT INTO household (source_institution_id, batch_id, ref, village_code, county_code, name_enc, pii_key_version, status, status_since, registered_on)
     SELECT $1, $2, 'H' || upper(lpad(to_hex($3::int + g), 12, '0')), $4, $5, $6, 1, 'REGISTERED_POOR', '2016-03-01', '2016-03-01'
       FROM generate_series(1, $7::int) g`,
    [params.bank, batch, offset, VA1, A, encryptPii(piiKeyring, '批量户'), households],
  );
  await client.query(
    `INSERT INTO household_status_change (source_institution_id, batch_id, household_id, county_code, status, valid_from)
     SELECT $1, $2, h.id, h.county_code, 'REGISTERED_POOR', '2016-03-01' FROM household h WHERE h.batch_id = $2`,
    [params.bank, batch],
  );
  await client.query(
    `INSERT INTO loan (source_institution_id, batch_id, institution_id, ref, county_code, product, borrower_kind, household_id, principal, disbursed_on,
                       matures_on, annual_rate, guarantee_mode, paid_to_account)
     SELECT $1, $2, $1, 'BULK-' || h.id || '-' || j, h.county_code, 'POVERTY_MICROCREDIT', 'HOUSEHOLD', h.id, 10000 + j * 1000, DATE '2019-01-01' + j,
            DATE '2022-01-01' + j, 0.0435, 'MIXED', 'HOUSEHOLD'
       FROM household h CROSS JOIN generate_series(1, $3::int) j WHERE h.batch_id = $2`,
    [params.bank, batch, loansEach],
  );
  await client.query(
    `INSERT INTO loan_position (source_institution_id, batch_id, loan_id, county_code, institution_id, month_end, version, is_latest, balance,
                                overdue_principal, overdue_days, five_class)
     SELECT $1, $2, l.id, l.county_code, $1, m, 1, true, l.principal, 0, 0, 'NORMAL'
       FROM loan l CROSS JOIN (VALUES (DATE '2019-12-31'), (DATE '2020-06-30')) AS months(m) WHERE l.batch_id = $2`,
    [params.bank, batch],
  );
  await client.query(
    `INSERT INTO guarantee_contract (source_institution_id, batch_id, institution_id, ref, county_code, borrower_kind, household_id, guaranteed_amount,
                                     fee_rate, guarantor_share, bank_share, government_share, reguarantee_share, starts_on, ends_on)
     SELECT $1, $2, $1, 'GB-' || l.id, l.county_code, 'HOUSEHOLD', l.household_id, l.principal, 0.008, 0.4, 0.2, 0.1, 0.3, l.disbursed_on, l.matures_on
       FROM loan l WHERE l.batch_id = $2`,
    [params.guarantor, batch],
  );
  await client.query(
    `INSERT INTO insurance_policy (source_institution_id, batch_id, institution_id, ref, county_code, line, subject, quantity, unit, sum_insured, premium,
                                   central_share, provincial_share, county_share, farmer_share, poverty_fund_share, starts_on, ends_on, holder_kind, household_id)
     SELECT $1, $2, $1, 'PB-' || l.id, l.county_code, 'CREDIT_LINKED', '保证保险', 1, 'YUAN', l.principal, 100, 0, 0, 0, 0, 100, l.disbursed_on, l.matures_on,
            'HOUSEHOLD', l.household_id
       FROM loan l WHERE l.batch_id = $2`,
    [params.insurer, batch],
  );
  await client.query(
    `INSERT INTO contract_link (source_institution_id, batch_id, guarantee_id, policy_id, submitter_id, bank_code, loan_ref, loan_id, status, linked_at, county_code)
     SELECT g.source_institution_id, $1, g.id, NULL, g.institution_id, 'TQ-BANK-A', l.ref, l.id, 'LINKED', now(), l.county_code
       FROM guarantee_contract g JOIN loan l ON g.ref = 'GB-' || l.id WHERE l.batch_id = $1
     UNION ALL
     SELECT p.source_institution_id, $1, NULL, p.id, p.institution_id, 'TQ-BANK-A', l.ref, l.id, 'LINKED', now(), l.county_code
       FROM insurance_policy p JOIN loan l ON p.ref = 'PB-' || l.id WHERE l.batch_id = $1`,
    [batch],
  );
  await client.query(
    `INSERT INTO claim (source_institution_id, batch_id, policy_id, institution_id, ref, county_code, cause, loss_on)
     SELECT p.institution_id, $1, p.id, p.institution_id, 'CB-' || p.id || '-' || j, p.county_code, 'FLOOD', DATE '2020-07-01' + j
       FROM insurance_policy p JOIN loan l ON p.ref = 'PB-' || l.id CROSS JOIN generate_series(1, $2::int) j WHERE l.batch_id = $1`,
    [batch, claimsEach],
  );
}

const countStatements = statementsDuring;

/** Runs an operation as the regulator; returns its data and the statements it issued. */
async function measure(query: string, variables: Record<string, unknown>, who = 'regulator', warm = false): Promise<{ data: Record<string, any>; statements: string[] }> {
  // Reference rows (institutions, areas) are cached per process for a few seconds: each
  // count starts from a cold cache unless asked otherwise, so that it never depends on timing.
  if (!warm) forgetReferenceData();
  let data: Record<string, any> = {};
  const statements = await countStatements(async () => {
    data = await s.data(who, query, variables);
  });
  return { data, statements };
}

/** The deep operation of the issue: a county → 100 households → loans → guarantees + policies → claims. */
const COUNTY_DEEP = `query CountyDeep($households: Int, $loans: Int) {
  county(code: "${A}") {
    name
    households(first: $households) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        ref
        loans(first: $loans) {
          nodes {
            ref principal
            position { balance fiveClass }
            guarantees(first: 3) { nodes { ref guaranteedAmount } }
            linkedPolicies(first: 3) { nodes { ref claims(first: 5) { nodes { ref lossOn } } } }
          }
        }
      }
    }
  }
}`;

/** A bank's loan book with each loan's borrower, history and package. */
const LOAN_BOOK = `query LoanBook($first: Int) {
  loans(first: $first, filter: { borrowerKind_in: [HOUSEHOLD] }, orderBy: [{ field: BALANCE, direction: DESC }], asOf: "2020-06-30") {
    totalCount
    nodes {
      ref
      borrower { ... on Household { ref headName statusHistory { status validFrom } } }
      position(asOf: "2020-06-30") { balance }
      combinedModel(asOf: "2020-06-30")
      positions(first: 3) { nodes { monthEnd balance } }
      versions { nodes { version } }
      modifications { totalCount }
      repayments { totalCount }
    }
  }
}`;

/** Households with their cover: policies → claims and insured lists, guarantees → compensations. */
const COVER = `query Cover($first: Int) {
  households(first: $first, filter: { area: "${A}" }) {
    nodes {
      ref
      combinedModels
      policies(first: 5) { nodes { ref claims(first: 2) { totalCount nodes { ref } } insuredHouseholds(first: 2) { totalCount } } }
      guarantees(first: 5) { nodes { ref compensations(first: 2) { nodes { amount recovered } } } }
    }
  }
}`;

let compiled: SurfaceServer;

beforeAll(async () => {
  // The per-field resolvers and their loaders: what answers every shape the compiled read
  // path (src/compiled/) does not cover, so it must stay free of N+1 on its own.
  s = await startSurface(db, { compiledReads: false });
  ids = s.world.ids;
  compiled = await startSurface(db, { seed: async () => s.world });
  await withClient(db.url(), (client) => grow(client, 0x100000, 120, 3, 2));
}, 120_000);

describe('SQL statements per operation, compiled', () => {
  it('the deep county operation is one statement besides the budget, whatever the page sizes and data', async () => {
    const counted = async (variables: Record<string, unknown>) => {
      forgetReferenceData();
      let data: Record<string, any> = {};
      const statements = await countStatements(async () => {
        data = await compiled.data('regulator', COUNTY_DEEP, variables);
      });
      return { data, statements };
    };
    const big = await counted({ households: 100, loans: 5 });
    const small = await counted({ households: 3, loans: 1 });
    expect(big.data.county.households.nodes).toHaveLength(100);
    expect(small.data.county.households.nodes).toHaveLength(3);
    // The daily budget's check and charge, and the operation's one statement.
    expect(big.statements).toHaveLength(2);
    expect(small.statements).toHaveLength(2);
    // The same answer as the resolvers give.
    expect(big.data).toEqual((await measure(COUNTY_DEEP, { households: 100, loans: 5 })).data);
  });
});

describe('SQL statements per operation', () => {
  it('county → 100 households → loans → guarantees + policies → claims: one statement per level, whatever the page sizes and data', async () => {
    const big = await measure(COUNTY_DEEP, { households: 100, loans: 5 });
    const nodes = big.data.county.households.nodes as Array<{ loans: { nodes: Array<{ linkedPolicies: { nodes: Array<{ claims: { nodes: unknown[] } }> } }> } }>;
    expect(nodes).toHaveLength(100);
    expect(nodes.flatMap((h) => h.loans.nodes)).toHaveLength(4 + 96 * 3);
    expect(nodes.flatMap((h) => h.loans.nodes.flatMap((l) => l.linkedPolicies.nodes.flatMap((p) => p.claims.nodes))).length).toBeGreaterThan(190);
    const small = await measure(COUNTY_DEEP, { households: 3, loans: 1 });
    expect(small.data.county.households.nodes).toHaveLength(3);

    await withClient(db.url(), (client) => grow(client, 0x200000, 150, 5, 3));
    const grown = await measure(COUNTY_DEEP, { households: 100, loans: 5 });
    expect(grown.data.county.households.totalCount).toBe(4 + 120 + 150);

    // The daily budget's check and charge (one statement); the county; the households
    // page and their count; the loans of all 100; their positions; their guarantees;
    // their policies; the claims of all those policies.
    expect(big.statements).toHaveLength(9);
    expect(small.statements).toHaveLength(big.statements.length);
    expect(grown.statements).toHaveLength(big.statements.length);

    // Once read, the county (public reference data) comes from the process cache.
    const warm = await measure(COUNTY_DEEP, { households: 100, loans: 5 }, 'regulator', true);
    expect(warm.data).toEqual(grown.data);
    expect(warm.statements).toHaveLength(big.statements.length - 1);
    expect(warm.statements.some((text) => /FROM area a WHERE/.test(text))).toBe(false);
  });

  it('a loan book of 100 loans with borrowers, PII, history and packages', async () => {
    const big = await measure(LOAN_BOOK, { first: 100 });
    expect(big.data.loans.nodes).toHaveLength(100);
    const small = await measure(LOAN_BOOK, { first: 2 });
    expect(small.data.loans.nodes).toHaveLength(2);
    // Budget check and charge; loans page and count (one statement: the page is ordered
    // by balance, a position key, so it sorts every loan anyway and counts them in the
    // same pass); borrowers; their status histories; positions as of the date; links
    // (combined model); position pages; versions; the counts of modifications and of
    // repayments (only the counts: no page is read); the PII read audit.
    expect(big.statements).toHaveLength(11);
    expect(small.statements).toHaveLength(big.statements.length);
    expect(big.statements.filter((text) => /count\(\*\) OVER \(\)/.test(text))).toHaveLength(1);
    expect(big.statements.filter((text) => /SELECT count\(\*\)::int AS n FROM loan\b/.test(text))).toHaveLength(0);
    expect(big.data.loans.totalCount).toBe(small.data.loans.totalCount);

    // The next page (a cursor) cannot count in the page's statement: one more statement,
    // and the same count.
    const cursor = (await s.data('regulator', LOAN_BOOK.replace('totalCount', 'totalCount pageInfo { endCursor }'), { first: 2 })).loans.pageInfo.endCursor;
    const next = await measure(LOAN_BOOK.replace('$first: Int', '$first: Int, $after: String').replace('first: $first,', 'first: $first, after: $after,'), { first: 2, after: cursor });
    expect(next.statements).toHaveLength(big.statements.length + 1);
    expect(next.data.loans.totalCount).toBe(big.data.loans.totalCount);
  });

  it('households with policies → claims and insured lists, guarantees → compensations', async () => {
    const big = await measure(COVER, { first: 100 });
    expect(big.data.households.nodes).toHaveLength(100);
    const small = await measure(COVER, { first: 1 });
    expect(small.data.households.nodes).toHaveLength(1);
    // Budget check and charge; households; combined models; policies; claims and their
    // counts; the insured lists' counts; guarantees; compensations.
    expect(big.statements).toHaveLength(9);
    expect(small.statements).toHaveLength(big.statements.length);
  });

  it('detail lists: service point activity, compensation recoveries, fund agreements and movements', async () => {
    const DETAIL = `query Detail($first: Int) {
      county(code: "${A}") {
        servicePoints(first: $first) { nodes { ref monthlyActivity { month transactions } } }
        guarantees(first: $first, filter: { ref_in: ["GUA-002"] }) { nodes { compensations(first: $first) { nodes { ref recoveries { ref amount } } } } }
        loans(first: $first, filter: { ref_in: ["A-001"] }) { nodes { riskCompensationFund { ref agreements { bankShare } movements { ref } } } }
      }
    }`;
    const big = await measure(DETAIL, { first: 20 });
    const small = await measure(DETAIL, { first: 1 });
    expect(big.data.county.guarantees.nodes).toEqual([{ compensations: { nodes: [{ ref: 'CP-001', recoveries: [{ ref: 'REC-001', amount: '2000.00' }] }] } }]);
    expect(big.data.county.loans.nodes).toEqual([{ riskCompensationFund: { ref: 'RCF-001', agreements: [{ bankShare: '0.300000' }], movements: [] } }]);
    // Budget check and charge; the county; service points and their activity; guarantees,
    // their compensations and those's recoveries; loans, their funds, the funds'
    // agreements and movements.
    expect(big.statements).toHaveLength(11);
    expect(small.statements).toHaveLength(big.statements.length);
  });

  it('a partner’s scoped view costs the same statements as a regulator’s', async () => {
    const regulator = await measure(COUNTY_DEEP, { households: 50, loans: 2 });
    const bank = await measure(COUNTY_DEEP, { households: 50, loans: 2 }, 'bankA');
    const insurer = await measure(COUNTY_DEEP, { households: 50, loans: 2 }, 'insurer');
    expect([bank.statements.length, insurer.statements.length]).toEqual([regulator.statements.length, regulator.statements.length]);
  });
});

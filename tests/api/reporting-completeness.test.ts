/**
 * `reportingCompleteness` over real HTTP, on crafted loans and positions whose arrival
 * times straddle the deadline (the 15th of the following month, China time): expected,
 * arrived, missing, late, corrected and unexpected counts, the capped lists, and who may
 * read it — a bank its own, a regulator any bank's within its area, nobody else.
 */
import './reset-orm-metadata';
import { useTestDatabase } from '../helpers';
import { COUNTY, gid, OTHER_COUNTY, useIngestionWorld } from './ingestion-world';

const db = useTestDatabase();
const world = useIngestionWorld(db);

const QUERY = /* GraphQL */ `
  query Completeness($code: String!, $month: Date!, $limit: Int) {
    reportingCompleteness(institutionCode: $code, month: $month, limit: $limit) {
      institutionCode monthEnd deadline expected arrived missing late corrected unexpected
      missingLoans { id ref countyCode disbursedOn firstReceivedAt latestReceivedAt versions }
      lateLoans { ref firstReceivedAt versions }
      correctedLoans { ref firstReceivedAt latestReceivedAt versions }
    }
  }
`;

const loanIds: Record<string, string> = {};

/**
 * March 2020 of T-BANK (county 522326), deadline 2020-04-15 China time:
 * - L-A on time; L-B first arrived 00:30 on the 16th China time (late);
 * - L-C disbursed on the month end, on time at 23:59 on the 15th, corrected on 2 May;
 * - L-D missing; L-E closed during March, still due, missing;
 * - L-F closed in February yet reported (unexpected); L-G disbursed in April (not due);
 * - L-H in another county (for an area-scoped regulator), on time.
 */
beforeAll(async () => {
  const [batch] = await world.sql(
    `INSERT INTO ingest_batch (institution_id, external_id, kind, payload_hash, item_count) VALUES ($1, 'completeness-seed', 'upsertLoans', $2, 1) RETURNING id::text AS id`,
    [world.ids.bank, 'e'.repeat(64)],
  );
  const loan = async (ref: string, county: string, disbursedOn: string, closedOn: string | null = null) => {
    const [row] = await world.sql(
      `INSERT INTO loan (source_institution_id, batch_id, received_at, institution_id, ref, county_code, product, borrower_kind, household_id, principal,
                         disbursed_on, matures_on, annual_rate, guarantee_mode, paid_to_account, closed_on, closure)
       VALUES ($1, $2, '2020-01-01T00:00:00Z', $1, $3, $4, 'POVERTY_MICROCREDIT', 'HOUSEHOLD', $5, '30000', $6, '2023-01-01', '0.0435', 'CREDIT', 'HOUSEHOLD', $7::date,
               CASE WHEN $7::date IS NULL THEN NULL ELSE 'SETTLED' END)
       RETURNING id::text AS id`,
      [world.ids.bank, batch.id, ref, county, world.ids.known, disbursedOn, closedOn],
    );
    loanIds[ref] = row.id;
  };
  await loan('L-A', COUNTY, '2020-01-10');
  await loan('L-B', COUNTY, '2020-02-01');
  await loan('L-C', COUNTY, '2020-03-31');
  await loan('L-D', COUNTY, '2020-03-05');
  await loan('L-E', COUNTY, '2019-05-01', '2020-03-01');
  await loan('L-F', COUNTY, '2019-05-01', '2020-02-28');
  await loan('L-G', COUNTY, '2020-04-01');
  await loan('L-H', OTHER_COUNTY, '2020-01-10');

  const position = (ref: string, version: number, latest: boolean, receivedAt: string) =>
    world.sql(
      `INSERT INTO loan_position (source_institution_id, batch_id, received_at, loan_id, county_code, institution_id, month_end, version, is_latest,
                                  balance, overdue_principal, overdue_days, five_class)
       SELECT $1, $2, $3, l.id, l.county_code, l.institution_id, '2020-03-31', $4, $5, '30000', '0', 0, 'NORMAL' FROM loan l WHERE l.id = $6`,
      [world.ids.bank, batch.id, receivedAt, version, latest, loanIds[ref]],
    );
  await position('L-A', 1, true, '2020-04-10T02:00:00Z');
  await position('L-B', 1, true, '2020-04-15T16:30:00Z');
  await position('L-C', 1, false, '2020-04-15T15:59:00Z');
  await position('L-C', 2, true, '2020-05-02T03:00:00Z');
  await position('L-F', 1, true, '2020-04-01T00:00:00Z');
  await position('L-H', 1, true, '2020-04-02T00:00:00Z');
  // Another month, which must not count.
  await world.sql(
    `INSERT INTO loan_position (source_institution_id, batch_id, received_at, loan_id, county_code, institution_id, month_end, version, is_latest,
                                balance, overdue_principal, overdue_days, five_class)
     VALUES ($1, $2, '2020-05-20T00:00:00Z', $3, $4, $1, '2020-04-30', 1, true, '30000', '0', 0, 'NORMAL')`,
    [world.ids.bank, batch.id, loanIds['L-D'], COUNTY],
  );
  world.principals.countyRegulator = { role: 'REGULATOR', institutionId: null, institutionCode: null, areaCodes: [COUNTY] };
});

const read = (who: string, month: string, limit?: number, code = 'T-BANK') => world.data(who, QUERY, { code, month, limit });

test('counts and lists for a month, by reference, with the deadline in China time', async () => {
  const { reportingCompleteness: answer } = await read('bank', '2020-03-17');
  expect(answer).toEqual({
    institutionCode: 'T-BANK',
    monthEnd: '2020-03-31',
    deadline: '2020-04-15',
    expected: 6,
    arrived: 4,
    missing: 2,
    late: 1,
    corrected: 1,
    unexpected: 1,
    missingLoans: [
      {
        id: gid('Loan', loanIds['L-D']),
        ref: 'L-D',
        countyCode: COUNTY,
        disbursedOn: '2020-03-05',
        firstReceivedAt: null,
        latestReceivedAt: null,
        versions: 0,
      },
      { id: gid('Loan', loanIds['L-E']), ref: 'L-E', countyCode: COUNTY, disbursedOn: '2019-05-01', firstReceivedAt: null, latestReceivedAt: null, versions: 0 },
    ],
    lateLoans: [{ ref: 'L-B', firstReceivedAt: '2020-04-15T16:30:00.000Z', versions: 1 }],
    correctedLoans: [{ ref: 'L-C', firstReceivedAt: '2020-04-15T15:59:00.000Z', latestReceivedAt: '2020-05-02T03:00:00.000Z', versions: 2 }],
  });
});

test('lists are capped by limit while the counts stay complete', async () => {
  const { reportingCompleteness: answer } = await read('bank', '2020-03-01', 1);
  expect([answer.missing, answer.missingLoans.map((l: { ref: string }) => l.ref)]).toEqual([2, ['L-D']]);
  const none = (await read('bank', '2020-03-01', 0)).reportingCompleteness;
  expect([none.expected, none.missingLoans, none.lateLoans, none.correctedLoans]).toEqual([6, [], [], []]);
  const { body } = await world.gql('bank', QUERY, { code: 'T-BANK', month: '2020-03-01', limit: 1001 });
  expect(body.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'limit', reason: 'OUT_OF_RANGE' });
});

test('another month counts its own loans and positions', async () => {
  const { reportingCompleteness: april } = await read('bank', '2020-04-30');
  // L-A, L-B, L-C, L-D, L-G, L-H are active in April; only L-D reported.
  expect([april.expected, april.arrived, april.missing, april.late, april.corrected, april.unexpected]).toEqual([6, 1, 5, 1, 0, 0]);
  expect(april.deadline).toBe('2020-05-15');
});

test('a regulator reads any bank within its area; a bank only its own; everyone else is refused', async () => {
  const nation = (await read('regulator', '2020-03-31')).reportingCompleteness;
  expect([nation.expected, nation.arrived, nation.missing]).toEqual([6, 4, 2]);
  // The county regulator does not count L-H, made in another county.
  const county = (await read('countyRegulator', '2020-03-31')).reportingCompleteness;
  expect([county.expected, county.arrived, county.missing, county.late, county.corrected]).toEqual([5, 3, 2, 1, 1]);

  // A competitor's completeness is refused, exactly as for a code that does not exist.
  const competitor = await world.gql('otherBank', QUERY, { code: 'T-BANK', month: '2020-03-31' });
  const nonexistent = await world.gql('otherBank', QUERY, { code: 'NO-SUCH-BANK', month: '2020-03-31' });
  expect(competitor.body.data).toBeNull();
  expect(competitor.body.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN' });
  expect(nonexistent.body).toEqual(competitor.body);
  // Its own book is readable (and empty for March: its one loan is the seeded OB-1 disbursed 2020-01-20, not reported).
  const own = (await read('otherBank', '2020-03-31', 10, 'T-BANK-2')).reportingCompleteness;
  expect([own.expected, own.arrived, own.missing, own.missingLoans.map((l: { ref: string }) => l.ref)]).toEqual([1, 0, 1, ['OB-1']]);

  for (const who of ['insurer', 'guarantor', 'government', 'analyst']) {
    const { body } = await world.gql(who, QUERY, { code: 'T-BANK', month: '2020-03-31' });
    expect([who, body.errors?.[0].extensions]).toEqual([who, { code: 'FORBIDDEN' }]);
  }
  const unknown = await world.gql('regulator', QUERY, { code: 'NO-SUCH-BANK', month: '2020-03-31' });
  expect(unknown.body.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND' });
});

/**
 * The deterministic demo generator against real databases: a small data set is seeded
 * twice with one seed (into this file's database and a twin) and once with another,
 * and the generator's invariants are checked in SQL over what it wrote.
 */
import { Client } from 'pg';
import { createDatabase, dropDatabase, withClient, withDatabase } from '../src/db/admin';
import { decryptPii, deterministicHouseholdRef, generateKeyringSpec, matchHash, parseKeyring } from '../src/services/identity';
import {
  canonicalJson,
  DEMO_DEFAULT_HOUSEHOLDS,
  DEMO_TABLES,
  demoContentHash,
  demoHeadNationalId,
  DemoSeedError,
  seedDemo,
  sha256Hex,
  type DemoSummary,
} from '../src/services/demo';
import { readHarnessEnv, useTestDatabase } from './helpers';

const HOUSEHOLDS = 400;
const SEED = 20201231;
const OTHER_SEED = 7;
const KEYS = { matchKeys: generateKeyringSpec(1), piiKeys: generateKeyringSpec(1) };
const SLOW = 300_000;

const db = useTestDatabase();
const harness = readHarnessEnv();
const twinName = `${harness.runPrefix}_demo_twin`;
const otherName = `${harness.runPrefix}_demo_other`;
const twinUrl = (): string => withDatabase(harness.adminUrl, twinName);
const otherUrl = (): string => withDatabase(harness.adminUrl, otherName);
let client: Client;
let summary: DemoSummary;

/** Rows of one query on this file's (seeded) database. */
async function rows<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await client.query<T>(sql, params)).rows;
}

/** The single row of a query returning counts, as numbers. */
async function counts(sql: string, params: unknown[] = []): Promise<Record<string, number>> {
  const [row] = await rows<Record<string, string | number>>(sql, params);
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
}

beforeAll(async () => {
  await createDatabase(harness.adminUrl, twinName, { template: harness.template });
  await createDatabase(harness.adminUrl, otherName, { template: harness.template });
  const options = { households: HOUSEHOLDS, seed: SEED, ...KEYS };
  [summary] = await Promise.all([seedDemo(db.url(), options), seedDemo(twinUrl(), options)]);
  client = new Client({ connectionString: db.url() });
  await client.connect();
  db.onTeardown(() => client.end());
}, SLOW);

afterAll(async () => {
  await dropDatabase(harness.adminUrl, twinName);
  await dropDatabase(harness.adminUrl, otherName);
});

test('the default size is 6,000 households', () => {
  expect(DEMO_DEFAULT_HOUSEHOLDS).toBe(6000);
});

test('the summary counts exactly the rows in each table', async () => {
  const inDatabase: Record<string, number> = {};
  for (const table of DEMO_TABLES) {
    // Reference designations are there before the demo; the demo adds demo-only ones.
    const where = table === 'area_designation' ? ' where demo_only' : '';
    inDatabase[table] = (await counts(`select count(*) as n from "${table}"${where}`)).n;
  }
  expect(inDatabase).toEqual(summary.counts);
  expect(summary.households).toBe(HOUSEHOLDS);
  expect(summary.counts.household).toBe(HOUSEHOLDS);
  expect(summary.totalRows).toBe(Object.values(summary.counts).reduce((s, n) => s + n, 0));
  expect(summary.batches).toBe(summary.counts.ingest_batch);
});

test(
  'the same seed and size give the same content; a crashed run leaves nothing; another seed gives other content',
  async () => {
    const [mine, twin] = await Promise.all([demoContentHash(db.url()), demoContentHash(twinUrl())]);
    expect(twin).toEqual(mine);

    // A failure half-way (a conflicting institution code) rolls everything back.
    await withClient(otherUrl(), (c) =>
      c.query(`insert into institution (code, name, kind, home_area_code) values ('GOV-653022', 'conflict', 'GOVERNMENT', '653022')`),
    );
    await expect(seedDemo(otherUrl(), { households: HOUSEHOLDS, seed: OTHER_SEED, ...KEYS })).rejects.toThrow(/institution_code_unique/);
    const left = await withClient(otherUrl(), async (c) =>
      (
        await c.query(
          `select (select count(*)::int from institution) as institutions, (select count(*)::int from ingest_batch) as batches,
                  (select count(*)::int from household) as households, (select count(*)::int from loan) as loans,
                  (select count(*)::int from area_designation where demo_only) as designations`,
        )
      ).rows[0],
    );
    expect(left).toEqual({ institutions: 1, batches: 0, households: 0, loans: 0, designations: 0 });

    await withClient(otherUrl(), (c) => c.query(`delete from institution where code = 'GOV-653022'`));
    await seedDemo(otherUrl(), { households: HOUSEHOLDS, seed: OTHER_SEED, ...KEYS });
    const other = await demoContentHash(otherUrl());
    expect(other.overall).not.toBe(mine.overall);
    expect(other.tables.household).not.toBe(mine.tables.household);
    expect(other.tables.loan).not.toBe(mine.tables.loan);
  },
  SLOW,
);

test('seeding a database that already holds the demo data is refused', async () => {
  await expect(seedDemo(db.url(), { households: 10, seed: SEED, ...KEYS })).rejects.toBeInstanceOf(DemoSeedError);
  expect(await counts('select count(*) as households from household')).toEqual({ households: HOUSEHOLDS });
});

test('every combined service model is present', async () => {
  const models = await rows<{ model: string }>(
    `with m as (
       select l.id, bool_or(c.policy_id is not null) as insured, bool_or(c.guarantee_id is not null) as guaranteed
         from loan l left join contract_link c on c.loan_id = l.id and c.status = 'LINKED' group by l.id)
     select distinct case when insured and guaranteed then 'BANK_INSURANCE_GUARANTEE' when insured then 'LOAN_INSURANCE'
                          when guaranteed then 'LOAN_GUARANTEE' else 'LOAN_ONLY' end as model from m order by 1`,
  );
  expect(models.map((m) => m.model)).toEqual(['BANK_INSURANCE_GUARANTEE', 'LOAN_GUARANTEE', 'LOAN_INSURANCE', 'LOAN_ONLY']);
});

test('each household’s status is its latest dated change, with a plausible history', async () => {
  expect(
    await counts(
      `with latest as (
         select distinct on (household_id) household_id, status, valid_from, exit_year from household_status_change order by household_id, valid_from desc)
       select
         (select count(*) from household h join latest l on l.household_id = h.id
           where (h.status, h.status_since, h.exit_year) is distinct from (l.status, l.valid_from, l.exit_year)) as not_latest,
         (select count(*) from household h where not exists (select 1 from household_status_change s where s.household_id = h.id)) as without_history,
         (select count(*) from household where status = 'REGISTERED_POOR') as still_poor_at_end,
         (select count(*) from household_status_change where status = 'LIFTED_OUT'
           and (exit_year <> extract(year from valid_from) or valid_from > '2020-11-20')) as bad_exits,
         (select count(*) from household_status_change where status = 'MARGINAL' and valid_from < '2020-03-01') as early_marginal,
         (select count(*) from household h where h.registered_on is distinct from
           (select min(valid_from) from household_status_change s where s.household_id = h.id and s.status = 'REGISTERED_POOR')) as bad_registered_on,
         (select count(*) from household_status_change s join household h on h.id = s.household_id
           where s.county_code <> h.county_code or s.source_institution_id <> (select id from institution where code = 'GOV-' || h.county_code)) as wrong_reporter`,
    ),
  ).toEqual({ not_latest: 0, without_history: 0, still_poor_at_end: 0, bad_exits: 0, early_marginal: 0, bad_registered_on: 0, wrong_reporter: 0 });
  const mix = await rows<{ status: string }>('select distinct status from household order by 1');
  expect(mix.map((m) => m.status)).toEqual(['LIFTED_OUT', 'MARGINAL', 'OTHER']);
  const exits = await rows<{ year: number }>(`select distinct exit_year as year from household_status_change where status = 'LIFTED_OUT' order by 1`);
  expect(exits.map((e) => e.year)).toEqual([2016, 2017, 2018, 2019, 2020]);
});

test('households live in real villages of the 52 uncapped counties, mostly villagers’ committees', async () => {
  expect(
    await counts(
      `select
         count(*) filter (where v.level is distinct from 'VILLAGE' or h.county_code <> left(h.village_code, 6)) as wrong_place,
         count(*) filter (where not exists (select 1 from area_designation d where d.area_code = h.county_code and d.kind = 'UNCAPPED_2020')) as outside,
         count(distinct h.county_code) as counties
       from household h left join area v on v.code = h.village_code`,
    ),
  ).toEqual({ wrong_place: 0, outside: 0, counties: 52 });
  const { share } = await counts(`select avg((substr(village_code, 10, 3) between '200' and '399')::int) as share from household`);
  expect(share).toBeGreaterThan(0.9);
});

test('loans have a position for every month end they are outstanding, and none outside', async () => {
  expect(
    await counts(
      `with months as (select (date_trunc('month', g) + interval '1 month - 1 day')::date as month_end
                         from generate_series('2019-01-01'::date, '2020-12-01', interval '1 month') g)
       select
         (select count(*) from loan l where not exists (select 1 from loan_position p where p.loan_id = l.id)) as without_positions,
         (select count(*) from loan_position p join loan l on l.id = p.loan_id
           where p.month_end < l.disbursed_on or (l.closed_on is not null and p.month_end >= l.closed_on)) as outside_life,
         (select count(*) from loan l join months m on m.month_end >= l.disbursed_on and (l.closed_on is null or m.month_end < l.closed_on)
           where not exists (select 1 from loan_position p where p.loan_id = l.id and p.month_end = m.month_end and p.is_latest)) as missing,
         (select count(*) from loan_position p join loan l on l.id = p.loan_id
           where p.balance <= 0 or p.balance > l.principal or p.overdue_principal > p.balance
              or (p.overdue_principal > 0) <> (p.overdue_days > 0)) as bad_amounts,
         (select count(*) from loan_position p join loan l on l.id = p.loan_id
           where p.institution_id <> l.institution_id or p.source_institution_id <> l.institution_id or p.county_code <> l.county_code) as wrong_lender,
         (select count(*) from loan_position p where p.version = 2
           and not exists (select 1 from loan_position q where q.loan_id = p.loan_id and q.month_end = p.month_end and q.version = 1 and not q.is_latest)) as v2_without_v1,
         (select count(*) from loan_position p where p.version = 1 and not p.is_latest
           and not exists (select 1 from loan_position q where q.loan_id = p.loan_id and q.month_end = p.month_end and q.version = 2 and q.is_latest)) as stale_without_v2,
         (select count(*) from loan where closure = 'SETTLED' and exists (select 1 from loan_position p where p.loan_id = loan.id and p.month_end >= loan.closed_on)) as settled_still_reported`,
    ),
  ).toEqual({ without_positions: 0, outside_life: 0, missing: 0, bad_amounts: 0, wrong_lender: 0, v2_without_v1: 0, stale_without_v2: 0, settled_still_reported: 0 });
  const { reReported, settled, writtenOff } = await counts(
    `select (select count(*) from loan_position where version = 2) as "reReported",
            (select count(*) from loan where closure = 'SETTLED') as settled,
            (select count(*) from loan where closure = 'WRITTEN_OFF') as "writtenOff"`,
  );
  expect(reReported).toBeGreaterThan(0);
  expect(settled).toBeGreaterThan(0);
  expect(writtenOff).toBeGreaterThan(0);
});

test('repayments agree with the balances reported month by month', async () => {
  // Between two consecutive month ends inside the period, the balance falls by exactly the principal repaid.
  expect(
    await counts(
      `with p as (
         select loan_id, month_end, balance, lag(balance) over w as previous, lag(month_end) over w as previous_month
           from loan_position where is_latest window w as (partition by loan_id order by month_end))
       select count(*) as mismatches from p
        where previous is not null and previous - balance <> coalesce((select sum(r.principal) from repayment r
          where r.loan_id = p.loan_id and r.paid_on > p.previous_month and r.paid_on <= p.month_end), 0)`,
    ),
  ).toEqual({ mismatches: 0 });
});

test('poverty micro-credit follows the policy caps read from the parameters, with rare deliberate violations', async () => {
  const result = await counts(
    `with caps as (
       select (select value from policy_parameter where key = 'microcredit.max_amount' and valid_to is null) as amount,
              (select value from policy_parameter where key = 'microcredit.max_term_months' and valid_to is null)::int as months)
     select count(*) as loans,
            count(*) filter (where l.principal > caps.amount or l.matures_on > (l.disbursed_on + make_interval(months => caps.months))::date) as over_caps,
            count(*) filter (where l.paid_to_account <> 'HOUSEHOLD') as other_account,
            count(*) filter (where l.borrower_kind <> 'HOUSEHOLD' or l.guarantee_mode <> 'CREDIT' or l.subsidy_rate <> l.annual_rate
                               or l.annual_rate not in (0.0435, 0.0475) or l.risk_compensation_fund_id is null) as off_policy
       from loan l, caps where l.product = 'POVERTY_MICROCREDIT'`,
  );
  expect(result.off_policy).toBe(0);
  expect(result.over_caps).toBeGreaterThan(0);
  expect(result.over_caps / result.loans).toBeLessThan(0.02);
  expect(result.other_account).toBeGreaterThan(0);
  expect(result.other_account / result.loans).toBeLessThan(0.02);
  const products = await rows<{ product: string }>('select distinct product from loan order by 1');
  expect(products.map((p) => p.product)).toEqual(['INCLUSIVE_SMALL_MICRO', 'INDUSTRIAL', 'OTHER_AGRI', 'POVERTY_MICROCREDIT', 'RELOCATION_SUPPORT']);
  expect(
    await counts(
      `select count(*) filter (where l.relending_facility_id is not null and (f.county_code <> l.county_code or l.institution_id <> f.borrower_id
                                 or l.disbursed_on < f.drawn_on or l.disbursed_on >= f.due_on)) as bad_funding,
              count(*) filter (where l.product = 'RELOCATION_SUPPORT' and not exists (select 1 from area_designation d
                                 where d.area_code = l.county_code and d.kind = 'RELOCATION_AREA')) as relocation_outside
         from loan l left join relending_facility f on f.id = l.relending_facility_id`,
    ),
  ).toEqual({ bad_funding: 0, relocation_outside: 0 });
});

test('overdue loans are a realistic share, classes follow the overdue-day floors with a few understated', async () => {
  const shares = await counts(
    `with floors as (
       select max(value) filter (where key = 'classification.floor_days.substandard') as substandard,
              max(value) filter (where key = 'classification.floor_days.special_mention') as special
         from policy_parameter where valid_to is null or valid_to > '2020-12-31')
     select avg((overdue_days > 0)::int) as overdue,
            avg((five_class <> 'NORMAL')::int) as downgraded,
            count(*) filter (where (overdue_days >= floors.substandard and five_class in ('NORMAL', 'SPECIAL_MENTION'))
                              or (overdue_days >= floors.special and five_class = 'NORMAL')) as understated,
            count(*) as positions
       from loan_position, floors where is_latest`,
  );
  expect(shares.overdue).toBeGreaterThan(0.02);
  expect(shares.overdue).toBeLessThan(0.09);
  expect(shares.downgraded).toBeGreaterThanOrEqual(shares.overdue);
  expect(shares.understated).toBeGreaterThan(0);
  expect(shares.understated / shares.positions).toBeLessThan(0.01);
});

test('modifications are dated within the loan and cite their disaster events', async () => {
  expect(
    await counts(
      `select
         count(*) filter (where m.kind = 'EPIDEMIC_DEFERRAL' and (d.ref is distinct from 'DEMO-EPIDEMIC-2020' or not m.classification_relief
                            or m.effective_on not between '2020-02-01' and '2020-12-31')) as bad_epidemic,
         count(*) filter (where m.kind = 'DISASTER_DEFERRAL' and (d.ref is distinct from 'DEMO-FLOOD-2020' or not m.classification_relief
                            or not exists (select 1 from disaster_area a where a.event_id = d.id and l.county_code like a.area_code || '%'))) as bad_flood,
         count(*) filter (where m.kind in ('EXTENSION', 'RENEWAL') and (m.disaster_event_id is not null or m.classification_relief)) as bad_other,
         count(*) filter (where m.effective_on < l.disbursed_on or m.new_matures_on <= m.previous_matures_on) as bad_dates
       from loan_modification m join loan l on l.id = m.loan_id left join disaster_event d on d.id = m.disaster_event_id`,
    ),
  ).toEqual({ bad_epidemic: 0, bad_flood: 0, bad_other: 0, bad_dates: 0 });
  const kinds = await rows<{ kind: string }>('select distinct kind from loan_modification order by 1');
  expect(kinds.map((k) => k.kind)).toEqual(['DISASTER_DEFERRAL', 'EPIDEMIC_DEFERRAL', 'EXTENSION', 'RENEWAL']);
});

test('insurance payer shares add up to the premium; group policies list their households', async () => {
  expect(
    await counts(
      `select
         (select count(*) from insurance_policy where central_share + provincial_share + county_share + farmer_share + poverty_fund_share <> premium) as shares_off,
         (select count(*) from insurance_policy p where holder_kind = 'GROUP' and (
             not exists (select 1 from policy_insured_household x where x.policy_id = p.id)
             or (select sum(premium) from policy_insured_household x where x.policy_id = p.id) <> p.premium
             or (select sum(sum_insured) from policy_insured_household x where x.policy_id = p.id) <> p.sum_insured
             or (select sum(quantity) from policy_insured_household x where x.policy_id = p.id) <> p.quantity)) as lists_off,
         (select count(*) from policy_insured_household x join insurance_policy p on p.id = x.policy_id where p.holder_kind <> 'GROUP') as lists_on_single,
         (select count(*) from insurance_policy where poverty_fund_share > 0) as poverty_fund_paid,
         (select count(*) from insurance_policy where ends_on <= starts_on) as bad_periods`,
    ).then((c) => ({ ...c, poverty_fund_paid: c.poverty_fund_paid > 0 ? 'some' : 'none' })),
  ).toEqual({ shares_off: 0, lists_off: 0, lists_on_single: 0, poverty_fund_paid: 'some', bad_periods: 0 });
  const lines = await rows<{ line: string }>('select distinct line from insurance_policy order by 1');
  expect(lines.map((l) => l.line)).toEqual(expect.arrayContaining(['CREDIT_LINKED', 'CROP', 'FORESTRY', 'LIVESTOCK']));
});

test('claims follow loss, agreement and payment, cite events, and a few stay unpaid past the legal delay', async () => {
  const result = await counts(
    `with days as (select value::int as d from policy_parameter where key = 'insurance.claim_payment_days' and valid_to is null)
     select
       count(*) filter (where c.agreed_on is not null and c.paid_on is not null and c.paid_on > c.agreed_on + days.d) as paid_late,
       count(*) filter (where c.agreed_on is not null and c.paid_on is null and c.agreed_on + days.d < '2020-12-31') as unpaid_past_delay,
       count(*) filter (where c.disaster_event_id is not null) as citing_events,
       count(*) filter (where c.cause = 'FLOOD' and not exists (select 1 from disaster_area a where a.event_id = c.disaster_event_id
                          and c.county_code like a.area_code || '%')) as flood_outside,
       count(*) filter (where p.holder_kind = 'GROUP' and not exists (select 1 from policy_insured_household x
                          where x.policy_id = p.id and x.household_id = c.household_id)) as group_claim_not_insured,
       count(*) filter (where c.loss_on > '2020-12-31' or c.agreed_on > '2020-12-31' or c.paid_on > '2020-12-31') as after_period
     from claim c join insurance_policy p on p.id = c.policy_id, days`,
  );
  expect({ ...result, unpaid_past_delay: result.unpaid_past_delay > 0, citing_events: result.citing_events > 0 }).toEqual({
    paid_late: 0,
    unpaid_past_delay: true,
    citing_events: true,
    flood_outside: 0,
    group_claim_not_insured: 0,
    after_period: 0,
  });
});

test('guarantees split the risk exactly, mostly within the fee cap, with compensations on defaults', async () => {
  const result = await counts(
    `with cap as (select value from policy_parameter where key = 'guarantee.max_fee_rate' and valid_to is null)
     select count(*) as guarantees,
            count(*) filter (where guarantor_share + bank_share + government_share + reguarantee_share <> 1) as shares_off,
            count(*) filter (where (guarantor_share, bank_share, government_share, reguarantee_share) not in ((0.8, 0.2, 0, 0), (0.4, 0.2, 0.1, 0.3))) as other_splits,
            count(*) filter (where fee_rate > cap.value) as above_cap,
            (select count(*) from compensation) as compensations,
            (select count(*) from compensation c join guarantee_contract g on g.id = c.guarantee_id where c.amount > g.guaranteed_amount or c.institution_id <> g.institution_id) as bad_compensations
       from guarantee_contract, cap`,
  );
  expect(result.shares_off).toBe(0);
  expect(result.other_splits).toBe(0);
  expect(result.above_cap).toBeGreaterThan(0);
  expect(result.above_cap / result.guarantees).toBeLessThan(0.05);
  expect(result.compensations).toBeGreaterThan(0);
  expect(result.bad_compensations).toBe(0);
});

test('contract links name the bank and its loan reference; pending ones name loans not reported', async () => {
  expect(
    await counts(
      `select
         count(*) filter (where c.status = 'LINKED' and (b.code <> c.bank_code or l.ref <> c.loan_ref or c.linked_at is null)) as linked_off,
         count(*) filter (where c.status = 'PENDING' and (c.loan_id is not null or exists (select 1 from loan x join institution xb on xb.id = x.institution_id
                            where xb.code = c.bank_code and x.ref = c.loan_ref))) as pending_off,
         count(*) filter (where c.submitter_id <> coalesce(p.institution_id, g.institution_id) or c.source_institution_id <> c.submitter_id
                            or c.batch_id <> coalesce(p.batch_id, g.batch_id)) as wrong_submitter,
         count(*) filter (where p.line = 'CREDIT_LINKED' and c.status = 'LINKED' and p.sum_insured <> l.principal) as insured_off
       from contract_link c left join loan l on l.id = c.loan_id left join institution b on b.id = l.institution_id
       left join insurance_policy p on p.id = c.policy_id left join guarantee_contract g on g.id = c.guarantee_id`,
    ),
  ).toEqual({ linked_off: 0, pending_off: 0, wrong_submitter: 0, insured_off: 0 });
  const statuses = await rows<{ status: string }>('select distinct status from contract_link order by 1');
  expect(statuses.map((s) => s.status)).toEqual(['LINKED', 'PENDING']);
});

test('national ID hashes are keyed 32-byte HMACs of synthetic IDs, and no plaintext ID is stored anywhere', async () => {
  expect(
    await counts(
      `select count(*) filter (where octet_length(match_hash) <> 32) as bad_length,
              count(*) filter (where valid_to is null) as live,
              count(distinct household_id) as households
         from household_identity`,
    ),
  ).toEqual({ bad_length: 0, live: HOUSEHOLDS, households: HOUSEHOLDS });

  const keyring = parseKeyring(KEYS.matchKeys, 'matchKeys');
  const sample = Array.from({ length: 20 }, (_, index) => index);
  const stored = await rows<{ ref: string; county: string; hash: string }>(
    `select h.ref, h.county_code as county, encode(x.match_hash, 'hex') as hash from household h join household_identity x on x.household_id = h.id
      where h.ref = any($1::text[]) order by h.ref`,
    [sample.map((i) => deterministicHouseholdRef(SEED, i))],
  );
  expect(stored).toHaveLength(sample.length);
  const ids: string[] = [];
  for (const index of sample) {
    const row = stored.find((r) => r.ref === deterministicHouseholdRef(SEED, index))!;
    const { id } = demoHeadNationalId(SEED, index, row.county.slice(0, 2));
    ids.push(id);
    expect({ ref: row.ref, hash: row.hash }).toEqual({ ref: row.ref, hash: matchHash(keyring, id).hash.toString('hex') });
  }

  // No text anywhere holds an ID number: neither the sample nor anything shaped like one.
  const columns = await rows<{ table_name: string; column_name: string }>(
    `select table_name, column_name from information_schema.columns
      where table_schema = 'public' and data_type in ('text', 'character varying', 'jsonb', 'ARRAY') order by 1, 2`,
  );
  const hits: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    const { n } = await counts(
      `select count(*) as n from "${table}" where "${column}"::text ~ '[0-9]{6}(19|20)[0-9]{2}[01][0-9][0-3][0-9]{4}[0-9X]' or "${column}"::text = any($1::text[])`,
      [ids],
    );
    if (n > 0) hits.push(`${table}.${column}`);
  }
  expect(hits).toEqual([]);
});

test('names and phones are encrypted synthetic values', async () => {
  const keyring = parseKeyring(KEYS.piiKeys, 'piiKeys');
  const sample = await rows<{ name_enc: Buffer; phone_enc: Buffer | null; pii_key_version: number }>(
    'select name_enc, phone_enc, pii_key_version from household order by ref limit 50',
  );
  const decrypted = sample.map((r) => ({
    name: /^[\u4e00-\u9fff·]{2,12}$/.test(decryptPii(keyring, r.name_enc)),
    phone: r.phone_enc === null || /^100\d{8}$/.test(decryptPii(keyring, r.phone_enc)),
    version: r.pii_key_version,
  }));
  expect(decrypted).toEqual(sample.map(() => ({ name: true, phone: true, version: keyring.current })));
});

test('every reported row carries the provenance of a demo batch, and batches count their items', async () => {
  const reported = (
    await rows<{ table_name: string }>(
      // Reported rows carry batch and source institution; the change feed names batches but reports nothing.
      `select table_name from information_schema.columns where table_schema = 'public' and column_name = 'batch_id'
          and table_name in (select table_name from information_schema.columns where table_schema = 'public' and column_name = 'source_institution_id')
        order by 1`,
    )
  ).map((r) => r.table_name);
  expect(reported).toEqual(expect.arrayContaining(['household', 'loan', 'loan_position', 'record_version', 'claim', 'contract_link']));
  const mismatches: Record<string, number> = {};
  for (const table of reported) {
    mismatches[table] = (
      await counts(
        `select count(*) as n from "${table}" t join ingest_batch b on b.id = t.batch_id
          where b.institution_id <> t.source_institution_id or b.received_at <> t.received_at or b.external_id !~ '^demo-20(19|20|21)-[0-9]{2}-[A-Z0-9-]+-[a-z0-9-]+$'`,
      )
    ).n;
  }
  expect(mismatches).toEqual(Object.fromEntries(reported.map((t) => [t, 0])));

  // An item is a fact row or a record version; a versioned record's current-state row is
  // not an item of its own.
  const versioned = ['household', 'enterprise', 'service_point', 'loan', 'insurance_policy', 'claim', 'guarantee_contract',
    'relending_facility', 'risk_compensation_fund', 'finding', 'disaster_event', 'docking_event'];
  const items = reported
    .filter((t) => !versioned.includes(t))
    .map((t) => `select batch_id from "${t}"`)
    .join(' union all ');
  expect(
    await counts(
      `with items as (select batch_id, count(*) as n from (${items}) x group by batch_id)
       select count(*) filter (where coalesce(i.n, 0) <> b.item_count) as miscounted,
              count(*) filter (where b.payload_hash !~ '^[0-9a-f]{64}$') as bad_hashes,
              count(*) filter (where b.received_at < (to_date(substr(b.external_id, 6, 7), 'YYYY-MM') + interval '1 month')) as before_month_end
         from ingest_batch b left join items i on i.batch_id = b.id`,
    ),
  ).toEqual({ miscounted: 0, bad_hashes: 0, before_month_end: 0 });
  const { late } = await counts(
    `select count(*) as late from ingest_batch where external_id not like '%-r2'
       and received_at > to_date(substr(external_id, 6, 7), 'YYYY-MM') + interval '1 month' + interval '20 days'`,
  );
  expect(late).toBeGreaterThan(0);
});

test('every versioned record has its version 1, corrected loans a version 2, with canonical terms hashes', async () => {
  const missing = await counts(
    `select
       (select count(*) from household t where not exists (select 1 from record_version r where r.record_kind = 'HOUSEHOLD' and r.record_id = t.id and r.version = 1)) as household,
       (select count(*) from enterprise t where not exists (select 1 from record_version r where r.record_kind = 'ENTERPRISE' and r.record_id = t.id and r.version = 1)) as enterprise,
       (select count(*) from service_point t where not exists (select 1 from record_version r where r.record_kind = 'SERVICE_POINT' and r.record_id = t.id and r.version = 1)) as service_point,
       (select count(*) from loan t where not exists (select 1 from record_version r where r.record_kind = 'LOAN' and r.record_id = t.id and r.version = 1)) as loan,
       (select count(*) from insurance_policy t where not exists (select 1 from record_version r where r.record_kind = 'INSURANCE_POLICY' and r.record_id = t.id and r.version = 1)) as insurance_policy,
       (select count(*) from claim t where not exists (select 1 from record_version r where r.record_kind = 'CLAIM' and r.record_id = t.id and r.version = 1)) as claim,
       (select count(*) from guarantee_contract t where not exists (select 1 from record_version r where r.record_kind = 'GUARANTEE_CONTRACT' and r.record_id = t.id and r.version = 1)) as guarantee_contract,
       (select count(*) from relending_facility t where not exists (select 1 from record_version r where r.record_kind = 'RELENDING_FACILITY' and r.record_id = t.id and r.version = 1)) as relending_facility,
       (select count(*) from risk_compensation_fund t where not exists (select 1 from record_version r where r.record_kind = 'RISK_COMPENSATION_FUND' and r.record_id = t.id and r.version = 1)) as risk_compensation_fund,
       (select count(*) from disaster_event t where not exists (select 1 from record_version r where r.record_kind = 'DISASTER_EVENT' and r.record_id = t.id and r.version = 1)) as disaster_event,
       (select count(*) from docking_event t where not exists (select 1 from record_version r where r.record_kind = 'DOCKING_EVENT' and r.record_id = t.id and r.version = 1)) as docking_event,
       (select count(*) from finding t where not exists (select 1 from record_version r where r.record_kind = 'FINDING' and r.record_id = t.id and r.version = 1)) as finding`,
  );
  expect(missing).toEqual(Object.fromEntries(Object.keys(missing).map((k) => [k, 0])));

  const loans = await counts(
    `select count(*) filter (where l.version <> (select max(version) from record_version r where r.record_kind = 'LOAN' and r.record_id = l.id)) as version_off,
            count(*) filter (where l.version = 2) as corrected,
            count(*) filter (where l.version = 2 and l.batch_id = (select batch_id from record_version r where r.record_kind = 'LOAN' and r.record_id = l.id and r.version = 1)) as same_batch
       from loan l`,
  );
  expect({ ...loans, corrected: loans.corrected > 0 }).toEqual({ version_off: 0, corrected: true, same_batch: 0 });

  const versions = await rows<{ terms: Record<string, unknown>; terms_hash: string; record_kind: string }>(
    `select distinct on (record_kind) record_kind, terms, terms_hash from record_version order by record_kind, id`,
  );
  expect(versions.map((v) => v.record_kind)).toHaveLength(12);
  for (const v of versions) {
    expect({ kind: v.record_kind, hash: sha256Hex(canonicalJson(v.terms as never)) }).toEqual({ kind: v.record_kind, hash: v.terms_hash });
  }
  const [loanTerms] = await rows<{ principal: unknown; annualRate: unknown }>(
    `select terms->'principal' as principal, terms->'annualRate' as "annualRate" from record_version where record_kind = 'LOAN' order by id limit 1`,
  );
  expect([typeof loanTerms.principal, typeof loanTerms.annualRate]).toEqual(['string', 'string']);
});

test('demo designations, institutions and enterprises are labelled synthetic', async () => {
  const designations = await rows<{ kind: string; demo_only: boolean; synthetic: boolean }>(
    `select kind, demo_only, bool_and(basis like '%synthetic demo designation%') as synthetic from area_designation
      where demo_only or kind in ('RELOCATION_AREA', 'REVITALIZATION_KEY_COUNTY') group by 1, 2 order by 1`,
  );
  expect(designations).toEqual([
    { kind: 'RELOCATION_AREA', demo_only: true, synthetic: true },
    { kind: 'REVITALIZATION_KEY_COUNTY', demo_only: true, synthetic: true },
  ]);
  const institutions = await rows<{ kind: string; n: number }>(
    `select kind, count(*)::int as n from institution group by 1 order by 1`,
  );
  expect(institutions).toEqual([
    { kind: 'BANK', n: 52 * 2 + 1 },
    { kind: 'CENTRAL_BANK', n: 7 },
    { kind: 'GOVERNMENT', n: 52 },
    { kind: 'GUARANTOR', n: 7 + 52 },
    { kind: 'INSURER', n: 2 + 7 * 2 },
    { kind: 'OPERATOR', n: 1 },
    { kind: 'REGULATOR', n: 7 },
  ]);
  expect(
    await counts(
      `select (select count(*) from institution where name not like '%（演示）') as unlabelled_institutions,
              (select count(*) from institution where kind = 'BANK' and code like 'BANK-AGB-%' and code <> 'BANK-AGB-HQ'
                 and parent_id is distinct from (select id from institution where code = 'BANK-AGB-HQ')) as orphan_branches,
              (select count(*) from enterprise where name not like '%（演示）' or substr(credit_code, 9, 2) <> 'DM' or substr(credit_code, 3, 6) <> county_code) as unlabelled_enterprises`,
    ),
  ).toEqual({ unlabelled_institutions: 0, orphan_branches: 0, unlabelled_enterprises: 0 });

  // GB 32100 check characters of the synthetic credit codes.
  const charset = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const codes = (await rows<{ credit_code: string }>('select credit_code from enterprise')).map((r) => r.credit_code);
  const invalid = codes.filter((code) => {
    const sum = weights.reduce((s, w, i) => s + charset.indexOf(code[i]) * w, 0);
    return charset[(31 - (sum % 31)) % 31] !== code[17];
  });
  expect(invalid).toEqual([]);
});

test('service points cover almost every villagers’ committee, with monthly activity while open and a few dormant', async () => {
  const result = await counts(
    `with committees as (select v.code from area v where v.level = 'VILLAGE' and substr(v.code, 10, 3) between '200' and '399'
                           and left(v.code, 6) in (select area_code from area_designation where kind = 'UNCAPPED_2020'))
     select
       (select count(*) from committees) as committees,
       (select count(*) from committees c where not exists (select 1 from service_point s where s.village_code = c.code)) as uncovered,
       (select count(*) from service_point_activity a join service_point s on s.id = a.service_point_id
         where a.month < (date_trunc('month', s.opened_on) + interval '1 month - 1 day')::date
            or (s.closed_on is not null and a.month > (date_trunc('month', s.closed_on) + interval '1 month - 1 day')::date)) as outside_open,
       (select count(*) from (select service_point_id from service_point_activity where month >= '2020-10-31'
                              group by 1 having count(*) = 3 and max(transactions) = 0) d) as dormant,
       (select count(*) from service_point_activity where amount is null or (amount = 0) <> (transactions = 0)) as amount_off,
       (select count(*) from service_point_activity a join service_point s on s.id = a.service_point_id
         where a.transactions > 0 and (a.amount / a.transactions < case s.kind when 'BRANCH' then 1125 else 150 end
                                       or a.amount / a.transactions > case s.kind when 'BRANCH' then 7500 else 1500 end)) as implausible_ticket`,
  );
  expect(result.outside_open).toBe(0);
  // Every month carries its amount, zero exactly when nothing was transacted, at a plausible average ticket.
  expect({ amountOff: result.amount_off, implausibleTicket: result.implausible_ticket }).toEqual({ amountOff: 0, implausibleTicket: 0 });
  expect(result.uncovered).toBeGreaterThan(0);
  expect(result.uncovered / result.committees).toBeLessThan(0.06);
  expect(result.dormant).toBeGreaterThan(0);
});

test('funds, re-lending and docking keep their own rules', async () => {
  expect(
    await counts(
      `select
         (select count(*) from fund_bank_agreement where fund_share + bank_share <> 1) as agreement_shares_off,
         (select count(*) from risk_compensation_fund f where f.capital <> (select sum(amount) from fund_movement m where m.fund_id = f.id and m.kind = 'TOP_UP')) as capital_off,
         (select count(*) from fund_movement m join loan l on l.id = m.loan_id where m.kind in ('PAYOUT', 'RECOVERY') and l.risk_compensation_fund_id <> m.fund_id) as payout_off,
         (select count(*) from relending_facility f join institution b on b.id = f.borrower_id join institution c on c.id = f.lender_id
           where f.county_code <> b.home_area_code or c.kind <> 'CENTRAL_BANK' or b.code not like 'BANK-RCB-%'
              or f.rollovers > (select value from policy_parameter where key = 'relending.max_rollovers' and valid_to is null)) as relending_off,
         (select count(*) from docking_project where not (disbursed <= signed and signed <= requested)) as docking_off,
         (select count(*) from docking_project p where p.disbursed <> coalesce((select sum(l.principal) from docking_project_loan x join loan l on l.id = x.loan_id where x.project_id = p.id), 0)) as docking_loans_off`,
    ),
  ).toEqual({ agreement_shares_off: 0, capital_off: 0, payout_off: 0, relending_off: 0, docking_off: 0, docking_loans_off: 0 });
  const kinds = await rows<{ kind: string }>('select distinct kind from fund_movement order by 1');
  expect(kinds.map((k) => k.kind)).toEqual(['PAYOUT', 'RECOVERY', 'TOP_UP']);
  const findings = await counts(
    `select count(*) filter (where status = 'CLOSED' and exists (select 1 from rectification_step s where s.finding_id = f.id and s.verified_at is null)) as closed_unverified,
            count(*) filter (where status = 'OPEN' and due_on < '2020-12-31') as overdue,
            count(*) filter (where status = 'CLOSED') as closed
       from finding f`,
  );
  expect({ ...findings, overdue: findings.overdue > 0, closed: findings.closed > 0 }).toEqual({ closed_unverified: 0, overdue: true, closed: true });
});

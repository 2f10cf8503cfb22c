/**
 * `upsertLoans`' set-based path (`loan-bulk.ingestion.ts`, the engine's `applyAll`)
 * against the item-by-item path it replaces: the same batches give the same answers and
 * the same rows, whichever path runs; the set path really runs (no item applied one by
 * one); a database refusal inside it falls back to the item path without leaving a
 * trace of the attempt; two calls first naming the same household create it once.
 */
import './reset-orm-metadata';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createOrm } from '../../src/db/orm';
import type { Principal } from '../../src/services/access';
import { syntheticNationalId } from '../../src/services/identity';
import { creditCodeCheckCharacter, runBatch, type BatchResult, type IngestionKind, type LoanItemInput } from '../../src/services/ingestion';
import { LOAN_INGESTION } from '../../src/services/ingestion/loan.ingestion';
import { useTestDatabase } from '../helpers';
import { COUNTY, ID, KNOWN_HOUSEHOLD, matchKeyring, OTHER_BANKS_HOUSEHOLD, OTHER_VILLAGE, piiKeyring, useIngestionWorld, VILLAGE } from './ingestion-world';

const db = useTestDatabase();
const world = useIngestionWorld(db);
let orm: MikroORM;

beforeAll(async () => {
  orm = await createOrm({ url: db.url() });
  db.onTeardown(() => orm.close(true));
});

type Kind = IngestionKind<LoanItemInput, unknown>;
const SET_PATH = LOAN_INGESTION as unknown as Kind;
/** The same kind without `applyAll`: every item applied one by one, as before. */
const ITEM_PATH: Kind = { ...SET_PATH, applyAll: undefined };

let calls = 0;
function call(kind: Kind, who: Principal, items: unknown[], options: { partial?: boolean; batchId?: string } = {}): Promise<BatchResult> {
  return runBatch({ em: orm.em.fork(), principal: who, requestId: `bulk-test-${++calls}` }, { matchKeyring, piiKeyring }, kind, {
    items: items as LoanItemInput[],
    partial: options.partial ?? true,
    batchId: options.batchId ?? null,
  });
}

/** Fresh synthetic ID numbers per run, so the two paths never share a household they create. */
function idsFor(run: number) {
  return {
    fresh: syntheticNationalId('52', '1985-09-09', 100 + run * 10),
    fresh2: syntheticNationalId('52', '1990-02-02', 101 + run * 10),
    elderly: syntheticNationalId('52', '1940-01-01', 102 + run * 10),
  };
}

/** A credit code with a valid GB 32100 check character, per run. */
function creditCode(run: number): string {
  const first17 = `91522326MA6DQ${String(run).padStart(3, '0')}0`;
  return first17 + creditCodeCheckCharacter(first17);
}

function loan(ref: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ref,
    countyCode: COUNTY,
    product: 'POVERTY_MICROCREDIT',
    borrower: { household: { headIdNumber: ID.known, villageCode: VILLAGE } },
    principal: '50000',
    disbursedOn: '2020-03-15',
    maturesOn: '2023-03-14',
    annualRate: '0.0435',
    subsidyRate: '0.0435',
    guaranteeMode: 'CREDIT',
    paidToAccount: 'HOUSEHOLD',
    purpose: '养殖能繁母猪',
    ...overrides,
  };
}

/** A first batch touching every rule `applyLoan` applies after the pure checks. */
function firstBatch(p: string, run: number): unknown[] {
  const id = idsFor(run);
  const code = creditCode(run);
  return [
    loan(`${p}01`),
    loan(`${p}02`, { borrower: { household: { headIdNumber: id.fresh, villageCode: VILLAGE, headName: '李四', headPhone: '13800000000' } } }),
    // The same new household again, from another village: the first item created it.
    loan(`${p}03`, { borrower: { household: { headIdNumber: id.fresh, villageCode: OTHER_VILLAGE } }, disbursedOn: '2020-01-02' }),
    loan(`${p}04`, { borrower: { householdRef: KNOWN_HOUSEHOLD }, relendingFacilityRef: 'RL-2020-01', riskCompensationFundRef: 'RCF-522326' }),
    loan(`${p}05`, { borrower: { householdRef: OTHER_BANKS_HOUSEHOLD } }),
    loan(`${p}06`, { countyCode: '999999' }),
    loan(`${p}07`, { relendingFacilityRef: 'RL-2020-02' }),
    loan(`${p}08`, { riskCompensationFundRef: 'NO-SUCH-FUND' }),
    loan(`${p}09`, { version: 3 }),
    loan(`${p}10`, { borrower: { household: { headIdNumber: id.fresh2, villageCode: '522326999999' } } }),
    // An enterprise first seen: the first item's village is unknown, so the second creates it.
    loan(`${p}11`, { product: 'INDUSTRIAL', paidToAccount: 'ENTERPRISE', borrower: { enterprise: { creditCode: code, name: '望谟县种养专业合作社', kind: 'COOPERATIVE', villageCode: '522326999999' } } }),
    loan(`${p}12`, { product: 'INDUSTRIAL', paidToAccount: 'ENTERPRISE', borrower: { enterprise: { creditCode: code, name: '望谟县种养专业合作社', kind: 'COOPERATIVE', villageCode: VILLAGE } } }),
    loan(`${p}13`, { product: 'INDUSTRIAL', paidToAccount: 'ENTERPRISE', borrower: { enterprise: { creditCode: code, name: '另一个名字', kind: 'COMPANY', villageCode: '522326999999' } } }),
    // Policy warnings: above the caps, an elderly head, paid to an enterprise account.
    loan(`${p}14`, { principal: '80000', maturesOn: '2025-03-14', paidToAccount: 'ENTERPRISE', borrower: { household: { headIdNumber: id.elderly, villageCode: VILLAGE } } }),
    loan(`${p}15`, { borrower: { household: { headIdNumber: ID.another, villageCode: '12345' } } }),
  ];
}

/** A second batch: unchanged, changed, stale, blind update, and a stale item for a new household. */
function secondBatch(p: string, run: number, versions: Map<string, number>): unknown[] {
  const id = idsFor(run);
  const renewed = syntheticNationalId('52', '1977-07-07', 103 + run * 10);
  return [
    loan(`${p}01`),
    loan(`${p}04`, { borrower: { householdRef: KNOWN_HOUSEHOLD }, relendingFacilityRef: 'RL-2020-01', riskCompensationFundRef: 'RCF-522326', principal: '40000', version: versions.get(`${p}04`) }),
    loan(`${p}02`, { borrower: { household: { headIdNumber: id.fresh, villageCode: VILLAGE } }, principal: '30000', version: 7 }),
    loan(`${p}12`, { product: 'INDUSTRIAL', paidToAccount: 'ENTERPRISE', principal: '200000', borrower: { enterprise: { creditCode: creditCode(run), name: 'x', kind: 'COMPANY' } } }),
    // Stale and naming a household nobody knows: it must not be created.
    loan(`${p}14`, { borrower: { household: { headIdNumber: renewed, villageCode: VILLAGE } }, version: 9 }),
    loan(`${p}16`, { borrower: { household: { headIdNumber: renewed, villageCode: OTHER_VILLAGE } } }),
  ];
}

/** A result with the run's references and row ids replaced, so two runs compare. */
function normalized(result: BatchResult, prefix: string, run: number): unknown {
  const ids = new Map<string, string>();
  const id = (value: string) => {
    if (!ids.has(value)) ids.set(value, `#${ids.size}`);
    return ids.get(value)!;
  };
  const text = (value: string | null) => (value === null ? null : value.split(prefix).join('<p>').split(creditCode(run)).join('<code>'));
  return {
    committed: result.committed,
    counts: result.counts,
    items: result.items.map((item) => ({
      ...item,
      ref: text(item.ref),
      message: text(item.message),
      record: item.record === null ? null : { type: item.record.type, id: id(item.record.id) },
    })),
  };
}

/** The rows a run wrote, in a form free of ids, refs and times. */
async function rowsOf(prefix: string, run: number) {
  const loans = await world.sql(
    `SELECT substr(l.ref, $2) AS ref, l.county_code, l.product, l.borrower_kind, l.principal::text, l.disbursed_on::text, l.matures_on::text,
            l.annual_rate::text, l.subsidy_rate::text, l.guarantee_mode, l.paid_to_account, l.relending_facility_id::text, l.risk_compensation_fund_id::text,
            l.purpose, l.version, h.status AS household_status, h.village_code AS household_village, h.status_since::text AS household_since,
            h.ref = $3 AS known_household, e.name AS enterprise_name, e.kind AS enterprise_kind, e.village_code AS enterprise_village, e.county_code AS enterprise_county,
            (SELECT count(*)::int FROM household_identity hi WHERE hi.household_id = h.id) AS identities,
            (SELECT count(*)::int FROM household_status_change sc WHERE sc.household_id = h.id) AS status_changes,
            (SELECT count(*)::int FROM record_version rv WHERE rv.record_kind = 'HOUSEHOLD' AND rv.record_id = h.id) AS household_versions,
            (SELECT count(*)::int FROM record_version rv WHERE rv.record_kind = 'ENTERPRISE' AND rv.record_id = e.id) AS enterprise_versions,
            (SELECT json_agg(json_build_object('v', rv.version, 'terms', rv.terms - 'ref' - 'householdRef' - 'enterpriseCreditCode') ORDER BY rv.version)
               FROM record_version rv WHERE rv.record_kind = 'LOAN' AND rv.record_id = l.id) AS versions
       FROM loan l LEFT JOIN household h ON h.id = l.household_id LEFT JOIN enterprise e ON e.id = l.enterprise_id
      WHERE l.institution_id = $1 AND l.ref LIKE $4 ORDER BY l.ref`,
    [world.ids.bank, prefix.length + 1, KNOWN_HOUSEHOLD, `${prefix}%`],
  );
  const households = await world.sql(
    `SELECT h.status, h.village_code, h.status_since::text FROM household h JOIN ingest_batch b ON b.id = h.batch_id
      WHERE b.external_id LIKE $1 ORDER BY h.status_since, h.village_code`,
    [`${prefix}%`],
  );
  const [enterprises] = await world.sql(`SELECT count(*)::int AS n FROM enterprise WHERE credit_code = $1`, [creditCode(run)]);
  return { loans, households, enterprises: enterprises.n };
}

/** Runs the two batches on one path; returns the normalized answers and rows. */
async function scenario(kind: Kind, prefix: string, run: number) {
  const first = await call(kind, world.principals.bank, firstBatch(prefix, run), { batchId: `${prefix}first` });
  const versions = new Map(first.items.map((item) => [item.ref, item.version ?? 0]));
  const second = await call(kind, world.principals.bank, secondBatch(prefix, run, versions), { batchId: `${prefix}second` });
  const allOrNothing = await call(kind, world.principals.bank, [loan(`${prefix}20`), loan(`${prefix}21`, { countyCode: '999999' })], { partial: false, batchId: `${prefix}aon` });
  const replay = await call(kind, world.principals.bank, firstBatch(prefix, run), { batchId: `${prefix}first` });
  return {
    first: normalized(first, prefix, run),
    second: normalized(second, prefix, run),
    allOrNothing: normalized(allOrNothing, prefix, run),
    replay: normalized(replay, prefix, run),
    rows: await rowsOf(prefix, run),
  };
}

describe('the set-based path answers and writes exactly as the item-by-item path', () => {
  test('created, rejected, warned, unchanged, updated, stale, all-or-nothing and replayed batches', async () => {
    const before = await world.counts();
    const items = await scenario(ITEM_PATH, 'I-', 1);
    const middle = await world.counts();
    const set = await scenario(SET_PATH, 'S-', 2);
    const after = await world.counts();

    expect(set).toEqual(items);
    const delta = (a: Record<string, number>, b: Record<string, number>) => Object.fromEntries(Object.keys(a).map((k) => [k, b[k] - a[k]]));
    expect(delta(middle, after)).toEqual(delta(before, middle));

    // The scenario is not vacuous: every kind of outcome occurs.
    const first = items.first as { items: Array<{ status: string; reason: string | null; warnings: unknown[] }> };
    expect(new Set(first.items.map((i) => i.reason ?? i.status))).toEqual(
      new Set(['CREATED', 'UNKNOWN_REFERENCE', 'NO_SUCH_VERSION', 'INVALID_AREA_CODE']),
    );
    expect(first.items.some((i) => i.warnings.length >= 3)).toBe(true);
    const second = items.second as { items: Array<{ status: string; reason: string | null }> };
    expect(second.items.map((i) => i.reason ?? i.status)).toEqual(['UNCHANGED', 'UPDATED', 'STALE_VERSION', 'UPDATED', 'STALE_VERSION', 'CREATED']);
    expect((items.rows as { households: unknown[] }).households).toHaveLength(3);
    expect((items.rows as { enterprises: number }).enterprises).toBe(1);
  });
});

describe('the set-based path runs, and falls back when the database refuses', () => {
  test('a batch of 1,000 loans is applied at once: no item goes through the one-by-one apply', async () => {
    let oneByOne = 0;
    const counted: Kind = { ...SET_PATH, apply: (ctx, checked) => (oneByOne++, SET_PATH.apply(ctx, checked)) };
    const items = Array.from({ length: 1000 }, (_, i) =>
      loan(`B-${String(i).padStart(4, '0')}`, { borrower: { household: { headIdNumber: syntheticNationalId('45', '1970-01-01', 2000 + (i % 300)), villageCode: VILLAGE } } }),
    );
    const result = await call(counted, world.principals.bank, items, { partial: false });
    expect(result.counts).toEqual({ created: 1000, updated: 0, unchanged: 0, pendingLink: 0, rejected: 0 });
    expect(oneByOne).toBe(0);
    const [households] = await world.sql(`SELECT count(DISTINCT household_id)::int AS n FROM loan WHERE ref LIKE 'B-%'`);
    expect(households.n).toBe(300);
    const [events] = await world.sql(`SELECT count(*)::int AS n FROM change_event WHERE record_type = 'Loan' AND record_id IN (SELECT id FROM loan WHERE ref LIKE 'B-%')`);
    expect(events.n).toBe(1000);
  });

  test('a refusal inside the set path is rolled back and the batch applied item by item, once', async () => {
    let oneByOne = 0;
    const refusing: Kind = {
      ...SET_PATH,
      apply: (ctx, checked) => (oneByOne++, SET_PATH.apply(ctx, checked)),
      applyAll: async (ctx, checked) => {
        await SET_PATH.applyAll!(ctx, checked);
        throw Object.assign(new Error('check violation'), { code: '23514', constraint: 'loan_dates' });
      },
    };
    const fresh = syntheticNationalId('52', '1988-08-08', 3001);
    const result = await call(refusing, world.principals.bank, [loan('F-1', { borrower: { household: { headIdNumber: fresh, villageCode: VILLAGE } } }), loan('F-2')]);
    expect(oneByOne).toBe(2);
    expect(result.items.map((i) => i.status)).toEqual(['CREATED', 'CREATED']);
    const [rows] = await world.sql(
      `SELECT (SELECT count(*)::int FROM loan WHERE ref IN ('F-1', 'F-2')) AS loans,
              (SELECT count(*)::int FROM record_version rv JOIN loan l ON l.id = rv.record_id AND rv.record_kind = 'LOAN' WHERE l.ref IN ('F-1', 'F-2')) AS versions,
              (SELECT count(*)::int FROM household h JOIN loan l ON l.household_id = h.id WHERE l.ref = 'F-1') AS households,
              (SELECT count(*)::int FROM household WHERE batch_id = (SELECT batch_id FROM loan WHERE ref = 'F-1')) AS created`,
    );
    expect(rows).toEqual({ loans: 2, versions: 2, households: 1, created: 1 });
  });
});

describe('concurrent first reports', () => {
  test('two banks naming the same unknown household at once create it once', async () => {
    const fresh = syntheticNationalId('52', '1975-05-05', 4001);
    const items = (p: string) => Array.from({ length: 50 }, (_, i) => loan(`${p}${i}`, { borrower: { household: { headIdNumber: fresh, villageCode: VILLAGE } } }));
    const [a, b] = await Promise.all([call(SET_PATH, world.principals.bank, items('C-A-')), call(SET_PATH, world.principals.otherBank, items('C-B-'))]);
    expect(a.counts.created + b.counts.created).toBe(100);
    const [row] = await world.sql(`SELECT count(DISTINCT household_id)::int AS n FROM loan WHERE ref LIKE 'C-%'`);
    expect(row.n).toBe(1);
  });
});

/**
 * `upsertGuaranteeContracts` over real HTTP: the guarantor's contracts, versioned like
 * loans, and their links to banks' loans — LINKED at once or later, but answered
 * PENDING_LINK either way, so a guarantor never learns from an answer whether another
 * institution's loan exists — plus the fee cap that only warns.
 */
import './reset-orm-metadata';
import { useTestDatabase } from '../helpers';
import { ALL_ID_NUMBERS, COUNTY, ID, placesHoldingIdNumbers, RESULT_FIELDS, useIngestionWorld, VILLAGE } from './ingestion-world';

const db = useTestDatabase();
const world = useIngestionWorld(db);

const GUARANTEES = /* GraphQL */ `
  mutation Run($input: UpsertGuaranteeContractsInput!) { upsertGuaranteeContracts(input: $input) { ${RESULT_FIELDS} } }
`;
const LOANS = /* GraphQL */ `
  mutation Run($input: UpsertLoansInput!) { upsertLoans(input: $input) { ${RESULT_FIELDS} } }
`;

type Item = Record<string, unknown>;

const household = (headIdNumber: string) => ({ household: { headIdNumber, villageCode: VILLAGE } });

function guarantee(ref: string, overrides: Item = {}): Item {
  return {
    ref,
    countyCode: COUNTY,
    borrower: household(ID.known),
    guaranteedAmount: '40000',
    feeRate: '0.008',
    guarantorShare: '0.8',
    bankShare: '0.2',
    governmentShare: '0',
    reguaranteeShare: '0',
    startsOn: '2020-04-01',
    endsOn: '2023-03-31',
    ...overrides,
  };
}

function loan(ref: string, headIdNumber: string): Item {
  return {
    ref,
    countyCode: COUNTY,
    product: 'POVERTY_MICROCREDIT',
    borrower: household(headIdNumber),
    principal: '50000',
    disbursedOn: '2020-04-01',
    maturesOn: '2023-03-31',
    annualRate: '0.0435',
    guaranteeMode: 'GUARANTEE',
    paidToAccount: 'HOUSEHOLD',
  };
}

async function guarantees(input: Record<string, unknown>, who = 'guarantor') {
  return (await world.data(who, GUARANTEES, { input })).upsertGuaranteeContracts;
}

async function linksOf(ref: string) {
  return world.sql(
    `SELECT cl.bank_code, cl.loan_ref, cl.status, l.ref AS loan FROM contract_link cl JOIN guarantee_contract g ON g.id = cl.guarantee_id
       LEFT JOIN loan l ON l.id = cl.loan_id WHERE g.ref = $1 ORDER BY cl.bank_code, cl.loan_ref`,
    [ref],
  );
}

/** An item result without what names the record, to compare answers across contracts. */
const shape = (item: Record<string, unknown>) => ({ ...item, index: undefined, ref: undefined, id: undefined });

test('only guarantors report guarantees', async () => {
  const { body } = await world.gql('bank', GUARANTEES, { input: { items: [guarantee('G-FORBIDDEN')] } });
  expect(body.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN' });
});

test('links: LINKED at once, later, or never — the answer is PENDING_LINK every time', async () => {
  const loans = await world.data('bank', LOANS, { input: { batchId: 'bank-1', items: [loan('GL-1', ID.known)] } });
  expect(loans.upsertLoans.counts.created).toBe(1);

  const result = await guarantees({
    batchId: 'g-1',
    items: [
      // The bank's loan, for its borrower: linked at once.
      guarantee('G-1', { loans: [{ bankCode: 'T-BANK', loanRef: 'GL-1' }] }),
      // The bank's loan, but for someone else: stays pending.
      guarantee('G-2', { borrower: household(ID.fresh), loans: [{ bankCode: 'T-BANK', loanRef: 'GL-1' }] }),
      // A loan not reported yet: pending until it is.
      guarantee('G-3', { borrower: household(ID.another), loans: [{ bankCode: 'T-BANK', loanRef: 'GL-LATER' }] }),
      // Another bank's existing loan, whose borrower the guarantor does not know.
      guarantee('G-4', { borrower: household(ID.fresh), loans: [{ bankCode: 'T-BANK-2', loanRef: 'OB-1' }] }),
    ],
  });
  expect(result.counts).toEqual({ created: 0, updated: 0, unchanged: 0, pendingLink: 4, rejected: 0 });
  const [first, ...others] = result.items;
  expect(first).toEqual({ index: 0, ref: 'G-1', status: 'PENDING_LINK', code: null, reason: null, path: null, message: null, id: expect.any(String), version: 1, warnings: [] });
  for (const item of others) expect(shape(item)).toEqual(shape(first));

  expect(await linksOf('G-1')).toEqual([{ bank_code: 'T-BANK', loan_ref: 'GL-1', status: 'LINKED', loan: 'GL-1' }]);
  expect(await linksOf('G-2')).toEqual([{ bank_code: 'T-BANK', loan_ref: 'GL-1', status: 'PENDING', loan: null }]);
  expect(await linksOf('G-3')).toEqual([{ bank_code: 'T-BANK', loan_ref: 'GL-LATER', status: 'PENDING', loan: null }]);
  expect(await linksOf('G-4')).toEqual([{ bank_code: 'T-BANK-2', loan_ref: 'OB-1', status: 'PENDING', loan: null }]);

  // The bank sees the guarantee linked to its loan, with its provenance; not the one still pending on it.
  const read = (id: string) =>
    world.data('bank', `query($id: ID!) { node(id: $id) { ... on GuaranteeContract { ref provenance { sourceInstitution { code } batchId } } } }`, { id });
  expect((await read(first.id)).node).toEqual({ ref: 'G-1', provenance: { sourceInstitution: { code: 'T-GUARANTOR' }, batchId: 'g-1' } });
  expect((await read(others[0].id)).node).toBeNull();

  // The loan G-3 names arrives: its link resolves.
  await world.data('bank', LOANS, { input: { batchId: 'bank-2', items: [loan('GL-LATER', ID.another)] } });
  expect(await linksOf('G-3')).toEqual([{ bank_code: 'T-BANK', loan_ref: 'GL-LATER', status: 'LINKED', loan: 'GL-LATER' }]);
});

test('versions, a stale version, and the links following the latest version', async () => {
  await guarantees({ batchId: 'gv-1', items: [guarantee('G-V', { loans: [{ bankCode: 'T-BANK', loanRef: 'GL-1' }] })] });
  const same = await guarantees({ batchId: 'gv-2', items: [guarantee('G-V', { loans: [{ bankCode: 'T-BANK', loanRef: 'GL-1' }] })] });
  expect(same.items[0]).toMatchObject({ status: 'UNCHANGED', version: 1 });
  const unlinked = await guarantees({ batchId: 'gv-3', items: [guarantee('G-V', { guaranteedAmount: '35000', version: 1 })] });
  expect(unlinked.items[0]).toMatchObject({ status: 'UPDATED', version: 2 });
  expect(await linksOf('G-V')).toEqual([]);
  const stale = await guarantees({ batchId: 'gv-4', items: [guarantee('G-V', { guaranteedAmount: '30000', version: 1 })] });
  expect(stale.items[0]).toMatchObject({ status: 'REJECTED', code: 'CONFLICT', reason: 'STALE_VERSION', path: 'items[0].version' });
  const versions = await world.sql(
    `SELECT rv.version, rv.terms->>'guaranteedAmount' AS amount, rv.terms->'loans' AS loans FROM record_version rv JOIN guarantee_contract g ON g.id = rv.record_id
      WHERE rv.record_kind = 'GUARANTEE_CONTRACT' AND g.ref = 'G-V' ORDER BY rv.version`,
  );
  expect(versions).toEqual([
    { version: 1, amount: '40000.00', loans: [{ bankCode: 'T-BANK', loanRef: 'GL-1' }] },
    { version: 2, amount: '35000.00', loans: null },
  ]);
});

test('integrity rules reject; a fee above the cap only warns', async () => {
  const result = await guarantees({
    batchId: 'g-bad',
    partial: true,
    items: [
      guarantee('G-FEE', { feeRate: '0.012' }),
      guarantee('G-SHARES', { guarantorShare: '0.7' }),
      guarantee('G-BANK', { loans: [{ bankCode: 'NO-SUCH-BANK', loanRef: 'X-1' }] }),
      guarantee('G-DATES', { endsOn: '2020-03-01' }),
      guarantee('G-TWICE', { loans: [{ bankCode: 'T-BANK', loanRef: 'GL-1' }, { bankCode: 'T-BANK', loanRef: 'GL-1' }] }),
    ],
  });
  const [fee, ...bad] = result.items;
  expect(fee).toMatchObject({ status: 'CREATED', version: 1 });
  expect(fee.warnings).toEqual([
    {
      code: 'GUARANTEE_FEE_ABOVE_CAP',
      path: 'items[0].feeRate',
      message: 'Guarantee fee rate above the 0.008 cap in force on 2020-04-01',
      parameter: 'guarantee.max_fee_rate',
      limit: '0.008',
      actual: '0.012000',
      inForceOn: '2020-04-01',
    },
  ]);
  expect(bad.map((r: Record<string, unknown>) => [r.status, r.code, r.reason, r.path])).toEqual([
    ['REJECTED', 'BAD_USER_INPUT', 'SHARES_NOT_ONE', 'items[1].guarantorShare'],
    ['REJECTED', 'NOT_FOUND', 'UNKNOWN_REFERENCE', 'items[2].loans[0].bankCode'],
    ['REJECTED', 'BAD_USER_INPUT', 'DATE_ORDER', 'items[3].endsOn'],
    ['REJECTED', 'BAD_USER_INPUT', 'DUPLICATE_LINK', 'items[4].loans[1]'],
  ]);
  const [row] = await world.sql(`SELECT terms->'violations' AS violations FROM record_version WHERE record_kind = 'GUARANTEE_CONTRACT' AND terms->>'ref' = 'G-FEE'`);
  expect(row.violations).toEqual([{ code: 'GUARANTEE_FEE_ABOVE_CAP', field: 'feeRate', parameter: 'guarantee.max_fee_rate', limit: '0.008', actual: '0.012000', inForceOn: '2020-04-01' }]);
});

test('no national ID number reached any table', async () => {
  expect(await placesHoldingIdNumbers(world, ALL_ID_NUMBERS)).toEqual([]);
});

/**
 * `upsertLoans` over real HTTP: who may call it, what a batch does (one transaction,
 * all-or-nothing or partial, idempotent on the bank's reference and on the batch id),
 * the integrity rules that reject and the policy rules that only warn, households and
 * enterprises first named by a lender, pending links resolving when the loan arrives,
 * provenance read back through the API, and the national ID numbers sent ending up
 * nowhere in the database.
 */
import './reset-orm-metadata';
import { canonicalJson, sha256Hex } from '../../src/services/demo/canonical';
import { useTestDatabase } from '../helpers';
import { ALL_ID_NUMBERS, COUNTY, gid, ID, KNOWN_HOUSEHOLD, OTHER_BANKS_HOUSEHOLD, placesHoldingIdNumbers, RESULT_FIELDS, useIngestionWorld, VILLAGE } from './ingestion-world';

const db = useTestDatabase();
const world = useIngestionWorld(db);

const UPSERT = /* GraphQL */ `
  mutation Upsert($input: UpsertLoansInput!) { upsertLoans(input: $input) { ${RESULT_FIELDS} } }
`;

const LOAN_QUERY = /* GraphQL */ `
  query Loan($id: ID!) {
    node(id: $id) {
      ... on Loan {
        ref product principal disbursedOn maturesOn annualRate subsidyRate guaranteeMode paidToAccount purpose version
        borrower { __typename ... on Household { ref status } ... on Enterprise { creditCode name } }
        provenance { sourceInstitution { code } batchId receivedAt }
      }
    }
  }
`;

type Item = Record<string, unknown>;

/** A valid micro-credit loan to the household the hub knows, named by its head's ID number. */
function loan(ref: string, overrides: Item = {}): Item {
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

async function upsert(who: string, input: Record<string, unknown>) {
  return (await world.data(who, UPSERT, { input })).upsertLoans;
}

const HEX64 = expect.stringMatching(/^[0-9a-f]{64}$/);
const ISO_INSTANT = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

function accepted(index: number, ref: string, status: string, type: string, id: string, version: number | null, warnings: unknown[] = []) {
  return { index, ref, status, code: null, reason: null, path: null, message: null, id: gid(type, id), version, warnings };
}

function rejected(index: number, ref: string, code: string, reason: string, path: string | null, message: unknown = expect.any(String)) {
  return { index, ref, status: 'REJECTED', code, reason, path, message, id: null, version: null, warnings: [] };
}

async function loanId(ref: string, institution = world.ids.bank): Promise<string> {
  const [row] = await world.sql<{ id: string }>('SELECT id::text AS id FROM loan WHERE institution_id = $1 AND ref = $2', [institution, ref]);
  return row.id;
}

describe('who may report loans', () => {
  test.each(['insurer', 'guarantor', 'government', 'regulator', 'analyst'])('%s is FORBIDDEN and nothing is written', async (who) => {
    const before = await world.counts();
    const { status, body } = await world.gql(who, UPSERT, { input: { batchId: `forbidden-${who}`, items: [loan('L-FORBIDDEN')] } });
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors).toEqual([{ message: 'upsertLoans is not allowed for the ' + world.principals[who].role + ' role', path: ['upsertLoans'], locations: expect.any(Array), extensions: { code: 'FORBIDDEN' } }]);
    expect(await world.counts()).toEqual(before);
  });
});

describe('creating, repeating and versioning loans', () => {
  test('a first report creates the loans, households and enterprises the hub did not know, with provenance', async () => {
    const enterpriseCode = '91522326MA6DL0XX1' + (await import('../../src/services/ingestion')).creditCodeCheckCharacter('91522326MA6DL0XX1');
    const result = await upsert('bank', {
      batchId: 'loans-2020-03',
      items: [
        loan('L-1'),
        loan('L-2', { borrower: { household: { headIdNumber: ID.fresh, villageCode: VILLAGE, headName: '李四', headPhone: '13900001111' } }, principal: '30000.5' }),
        loan('L-3', {
          product: 'INDUSTRIAL',
          borrower: { enterprise: { creditCode: enterpriseCode, name: '望谟县乐元种养专业合作社', kind: 'COOPERATIVE', villageCode: VILLAGE } },
          principal: '800000.00',
          maturesOn: '2022-03-14',
          annualRate: '0.0475',
          subsidyRate: null,
          paidToAccount: 'COOPERATIVE',
          relendingFacilityRef: 'RL-2020-01',
          riskCompensationFundRef: 'RCF-522326',
        }),
      ],
    });
    const [l1, l2, l3] = [await loanId('L-1'), await loanId('L-2'), await loanId('L-3')];
    expect(result).toEqual({
      batchId: 'loans-2020-03',
      kind: 'upsertLoans',
      payloadHash: HEX64,
      receivedAt: ISO_INSTANT,
      partial: false,
      committed: true,
      replayed: false,
      counts: { created: 3, updated: 0, unchanged: 0, pendingLink: 0, rejected: 0 },
      items: [accepted(0, 'L-1', 'CREATED', 'Loan', l1, 1), accepted(1, 'L-2', 'CREATED', 'Loan', l2, 1), accepted(2, 'L-3', 'CREATED', 'Loan', l3, 1)],
    });

    // Read back through the API, with provenance.
    const provenance = { sourceInstitution: { code: 'T-BANK' }, batchId: 'loans-2020-03', receivedAt: result.receivedAt };
    const first = await world.data('bank', LOAN_QUERY, { id: gid('Loan', l1) });
    expect(first.node).toEqual({
      ref: 'L-1',
      product: 'POVERTY_MICROCREDIT',
      principal: '50000.00',
      disbursedOn: '2020-03-15',
      maturesOn: '2023-03-14',
      annualRate: '0.043500',
      subsidyRate: '0.043500',
      guaranteeMode: 'CREDIT',
      paidToAccount: 'HOUSEHOLD',
      purpose: '养殖能繁母猪',
      version: 1,
      borrower: { __typename: 'Household', ref: KNOWN_HOUSEHOLD, status: 'REGISTERED_POOR' },
      provenance,
    });
    const second = await world.data('bank', LOAN_QUERY, { id: gid('Loan', l2) });
    expect(second.node.principal).toBe('30000.50');
    expect(second.node.borrower).toEqual({ __typename: 'Household', ref: expect.stringMatching(/^H[0-9A-HJKMNP-TV-Z]{12}$/), status: 'OTHER' });
    const third = await world.data('bank', LOAN_QUERY, { id: gid('Loan', l3) });
    expect(third.node.borrower).toEqual({ __typename: 'Enterprise', creditCode: enterpriseCode, name: '望谟县乐元种养专业合作社' });
    expect(third.node.provenance).toEqual(provenance);

    // The household first named by the bank: OTHER, matched by hash, PII encrypted, with its status history.
    const freshRef = second.node.borrower.ref as string;
    const [household] = await world.sql(
      `SELECT h.status, h.status_since::text AS since, h.county_code, h.village_code, s.code AS source,
              (SELECT count(*)::int FROM household_identity i WHERE i.household_id = h.id AND i.valid_to IS NULL) AS identities,
              (SELECT array_agg(status || '@' || valid_from::text) FROM household_status_change c WHERE c.household_id = h.id) AS history,
              position(convert_to('李四', 'UTF8') in h.name_enc) = 0 AS name_encrypted
         FROM household h JOIN institution s ON s.id = h.source_institution_id WHERE h.ref = $1`,
      [freshRef],
    );
    expect(household).toEqual({
      status: 'OTHER',
      since: '2020-03-15',
      county_code: COUNTY,
      village_code: VILLAGE,
      source: 'T-BANK',
      identities: 1,
      history: ['OTHER@2020-03-15'],
      name_encrypted: true,
    });

    // Version 1 of each loan's terms, canonical as the demo writes them.
    const [version] = await world.sql<{ terms: Record<string, unknown>; terms_hash: string; batch: string }>(
      `SELECT rv.terms, rv.terms_hash, b.external_id AS batch FROM record_version rv JOIN ingest_batch b ON b.id = rv.batch_id
        WHERE rv.record_kind = 'LOAN' AND rv.record_id = $1 AND rv.version = 1`,
      [l1],
    );
    const terms = {
      annualRate: '0.043500',
      bankCode: 'T-BANK',
      borrowerKind: 'HOUSEHOLD',
      countyCode: COUNTY,
      disbursedOn: '2020-03-15',
      guaranteeMode: 'CREDIT',
      householdRef: KNOWN_HOUSEHOLD,
      maturesOn: '2023-03-14',
      paidToAccount: 'HOUSEHOLD',
      principal: '50000.00',
      product: 'POVERTY_MICROCREDIT',
      purpose: '养殖能繁母猪',
      ref: 'L-1',
      relendingFacilityRef: null,
      riskCompensationFundRef: null,
      subsidyRate: '0.043500',
    };
    expect(version).toEqual({ terms, terms_hash: sha256Hex(canonicalJson(terms)), batch: 'loans-2020-03' });
    const [links] = await world.sql('SELECT relending_facility_id::text AS facility, risk_compensation_fund_id::text AS fund FROM loan WHERE id = $1', [l3]);
    expect(links).toEqual({ facility: world.ids.facility, fund: world.ids.fund });
  });

  test('the same batch id and payload again returns the first answer and applies nothing', async () => {
    const input = { batchId: 'loans-retry', items: [loan('L-RETRY')] };
    const first = await upsert('bank', input);
    const before = await world.counts();
    const again = await upsert('bank', input);
    expect(again).toEqual({ ...first, replayed: true });
    expect(again.items[0].status).toBe('CREATED');
    expect(await world.counts()).toEqual(before);
  });

  test('the same batch id with another payload is CONFLICT', async () => {
    await upsert('bank', { batchId: 'loans-reused', items: [loan('L-REUSED')] });
    const before = await world.counts();
    const { body } = await world.gql('bank', UPSERT, { input: { batchId: 'loans-reused', items: [loan('L-REUSED', { principal: '40000' })] } });
    expect(body.errors).toEqual([
      { message: 'batchId loans-reused was already used with a different payload', path: ['upsertLoans'], locations: expect.any(Array), extensions: { code: 'CONFLICT', reason: 'BATCH_ID_REUSED' } },
    ]);
    expect(await world.counts()).toEqual(before);
    // Batch ids are per institution: another bank may use the same one.
    const other = await upsert('otherBank', {
      batchId: 'loans-reused',
      items: [loan('L-REUSED', { countyCode: '522324', borrower: { householdRef: OTHER_BANKS_HOUSEHOLD } })],
    });
    expect(other.items[0].status).toBe('CREATED');
  });

  test('the same item again is UNCHANGED; a changed item is a new version and the history is kept', async () => {
    const created = await upsert('bank', { batchId: 'v-1', items: [loan('L-V')] });
    const id = await loanId('L-V');
    const same = await upsert('bank', { batchId: 'v-2', items: [loan('L-V')] });
    expect(same.items).toEqual([accepted(0, 'L-V', 'UNCHANGED', 'Loan', id, 1)]);

    const changed = await upsert('bank', { batchId: 'v-3', items: [loan('L-V', { annualRate: '0.0475', purpose: '养殖肉牛', version: 1 })] });
    expect(changed.items).toEqual([accepted(0, 'L-V', 'UPDATED', 'Loan', id, 2)]);
    const read = await world.data('bank', LOAN_QUERY, { id: gid('Loan', id) });
    expect(read.node).toMatchObject({ annualRate: '0.047500', purpose: '养殖肉牛', version: 2, provenance: { batchId: 'v-3', receivedAt: changed.receivedAt } });

    const versions = await world.sql(
      `SELECT rv.version, rv.terms->>'annualRate' AS rate, rv.terms->>'purpose' AS purpose, b.external_id AS batch
         FROM record_version rv JOIN ingest_batch b ON b.id = rv.batch_id WHERE rv.record_kind = 'LOAN' AND rv.record_id = $1 ORDER BY rv.version`,
      [id],
    );
    expect(versions).toEqual([
      { version: 1, rate: '0.043500', purpose: '养殖能繁母猪', batch: 'v-1' },
      { version: 2, rate: '0.047500', purpose: '养殖肉牛', batch: 'v-3' },
    ]);
    expect(created.items[0].version).toBe(1);
  });

  test('an item based on a stale version is CONFLICT and changes nothing', async () => {
    await upsert('bank', { batchId: 'stale-1', items: [loan('L-STALE')] });
    await upsert('bank', { batchId: 'stale-2', items: [loan('L-STALE', { principal: '45000' })] });
    const id = await loanId('L-STALE');
    const before = await world.counts();
    const stale = await upsert('bank', { batchId: 'stale-3', items: [loan('L-STALE', { principal: '40000', version: 1 })] });
    expect(stale).toMatchObject({ committed: false, counts: { rejected: 1 } });
    expect(stale.items).toEqual([
      rejected(0, 'L-STALE', 'CONFLICT', 'STALE_VERSION', 'items[0].version', 'The item is based on version 1, but loan L-STALE is at version 2; read it again'),
    ]);
    expect(await world.counts()).toEqual(before);
    const [row] = await world.sql('SELECT principal::text AS principal, version FROM loan WHERE id = $1', [id]);
    expect(row).toEqual({ principal: '45000.00', version: 2 });
    // Naming a version of a loan never reported is CONFLICT too.
    const ghost = await upsert('bank', { batchId: 'stale-4', items: [loan('L-GHOST', { version: 3 })] });
    expect(ghost.items[0]).toMatchObject({ status: 'REJECTED', code: 'CONFLICT', reason: 'NO_SUCH_VERSION', path: 'items[0].version' });
  });

  test('two writers of the same loan at once: one wins, the other is CONFLICT, nothing is lost', async () => {
    await upsert('bank', { batchId: 'race-0', items: [loan('L-RACE')] });
    const id = await loanId('L-RACE');
    const [a, b] = await Promise.all([
      upsert('bank', { batchId: 'race-a', items: [loan('L-RACE', { principal: '41000', version: 1 })] }),
      upsert('bank', { batchId: 'race-b', items: [loan('L-RACE', { principal: '42000', version: 1 })] }),
    ]);
    const outcomes = [a, b].map((r) => `${r.committed}:${r.items[0].status}:${r.items[0].reason}`).sort();
    expect(outcomes).toEqual(['false:REJECTED:STALE_VERSION', 'true:UPDATED:null']);
    const winner = a.committed ? a : b;
    const winningPrincipal = winner === a ? '41000.00' : '42000.00';
    const [row] = await world.sql('SELECT principal::text AS principal, version FROM loan WHERE id = $1', [id]);
    expect(row).toEqual({ principal: winningPrincipal, version: 2 });
    const versions = await world.sql(`SELECT version, terms->>'principal' AS principal FROM record_version WHERE record_kind = 'LOAN' AND record_id = $1 ORDER BY version`, [id]);
    expect(versions).toEqual([
      { version: 1, principal: '50000.00' },
      { version: 2, principal: winningPrincipal },
    ]);
  });

  test('two calls with the same batch id at once: one applies, the other answers with its result', async () => {
    const input = { batchId: 'same-batch-race', items: [loan('L-SAME-BATCH')] };
    const [a, b] = await Promise.all([upsert('bank', input), upsert('bank', input)]);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(a.items).toEqual(b.items);
    expect(a.items[0].status).toBe('CREATED');
    const [{ n }] = await world.sql(`SELECT count(*)::int AS n FROM loan WHERE ref = 'L-SAME-BATCH'`);
    expect(n).toBe(1);
  });
});

describe('integrity rules reject, with the field path', () => {
  test('partial mode lands the valid items and reports each rejection', async () => {
    const before = await world.counts();
    const items: Item[] = [
      loan('P-OK'),
      loan('P-ID-FORMAT', { borrower: { household: { headIdNumber: ID.malformed, villageCode: VILLAGE } } }),
      loan('P-ID-CHECK', { borrower: { household: { headIdNumber: ID.wrongCheck, villageCode: VILLAGE } } }),
      loan('P-ID-DATE', { borrower: { household: { headIdNumber: ID.impossibleDate, villageCode: VILLAGE } } }),
      loan('P-ID-PROVINCE', { borrower: { household: { headIdNumber: ID.badProvince, villageCode: VILLAGE } } }),
      loan('P-NEGATIVE', { principal: '-5000' }),
      loan('P-FLOAT', { principal: '1000.005' }),
      loan('P-PERCENT', { annualRate: '4.35' }),
      loan('P-DATES', { maturesOn: '2020-03-01' }),
      loan('P-FUTURE', { disbursedOn: '2099-01-01', maturesOn: '2100-01-01' }),
      loan('P-COUNTY', { countyCode: '999999' }),
      loan('P-VILLAGE', { borrower: { household: { headIdNumber: ID.another, villageCode: '522326999999' } } }),
      loan('P-NO-VILLAGE', { borrower: { household: { headIdNumber: ID.another } } }),
      loan('P-FACILITY', { relendingFacilityRef: 'RL-2020-02' }),
      loan('P-FUND', { riskCompensationFundRef: 'RCF-NOPE' }),
      loan('P-OTHERS-HOUSEHOLD', { borrower: { householdRef: OTHER_BANKS_HOUSEHOLD } }),
      loan('P-UNKNOWN-HOUSEHOLD', { borrower: { householdRef: 'H0000000000ZZ' } }),
      loan('P-TWO-BORROWERS', { borrower: { householdRef: KNOWN_HOUSEHOLD, enterprise: { creditCode: '91522326MA6DL0XX1B', name: 'x', kind: 'COMPANY' } } }),
      loan('P-CREDIT-CODE', { borrower: { enterprise: { creditCode: '91522326MA6DL0XX10', name: '某公司', kind: 'COMPANY' } } }),
      loan('P-DUP'),
      loan('P-DUP', { principal: '1000' }),
      loan('P-CLOSURE', { closedOn: '2020-04-01' }),
      loan(`P-${ID.fresh}`),
    ];
    const result = await upsert('bank', { batchId: 'partial-1', partial: true, items });
    const ok = await loanId('P-OK');
    expect(result.committed).toBe(true);
    expect(result.counts).toEqual({ created: 1, updated: 0, unchanged: 0, pendingLink: 0, rejected: items.length - 1 });
    const id = 'items[%].borrower.household.headIdNumber';
    expect(result.items).toEqual([
      accepted(0, 'P-OK', 'CREATED', 'Loan', ok, 1),
      rejected(1, 'P-ID-FORMAT', 'BAD_USER_INPUT', 'ID_FORMAT', id.replace('%', '1'), 'borrower.household.headIdNumber is not a valid national ID number: expected 17 digits followed by a digit or X'),
      rejected(2, 'P-ID-CHECK', 'BAD_USER_INPUT', 'ID_CHECK_CHARACTER', id.replace('%', '2')),
      rejected(3, 'P-ID-DATE', 'BAD_USER_INPUT', 'ID_BIRTH_DATE', id.replace('%', '3')),
      rejected(4, 'P-ID-PROVINCE', 'BAD_USER_INPUT', 'ID_PROVINCE', id.replace('%', '4')),
      rejected(5, 'P-NEGATIVE', 'BAD_USER_INPUT', 'NEGATIVE', 'items[5].principal', 'principal must not be negative'),
      rejected(6, 'P-FLOAT', 'BAD_USER_INPUT', 'TOO_MANY_DECIMALS', 'items[6].principal'),
      rejected(7, 'P-PERCENT', 'BAD_USER_INPUT', 'OUT_OF_RANGE', 'items[7].annualRate'),
      rejected(8, 'P-DATES', 'BAD_USER_INPUT', 'DATE_ORDER', 'items[8].maturesOn', 'maturesOn must be after disbursedOn'),
      rejected(9, 'P-FUTURE', 'BAD_USER_INPUT', 'IN_FUTURE', 'items[9].disbursedOn'),
      rejected(10, 'P-COUNTY', 'NOT_FOUND', 'UNKNOWN_REFERENCE', 'items[10].countyCode', 'countyCode: no county with code 999999'),
      rejected(11, 'P-VILLAGE', 'NOT_FOUND', 'UNKNOWN_REFERENCE', 'items[11].borrower.household.villageCode'),
      rejected(12, 'P-NO-VILLAGE', 'BAD_USER_INPUT', 'VILLAGE_REQUIRED', 'items[12].borrower.household.villageCode'),
      rejected(13, 'P-FACILITY', 'NOT_FOUND', 'UNKNOWN_REFERENCE', 'items[13].relendingFacilityRef', 'relendingFacilityRef: no re-lending facility RL-2020-02 lent to your institution'),
      rejected(14, 'P-FUND', 'NOT_FOUND', 'UNKNOWN_REFERENCE', 'items[14].riskCompensationFundRef'),
      rejected(15, 'P-OTHERS-HOUSEHOLD', 'NOT_FOUND', 'UNKNOWN_REFERENCE', 'items[15].borrower.householdRef', `borrower.householdRef: no household ${OTHER_BANKS_HOUSEHOLD} among your counterparties`),
      rejected(16, 'P-UNKNOWN-HOUSEHOLD', 'NOT_FOUND', 'UNKNOWN_REFERENCE', 'items[16].borrower.householdRef', 'borrower.householdRef: no household H0000000000ZZ among your counterparties'),
      rejected(17, 'P-TWO-BORROWERS', 'BAD_USER_INPUT', 'BORROWER_REQUIRED', 'items[17].borrower'),
      rejected(18, 'P-CREDIT-CODE', 'BAD_USER_INPUT', 'CREDIT_CODE_CHECK_CHARACTER', 'items[18].borrower.enterprise.creditCode'),
      rejected(19, 'P-DUP', 'BAD_USER_INPUT', 'DUPLICATE_REF', 'items[19].ref', 'The reference appears more than once in this batch (items 19, 20); send each record once'),
      rejected(20, 'P-DUP', 'BAD_USER_INPUT', 'DUPLICATE_REF', 'items[20].ref'),
      rejected(21, 'P-CLOSURE', 'BAD_USER_INPUT', 'CLOSURE_INCOMPLETE', 'items[21].closure'),
      rejected(22, '(withheld: contains a national ID number)', 'BAD_USER_INPUT', 'CONTAINS_ID_NUMBER', 'items[22].ref', 'ref must not contain a national ID number'),
    ]);
    // Only the valid item landed (and the batch row).
    const after = await world.counts();
    expect({ loan: after.loan - before.loan, batch: after.ingest_batch - before.ingest_batch, household: after.household - before.household }).toEqual({ loan: 1, batch: 1, household: 0 });
    // No message or reference echoes a number.
    const text = JSON.stringify(result);
    for (const number of ALL_ID_NUMBERS) expect(text).not.toContain(number);
  });

  test('all-or-nothing: one rejected item rolls the whole batch back and leaves no rows', async () => {
    const before = await world.counts();
    const result = await upsert('bank', {
      batchId: 'all-or-nothing',
      items: [
        loan('A-1', { borrower: { household: { headIdNumber: ID.another, villageCode: VILLAGE } } }),
        loan('A-2', { borrower: { enterprise: { creditCode: '91522326MA6DL0XX2' + (await import('../../src/services/ingestion')).creditCodeCheckCharacter('91522326MA6DL0XX2'), name: '新企业', kind: 'COMPANY' } }, product: 'INDUSTRIAL' }),
        loan('A-3', { principal: '12.345' }),
      ],
    });
    expect(result).toMatchObject({ committed: false, partial: false, counts: { created: 0, rejected: 3 } });
    expect(result.items).toEqual([
      rejected(0, 'A-1', 'BAD_USER_INPUT', 'BATCH_ROLLED_BACK', null, 'Not applied: the batch is all-or-nothing and item(s) 2 were rejected; fix them, or send the batch with partial: true'),
      rejected(1, 'A-2', 'BAD_USER_INPUT', 'BATCH_ROLLED_BACK', null),
      rejected(2, 'A-3', 'BAD_USER_INPUT', 'TOO_MANY_DECIMALS', 'items[2].principal'),
    ]);
    expect(await world.counts()).toEqual(before);
    // The batch id was not consumed: the corrected batch goes through under it.
    const fixed = await upsert('bank', {
      batchId: 'all-or-nothing',
      items: [loan('A-1', { borrower: { household: { headIdNumber: ID.another, villageCode: VILLAGE } } }), loan('A-3', { principal: '12.34' })],
    });
    expect(fixed.counts).toEqual({ created: 2, updated: 0, unchanged: 0, pendingLink: 0, rejected: 0 });
  });

  test('a JSON number for money is refused with the field path; nothing is written', async () => {
    const before = await world.counts();
    const { status, body } = await world.gql('bank', UPSERT, { input: { batchId: 'json-number', items: [loan('J-1', { principal: 50000.5 })] } });
    expect(status).toBe(400);
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(body.errors![0].message).toContain('"input.items[0].principal"');
    expect(body.errors![0].message).toContain('Decimal must be a string');
    expect(await world.counts()).toEqual(before);
  });

  test('an ID number sent as a JSON number is rejected without being echoed', async () => {
    const asNumber = Number(ID.fresh.slice(0, 17));
    const result = await upsert('bank', { batchId: 'id-number', partial: true, items: [loan('J-2', { borrower: { household: { headIdNumber: asNumber, villageCode: VILLAGE } } })] });
    expect(result.items[0]).toMatchObject({ status: 'REJECTED', reason: 'ID_FORMAT', path: 'items[0].borrower.household.headIdNumber' });
    expect(JSON.stringify(result)).not.toContain(String(asNumber));
  });

  test('a malformed input object around an ID number is refused without echoing the number', async () => {
    const { status, body } = await world.gql('bank', UPSERT, {
      input: { items: [loan('J-3', { borrower: { household: { headIdNumber: ID.fresh, villageCod: VILLAGE } } })] },
    });
    expect(status).toBe(400);
    expect(body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(body.errors![0].message).toContain('villageCod');
    expect(JSON.stringify(body)).not.toContain(ID.fresh);
  });

  test('a batch of more than 1,000 items is BAD_USER_INPUT; an empty one too', async () => {
    const before = await world.counts();
    const items = Array.from({ length: 1001 }, (_, i) => ({ ref: `BIG-${i}`, countyCode: COUNTY, product: 'OTHER_AGRI', borrower: { householdRef: KNOWN_HOUSEHOLD }, principal: '1', disbursedOn: '2020-01-01', maturesOn: '2021-01-01', annualRate: '0.05', guaranteeMode: 'CREDIT', paidToAccount: 'HOUSEHOLD' }));
    const big = await world.gql('bank', UPSERT, { input: { items } });
    expect(big.body.errors).toEqual([
      { message: 'A batch holds 1 to 1000 items; this one has 1001', path: ['upsertLoans'], locations: expect.any(Array), extensions: { code: 'BAD_USER_INPUT', field: 'input.items', reason: 'BATCH_SIZE' } },
    ]);
    const empty = await world.gql('bank', UPSERT, { input: { items: [] } });
    expect(empty.body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.items', reason: 'BATCH_SIZE' });
    expect(await world.counts()).toEqual(before);
  });

  test('a full batch of 1,000 items lands in one call', async () => {
    const items = Array.from({ length: 1000 }, (_, i) => loan(`BULK-${String(i).padStart(4, '0')}`, { principal: String(1000 + i) }));
    const result = await upsert('bank', { batchId: 'bulk-1000', items });
    expect(result.counts).toEqual({ created: 1000, updated: 0, unchanged: 0, pendingLink: 0, rejected: 0 });
    expect(result.items.map((r: { index: number }) => r.index)).toEqual(items.map((_, i) => i));
  });
});

describe('policy rules never reject: they warn and are kept with the version', () => {
  test('micro-credit above the caps, to an elderly head, paid to an enterprise account', async () => {
    const result = await upsert('bank', {
      batchId: 'policy-1',
      items: [
        loan('POL-1', {
          principal: '60000',
          maturesOn: '2024-03-15',
          paidToAccount: 'ENTERPRISE',
          borrower: { household: { headIdNumber: ID.elderly, villageCode: VILLAGE } },
        }),
      ],
    });
    const id = await loanId('POL-1');
    const warning = (code: string, path: string, parameter: string | null, limit: string | null, actual: string | null) => ({
      code,
      path: `items[0].${path}`,
      message: expect.any(String),
      parameter,
      limit,
      actual,
      inForceOn: '2020-03-15',
    });
    expect(result.items).toEqual([
      accepted(0, 'POL-1', 'CREATED', 'Loan', id, 1, [
        warning('MICROCREDIT_AMOUNT_ABOVE_CAP', 'principal', 'microcredit.max_amount', '50000', '60000.00'),
        warning('MICROCREDIT_TERM_ABOVE_CAP', 'maturesOn', 'microcredit.max_term_months', '36', '2024-03-15'),
        warning('MICROCREDIT_BORROWER_TOO_OLD', 'borrower', 'microcredit.max_borrower_age', '65', null),
        warning('HOUSEHOLD_LOAN_TO_ENTERPRISE_ACCOUNT', 'paidToAccount', null, null, 'ENTERPRISE'),
      ]),
    ]);
    const [row] = await world.sql(`SELECT terms->'violations' AS violations FROM record_version WHERE record_kind = 'LOAN' AND record_id = $1`, [id]);
    expect(row.violations).toEqual([
      { code: 'MICROCREDIT_AMOUNT_ABOVE_CAP', field: 'principal', parameter: 'microcredit.max_amount', limit: '50000', actual: '60000.00', inForceOn: '2020-03-15' },
      { code: 'MICROCREDIT_TERM_ABOVE_CAP', field: 'maturesOn', parameter: 'microcredit.max_term_months', limit: '36', actual: '2024-03-15', inForceOn: '2020-03-15' },
      { code: 'MICROCREDIT_BORROWER_TOO_OLD', field: 'borrower', parameter: 'microcredit.max_borrower_age', limit: '65', inForceOn: '2020-03-15' },
      { code: 'HOUSEHOLD_LOAN_TO_ENTERPRISE_ACCOUNT', field: 'paidToAccount', actual: 'ENTERPRISE', inForceOn: '2020-03-15' },
    ]);
    // The same item again is UNCHANGED, still with its warnings.
    const again = await upsert('bank', {
      batchId: 'policy-2',
      items: [loan('POL-1', { principal: '60000', maturesOn: '2024-03-15', paidToAccount: 'ENTERPRISE', borrower: { household: { headIdNumber: ID.elderly, villageCode: VILLAGE } } })],
    });
    expect(again.items[0]).toMatchObject({ status: 'UNCHANGED', version: 1 });
    expect(again.items[0].warnings).toHaveLength(4);
  });

  test('caps are read from policy_parameter as in force at disbursement', async () => {
    await world.sql(
      `INSERT INTO policy_parameter (key, value, unit, valid_from, basis, created_by) VALUES ('microcredit.max_amount', '80000', 'YUAN', '2020-06-01', 'test', 'test')`,
    );
    const result = await upsert('bank', {
      batchId: 'policy-dated',
      items: [loan('POL-BEFORE', { principal: '60000' }), loan('POL-AFTER', { principal: '60000', disbursedOn: '2020-06-15', maturesOn: '2023-06-14' })],
    });
    expect(result.items.map((r: { warnings: Array<{ code: string }> }) => r.warnings.map((w) => w.code))).toEqual([['MICROCREDIT_AMOUNT_ABOVE_CAP'], []]);
  });
});

describe('links across institutions', () => {
  test('a loan arriving resolves the pending links naming it whose contract covers its borrower', async () => {
    const result = await upsert('bank', { batchId: 'link-1', items: [loan('L-LINK', { disbursedOn: '2020-03-01', maturesOn: '2023-02-28' })] });
    const id = await loanId('L-LINK');
    // The bank learns nothing about the guarantees from its answer.
    expect(result.items).toEqual([accepted(0, 'L-LINK', 'CREATED', 'Loan', id, 1)]);
    const links = await world.sql('SELECT id::text AS id, status, loan_id::text AS loan FROM contract_link WHERE loan_ref = $1 ORDER BY id', ['L-LINK']);
    expect(links).toEqual([
      { id: world.ids.linkRight, status: 'LINKED', loan: id },
      // Names the same loan but guarantees someone else: it stays pending.
      { id: world.ids.linkWrong, status: 'PENDING', loan: null },
    ]);
    // The guarantor now sees the loan it covers.
    const seen = await world.data('guarantor', LOAN_QUERY, { id: gid('Loan', id) });
    expect(seen.node).toMatchObject({ ref: 'L-LINK' });
  });
});

describe('the national ID number', () => {
  test('appears in no column of any table', async () => {
    expect(await placesHoldingIdNumbers(world, ALL_ID_NUMBERS)).toEqual([]);
    // Nor its unkeyed hash, which the small keyspace would make reversible.
    expect(await placesHoldingIdNumbers(world, ALL_ID_NUMBERS.map((n) => sha256Hex(n)))).toEqual([]);
  });
});

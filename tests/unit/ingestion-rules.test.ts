/**
 * The pure parts of ingestion: exact decimals (no float ever), dates, references that
 * must not carry ID numbers, the payload hash that never hashes an ID number in clear,
 * the policy rules, and the redaction of ID numbers from request errors.
 */
import { createHash } from 'node:crypto';
import { redactIdNumbers } from '../../src/schema/errors';
import { parseKeyring, syntheticNationalId } from '../../src/services/identity';
import {
  addMonths,
  classFloor,
  containsNationalId,
  creditCodeCheckCharacter,
  exactDecimal,
  ItemRejection,
  microcreditViolations,
  MONEY,
  monthEndOf,
  PolicyBook,
  POSITIVE_MONEY,
  RATE,
} from '../../src/services/ingestion';
import { payloadHash } from '../../src/services/ingestion/payload-hash';

const rejection = (fn: () => unknown): { reason: string; path: string | null } => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ItemRejection) return { reason: error.reason, path: error.path };
    throw error;
  }
  throw new Error('expected a rejection');
};

describe('exactDecimal', () => {
  test.each([
    ['50000', '50000.00'],
    ['50000.5', '50000.50'],
    ['0007.10', '7.10'],
    ['12.340000', '12.34'],
    ['0', '0.00'],
  ])('money %s is %s', (input, text) => {
    expect(exactDecimal(input, 'x', MONEY).text).toBe(text);
  });

  test.each([
    ['-1', MONEY, 'NEGATIVE'],
    ['12.345', MONEY, 'TOO_MANY_DECIMALS'],
    ['0.1000000000000000055511151231257827', MONEY, 'TOO_MANY_DECIMALS'],
    ['1e5', MONEY, 'INVALID_DECIMAL'],
    ['12,5', MONEY, 'INVALID_DECIMAL'],
    ['0', POSITIVE_MONEY, 'NOT_POSITIVE'],
    ['12345678901234567', MONEY, 'OUT_OF_RANGE'],
    ['4.35', RATE, 'OUT_OF_RANGE'],
    ['0.0000001', RATE, 'TOO_MANY_DECIMALS'],
  ])('%s is rejected (%s)', (input, rule, reason) => {
    expect(rejection(() => exactDecimal(input, 'amount', rule))).toEqual({ reason, path: 'amount' });
  });

  test('a rate keeps six decimals', () => {
    expect(exactDecimal('0.0435', 'r', RATE).text).toBe('0.043500');
  });
});

describe('dates', () => {
  test('month ends and calendar months', () => {
    expect(monthEndOf('2020-02-10')).toBe('2020-02-29');
    expect(monthEndOf('2019-02-10')).toBe('2019-02-28');
    expect(addMonths('2020-01-31', 1)).toBe('2020-02-29');
    expect(addMonths('2020-03-15', 36)).toBe('2023-03-15');
    expect(addMonths('2020-11-30', 3)).toBe('2021-02-28');
  });
});

describe('ID numbers in free text', () => {
  const id = syntheticNationalId('52', '1980-06-15', 1);
  test('a checksum-valid number is found; other long digit runs are not', () => {
    expect(containsNationalId(`ref-${id}`)).toBe(true);
    expect(containsNationalId(`ref-${id.toLowerCase()}`)).toBe(true);
    expect(containsNationalId('acct-622848123456789012')).toBe(false);
  });

  test('request error messages have them cut out', () => {
    expect(redactIdNumbers(`got invalid value { headIdNumber: "${id}" }`)).toBe('got invalid value { headIdNumber: "[redacted]" }');
    expect(redactIdNumbers('Field "ref" of required type "String!" was not provided.')).toBe('Field "ref" of required type "String!" was not provided.');
  });
});

describe('payloadHash', () => {
  const keyring = parseKeyring(`v1:${Buffer.alloc(32, 3).toString('base64')}`, 'k');
  const id = syntheticNationalId('52', '1980-06-15', 1);
  const item = (headIdNumber: string, extra: Record<string, unknown> = {}) => ({ ref: 'L-1', borrower: { household: { headIdNumber, villageCode: '522326101201' } }, ...extra });

  test('depends on the ID number only through a keyed digest', () => {
    const hash = payloadHash('upsertLoans', false, [item(id)], keyring);
    const other = payloadHash('upsertLoans', false, [item(syntheticNationalId('52', '1980-06-15', 2))], keyring);
    expect(hash).not.toBe(other);
    const otherKey = parseKeyring(`v1:${Buffer.alloc(32, 4).toString('base64')}`, 'k');
    expect(payloadHash('upsertLoans', false, [item(id)], otherKey)).not.toBe(hash);
    // The unkeyed hash of the clear payload is not what is stored.
    const clear = createHash('sha256').update(JSON.stringify({ kind: 'upsertLoans', partial: false, items: [item(id)] })).digest('hex');
    expect(hash).not.toBe(clear);
  });

  test('absent and null members hash alike; mode and kind count', () => {
    const base = payloadHash('upsertLoans', false, [item(id)], keyring);
    expect(payloadHash('upsertLoans', false, [item(id, { purpose: null })], keyring)).toBe(base);
    expect(payloadHash('upsertLoans', true, [item(id)], keyring)).not.toBe(base);
    expect(payloadHash('reportLoanPositions', false, [item(id)], keyring)).not.toBe(base);
  });

  test('refuses ID numbers when no matching key is configured', () => {
    expect(() => payloadHash('upsertLoans', false, [item(id)], null)).toThrow(/TRIPOD_MATCH_KEYS/);
  });
});

describe('policy rules', () => {
  const rows = [
    { key: 'microcredit.max_amount', value: '50000', validFrom: '2014-01-01', validTo: null },
    { key: 'microcredit.max_term_months', value: '36', validFrom: '2014-01-01', validTo: null },
    { key: 'classification.floor_days.special_mention', value: '1', validFrom: '2007-01-01', validTo: null },
    { key: 'classification.floor_days.substandard', value: '91', validFrom: '2007-01-01', validTo: null },
    { key: 'classification.floor_days.doubtful', value: '181', validFrom: '2007-01-01', validTo: '2023-07-01' },
    { key: 'classification.floor_days.doubtful', value: '271', validFrom: '2023-07-01', validTo: null },
    { key: 'classification.floor_days.loss', value: '361', validFrom: '2007-01-01', validTo: null },
  ];
  const policy = PolicyBook.fromRows(rows);

  test('class floors follow the rules in force on the month end', () => {
    expect(classFloor(policy, 0, '2020-06-30')?.floor).toBe('NORMAL');
    expect(classFloor(policy, 91, '2020-06-30')?.floor).toBe('SUBSTANDARD');
    expect(classFloor(policy, 200, '2020-06-30')?.floor).toBe('DOUBTFUL');
    expect(classFloor(policy, 200, '2023-12-31')?.floor).toBe('SUBSTANDARD');
    expect(classFloor(policy, 400, '2023-12-31')?.floor).toBe('LOSS');
  });

  test('micro-credit caps apply to POVERTY_MICROCREDIT only, at the cap itself no violation', () => {
    const terms = { product: 'POVERTY_MICROCREDIT', borrowerKind: 'HOUSEHOLD' as const, principal: '50000.00', disbursedOn: '2020-03-15', maturesOn: '2023-03-15', paidToAccount: 'HOUSEHOLD', headBirthDate: null };
    expect(microcreditViolations(policy, terms)).toEqual([]);
    expect(microcreditViolations(policy, { ...terms, principal: '50000.01', maturesOn: '2023-03-16' }).map((v) => v.code)).toEqual([
      'MICROCREDIT_AMOUNT_ABOVE_CAP',
      'MICROCREDIT_TERM_ABOVE_CAP',
    ]);
    expect(microcreditViolations(policy, { ...terms, product: 'OTHER_AGRI', principal: '90000.00' })).toEqual([]);
  });
});

test('credit code check characters (GB 32100)', () => {
  // A published example code: 91350100M000100Y43.
  expect(creditCodeCheckCharacter('91350100M000100Y4')).toBe('3');
});

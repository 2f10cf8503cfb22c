/**
 * The pure parts of the indicators service: month-end arithmetic, complementary
 * suppression, canonical hashing, the CSV writer and the export's question parser.
 */
import type { Cell } from '../../src/services/indicators/indicator-engine';
import { complementarySuppression, isSmallCell } from '../../src/services/indicators/indicator-suppression';
import { INDICATORS } from '../../src/services/indicators/indicator-definitions';
import { FAMILIES } from '../../src/services/indicators/indicator-families';
import {
  addMonths,
  breakdownCsv,
  canonicalJson,
  contentHash,
  IndicatorKey,
  monthEndOnOrBefore,
  monthlyTriplets,
  parseBreakdownQuery,
  tripletOf,
  type Breakdown,
} from '../../src/services/indicators';

describe('dates', () => {
  test('asOf selects the latest month end on or before it', () => {
    expect(monthEndOnOrBefore('2020-07-15')).toBe('2020-06-30');
    expect(monthEndOnOrBefore('2020-06-30')).toBe('2020-06-30');
    expect(monthEndOnOrBefore('2020-03-01')).toBe('2020-02-29');
    expect(monthEndOnOrBefore('2020-01-31')).toBe('2020-01-31');
    expect(monthEndOnOrBefore('2020-01-30')).toBe('2019-12-31');
  });

  test('a year earlier is the same month end; the start of the year is 31 December before', () => {
    expect(tripletOf('2020-02-29')).toEqual({ current: '2020-02-29', previous: '2019-02-28', startOfYear: '2019-12-31' });
    expect(tripletOf('2021-02-28')).toEqual({ current: '2021-02-28', previous: '2020-02-29', startOfYear: '2020-12-31' });
    expect(tripletOf('2020-12-31', '2020-06-15')).toEqual({ current: '2020-12-31', previous: '2020-05-31', startOfYear: '2019-12-31' });
    expect(addMonths('2020-01-31', 1)).toBe('2020-02-29');
  });

  test('a monthly breakdown covers the twelve month ends to asOf', () => {
    const triplets = monthlyTriplets('2020-03-10');
    expect(triplets.map((t) => t.current)).toEqual([
      '2019-03-31', '2019-04-30', '2019-05-31', '2019-06-30', '2019-07-31', '2019-08-31',
      '2019-09-30', '2019-10-31', '2019-11-30', '2019-12-31', '2020-01-31', '2020-02-29',
    ]);
    expect(triplets[11]).toEqual({ current: '2020-02-29', previous: '2019-02-28', startOfYear: '2019-12-31' });
  });
});

const cell = (numeratorHidden: number, denominatorHidden = 0): Cell => ({
  value: '1',
  numerator: '1',
  denominator: null,
  numeratorParties: numeratorHidden,
  numeratorHidden,
  denominatorParties: denominatorHidden,
  denominatorHidden,
  receivedAt: null,
});

describe('suppression', () => {
  test('a cell is small when 1 … k−1 parties behind its numerator or denominator are hidden', () => {
    expect(isSmallCell(cell(0), 5)).toBe(false);
    expect(isSmallCell(cell(1), 5)).toBe(true);
    expect(isSmallCell(cell(4), 5)).toBe(true);
    expect(isSmallCell(cell(5), 5)).toBe(false);
    expect(isSmallCell(cell(0, 3), 5)).toBe(true);
  });

  test('complementary suppression adds the smallest cells that hide something until k are hidden together', () => {
    // One small cell: the next smallest goes with it.
    expect(complementarySuppression([cell(10), cell(1), cell(6)], [false, true, false], 5)).toEqual([false, true, true]);
    // Two small cells that hide enough together need no third.
    expect(complementarySuppression([cell(10), cell(2), cell(3)], [false, true, true], 5)).toEqual([false, true, true]);
    // A cell of the caller's own rows (nothing hidden) protects nothing and stays.
    expect(complementarySuppression([cell(0), cell(1)], [false, true], 5)).toEqual([false, true]);
    // Nothing suppressed: nothing to protect.
    expect(complementarySuppression([cell(10), cell(7)], [false, false], 5)).toEqual([false, false]);
  });
});

describe('definitions', () => {
  test('every key has one definition whose measures exist in its family', () => {
    expect(INDICATORS.map((d) => d.key).sort()).toEqual(Object.values(IndicatorKey).sort());
    for (const definition of INDICATORS) {
      const names = FAMILIES[definition.family].measures.map((m) => m.name);
      expect(names).toContain(definition.numerator);
      if (definition.denominator !== undefined) expect(names).toContain(definition.denominator);
      for (const grouping of definition.groupings) expect(FAMILIES[definition.family].groupings).toContain(grouping);
    }
  });
});

describe('hashing', () => {
  test('canonical JSON sorts keys, drops undefined and refuses fractions', () => {
    expect(canonicalJson({ b: '1.50', a: [1, null, { d: true, c: undefined }] })).toBe('{"a":[1,null,{"d":true}],"b":"1.50"}');
    expect(() => canonicalJson({ a: 1.5 })).toThrow(RangeError);
  });

  test('the content hash ignores the hash field and nothing else', () => {
    const answer = { asOf: '2020-06-30', value: '1.00', contentHash: '' };
    const hash = contentHash(answer);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash({ ...answer, contentHash: hash })).toBe(hash);
    expect(contentHash({ ...answer, value: '1.01' })).not.toBe(hash);
  });
});

describe('CSV', () => {
  test('quotes what needs quoting and defuses formulas in text, not in numbers', () => {
    const value = (v: string | null) => ({ date: '2020-06-30', value: v, numerator: v, denominator: null, nullReason: null });
    const change = { absolute: '-5.00', relative: null, absoluteNullReason: null, relativeNullReason: null };
    const breakdown = {
      metric: 'LOAN_BALANCE',
      groupBy: 'INSTITUTION',
      unit: 'YUAN',
      area: { code: '52', name: '贵州省', level: 'PROVINCE' },
      book: 'MARKET',
      schemaVersion: 'Migration1_x',
      contentHash: 'abc',
      rows: [
        {
          group: 'B1',
          label: '=HYPERLINK("x"),银行',
          current: value('10.00'),
          previous: value('15.00'),
          startOfYear: value(null),
          changeFromPrevious: change,
          changeFromStartOfYear: change,
          freshness: { latestMonthEnd: null, latestReceivedAt: null },
        },
      ],
    } as unknown as Breakdown;
    const [, line] = breakdownCsv(breakdown).split('\r\n');
    expect(line.startsWith(`LOAN_BALANCE,INSTITUTION,B1,"'=HYPERLINK(""x""),银行",YUAN,2020-06-30,10.00,10.00,,,2020-06-30,15.00,,-5.00,,`)).toBe(true);
  });
});

describe('export questions', () => {
  test('plain strings become service arguments', () => {
    expect(
      parseBreakdownQuery({ metric: 'LOAN_BALANCE', groupBy: 'PRODUCT', area: 'nation', asOf: '2020-06-30', products: 'INDUSTRIAL,POVERTY_MICROCREDIT', book: 'OWN_BOOK' }),
    ).toEqual({
      metric: 'LOAN_BALANCE',
      groupBy: 'PRODUCT',
      area: { nation: true },
      asOf: '2020-06-30',
      compareWith: null,
      book: 'OWN_BOOK',
      filter: { institutionCode: null, products: ['INDUSTRIAL', 'POVERTY_MICROCREDIT'], combinedModels: null, designation: null },
    });
  });

  test('unknown parameters and values are refused by name', () => {
    expect(() => parseBreakdownQuery({ metric: 'LOAN_BALANCE', groupBy: 'COUNTY', area: '52', asOf: '2020-06-30', where: 'x' })).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'where' }) }),
    );
    expect(() => parseBreakdownQuery({ metric: 'LOAN_BALANCE', groupBy: 'WEEK', area: '52', asOf: '2020-06-30' })).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ field: 'groupBy' }) }),
    );
  });
});

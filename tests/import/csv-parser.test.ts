/**
 * The import's CSV parser (RFC 4180) and the row mapping it feeds: quoting, embedded
 * commas, quotes and line breaks, BOM, CRLF, records split across read blocks at every
 * possible point, malformed records reported with their line, and the header and cell
 * rules of a kind's columns.
 */
import { CsvParser, CsvRecordTooLongError, parseCsvText } from '../../src/services/import/csv-parser';
import { bindHeader, HeaderError, itemFromCells, itemFromJson, RowError } from '../../src/services/import/row-mapping';
import { findImportKind } from '../../src/services/import/kinds';

const rows = (text: string) => parseCsvText(text).map((r) => r.fields);

describe('CsvParser', () => {
  test('plain records, LF and CRLF, with and without a final line break', () => {
    expect(rows('a,b,c\n1,2,3\n')).toEqual([['a', 'b', 'c'], ['1', '2', '3']]);
    expect(rows('a,b\r\n1,2\r\n')).toEqual([['a', 'b'], ['1', '2']]);
    expect(rows('a,b\r\n1,2')).toEqual([['a', 'b'], ['1', '2']]);
    expect(rows('a,b\r1,2\r')).toEqual([['a', 'b'], ['1', '2']]);
  });

  test('empty fields, and blank lines skipped', () => {
    expect(rows('a,,c\n,,\n\n\r\n1,2,\n')).toEqual([['a', '', 'c'], ['', '', ''], ['1', '2', '']]);
  });

  test('quoted fields hold commas, doubled quotes, line breaks and CRLF as they are', () => {
    const parsed = parseCsvText('ref,purpose\n"L-1","养殖, 种植"\nL-2,"say ""hi"""\n"L-3","two\nlines"\r\n"L-4","crlf\r\ninside"\n"",x\n');
    expect(parsed).toEqual([
      { line: 1, fields: ['ref', 'purpose'], error: null },
      { line: 2, fields: ['L-1', '养殖, 种植'], error: null },
      { line: 3, fields: ['L-2', 'say "hi"'], error: null },
      { line: 4, fields: ['L-3', 'two\nlines'], error: null },
      { line: 6, fields: ['L-4', 'crlf\r\ninside'], error: null },
      { line: 8, fields: ['', 'x'], error: null },
    ]);
  });

  test('a byte order mark at the start is dropped, elsewhere it is data', () => {
    expect(rows('\uFEFFref,x\n\uFEFFa,b\n')).toEqual([['ref', 'x'], ['\uFEFFa', 'b']]);
  });

  test('the same records whatever the block boundaries (every split point, CRLF and quotes included)', () => {
    const text = '\uFEFFref,purpose,n\r\n"L-1","a, ""b""\r\nc",1\r\nL-2,,2\r\n"",x,3';
    const whole = parseCsvText(text);
    for (let cut = 0; cut <= text.length; cut++) {
      for (const cut2 of [cut, Math.min(cut + 1, text.length), Math.min(cut + 3, text.length)]) {
        const parser = new CsvParser();
        const got = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut, cut2)), ...parser.push(text.slice(cut2)), ...parser.end()];
        expect(got).toEqual(whole);
      }
    }
    expect(whole.map((r) => r.fields)).toEqual([['ref', 'purpose', 'n'], ['L-1', 'a, "b"\r\nc', '1'], ['L-2', '', '2'], ['', 'x', '3']]);
  });

  test('malformed records are flagged with their line and the parser goes on', () => {
    const parsed = parseCsvText('a,b\nx"y,1\n"ok",2\n"z"w,3\n"open,4\n');
    expect(parsed.map((r) => [r.line, r.error === null ? null : r.error.split(' ')[0]])).toEqual([
      [1, null],
      [2, 'a'],
      [3, null],
      [4, 'characters'],
      [5, 'a'],
    ]);
    expect(parsed[4].error).toMatch(/not closed before the end of the file/);
  });

  test('a record beyond the size bound stops the parse', () => {
    const parser = new CsvParser(100);
    expect(() => parser.push(`a,b\n"${'x'.repeat(200)}`)).toThrow(CsvRecordTooLongError);
  });
});

describe('row mapping', () => {
  const loans = findImportKind('loans')!;
  const guarantees = findImportKind('guarantees')!;
  const loanHeader = ['ref', 'countyCode', 'product', 'borrower.household.headIdNumber', 'borrower.household.villageCode', 'borrower.enterprise.creditCode', 'principal', 'disbursedOn', 'maturesOn', 'annualRate', 'guaranteeMode', 'paidToAccount', 'purpose', 'version'];

  test('dotted columns build the nested item; empty cells are null; an all-null object is null', () => {
    const bound = bindHeader(loans, loanHeader);
    const item = itemFromCells(bound, ['L-1', '522326', 'POVERTY_MICROCREDIT', '', '', '91522326MA6DP8X04T', '50000', '2020-03-15', '2023-03-14', '0.0435', 'CREDIT', 'HOUSEHOLD', '', '2']);
    expect(item).toEqual({
      ref: 'L-1',
      countyCode: '522326',
      product: 'POVERTY_MICROCREDIT',
      borrower: { household: null, enterprise: { creditCode: '91522326MA6DP8X04T' } },
      principal: '50000',
      disbursedOn: '2020-03-15',
      maturesOn: '2023-03-14',
      annualRate: '0.0435',
      guaranteeMode: 'CREDIT',
      paidToAccount: 'HOUSEHOLD',
      purpose: null,
      version: 2,
    });
  });

  test('numbered list columns and a JSON list column', () => {
    const numbered = bindHeader(guarantees, ['ref', 'countyCode', 'guaranteedAmount', 'feeRate', 'guarantorShare', 'bankShare', 'governmentShare', 'reguaranteeShare', 'startsOn', 'endsOn', 'loans[0].bankCode', 'loans[0].loanRef', 'loans[1].bankCode', 'loans[1].loanRef']);
    const cells = ['G-1', '522326', '40000', '0.01', '0.7', '0.2', '0.1', '0', '2020-03-15', '2023-03-14'];
    expect(itemFromCells(numbered, [...cells, 'B', 'L-1', '', '']).loans).toEqual([{ bankCode: 'B', loanRef: 'L-1' }]);
    const json = bindHeader(guarantees, ['ref', 'countyCode', 'guaranteedAmount', 'feeRate', 'guarantorShare', 'bankShare', 'governmentShare', 'reguaranteeShare', 'startsOn', 'endsOn', 'loans']);
    expect(itemFromCells(json, [...cells, '[{"bankCode":"B","loanRef":"L-2"}]']).loans).toEqual([{ bankCode: 'B', loanRef: 'L-2' }]);
    expect(() => itemFromCells(json, [...cells, '[{bankCode'])).toThrow(expect.objectContaining({ reason: 'INVALID_JSON', path: 'loans' }));
  });

  test('a required list is given by numbered columns or by its JSON column', () => {
    const findings = findImportKind('findings')!;
    const base = ['ref', 'source', 'countyCode', 'text', 'foundOn', 'dueOn'];
    const cells = ['F-1', 'INSPECTION', '522326', '贷后管理不到位', '2020-09-01', '2020-12-31'];
    const numbered = bindHeader(findings, [...base, 'steps[0].description', 'steps[1].description']);
    expect(itemFromCells(numbered, [...cells, '整改一', '整改二']).steps).toEqual([{ description: '整改一' }, { description: '整改二' }]);
    const json = bindHeader(findings, [...base, 'steps']);
    expect(itemFromCells(json, [...cells, '[{"description":"整改一"}]']).steps).toEqual([{ description: '整改一' }]);
    expect(() => bindHeader(findings, base)).toThrow(/missing required column "steps"/);
  });

  test('unknown, duplicate and missing required columns are one header error naming them all', () => {
    let error: unknown;
    try {
      bindHeader(loans, ['ref', 'ref', 'colour', 'product', 'loans[0].bankCode']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HeaderError);
    const message = (error as Error).message;
    for (const part of ['"ref" appears twice', 'unknown column "colour"', 'unknown column "loans[0].bankCode"', 'missing required column "countyCode"', 'missing required column "principal"']) {
      expect(message).toContain(part);
    }
  });

  test('cells a column cannot take, and a wrong field count, are row errors naming the column', () => {
    const bound = bindHeader(loans, loanHeader);
    const cells = ['L-1', '522326', 'POVERTY_MICROCREDIT', '', '', '', '50000', '2020-03-15', '2023-03-14', '0.0435', 'CREDIT', 'HOUSEHOLD', '', 'two'];
    expect(() => itemFromCells(bound, cells)).toThrow(expect.objectContaining({ reason: 'NOT_AN_INTEGER', path: 'version' }));
    expect(() => itemFromCells(bound, cells.slice(1))).toThrow(expect.objectContaining({ reason: 'FIELD_COUNT' }));
  });

  test('NDJSON rows keep their shape; unknown members at any depth are refused', () => {
    const item = { ref: 'L-1', borrower: { household: { headIdNumber: 'x', villageCode: 'y' } }, version: 1 };
    expect(itemFromJson(loans, item)).toBe(item);
    expect(() => itemFromJson(loans, { ref: 'L-1', borrower: { household: { idNumber: 'x' } } })).toThrow(
      expect.objectContaining({ reason: 'UNKNOWN_FIELD', path: 'borrower.household.idNumber' }),
    );
    expect(() => itemFromJson(loans, [1])).toThrow(RowError);
    expect(itemFromJson(guarantees, { ref: 'G', loans: [{ bankCode: 'B', loanRef: 'L' }] })).toEqual({ ref: 'G', loans: [{ bankCode: 'B', loanRef: 'L' }] });
  });
});

import { databaseName, quoteIdent, withDatabase } from '../../src/db/admin';

test('identifiers are quoted with embedded quotes doubled', () => {
  expect(quoteIdent('tripod')).toBe('"tripod"');
  expect(quoteIdent('a"; DROP DATABASE x; --')).toBe('"a""; DROP DATABASE x; --"');
  expect(quoteIdent('扶贫')).toBe('"扶贫"');
});

test('identifiers PostgreSQL would truncate or cannot hold are refused', () => {
  expect(() => quoteIdent('')).toThrow(RangeError);
  expect(() => quoteIdent('a\0b')).toThrow(RangeError);
  expect(quoteIdent('x'.repeat(63))).toBe(`"${'x'.repeat(63)}"`);
  expect(() => quoteIdent('x'.repeat(64))).toThrow('Invalid identifier');
  expect(() => quoteIdent('扶'.repeat(22))).toThrow(RangeError); // 66 bytes in UTF-8
});

test('withDatabase swaps only the database of a URL', () => {
  expect(withDatabase('postgres://u:p%40ss@db.example:6543/postgres?sslmode=require', 'tripod_t_1')).toBe(
    'postgres://u:p%40ss@db.example:6543/tripod_t_1?sslmode=require',
  );
  expect(withDatabase('postgresql://postgres@127.0.0.1:5432', 'other')).toBe('postgresql://postgres@127.0.0.1:5432/other');
  expect(databaseName(withDatabase('postgres://h/x', 'tripod t'))).toBe('tripod t');
  expect(databaseName('postgres://h:5432')).toBe('postgres');
  expect(() => withDatabase('postgres://h/x', 'a/b')).toThrow(RangeError);
});

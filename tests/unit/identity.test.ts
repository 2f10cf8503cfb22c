import { randomBytes } from 'node:crypto';
import {
  KeyVersionUnavailableError,
  PiiCiphertextError,
  PiiKeyUnavailableError,
  applyPiiLevel,
  checkCharacter,
  decryptPii,
  deterministicHouseholdRef,
  encryptPii,
  generateKeyringSpec,
  isHouseholdRef,
  isSyntheticNationalId,
  matchHash,
  matchHashesForAllVersions,
  maskName,
  maskPhone,
  newHouseholdRef,
  parseKeyring,
  piiKeyVersion,
  syntheticNationalId,
  validateNationalId,
  type Keyring,
} from '../../src/services/identity';

/** A fixed test key: bytes 0x00..0x1f. */
const KEY_A = Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('base64');
const KEY_B = Buffer.alloc(32, 0xab).toString('base64');
const NOW = new Date('2020-06-30T12:00:00Z');

/** The error `run` throws, or undefined when it returns. */
function captureError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('checkCharacter', () => {
  it('matches the worked examples of GB 11643', () => {
    expect(checkCharacter('11010519491231002')).toBe('X');
    expect(checkCharacter('44052418800101001')).toBe('4');
  });

  it('rejects input that is not 17 digits', () => {
    expect(() => checkCharacter('1101051949123100')).toThrow(TypeError);
    expect(() => checkCharacter('1101051949123100A')).toThrow(TypeError);
  });
});

describe('validateNationalId', () => {
  it('accepts a valid number and reports province and birth date', () => {
    expect(validateNationalId('529912198006153456', { now: NOW })).toEqual({
      ok: true,
      normalized: '529912198006153456',
      provinceCode: '52',
      birthDate: '1980-06-15',
    });
  });

  it('normalizes a lowercase x check character to upper case', () => {
    expect(validateNationalId('11010519491231002x', { now: NOW })).toEqual({
      ok: true,
      normalized: '11010519491231002X',
      provinceCode: '11',
      birthDate: '1949-12-31',
    });
  });

  it('rejects every wrong check character', () => {
    const valid = '529912198006153456';
    const wrong = '0123456789X'.split('').filter((c) => c !== valid[17]);
    expect(wrong).toHaveLength(10);
    for (const c of wrong) {
      expect(validateNationalId(valid.slice(0, 17) + c, { now: NOW })).toEqual({ ok: false, reason: 'CHECK_CHARACTER' });
    }
  });

  it.each([
    ['17 characters', '52991219800615345'],
    ['19 characters', '5299121980061534560'],
    ['a letter inside', '5299121980061A3456'],
    ['X not in last place', 'X29912198006153456'],
    ['surrounding whitespace', ' 529912198006153456'],
    ['empty', ''],
    ['full-width digits', '５29912198006153456'],
  ])('rejects the format of %s', (_label, value) => {
    expect(validateNationalId(value, { now: NOW })).toEqual({ ok: false, reason: 'FORMAT' });
  });

  it('accepts 29 February 2000 and rejects 29 February 1900', () => {
    expect(validateNationalId('119900200002290005', { now: NOW })).toMatchObject({ ok: true, birthDate: '2000-02-29' });
    expect(validateNationalId('119900190002290009', { now: NOW })).toEqual({ ok: false, reason: 'BIRTH_DATE' });
  });

  it('rejects impossible dates and dates before 1900', () => {
    const withDate = (yyyymmdd: string): string => {
      const first17 = `110105${yyyymmdd}001`;
      return first17 + checkCharacter(first17);
    };
    for (const date of ['19800230', '19800431', '19801301', '19800001', '19800100', '18991231', '20190229']) {
      expect(validateNationalId(withDate(date), { now: NOW })).toEqual({ ok: false, reason: 'BIRTH_DATE' });
    }
    expect(validateNationalId(withDate('19000101'), { now: NOW })).toMatchObject({ ok: true, birthDate: '1900-01-01' });
    expect(validateNationalId(withDate('20200229'), { now: NOW })).toMatchObject({ ok: true, birthDate: '2020-02-29' });
  });

  it('rejects a birth date after today in China time', () => {
    const born = '119900202007010008'; // born 2020-07-01
    // 2020-06-30T15:59Z is 23:59 on 30 June in Beijing: not born yet.
    expect(validateNationalId(born, { now: new Date('2020-06-30T15:59:00Z') })).toEqual({ ok: false, reason: 'BIRTH_DATE' });
    // 2020-06-30T16:00Z is already 1 July in Beijing, though still 30 June in UTC.
    expect(validateNationalId(born, { now: new Date('2020-06-30T16:00:00Z') })).toMatchObject({ ok: true });
    expect(validateNationalId(`11010521000101001${checkCharacter('11010521000101001')}`)).toEqual({
      ok: false,
      reason: 'BIRTH_DATE',
    });
  });

  it('rejects the province prefix 99 and other unassigned prefixes', () => {
    expect(validateNationalId('99990019800101001X', { now: NOW })).toEqual({ ok: false, reason: 'PROVINCE' });
    for (const prefix of ['00', '10', '16', '24', '30', '47', '55', '66', '72', '83', '91']) {
      const first17 = `${prefix}0105198001010010`.slice(0, 17);
      expect(validateNationalId(first17 + checkCharacter(first17), { now: NOW })).toEqual({ ok: false, reason: 'PROVINCE' });
    }
    for (const prefix of ['11', '46', '65', '71', '81', '82']) {
      const first17 = `${prefix}0105198001010010`.slice(0, 17);
      expect(validateNationalId(first17 + checkCharacter(first17), { now: NOW })).toMatchObject({ ok: true });
    }
  });

  it('does not require a current county code (abolished codes stay valid)', () => {
    // 533321 (泸水县) became 533301 in 2016; people registered before keep 533321.
    const first17 = '53332119700101002';
    expect(validateNationalId(first17 + checkCharacter(first17), { now: NOW })).toMatchObject({ ok: true, provinceCode: '53' });
  });

  it('never echoes the number in its result', () => {
    const value = '529912198006153457';
    expect(JSON.stringify(validateNationalId(value))).not.toContain('5299121980');
  });
});

describe('syntheticNationalId', () => {
  it('builds the documented reserved-range number', () => {
    expect(syntheticNationalId('52', '1980-06-15', 12_345)).toBe('529912198006153456');
    expect(syntheticNationalId('11', '2000-02-29', 0)).toBe('119900200002290005');
    expect(syntheticNationalId('46', '1976-11-09', 7)).toBe('469900197611090071');
    expect(syntheticNationalId('44', '1980-01-01', 99_999)).toBe('449999198001019991');
  });

  it('produces valid, distinct numbers across the sequence range', () => {
    const ids = new Set<string>();
    for (let sequence = 0; sequence <= 99_999; sequence += 997) {
      const id = syntheticNationalId('65', '1990-03-31', sequence);
      expect(validateNationalId(id)).toMatchObject({ ok: true, provinceCode: '65', birthDate: '1990-03-31' });
      expect(isSyntheticNationalId(id)).toBe(true);
      ids.add(id);
    }
    expect(ids.size).toBe(101);
  });

  it('is deterministic', () => {
    expect(syntheticNationalId('32', '1955-05-05', 4242)).toBe(syntheticNationalId('32', '1955-05-05', 4242));
  });

  it.each([
    ['an unknown province', () => syntheticNationalId('99', '1980-01-01', 1)],
    ['an impossible date', () => syntheticNationalId('11', '1900-02-29', 1)],
    ['a date before 1900', () => syntheticNationalId('11', '1899-12-31', 1)],
    ['a future date', () => syntheticNationalId('11', '2999-01-01', 1)],
    ['a compact date', () => syntheticNationalId('11', '19800101', 1)],
    ['a negative sequence', () => syntheticNationalId('11', '1980-01-01', -1)],
    ['a sequence above 99,999', () => syntheticNationalId('11', '1980-01-01', 100_000)],
    ['a fractional sequence', () => syntheticNationalId('11', '1980-01-01', 1.5)],
  ])('rejects %s', (_label, build) => {
    expect(build).toThrow(RangeError);
  });

  it('recognises only the reserved range', () => {
    expect(isSyntheticNationalId('11010519491231002X')).toBe(false);
    expect(isSyntheticNationalId('440524188001010014')).toBe(false);
    expect(isSyntheticNationalId('529912198006153457')).toBe(false); // wrong check character
    expect(isSyntheticNationalId('11990020000229000x')).toBe(false); // wrong check character (5 expected)
    expect(isSyntheticNationalId('119900200002290005')).toBe(true);
    expect(isSyntheticNationalId('not an id')).toBe(false);
  });
});

describe('parseKeyring', () => {
  it('parses versions in order, the first being current', () => {
    const keyring = parseKeyring(` v2:${KEY_B} , v1:${KEY_A}`, 'TEST_KEYS');
    expect(keyring.current).toBe(2);
    expect([...keyring.keys.keys()]).toEqual([2, 1]);
    expect(keyring.keys.get(1)).toEqual(Buffer.from(KEY_A, 'base64'));
    expect(keyring.keys.get(2)).toEqual(Buffer.alloc(32, 0xab));
  });

  const short = randomBytes(31).toString('base64');
  const long = randomBytes(33).toString('base64');
  it.each([
    ['an empty spec', '', /TEST_KEYS: no keys configured/],
    ['a missing version prefix', KEY_A, /TEST_KEYS: entry 1 is malformed/],
    ['an empty entry', `v1:${KEY_A},`, /TEST_KEYS: entry 2 is malformed/],
    ['version 0', `v0:${KEY_A}`, /TEST_KEYS: entry 1 has version 0/],
    ['version above 65535', `v65536:${KEY_A}`, /outside 1\.\.65535/],
    ['a duplicate version', `v1:${KEY_A},v01:${KEY_B}`, /TEST_KEYS: key version 1 is listed more than once/],
    ['invalid base64', `v1:${KEY_A.slice(0, 40)}!!!!`, /TEST_KEYS: key version 1 is not valid base64/],
    ['an empty key', 'v1:', /TEST_KEYS: key version 1 is not valid base64/],
    ['a key shorter than 32 bytes', `v1:${short}`, /TEST_KEYS: key version 1 is 31 bytes; at least 32 are required/],
    ['a key longer than 32 bytes', `v1:${long}`, /TEST_KEYS: key version 1 is 33 bytes; exactly 32 are required/],
  ])('rejects %s without echoing key material', (_label, spec, message) => {
    const error = captureError(() => parseKeyring(spec, 'TEST_KEYS'));
    expect(error).toBeInstanceOf(Error);
    const text = (error as Error).message;
    expect(text).toMatch(message);
    for (const secret of [KEY_A, KEY_B, short, long, KEY_A.slice(0, 12), short.slice(0, 12), long.slice(0, 12)]) {
      expect(text).not.toContain(secret);
    }
  });

  it('accepts what generateKeyringSpec produces, with fresh keys each time', () => {
    const first = generateKeyringSpec();
    const second = generateKeyringSpec(7);
    expect(first).toMatch(/^v1:[A-Za-z0-9+/]{43}=$/);
    expect(second).toMatch(/^v7:/);
    const keyring = parseKeyring(`${second},${first}`, 'GENERATED');
    expect(keyring.current).toBe(7);
    expect(keyring.keys.get(7)).toHaveLength(32);
    expect(keyring.keys.get(7)!.equals(keyring.keys.get(1)!)).toBe(false);
    expect(() => generateKeyringSpec(0)).toThrow(RangeError);
  });
});

describe('matchHash', () => {
  const id = '529912198006153456';
  const keyring = parseKeyring(`v2:${KEY_B},v1:${KEY_A}`, 'TEST_KEYS');

  it('is HMAC-SHA256 of the normalized number under the current key', () => {
    const single = parseKeyring(`v1:${KEY_A}`, 'TEST_KEYS');
    const result = matchHash(single, id);
    expect(result.version).toBe(1);
    expect(result.hash.toString('hex')).toBe('246843581dce05955413754ecf7c0648a4369c3f219cc3a690efdaee87c84773');
  });

  it('equals for the same key and differs across key versions and numbers', () => {
    const sameKeyElsewhere = parseKeyring(`v9:${KEY_A}`, 'OTHER');
    expect(matchHash(keyring, id, 1).hash.equals(matchHash(sameKeyElsewhere, id).hash)).toBe(true);
    expect(matchHash(keyring, id).version).toBe(2);
    expect(matchHash(keyring, id, 2).hash.equals(matchHash(keyring, id, 1).hash)).toBe(false);
    expect(matchHash(keyring, id).hash.equals(matchHash(keyring, '119900200002290005').hash)).toBe(false);
    expect(matchHash(keyring, id).hash).toHaveLength(32);
  });

  it('refuses unnormalized input rather than silently missing a match', () => {
    expect(() => matchHash(keyring, '11010519491231002x')).toThrow(TypeError);
    expect(() => matchHash(keyring, ` ${id}`)).toThrow(TypeError);
  });

  it('throws a typed error for an unknown version', () => {
    expect(() => matchHash(keyring, id, 3)).toThrow(KeyVersionUnavailableError);
  });

  it('hashes under every version, current first, for lookups during rotation', () => {
    const rotated = parseKeyring(`v1:${KEY_A},v2:${KEY_B}`, 'TEST_KEYS');
    expect(matchHashesForAllVersions(rotated, id)).toEqual([matchHash(rotated, id, 1), matchHash(rotated, id, 2)]);
    expect(matchHashesForAllVersions(keyring, id).map((h) => h.version)).toEqual([2, 1]);
  });
});

describe('PII cipher', () => {
  const keyring = parseKeyring(`v2:${KEY_B},v1:${KEY_A}`, 'PII_KEYS');

  it('round-trips names and phones, including rare characters and the empty string', () => {
    for (const value of ['张三', '欧阳娜娜', '买买提·艾力', '𠮷田', '13812345678', '']) {
      expect(decryptPii(keyring, encryptPii(keyring, value))).toBe(value);
    }
  });

  it('writes the documented layout with the current key version and a fresh IV', () => {
    const blob = encryptPii(keyring, '张三');
    expect(blob.readUInt8(0)).toBe(1);
    expect(blob.readUInt16BE(1)).toBe(2);
    expect(piiKeyVersion(blob)).toBe(2);
    expect(blob).toHaveLength(1 + 2 + 12 + 16 + Buffer.byteLength('张三'));
    const again = encryptPii(keyring, '张三');
    expect(again.subarray(3, 15).equals(blob.subarray(3, 15))).toBe(false);
    expect(again.equals(blob)).toBe(false);
  });

  it('decrypts values written under an older key after rotation', () => {
    const old = parseKeyring(`v1:${KEY_A}`, 'PII_KEYS');
    const blob = encryptPii(old, '13812345678');
    expect(piiKeyVersion(blob)).toBe(1);
    expect(decryptPii(keyring, blob)).toBe('13812345678');
  });

  it('throws PiiKeyUnavailableError when the recorded version is not configured', () => {
    const blob = encryptPii(keyring, '张三');
    const withoutV2 = parseKeyring(`v1:${KEY_A}`, 'PII_KEYS');
    const error = captureError(() => decryptPii(withoutV2, blob));
    expect(error).toBeInstanceOf(PiiKeyUnavailableError);
    expect(error).toBeInstanceOf(KeyVersionUnavailableError);
    expect(error).toMatchObject({ version: 2, code: 'PII_KEY_UNAVAILABLE' });
  });

  it('rejects every single-bit change anywhere in the blob', () => {
    const blob = encryptPii(keyring, '欧阳娜娜');
    for (let offset = 0; offset < blob.length; offset += 1) {
      const tampered = Buffer.from(blob);
      tampered[offset] ^= 0x01;
      const error = captureError(() => decryptPii(keyring, tampered));
      // Flipping the key-version bytes may name a missing key; anything else fails authentication or format.
      expect(error instanceof PiiCiphertextError || error instanceof PiiKeyUnavailableError).toBe(true);
    }
    expect(() => decryptPii(keyring, Buffer.concat([blob.subarray(0, 20), blob.subarray(21)]))).toThrow(
      new PiiCiphertextError('AUTHENTICATION'),
    );
  });

  it('rejects a blob encrypted under a different key with the same version', () => {
    const impostor = parseKeyring(`v2:${randomBytes(32).toString('base64')}`, 'PII_KEYS');
    expect(() => decryptPii(keyring, encryptPii(impostor, '张三'))).toThrow(/failed authentication/);
  });

  it('rejects truncated or unknown-format blobs', () => {
    const blob = encryptPii(keyring, '张三');
    expect(() => piiKeyVersion(blob.subarray(0, 30))).toThrow(new PiiCiphertextError('FORMAT'));
    const v2 = Buffer.from(blob);
    v2[0] = 2;
    expect(() => decryptPii(keyring, v2)).toThrow(new PiiCiphertextError('FORMAT'));
  });
});

describe('masking', () => {
  it.each([
    ['张三', '张*'],
    ['欧阳娜娜', '欧***'],
    ['王', '*'],
    ['', ''],
    ['𠮷田', '𠮷*'],
  ])('maskName(%p) is %p', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it.each([
    ['13812345678', '138****5678'],
    ['085112345678', '********5678'],
    ['12345', '*2345'],
    ['1234', '****'],
    ['', ''],
  ])('maskPhone(%p) is %p', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  it('applies the PII level', () => {
    expect(applyPiiLevel('FULL', '张三', 'NAME')).toBe('张三');
    expect(applyPiiLevel('PARTIAL', '张三', 'NAME')).toBe('张*');
    expect(applyPiiLevel('PARTIAL', '13812345678', 'PHONE')).toBe('138****5678');
    expect(applyPiiLevel('NONE', '张三', 'NAME')).toBeNull();
    expect(applyPiiLevel('FULL', null, 'PHONE')).toBeNull();
    expect(applyPiiLevel('PARTIAL', null, 'NAME')).toBeNull();
  });
});

describe('household refs', () => {
  it('produces unique, well-formed random refs', () => {
    const refs = new Set(Array.from({ length: 10_000 }, () => newHouseholdRef()));
    expect(refs.size).toBe(10_000);
    for (const ref of refs) {
      expect(ref).toMatch(/^H[0-9A-HJKMNP-TV-Z]{12}$/);
    }
  });

  it('derives demo refs deterministically from seed and index', () => {
    expect(deterministicHouseholdRef(42, 7)).toBe('HENETRDS90AF2');
    expect(deterministicHouseholdRef(42, 7)).toBe(deterministicHouseholdRef(42, 7));
    const refs = new Set(Array.from({ length: 10_000 }, (_, i) => deterministicHouseholdRef(42, i)));
    expect(refs.size).toBe(10_000);
    expect(deterministicHouseholdRef(43, 7)).not.toBe(deterministicHouseholdRef(42, 7));
    expect(() => deterministicHouseholdRef(1.5, 0)).toThrow(RangeError);
  });

  it('validates the canonical form only', () => {
    expect(isHouseholdRef(newHouseholdRef())).toBe(true);
    expect(isHouseholdRef('HENETRDS90AF2')).toBe(true);
    for (const bad of ['henetrds90af2', 'XENETRDS90AF2', 'HENETRDS90AF', 'HENETRDS90AF23', 'HENETRDS90AFU', 'HENETRDS90AFI', '']) {
      expect(isHouseholdRef(bad)).toBe(false);
    }
  });
});

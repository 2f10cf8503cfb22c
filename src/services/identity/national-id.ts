/**
 * Validation of 18-character PRC resident identity numbers (GB 11643) and a
 * reserved synthetic range for demo and test data.
 *
 * The number itself is C2 personal financial information (JR/T 0171-2020):
 * nothing in this module ever puts it into an error message or result reason.
 */

/** ISO 7064 MOD 11-2 weights for positions 1–17. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;

/** Check character indexed by the weighted sum modulo 11. */
const CHECK_CHARACTERS = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'] as const;

/**
 * Province-level codes a resident ID may start with: the 31 mainland codes plus
 * 71 (Taiwan), 81 (Hong Kong) and 82 (Macau) as listed in GB/T 2260.
 */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82',
]);

/** Earliest birth date accepted; older dates are data-entry errors, not people. */
const EARLIEST_BIRTH_DATE = '1900-01-01';

/** China Standard Time has no daylight saving: a fixed UTC+8 offset. */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/**
 * Prefecture digits (positions 3–4) of the reserved synthetic range. GB/T 2260
 * assigns 01–70 and 90 only, so `99` never occurs in a real resident ID.
 */
const SYNTHETIC_PREFECTURE = '99';

/** Largest `sequence` accepted by {@link syntheticNationalId}. */
export const MAX_SYNTHETIC_SEQUENCE = 99_999;

/** Why a value is not a valid resident ID number. */
export type NationalIdFailure = 'FORMAT' | 'CHECK_CHARACTER' | 'BIRTH_DATE' | 'PROVINCE';

/** Result of {@link validateNationalId}. */
export type NationalIdCheck =
  | {
      ok: true;
      /** The 18 characters with a trailing `x` upper-cased: the only form to hash or compare. */
      normalized: string;
      /** The first two digits (province-level code at registration). */
      provinceCode: string;
      /** `YYYY-MM-DD`. */
      birthDate: string;
    }
  | { ok: false; reason: NationalIdFailure };

/** Options for {@link validateNationalId}; tests pin the clock through `now`. */
export interface NationalIdOptions {
  /** The instant whose China calendar date bounds birth dates from above. Defaults to now. */
  now?: Date;
}

const SHAPE = /^\d{17}[\dXx]$/;
const FIRST_17 = /^\d{17}$/;

/**
 * Computes the ISO 7064 MOD 11-2 check character for the first 17 digits.
 * Exported so that data generators and tests can build valid numbers without
 * copying the algorithm.
 *
 * @throws TypeError when `first17` is not exactly 17 ASCII digits.
 */
export function checkCharacter(first17: string): string {
  if (!FIRST_17.test(first17)) {
    throw new TypeError('checkCharacter expects exactly 17 digits');
  }
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  }
  return CHECK_CHARACTERS[sum % 11];
}

/**
 * Validates a resident ID number and returns its normalized form, so that
 * every caller hashes and compares the same string.
 *
 * Checks, in order: shape (`FORMAT`: 18 characters, 17 digits then a digit or
 * X/x; no trimming), check character, province-level prefix, and birth date (a
 * real calendar date between 1900-01-01 and today in China time). The order puts
 * the cheapest, most common typo signal (check character) first. County digits
 * are deliberately not checked: an ID keeps the address code of its first
 * registration, which is often an abolished county.
 */
export function validateNationalId(value: string, options: NationalIdOptions = {}): NationalIdCheck {
  if (typeof value !== 'string' || !SHAPE.test(value)) {
    return { ok: false, reason: 'FORMAT' };
  }
  const normalized = value.toUpperCase();
  if (checkCharacter(normalized.slice(0, 17)) !== normalized[17]) {
    return { ok: false, reason: 'CHECK_CHARACTER' };
  }
  const provinceCode = normalized.slice(0, 2);
  if (!PROVINCE_CODES.has(provinceCode)) {
    return { ok: false, reason: 'PROVINCE' };
  }
  const birthDate = toIsoDate(normalized.slice(6, 14));
  if (birthDate === null || !isBirthDateInRange(birthDate, options.now ?? new Date())) {
    return { ok: false, reason: 'BIRTH_DATE' };
  }
  return { ok: true, normalized, provinceCode, birthDate };
}

/**
 * Builds a checksum-valid resident ID number that can never belong to a real
 * person, for the deterministic demo generator and for tests.
 *
 * Reserved range: address code `<province><99><NN>`, i.e. prefecture digits
 * (positions 3–4) equal to `99`. GB/T 2260 assigns prefecture digits 01–70 and
 * 90 only, so no real resident ID carries `99` there. The number is
 * `<province 2><99><NN 2><YYYYMMDD 8><SSS 3><check 1>` where
 * `NN = floor(sequence / 1000)` and `SSS = sequence % 1000`, giving 100,000
 * distinct numbers per province and birth date.
 *
 * Deterministic: the same arguments always give the same number.
 *
 * @param provinceCode a province-level code from {@link PROVINCE_CODES}.
 * @param birthDate `YYYY-MM-DD`, a real date from 1900-01-01 to today (China time).
 * @param sequence an integer in 0..99,999.
 * @throws RangeError for any argument outside those ranges.
 */
export function syntheticNationalId(provinceCode: string, birthDate: string, sequence: number): string {
  if (!PROVINCE_CODES.has(provinceCode)) {
    throw new RangeError('syntheticNationalId: provinceCode must be a province-level code such as "52"');
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (match === null || toIsoDate(match[1] + match[2] + match[3]) === null) {
    throw new RangeError('syntheticNationalId: birthDate must be a real date in YYYY-MM-DD form');
  }
  if (!isBirthDateInRange(birthDate, new Date())) {
    throw new RangeError('syntheticNationalId: birthDate must be between 1900-01-01 and today');
  }
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > MAX_SYNTHETIC_SEQUENCE) {
    throw new RangeError(`syntheticNationalId: sequence must be an integer in 0..${MAX_SYNTHETIC_SEQUENCE}`);
  }
  const county = String(Math.floor(sequence / 1000)).padStart(2, '0');
  const serial = String(sequence % 1000).padStart(3, '0');
  const first17 = provinceCode + SYNTHETIC_PREFECTURE + county + match[1] + match[2] + match[3] + serial;
  return first17 + checkCharacter(first17);
}

/**
 * True when `value` is a valid resident ID number in the reserved synthetic
 * range of {@link syntheticNationalId} (prefecture digits `99`). Lets ingestion
 * and exports tell demo identities from real ones.
 */
export function isSyntheticNationalId(value: string): boolean {
  const check = validateNationalId(value);
  return check.ok && check.normalized.slice(2, 4) === SYNTHETIC_PREFECTURE;
}

/** `YYYYMMDD` → `YYYY-MM-DD` when it is a real Gregorian date, else null. */
function toIsoDate(yyyymmdd: string): string | null {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return null;
  }
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** ISO dates compare correctly as strings. */
function isBirthDateInRange(isoDate: string, now: Date): boolean {
  return isoDate >= EARLIEST_BIRTH_DATE && isoDate <= chinaDate(now);
}

/** The calendar date of `now` in China (UTC+8), as `YYYY-MM-DD`. */
function chinaDate(now: Date): string {
  return new Date(now.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

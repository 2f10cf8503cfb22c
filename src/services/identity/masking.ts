/**
 * Display masking of household PII (JR/T 0171-2020 "information shielding"):
 * roles with partial PII access see `张*` and `138****5678` instead of the values.
 */

/** How much of a PII field a principal may see. */
export type PiiLevel = 'FULL' | 'PARTIAL' | 'NONE';

/** Which PII field a value is, as each has its own masking rule. */
export type PiiField = 'NAME' | 'PHONE';

/**
 * Keeps the first character of a name and replaces every other character with
 * `*` (`张三` → `张*`, `欧阳娜娜` → `欧***`): the surname alone rarely identifies
 * a person, and the star count keeps the name's length visible. A
 * single-character name becomes `*`; an empty string stays empty. Characters
 * are counted as code points, so rare characters outside the BMP count once.
 */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length === 0) {
    return '';
  }
  if (chars.length === 1) {
    return '*';
  }
  return chars[0] + '*'.repeat(chars.length - 1);
}

/**
 * Masks a phone number: an 11-digit mobile number keeps its first 3 (carrier
 * prefix) and last 4 digits (`13812345678` → `138****5678`); any other value
 * longer than 4 characters keeps only its last 4; shorter values are masked
 * entirely, since their last 4 would be the whole number.
 */
export function maskPhone(phone: string): string {
  const chars = Array.from(phone);
  if (/^\d{11}$/.test(phone)) {
    return phone.slice(0, 3) + '****' + phone.slice(7);
  }
  if (chars.length > 4) {
    return '*'.repeat(chars.length - 4) + chars.slice(-4).join('');
  }
  return '*'.repeat(chars.length);
}

/**
 * Applies a principal's PII level to one field value, in the one place that
 * decides what leaves the hub: `FULL` returns the value, `PARTIAL` the masked
 * value, `NONE` null. A null value stays null at every level.
 *
 * @param field which masking rule `PARTIAL` uses.
 */
export function applyPiiLevel(level: PiiLevel, value: string | null, field: PiiField): string | null {
  if (value === null || level === 'NONE') {
    return null;
  }
  if (level === 'FULL') {
    return value;
  }
  return field === 'NAME' ? maskName(value) : maskPhone(value);
}

import { isHouseholdRef } from '../services/identity';
import { BadUserInputError } from './errors';

/** Checks a page size argument: 1..max. */
export function checkFirst(first: number, max: number, name = 'first'): number {
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw new BadUserInputError(`${name} must be between 1 and ${max}`, name);
  }
  return first;
}

const AREA_CODE = /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/;

/** A statistical division code: 2, 4, 6, 9 or 12 digits. */
export function checkAreaCode(code: string, name = 'code'): string {
  if (!AREA_CODE.test(code)) {
    throw new BadUserInputError('An area code has 2, 4, 6, 9 or 12 digits', name);
  }
  return code;
}

/** A county code: 6 digits. */
export function checkCountyCode(code: string, name = 'code'): string {
  if (!/^\d{6}$/.test(code)) {
    throw new BadUserInputError('A county code has 6 digits', name);
  }
  return code;
}

export function checkHouseholdRef(ref: string, name = 'ref'): string {
  if (!isHouseholdRef(ref)) {
    throw new BadUserInputError('A household ref is H followed by 12 Crockford base32 characters', name);
  }
  return ref;
}

export function checkInstitutionCode(code: string, name = 'code'): string {
  if (!/^[A-Za-z0-9_.-]{1,32}$/.test(code)) {
    throw new BadUserInputError('An institution code has 1 to 32 letters, digits, "_", "." or "-"', name);
  }
  return code;
}

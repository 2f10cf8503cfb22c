/**
 * How much of a household's PII (head's name and phone) a principal sees (DESIGN.md §3),
 * and the one function that turns the encrypted columns into what leaves the hub.
 */
import { applyPiiLevel, decryptPii, type Keyring, type PiiField, type PiiLevel } from '../identity';
import type { Principal } from './principal';

/** The encrypted PII columns of a household row. */
export interface EncryptedPii {
  nameEnc: Buffer;
  phoneEnc: Buffer | null;
}

/**
 * The PII level of `principal` for a household it can see. Partners see full PII of
 * their own counterparties and of the households whose live consent lets them past
 * contract facts (the only households their row scope lets them read: a borrower seen
 * only through a package partner's contract is not read at all), county governments
 * full PII in scope, regulators partial PII unless granted, everyone else none.
 *
 * Only meaningful for a household row obtained through `householdScope`: visibility
 * (ownership or consent, decided in `row-scope.ts` in the statement that reads the row,
 * so a revoked consent counts from the next request) is what entitles a partner to it.
 */
export function householdPiiLevel(principal: Principal): PiiLevel {
  switch (principal.role) {
    case 'BANK':
    case 'INSURER':
    case 'GUARANTOR':
    case 'GOVERNMENT':
      return 'FULL';
    case 'REGULATOR':
      return principal.piiGranted === true ? 'FULL' : 'PARTIAL';
    default:
      return 'NONE';
  }
}

/**
 * One PII field of a visible household as the principal may see it: the value, its
 * masked form (`张*`, `138****5678`) or null. Decrypts only when something will be shown.
 */
export function revealHouseholdPii(principal: Principal, keyring: Keyring, household: EncryptedPii, field: PiiField): string | null {
  const level = householdPiiLevel(principal);
  if (level === 'NONE') return null;
  const blob = field === 'NAME' ? household.nameEnc : household.phoneEnc;
  if (blob === null) return null;
  return applyPiiLevel(level, decryptPii(keyring, blob), field);
}

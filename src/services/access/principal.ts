import { Role } from '../../entities/enums';

export { Role };

/**
 * Who is asking: an institution, a role and an area scope (DESIGN.md §3). Every request
 * has exactly one, built from an API key, a JWT or — in development mode only — the
 * configured development principal.
 */
export interface Principal {
  /** Database id of the principal's institution; null for roles that act for no institution. */
  institutionId: string | null;
  institutionCode: string | null;
  role: `${Role}`;
  /** Area code prefixes in scope; empty means the whole nation. */
  areaCodes: string[];
  /** A regulator granted full PII. */
  piiGranted?: boolean;
  /** The API key id or token subject, for the audit trail and rate limits. */
  keyId?: string;
}

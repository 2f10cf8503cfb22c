import type { Principal } from './principal';

const ROLES: ReadonlySet<string> = new Set(['BANK', 'INSURER', 'GUARANTOR', 'GOVERNMENT', 'REGULATOR', 'ANALYST', 'ADMIN']);
/** Roles whose rows are their institution's own: they need an institution. */
const INSTITUTION_ROLES: ReadonlySet<string> = new Set(['BANK', 'INSURER', 'GUARANTOR']);
/** Statistical division prefixes: province, prefecture, county, township or village code. */
const AREA_CODE = /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/;

/** Thrown for a principal that could not safely scope a query (a wiring bug, not a user error). */
export class InvalidPrincipalError extends Error {
  readonly code = 'INVALID_PRINCIPAL';

  constructor(reason: string) {
    super(`Invalid principal: ${reason}`);
    this.name = 'InvalidPrincipalError';
  }
}

/**
 * Checks a principal before any query is scoped by it: a known role, area codes that
 * are division codes (they become LIKE prefixes), and an institution for partner roles.
 *
 * @returns the principal, frozen.
 * @throws InvalidPrincipalError naming the problem.
 */
export function checkPrincipal(principal: Principal): Readonly<Principal> {
  if (!ROLES.has(principal.role)) {
    throw new InvalidPrincipalError(`unknown role ${JSON.stringify(principal.role)}`);
  }
  for (const code of principal.areaCodes) {
    if (!AREA_CODE.test(code)) {
      throw new InvalidPrincipalError(`area ${JSON.stringify(code)} is not a 2, 4, 6, 9 or 12-digit division code`);
    }
  }
  if (INSTITUTION_ROLES.has(principal.role) && (principal.institutionId === null || !/^\d+$/.test(principal.institutionId))) {
    throw new InvalidPrincipalError(`role ${principal.role} needs an institution`);
  }
  return Object.freeze({ ...principal, areaCodes: [...principal.areaCodes] });
}

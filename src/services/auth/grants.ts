/**
 * What a credential may be granted, shared by API keys and JWTs: which institution kinds
 * a role may act for, and what an area scope looks like.
 */
import { InstitutionKind } from '../../entities/enums';
import { Role } from '../access/principal';
import type { Queryable } from './auth-db';

export const ROLES: readonly Role[] = Object.values(Role);

/** Statistical division prefixes: province, prefecture, county, township or village code. */
export const AREA_CODE = /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/;

/**
 * Institution kinds each role may act for; `null` in the list means "no institution".
 * A partner role acts for an institution of its own kind; regulators include central-bank
 * branches; analysts may belong anywhere or nowhere; admins are the hub operator's.
 */
const KINDS_FOR_ROLE: Readonly<Record<Role, ReadonlyArray<InstitutionKind | null>>> = {
  [Role.BANK]: [InstitutionKind.BANK],
  [Role.INSURER]: [InstitutionKind.INSURER],
  [Role.GUARANTOR]: [InstitutionKind.GUARANTOR],
  [Role.GOVERNMENT]: [InstitutionKind.GOVERNMENT],
  [Role.REGULATOR]: [InstitutionKind.REGULATOR, InstitutionKind.CENTRAL_BANK],
  [Role.ANALYST]: [...Object.values(InstitutionKind), null],
  [Role.ADMIN]: [InstitutionKind.OPERATOR, null],
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when `role` may act for an institution of `kind` (`null`: for no institution). */
export function roleFitsInstitution(role: Role, kind: string | null): boolean {
  return (KINDS_FOR_ROLE[role] as ReadonlyArray<string | null>).includes(kind);
}

/** True when the role can act without an institution. */
export function roleNeedsInstitution(role: Role): boolean {
  return !KINDS_FOR_ROLE[role].includes(null);
}

/** The kinds `role` accepts, for error messages. */
export function describeKindsFor(role: Role): string {
  return KINDS_FOR_ROLE[role].map((kind) => kind ?? 'none').join(' or ');
}

/**
 * Sorted, de-duplicated prefixes with those already covered by a shorter one dropped
 * (`['513431', '5134']` → `['5134']`). Codes must be well-formed (`AREA_CODE`).
 */
export function normalizeAreaCodes(codes: readonly string[]): string[] {
  const sorted = [...new Set(codes)].sort((a, b) => a.length - b.length || a.localeCompare(b));
  const kept: string[] = [];
  for (const code of sorted) {
    if (!kept.some((prefix) => code.startsWith(prefix))) kept.push(code);
  }
  return kept.sort();
}

/** The county (6 digits) of an institution's home area, or the area itself when coarser. */
export function homeCounty(homeAreaCode: string): string {
  return homeAreaCode.length > 6 ? homeAreaCode.slice(0, 6) : homeAreaCode;
}

/** The facts of an institution that decide what its credentials may be granted. */
export interface InstitutionFacts {
  id: string;
  code: string;
  kind: InstitutionKind;
  homeAreaCode: string;
  /** Closed (`valid_to` today or earlier): no new credentials, existing ones refused. */
  closed: boolean;
}

/** One institution by code, or null. */
export async function findInstitution(db: Queryable, code: string): Promise<InstitutionFacts | null> {
  const result = await db.query<{ id: string; code: string; kind: InstitutionKind; home_area_code: string; closed: boolean }>(
    `select id::text as id, code, kind, home_area_code,
            (valid_to is not null and valid_to <= current_date) as closed
       from institution where code = $1`,
    [code],
  );
  const row = result.rows[0];
  return row === undefined ? null : { id: row.id, code: row.code, kind: row.kind, homeAreaCode: row.home_area_code, closed: row.closed };
}

/**
 * Row visibility (DESIGN.md §3) as SQL predicates. Every loader and root lookup ANDs one
 * of these into its WHERE clause, so a row the principal may not see is never read and
 * behaves exactly like a row that does not exist. This module is the one place where
 * visibility is decided.
 *
 * | role       | rows                                                                      |
 * | ---------- | ------------------------------------------------------------------------- |
 * | BANK       | its loans and their positions; the policies and guarantees LINKED to its  |
 * |            | loans (and their claims); its borrowers (households, enterprises)         |
 * | INSURER    | its policies and claims; the loans they cover (contract facts); its       |
 * |            | insured households and enterprises (holder or insured list)               |
 * | GUARANTOR  | its guarantees; the loans they cover; its counterparties                  |
 * | GOVERNMENT | every row whose county is in scope                                        |
 * | REGULATOR  | every row whose county is in scope                                        |
 * | ANALYST    | none                                                                      |
 * | ADMIN      | none                                                                      |
 *
 * The area scope narrows every role: a fact row is in scope when its own county (for a
 * partner's counterparties: the county of the contract that makes them counterparties)
 * starts with one of the principal's area prefixes; no prefixes means the whole nation.
 * Reference data (areas, their designations, institutions) is visible to every principal.
 *
 * Column expressions passed in (`l.id`, `p.county_code`) are trusted text chosen by the
 * calling code; values (institution id, area prefixes) are always bound parameters.
 */
import { and, FALSE, or, pgArray, raw, sql, TRUE, type Sql } from '../../db/sql';
import type { Principal } from './principal';

/** Columns of a row that is, or belongs to, a contract of some institution. */
export interface ContractColumns {
  /** The contract's id (`l.id`), or the column naming it (`p.loan_id`). */
  id: string;
  /** The county the row was made in. */
  county: string;
  /** The institution that reported the contract. */
  institution: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

function column(expression: string): Sql {
  if (!IDENTIFIER.test(expression)) {
    throw new Error(`row scope: ${JSON.stringify(expression)} is not a column reference`);
  }
  return raw(expression);
}

/** True for the roles that see every row of their area. */
function seesArea(principal: Principal): boolean {
  return principal.role === 'GOVERNMENT' || principal.role === 'REGULATOR';
}

/** `county LIKE ANY ('5227%', …)`, or `true` for nation-wide scope. */
export function areaScope(principal: Principal, countyColumn: string): Sql {
  if (principal.areaCodes.length === 0) return TRUE;
  const patterns = pgArray(principal.areaCodes.map((code) => `${code}%`));
  return sql`${column(countyColumn)} LIKE ANY (${patterns}::text[])`;
}

/** A loan (`id` = the loan id) or a row of one, such as a position (`id` = `p.loan_id`). */
export function loanScope(principal: Principal, c: ContractColumns): Sql {
  const area = areaScope(principal, c.county);
  if (seesArea(principal)) return area;
  const own = principal.institutionId;
  if (own === null) return FALSE;
  switch (principal.role) {
    case 'BANK':
      return and(sql`${column(c.institution)} = ${own}`, area);
    case 'INSURER':
      return and(
        area,
        sql`EXISTS (SELECT 1 FROM contract_link cl_s JOIN insurance_policy ip_s ON ip_s.id = cl_s.policy_id
                    WHERE cl_s.loan_id = ${column(c.id)} AND cl_s.status = 'LINKED' AND ip_s.institution_id = ${own})`,
      );
    case 'GUARANTOR':
      return and(
        area,
        sql`EXISTS (SELECT 1 FROM contract_link cl_s JOIN guarantee_contract g_s ON g_s.id = cl_s.guarantee_id
                    WHERE cl_s.loan_id = ${column(c.id)} AND cl_s.status = 'LINKED' AND g_s.institution_id = ${own})`,
      );
    default:
      return FALSE;
  }
}

/** A month-end position of a loan (alias of `loan_position`). */
export function positionScope(principal: Principal, alias: string): Sql {
  return loanScope(principal, { id: `${alias}.loan_id`, county: `${alias}.county_code`, institution: `${alias}.institution_id` });
}

/**
 * A row of a contract that covers loans (a policy or a guarantee): visible to its own
 * institution, to the bank whose loan it is LINKED to, and to area roles.
 */
function coverScope(principal: Principal, c: ContractColumns, owner: 'INSURER' | 'GUARANTOR', linkColumn: 'policy_id' | 'guarantee_id'): Sql {
  const area = areaScope(principal, c.county);
  if (seesArea(principal)) return area;
  const own = principal.institutionId;
  if (own === null) return FALSE;
  if (principal.role === owner) {
    return and(sql`${column(c.institution)} = ${own}`, area);
  }
  if (principal.role === 'BANK') {
    return and(
      area,
      sql`EXISTS (SELECT 1 FROM contract_link cl_s JOIN loan l_s ON l_s.id = cl_s.loan_id
                  WHERE cl_s.${raw(linkColumn)} = ${column(c.id)} AND cl_s.status = 'LINKED' AND l_s.institution_id = ${own})`,
    );
  }
  // Another partner's contracts are "other contracts" of the household: never shown.
  return FALSE;
}

/** An insurance policy (`id` = policy id) or a row of one, such as a claim (`id` = `c.policy_id`). */
export function policyScope(principal: Principal, c: ContractColumns): Sql {
  return coverScope(principal, c, 'INSURER', 'policy_id');
}

/** A claim, visible exactly when its policy is (alias of `claim`). */
export function claimScope(principal: Principal, alias: string): Sql {
  return policyScope(principal, { id: `${alias}.policy_id`, county: `${alias}.county_code`, institution: `${alias}.institution_id` });
}

/** A guarantee contract (`id` = guarantee id). */
export function guaranteeScope(principal: Principal, c: ContractColumns): Sql {
  return coverScope(principal, c, 'GUARANTOR', 'guarantee_id');
}

/**
 * A household (alias of `household`): in its county for area roles; for partners, when
 * it is their counterparty under a contract in scope.
 */
export function householdScope(principal: Principal, alias: string): Sql {
  return counterpartyScope(principal, `${alias}.id`, `${alias}.county_code`, 'household_id');
}

/** An enterprise (alias of `enterprise`), by the same rule as households. */
export function enterpriseScope(principal: Principal, alias: string): Sql {
  return counterpartyScope(principal, `${alias}.id`, `${alias}.county_code`, 'enterprise_id');
}

function counterpartyScope(principal: Principal, idColumn: string, countyColumn: string, party: 'household_id' | 'enterprise_id'): Sql {
  if (seesArea(principal)) return areaScope(principal, countyColumn);
  const own = principal.institutionId;
  if (own === null) return FALSE;
  const id = column(idColumn);
  const by = raw(party);
  switch (principal.role) {
    case 'BANK':
      return sql`EXISTS (SELECT 1 FROM loan l_s WHERE l_s.${by} = ${id} AND l_s.institution_id = ${own} AND ${areaScope(principal, 'l_s.county_code')})`;
    case 'GUARANTOR':
      return sql`EXISTS (SELECT 1 FROM guarantee_contract g_s WHERE g_s.${by} = ${id} AND g_s.institution_id = ${own} AND ${areaScope(principal, 'g_s.county_code')})`;
    case 'INSURER': {
      const holder = sql`EXISTS (SELECT 1 FROM insurance_policy ip_s WHERE ip_s.${by} = ${id} AND ip_s.institution_id = ${own} AND ${areaScope(principal, 'ip_s.county_code')})`;
      if (party === 'enterprise_id') return holder;
      const insured = sql`EXISTS (SELECT 1 FROM policy_insured_household pih_s JOIN insurance_policy ip_s ON ip_s.id = pih_s.policy_id
                                  WHERE pih_s.household_id = ${id} AND ip_s.institution_id = ${own} AND ${areaScope(principal, 'pih_s.county_code')})`;
      return or(holder, insured);
    }
    default:
      return FALSE;
  }
}

/** Areas, area designations and institutions: public reference data, the same for every principal. */
export function referenceScope(_principal: Principal): Sql {
  return TRUE;
}

/**
 * Ingest batches, read only for the provenance of a row the principal already sees: the
 * row's visibility is the batch's, so no predicate of its own.
 */
export function provenanceScope(_principal: Principal): Sql {
  return TRUE;
}

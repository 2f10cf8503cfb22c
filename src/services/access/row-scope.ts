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
 * Consent (DESIGN.md §3) widens a partner's view of a household beyond contract facts.
 * A package is a loan with the policies and guarantees LINKED to it; a partner takes
 * part in the packages of the loans it sees (`loanScope`: a bank's own loans, the loans
 * an insurer's policy or a guarantor's guarantee covers). While the borrower household
 * has a live consent (`revoked_at IS NULL`) to the partner's institution, the partner
 * also sees that household (with its PII, `pii.ts`) and every policy and guarantee
 * LINKED to the loans of those packages (and their claims). Without one it sees the
 * loan's contract facts only. Consent is read by the same statement that reads the
 * rows, so a revocation takes effect on the next request.
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
  if (principal.role === 'BANK') {
    return and(
      area,
      sql`EXISTS (SELECT 1 FROM contract_link cl_s JOIN loan l_s ON l_s.id = cl_s.loan_id
                  WHERE cl_s.${raw(linkColumn)} = ${column(c.id)} AND cl_s.status = 'LINKED' AND l_s.institution_id = ${own})`,
    );
  }
  if (principal.role !== 'INSURER' && principal.role !== 'GUARANTOR') return FALSE;
  // Its own contracts, and another partner's — "other contracts" of the household — only
  // when LINKED to a package the principal takes part in whose household consented to it.
  const consented = and(
    area,
    sql`EXISTS (SELECT 1 FROM contract_link cl_k
                WHERE cl_k.${raw(linkColumn)} = ${column(c.id)} AND cl_k.status = 'LINKED'
                  AND ${consentedPackageLoan(principal, own, 'cl_k.loan_id')})`,
  );
  return principal.role === owner ? or(and(sql`${column(c.institution)} = ${own}`, area), consented) : consented;
}

/**
 * A loan (its id in `loanId`) of a package the partner takes part in, whose borrower
 * household has a live consent to the partner's institution.
 */
function consentedPackageLoan(principal: Principal, own: string, loanId: string): Sql {
  const inPackage = loanScope(principal, { id: 'l_k.id', county: 'l_k.county_code', institution: 'l_k.institution_id' });
  return sql`EXISTS (SELECT 1 FROM loan l_k JOIN consent cs_k ON cs_k.household_id = l_k.household_id
                      WHERE l_k.id = ${column(loanId)} AND cs_k.institution_id = ${own} AND cs_k.revoked_at IS NULL
                        AND ${inPackage})`;
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
    case 'GUARANTOR': {
      const counterparty = sql`EXISTS (SELECT 1 FROM guarantee_contract g_s WHERE g_s.${by} = ${id} AND g_s.institution_id = ${own} AND ${areaScope(principal, 'g_s.county_code')})`;
      return party === 'household_id' ? or(counterparty, consentedBorrower(principal, own, id)) : counterparty;
    }
    case 'INSURER': {
      const holder = sql`EXISTS (SELECT 1 FROM insurance_policy ip_s WHERE ip_s.${by} = ${id} AND ip_s.institution_id = ${own} AND ${areaScope(principal, 'ip_s.county_code')})`;
      if (party === 'enterprise_id') return holder;
      const insured = sql`EXISTS (SELECT 1 FROM policy_insured_household pih_s JOIN insurance_policy ip_s ON ip_s.id = pih_s.policy_id
                                  WHERE pih_s.household_id = ${id} AND ip_s.institution_id = ${own} AND ${areaScope(principal, 'pih_s.county_code')})`;
      return or(holder, insured, consentedBorrower(principal, own, id));
    }
    default:
      return FALSE;
  }
}

/**
 * The borrower household (`id`) of a loan in a package the insurer or guarantor takes
 * part in, while the household's consent to it is live. (A bank's borrowers are its own
 * counterparties already.)
 */
function consentedBorrower(principal: Principal, own: string, id: Sql): Sql {
  const inPackage = loanScope(principal, { id: 'l_b.id', county: 'l_b.county_code', institution: 'l_b.institution_id' });
  return sql`EXISTS (SELECT 1 FROM consent cs_b JOIN loan l_b ON l_b.household_id = cs_b.household_id
                      WHERE cs_b.household_id = ${id} AND cs_b.institution_id = ${own} AND cs_b.revoked_at IS NULL
                        AND ${inPackage})`;
}

/**
 * A household's consent (alias of `consent`): area roles see those of their area; a
 * partner sees the consents given to its own institution. Shown only on households the
 * principal sees (callers join `householdScope` too).
 */
export function consentScope(principal: Principal, alias: string): Sql {
  const area = areaScope(principal, `${alias}.county_code`);
  if (seesArea(principal)) return area;
  const own = principal.institutionId;
  if (own === null || (principal.role !== 'BANK' && principal.role !== 'INSURER' && principal.role !== 'GUARANTOR')) return FALSE;
  return and(sql`${column(`${alias}.institution_id`)} = ${own}`, area);
}

/**
 * An audit log entry (alias of `audit_log`): regulators only. A nation-wide regulator
 * reads every entry, including those about no household (admin actions, lookups that
 * matched none); an area regulator reads the entries about households of its area
 * (where they live now).
 */
export function auditEntryScope(principal: Principal, alias: string): Sql {
  if (principal.role !== 'REGULATOR') return FALSE;
  if (principal.areaCodes.length === 0) return TRUE;
  return sql`EXISTS (SELECT 1 FROM household h_a WHERE h_a.id = ${column(`${alias}.household_id`)} AND ${areaScope(principal, 'h_a.county_code')})`;
}

/**
 * The registry status of any household, as `householdRegistration` answers it (status
 * only, DESIGN.md §3): partner roles check it before contracting, whoever the household
 * is; everyone else reads the registry through scoped queries.
 */
export function registryLookupScope(principal: Principal): Sql {
  switch (principal.role) {
    case 'BANK':
    case 'INSURER':
    case 'GUARANTOR':
    case 'GOVERNMENT':
      return TRUE;
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

// The query surface's further tables: each row is visible to area roles in scope and to
// the partner it belongs to, or exactly when the contract it belongs to is visible.

type PartnerRole = 'BANK' | 'INSURER' | 'GUARANTOR';

/** A row of one institution (`institutionColumn`): area roles in scope, or that partner in its scope. */
function ownedRowScope(principal: Principal, countyColumn: string, institutionColumn: string, owners: readonly PartnerRole[]): Sql {
  const area = areaScope(principal, countyColumn);
  if (seesArea(principal)) return area;
  const own = principal.institutionId;
  if (own === null || !(owners as readonly string[]).includes(principal.role)) return FALSE;
  return and(sql`${column(institutionColumn)} = ${own}`, area);
}

/** A service point (alias of `service_point`): area roles, and the institution that runs it. */
export function servicePointScope(principal: Principal, alias: string): Sql {
  return ownedRowScope(principal, `${alias}.county_code`, `${alias}.institution_id`, ['BANK', 'INSURER', 'GUARANTOR']);
}

/** A re-lending facility (alias of `relending_facility`): area roles (central-bank branches are regulators), and the borrowing bank. */
export function relendingScope(principal: Principal, alias: string): Sql {
  return ownedRowScope(principal, `${alias}.county_code`, `${alias}.borrower_id`, ['BANK']);
}

/** A risk compensation fund (alias of `risk_compensation_fund`): area roles, and the banks with a loss-sharing agreement with it. */
export function fundScope(principal: Principal, alias: string): Sql {
  const area = areaScope(principal, `${alias}.county_code`);
  if (seesArea(principal)) return area;
  const own = principal.institutionId;
  if (own === null || principal.role !== 'BANK') return FALSE;
  return and(area, sql`EXISTS (SELECT 1 FROM fund_bank_agreement fba_s WHERE fba_s.fund_id = ${column(`${alias}.id`)} AND fba_s.bank_id = ${own})`);
}

/**
 * A fund's loss-sharing agreement with a bank (alias of `fund_bank_agreement`): area roles
 * in scope, and the bank that signed it (not the other banks' agreements with the fund).
 */
export function fundAgreementScope(principal: Principal, alias: string): Sql {
  return ownedRowScope(principal, `${alias}.county_code`, `${alias}.bank_id`, ['BANK']);
}

/**
 * Money into or out of a fund (alias of `fund_movement`): area roles in scope; a bank with
 * an agreement with the fund sees the fund's own movements (top-ups, withdrawals) and
 * those about its own loans, never a payout or recovery on another bank's loan.
 */
export function fundMovementScope(principal: Principal, alias: string): Sql {
  const area = areaScope(principal, `${alias}.county_code`);
  if (seesArea(principal)) return area;
  const own = principal.institutionId;
  if (own === null || principal.role !== 'BANK') return FALSE;
  const loanId = column(`${alias}.loan_id`);
  return and(
    area,
    sql`EXISTS (SELECT 1 FROM fund_bank_agreement fba_m WHERE fba_m.fund_id = ${column(`${alias}.fund_id`)} AND fba_m.bank_id = ${own})`,
    sql`(${loanId} IS NULL OR EXISTS (SELECT 1 FROM loan l_m WHERE l_m.id = ${loanId} AND l_m.institution_id = ${own}))`,
  );
}

/** A loan modification or repayment (alias of `loan_modification` / `repayment`): visible with its loan. */
export function loanEventScope(principal: Principal, alias: string): Sql {
  return loanScope(principal, { id: `${alias}.loan_id`, county: `${alias}.county_code`, institution: `${alias}.institution_id` });
}

/** A version of a loan's terms (alias of `record_version`, kind LOAN): visible with its loan, which its lender reported. */
export function loanVersionScope(principal: Principal, alias: string): Sql {
  return loanScope(principal, { id: `${alias}.record_id`, county: `${alias}.county_code`, institution: `${alias}.source_institution_id` });
}

/**
 * A household on a policy's insured list: visible when both the policy (alias of
 * `insurance_policy`) and the household (alias of `household`) are, so a group policy
 * never reveals households the principal may not see.
 */
export function insuredHouseholdScope(principal: Principal, policyAlias: string, householdAlias: string): Sql {
  return and(
    policyScope(principal, { id: `${policyAlias}.id`, county: `${policyAlias}.county_code`, institution: `${policyAlias}.institution_id` }),
    householdScope(principal, householdAlias),
  );
}

/** A guarantor's compensation (alias of `compensation`): visible with its guarantee. */
export function compensationScope(principal: Principal, alias: string): Sql {
  return guaranteeScope(principal, { id: `${alias}.guarantee_id`, county: `${alias}.county_code`, institution: `${alias}.institution_id` });
}

/**
 * Disaster events and the areas they hit: declared publicly by the authorities, so
 * reference data; the deferrals and claims that cite them keep their own scopes.
 */
export function disasterScope(_principal: Principal): Sql {
  return TRUE;
}

/** A financing docking event (alias of `docking_event`): area roles, and the banks with a project in it. */
export function dockingEventScope(principal: Principal, alias: string): Sql {
  const area = areaScope(principal, `${alias}.county_code`);
  if (seesArea(principal)) return area;
  const own = principal.institutionId;
  if (own === null || principal.role !== 'BANK') return FALSE;
  return and(area, sql`EXISTS (SELECT 1 FROM docking_project dp_s WHERE dp_s.event_id = ${column(`${alias}.id`)} AND dp_s.bank_id = ${own})`);
}

/** A docking project (alias of `docking_project`): area roles, and its bank. */
export function dockingProjectScope(principal: Principal, alias: string): Sql {
  return ownedRowScope(principal, `${alias}.county_code`, `${alias}.bank_id`, ['BANK']);
}

/** An inspection finding (alias of `finding`): area roles in scope, and the institution that must rectify it. */
export function findingScope(principal: Principal, alias: string): Sql {
  return ownedRowScope(principal, `${alias}.county_code`, `${alias}.institution_id`, ['BANK', 'INSURER', 'GUARANTOR']);
}

/**
 * An alert (alias of `alert`): its assigned institution, and area roles when its county
 * is in scope (an alert about no county only to nation-wide ones).
 */
export function alertScope(principal: Principal, alias: string): Sql {
  const area = areaScope(principal, `${alias}.county_code`);
  if (seesArea(principal)) return area;
  const own = principal.institutionId;
  if (own === null || (principal.role !== 'BANK' && principal.role !== 'INSURER' && principal.role !== 'GUARANTOR')) return FALSE;
  return and(sql`${column(`${alias}.institution_id`)} = ${own}`, or(sql`${column(`${alias}.county_code`)} IS NULL`, area));
}

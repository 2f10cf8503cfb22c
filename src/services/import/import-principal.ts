/**
 * Who a file import acts as: the named institution, with the role its kind gives (a bank
 * imports as BANK, a guarantor as GUARANTOR …), exactly as an API key issued to that
 * institution would, so the services apply the same role gates and row scoping. The
 * key id is `cli:<os user>`: the audit trail shows the import as a command-line action of
 * that operator, not as a partner's key.
 */
import type { Principal } from '../access/principal';
import { checkPrincipal, InvalidPrincipalError } from '../access/principal-check';
import { findInstitution, homeCounty, type Queryable } from '../auth';

/** The named institution cannot import (unknown, closed, or a kind that acts for no partner role). */
export class ImportPrincipalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportPrincipalError';
  }
}

const ROLE_OF_KIND: Readonly<Record<string, Principal['role']>> = {
  BANK: 'BANK',
  INSURER: 'INSURER',
  GUARANTOR: 'GUARANTOR',
  GOVERNMENT: 'GOVERNMENT',
  REGULATOR: 'REGULATOR',
  CENTRAL_BANK: 'REGULATOR',
};

/**
 * The principal of an import for institution `code`.
 *
 * @param actor the audit actor, `cli:<os user>`.
 * @throws ImportPrincipalError naming the problem.
 */
export async function importPrincipal(db: Queryable, code: string, actor: string): Promise<Readonly<Principal>> {
  const institution = await findInstitution(db, code);
  if (institution === null) throw new ImportPrincipalError(`Unknown institution ${JSON.stringify(code.slice(0, 40))}`);
  if (institution.closed) throw new ImportPrincipalError(`Institution ${institution.code} is closed`);
  const role = ROLE_OF_KIND[institution.kind];
  if (role === undefined) throw new ImportPrincipalError(`Institution ${institution.code} is ${institution.kind}, which reports no data`);
  // The defaults of `keys issue` without --scope: a county government sees its county, others are unscoped.
  const areaCodes = role === 'GOVERNMENT' ? [homeCounty(institution.homeAreaCode)] : [];
  try {
    return checkPrincipal({ institutionId: institution.id, institutionCode: institution.code, role, areaCodes, keyId: actor });
  } catch (error) {
    if (error instanceof InvalidPrincipalError) throw new ImportPrincipalError(`Institution ${institution.code}: ${error.message}`);
    throw error;
  }
}

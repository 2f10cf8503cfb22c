/**
 * The development principal: who every request is in development mode, before API keys
 * and tokens exist. Never used when NODE_ENV=production.
 *
 * `TRIPOD_DEV_PRINCIPAL` syntax: `ROLE[:INSTITUTION_CODE][@AREA[,AREA…]][+pii]`, e.g.
 * - `REGULATOR` (the default): a nation-wide regulator with partial PII;
 * - `REGULATOR+pii`: the same, granted full PII;
 * - `GOVERNMENT@522727`: a county government;
 * - `BANK:DEMO-RCC-522727` or `BANK:DEMO-RCC-522727@522727`: a bank by institution code.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { checkPrincipal, InvalidPrincipalError } from './principal-check';
import type { Principal } from './principal';

/** The parsed setting; the institution id is looked up in the database (`resolveDevPrincipal`). */
export interface DevPrincipalSpec {
  role: Principal['role'];
  institutionCode: string | null;
  areaCodes: string[];
  piiGranted: boolean;
}

export const DEFAULT_DEV_PRINCIPAL = 'REGULATOR';

const SPEC = /^([A-Z]+)(?::([A-Za-z0-9_.-]{1,32}))?(?:@([0-9,]+))?(\+pii)?$/;

/**
 * Parses a `TRIPOD_DEV_PRINCIPAL` value (default `REGULATOR`).
 *
 * @throws InvalidPrincipalError with a one-line reason.
 */
export function parseDevPrincipal(spec: string | undefined): DevPrincipalSpec {
  const text = (spec ?? '').trim() || DEFAULT_DEV_PRINCIPAL;
  const match = SPEC.exec(text);
  if (match === null) {
    throw new InvalidPrincipalError(`TRIPOD_DEV_PRINCIPAL ${JSON.stringify(text)}: expected ROLE[:INSTITUTION_CODE][@AREA,…][+pii]`);
  }
  const parsed: DevPrincipalSpec = {
    role: match[1] as Principal['role'],
    institutionCode: match[2] ?? null,
    areaCodes: match[3] ? match[3].split(',').filter((code) => code !== '') : [],
    piiGranted: match[4] !== undefined,
  };
  // Validate everything but the institution id, which is not known yet.
  checkPrincipal({ ...parsed, institutionId: parsed.institutionCode === null ? null : '0' });
  return parsed;
}

/**
 * The development principal with its institution id looked up by code.
 *
 * @throws InvalidPrincipalError when the institution code is unknown.
 */
export async function resolveDevPrincipal(em: EntityManager, spec: DevPrincipalSpec): Promise<Principal> {
  let institutionId: string | null = null;
  if (spec.institutionCode !== null) {
    const rows = await em.getConnection().execute<Array<{ id: string }>>('SELECT id FROM institution WHERE code = ?', [spec.institutionCode]);
    if (rows.length === 0) {
      throw new InvalidPrincipalError(`TRIPOD_DEV_PRINCIPAL names institution ${JSON.stringify(spec.institutionCode)}, which does not exist`);
    }
    institutionId = String(rows[0].id);
  }
  return checkPrincipal({ ...spec, institutionId, keyId: 'dev' });
}

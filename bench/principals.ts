/**
 * The realistic principals the benchmark acts as, each with an API key issued the
 * ordinary way (`issueApiKey`) and its `Principal` exactly as the hub resolves it from
 * that key, which the floor's queries scope by.
 */
import type { Pool } from 'pg';
import type { Principal } from '../src/services/access';
import { authenticateApiKey, issueApiKey, revokeApiKey } from '../src/services/auth';

export type BenchRole = 'BANK' | 'REGULATOR' | 'INSURER';

export interface BenchPrincipal {
  role: BenchRole;
  /** What it is, for the report: `BANK BANK-RCB-621226 (nation)`. */
  label: string;
  token: string;
  keyId: string;
  principal: Principal;
}

/** The institutions the bench acts for, picked from the data set deterministically. */
interface Picks {
  bank: string;
  regulator: string;
  province: string;
  insurer: string;
}

/**
 * The lending bank with the most loans; the regulator of its province; the insurer with
 * the most policies LINKED to that bank's loans.
 */
async function pick(pool: Pool): Promise<Picks> {
  const bank = await pool.query<{ code: string; home: string }>(
    `SELECT i.code, i.home_area_code AS home FROM institution i JOIN loan l ON l.institution_id = i.id
      WHERE i.kind = 'BANK' GROUP BY i.id ORDER BY count(*) DESC, i.code LIMIT 1`,
  );
  if (bank.rows.length === 0) throw new Error('bench: the data set has no bank with loans');
  const province = bank.rows[0].home.slice(0, 2);
  const regulator = await pool.query<{ code: string }>(
    `SELECT code FROM institution WHERE kind = 'REGULATOR' AND home_area_code = $1 ORDER BY code LIMIT 1`,
    [province],
  );
  if (regulator.rows.length === 0) throw new Error(`bench: no regulator for province ${province}`);
  const insurer = await pool.query<{ code: string }>(
    `SELECT i.code FROM contract_link cl JOIN insurance_policy ip ON ip.id = cl.policy_id JOIN institution i ON i.id = ip.institution_id
       JOIN loan l ON l.id = cl.loan_id JOIN institution b ON b.id = l.institution_id
      WHERE cl.status = 'LINKED' AND b.code = $1 GROUP BY i.code ORDER BY count(*) DESC, i.code LIMIT 1`,
    [bank.rows[0].code],
  );
  if (insurer.rows.length === 0) throw new Error('bench: no insurer covers the bank’s loans');
  return { bank: bank.rows[0].code, regulator: regulator.rows[0].code, province, insurer: insurer.rows[0].code };
}

/** Issues one key per bench role; revoke them with `revokePrincipals` at the end. */
export async function issuePrincipals(pool: Pool): Promise<Record<BenchRole, BenchPrincipal>> {
  const picks = await pick(pool);
  const issue = async (role: BenchRole, institutionCode: string, areaCodes: string[]): Promise<BenchPrincipal> => {
    const key = await issueApiKey(pool, { institutionCode, role, areaCodes, label: `bench ${role} ${institutionCode}`, createdBy: 'bench' });
    const outcome = await authenticateApiKey(pool, key.token);
    if (!outcome.ok) throw new Error(`bench: the ${role} key just issued is refused (${outcome.reason})`);
    const scope = outcome.principal.areaCodes.length === 0 ? 'nation' : outcome.principal.areaCodes.join(',');
    return { role, label: `${role} ${institutionCode} (scope ${scope})`, token: key.token, keyId: key.keyId, principal: outcome.principal };
  };
  return {
    BANK: await issue('BANK', picks.bank, []),
    REGULATOR: await issue('REGULATOR', picks.regulator, [picks.province]),
    INSURER: await issue('INSURER', picks.insurer, []),
  };
}

export async function revokePrincipals(pool: Pool, principals: Record<BenchRole, BenchPrincipal>): Promise<void> {
  for (const p of Object.values(principals)) {
    await revokeApiKey(pool, p.keyId).catch(() => undefined);
  }
}

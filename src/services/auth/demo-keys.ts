/**
 * Ready-made API keys for the development demo: one per role, bound to a plausible demo
 * institution, kept in `<dataDir>/demo-keys.json` (mode 0600; the data folder is
 * git-ignored) so that restarts print the same keys. Development mode only: the caller
 * (`main.ts`) decides; production keys are issued with the `keys` CLI.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InstitutionKind } from '../../entities/enums';
import { Role } from '../access/principal';
import { toQueryable, type AuthDb, type Queryable } from './auth-db';
import { authenticateApiKey } from './api-key-authenticator';
import { issueApiKey } from './api-key.service';
import { homeCounty } from './grants';

export const DEMO_KEYS_FILE = 'demo-keys.json';

export interface DemoKey {
  role: Role;
  keyId: string;
  token: string;
  institutionCode: string | null;
  /** Empty: national. */
  areaCodes: string[];
  label: string;
}

export interface DemoKeys {
  /** Where the tokens are kept. */
  file: string;
  /** One key per role that has a fitting institution, in role order. */
  keys: DemoKey[];
  /** Roles without a fitting institution in the database (no key). */
  skipped: Role[];
  /** Keys issued by this call (the others were reused). */
  issued: number;
}

/**
 * Which institution each role's demo key acts for: the first of the listed kinds, by
 * code; `null` in the list means "none needed". Analysts and regulators see the nation.
 */
const DEMO_BINDINGS: ReadonlyArray<{ role: Role; kinds: ReadonlyArray<InstitutionKind | null> }> = [
  { role: Role.BANK, kinds: [InstitutionKind.BANK] },
  { role: Role.INSURER, kinds: [InstitutionKind.INSURER] },
  { role: Role.GUARANTOR, kinds: [InstitutionKind.GUARANTOR] },
  { role: Role.GOVERNMENT, kinds: [InstitutionKind.GOVERNMENT] },
  { role: Role.REGULATOR, kinds: [InstitutionKind.REGULATOR, InstitutionKind.CENTRAL_BANK] },
  { role: Role.ANALYST, kinds: [null] },
  { role: Role.ADMIN, kinds: [InstitutionKind.OPERATOR, null] },
];

/**
 * Returns one valid demo key per role, issuing (and saving) those that are missing or no
 * longer valid (revoked, expired, or from an earlier database).
 */
export async function ensureDemoKeys(db: AuthDb, dataDir: string): Promise<DemoKeys> {
  const q = toQueryable(db);
  const file = join(dataDir, DEMO_KEYS_FILE);
  const stored = await readDemoKeys(file);
  const keys: DemoKey[] = [];
  const skipped: Role[] = [];
  let issued = 0;

  for (const { role, kinds } of DEMO_BINDINGS) {
    const previous = stored.find((key) => key.role === role);
    if (previous !== undefined) {
      const check = await authenticateApiKey(q, previous.token);
      if (check.ok && check.principal.role === role) {
        keys.push(previous);
        continue;
      }
    }
    const binding = await pickInstitution(q, kinds);
    if (binding === undefined) {
      skipped.push(role);
      continue;
    }
    const label = `demo ${role} key${binding === null ? '' : ` for ${binding.code}`}`;
    const key = await issueApiKey(q, {
      institutionCode: binding?.code ?? null,
      role,
      // GOVERNMENT: its county; a REGULATOR: its home area (a provincial bureau, its
      // province); partners national (their own rows bound them anyway).
      areaCodes:
        binding === null ? [] : role === Role.GOVERNMENT ? [homeCounty(binding.homeAreaCode)] : role === Role.REGULATOR ? [binding.homeAreaCode] : [],
      label,
      createdBy: 'demo',
    });
    keys.push({ role, keyId: key.keyId, token: key.token, institutionCode: key.key.institutionCode, areaCodes: key.key.areaCodes, label });
    issued += 1;
  }

  if (issued > 0 || keys.length !== stored.length) {
    await writeDemoKeys(dataDir, file, keys);
  }
  return { file, keys, skipped, issued };
}

/** The first open institution of the first kind that has one (by code); null for "none"; undefined if no fit. */
async function pickInstitution(q: Queryable, kinds: ReadonlyArray<InstitutionKind | null>): Promise<{ code: string; homeAreaCode: string } | null | undefined> {
  for (const kind of kinds) {
    if (kind === null) return null;
    const result = await q.query<{ code: string; home_area_code: string }>(
      `select code, home_area_code from institution
        where kind = $1 and (valid_to is null or valid_to > current_date)
        order by code limit 1`,
      [kind],
    );
    if (result.rows.length > 0) return { code: result.rows[0].code, homeAreaCode: result.rows[0].home_area_code };
  }
  return undefined;
}

async function readDemoKeys(file: string): Promise<DemoKey[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  // A copy or restore may have loosened the mode; tokens stay owner-only.
  await chmod(file, 0o600);
  try {
    const parsed = JSON.parse(text) as { keys?: unknown };
    return Array.isArray(parsed.keys) ? parsed.keys.filter(isDemoKey) : [];
  } catch {
    // Demo tokens only: an unreadable file is replaced by fresh keys.
    return [];
  }
}

async function writeDemoKeys(dataDir: string, file: string, keys: DemoKey[]): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const body = { note: 'Development demo API keys; never use them outside this machine.', keys };
  await writeFile(temporary, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

function isDemoKey(value: unknown): value is DemoKey {
  if (typeof value !== 'object' || value === null) return false;
  const key = value as Record<string, unknown>;
  return (
    typeof key.role === 'string' &&
    (Object.values(Role) as string[]).includes(key.role) &&
    typeof key.keyId === 'string' &&
    typeof key.token === 'string' &&
    (key.institutionCode === null || typeof key.institutionCode === 'string') &&
    Array.isArray(key.areaCodes) &&
    key.areaCodes.every((code) => typeof code === 'string') &&
    typeof key.label === 'string'
  );
}

/**
 * What the import tests share: a bank, a guarantor and an insurer seeded in SQL into the
 * test file's own database, the keys the CLI reads from its environment, synthetic loan
 * rows, and the import command run in process (the CLI's own code path) or as a child
 * process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import { importCommand } from '../../src/cli/import';
import { syntheticNationalId } from '../../src/services/identity';
import type { TestDatabase } from '../helpers';

export const PII_KEYS = `v1:${Buffer.alloc(32, 7).toString('base64')}`;
export const MATCH_KEYS = `v1:${Buffer.alloc(32, 8).toString('base64')}`;

/** 望谟县 (Guizhou) and one of its villages, from the reference geography. */
export const COUNTY = '522326';
export const VILLAGE = '522326101201';

export const BANK = 'IMP-BANK';
export const GUARANTOR = 'IMP-GUARANTOR';

export const ROOT = join(__dirname, '..', '..');

/** A synthetic head's ID number for row `n` (valid check character, reserved `PP99` range). */
export function headId(n: number): string {
  const birth = `19${60 + (n % 30)}-0${1 + (n % 9)}-1${n % 10}`;
  return syntheticNationalId('52', birth, n % 100_000);
}

export const LOAN_COLUMNS = [
  'ref',
  'countyCode',
  'product',
  'borrower.household.headIdNumber',
  'borrower.household.villageCode',
  'principal',
  'disbursedOn',
  'maturesOn',
  'annualRate',
  'subsidyRate',
  'guaranteeMode',
  'paidToAccount',
  'purpose',
];

/** A valid loan row (CSV cells in LOAN_COLUMNS order) to a household named by its head's ID number. */
export function loanCells(ref: string, n: number, overrides: Partial<Record<string, string>> = {}): string[] {
  const row: Record<string, string> = {
    ref,
    countyCode: COUNTY,
    product: 'POVERTY_MICROCREDIT',
    'borrower.household.headIdNumber': headId(n),
    'borrower.household.villageCode': VILLAGE,
    principal: String(10000 + (n % 40) * 1000),
    disbursedOn: '2020-03-15',
    maturesOn: '2023-03-14',
    annualRate: '0.0435',
    subsidyRate: '0.0435',
    guaranteeMode: 'CREDIT',
    paidToAccount: 'HOUSEHOLD',
    purpose: n % 7 === 0 ? '养殖, "能繁母猪"' : '种植',
    ...overrides,
  };
  return LOAN_COLUMNS.map((column) => row[column]);
}

/** One CSV line (RFC 4180 quoting where needed). */
export function csvLine(cells: readonly string[]): string {
  return cells.map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(',');
}

export interface ImportWorld {
  ids: Record<string, string>;
  /** A scratch folder for this test file's files, removed at the end. */
  dir(): string;
  env(): NodeJS.ProcessEnv;
  sql<R extends Record<string, any> = Record<string, any>>(text: string, values?: unknown[]): Promise<R[]>;
  /** The import command in process: exit code and what it printed. */
  run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** The import CLI as a child process (`node -r ./scripts/register.js src/cli/import.ts …`). */
  spawn(args: string[], extraEnv?: NodeJS.ProcessEnv): ChildProcess;
}

export function useImportWorld(db: TestDatabase): ImportWorld {
  const ids: Record<string, string> = {};
  let client: Client;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tripod-import-'));
    db.onTeardown(() => rmSync(dir, { recursive: true, force: true }));
    client = new Client({ connectionString: db.url() });
    await client.connect();
    db.onTeardown(() => client.end());
    const institution = async (code: string, name: string, kind: string, home: string) => {
      const { rows } = await client.query<{ id: string }>('INSERT INTO institution (code, name, kind, home_area_code) VALUES ($1, $2, $3, $4) RETURNING id::text AS id', [code, name, kind, home]);
      return rows[0].id;
    };
    ids.bank = await institution(BANK, '望谟县演示农商银行（测试）', 'BANK', COUNTY);
    ids.guarantor = await institution(GUARANTOR, '演示融资担保公司（测试）', 'GUARANTOR', '52');
    ids.insurer = await institution('IMP-INSURER', '演示财险（测试）', 'INSURER', COUNTY);
    ids.operator = await institution('IMP-OPERATOR', '平台运营（测试）', 'OPERATOR', '52');
  });

  const env = (): NodeJS.ProcessEnv => ({
    NODE_ENV: 'test',
    DATABASE_URL: db.url(),
    TRIPOD_MATCH_KEYS: MATCH_KEYS,
    TRIPOD_PII_KEYS: PII_KEYS,
    LOG_LEVEL: 'silent',
  });

  return {
    ids,
    dir: () => dir,
    env,
    async sql(text, values) {
      return (await client.query(text, values)).rows;
    },
    async run(args) {
      let stdout = '';
      let stderr = '';
      const sink = (append: (s: string) => void) =>
        new Writable({
          write(chunk, _encoding, done) {
            append(String(chunk));
            done();
          },
        });
      const code = await importCommand(args, { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)), env: env() });
      return { code, stdout, stderr };
    },
    spawn(args, extraEnv = {}) {
      return spawn(process.execPath, ['-r', './scripts/register.js', 'src/cli/import.ts', ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, ...env(), ...extraEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    },
  };
}

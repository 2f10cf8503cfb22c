/**
 * The audit log: per-request sinks writing in one statement, the chainer linking
 * committed entries, and the verifier catching each kind of tampering.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Pool } from 'pg';
import { projectRoot } from '../src/config';
import type { Principal } from '../src/services/access/principal';
import {
  AUDIT_CHAIN_LOCK_KEY,
  AUDIT_INSERT_SQL,
  AuditEntryError,
  AuditWriteError,
  chainPending,
  createAuditSink,
  startChainer,
  verifyAuditChain,
  type AuditEntryInput,
  type AuditQueryable,
} from '../src/services/audit';
import { useTestDatabase } from './helpers';

const db = useTestDatabase();
let pool: Pool;
let institutionId: string;
let householdIds: string[];
let principal: Principal;

beforeAll(async () => {
  pool = new Pool({ connectionString: db.url(), max: 6 });
  pool.on('error', () => undefined);
  db.onTeardown(() => pool.end());
  ({ institutionId, householdIds } = await seedHouseholds(pool, 100));
  principal = { institutionId, institutionCode: 'AUDIT-BANK', role: 'BANK', areaCodes: [], keyId: 'key-audit-1' };
});

/** One institution with `count` households, enough for the audit log's foreign keys. */
async function seedHouseholds(target: Pool, count: number): Promise<{ institutionId: string; householdIds: string[] }> {
  const area = await target.query<{ village: string; county: string }>(
    `select v.code as village, c.code as county from area v join area c on c.code = left(v.code, 6)
      where v.level = 'VILLAGE' and c.level = 'COUNTY' order by v.code limit 1`,
  );
  const { village, county } = area.rows[0];
  const institution = await target.query<{ id: string }>(
    `insert into institution (code, name, kind, home_area_code) values ('AUDIT-BANK', 'Audit test bank', 'BANK', $1) returning id::text as id`,
    [county],
  );
  const id = institution.rows[0].id;
  const batch = await target.query<{ id: string }>(
    `insert into ingest_batch (institution_id, external_id, kind, payload_hash) values ($1, 'audit-seed', 'HOUSEHOLD', 'seed') returning id::text as id`,
    [id],
  );
  const households = await target.query<{ id: string }>(
    `insert into household (source_institution_id, batch_id, ref, village_code, county_code, status, status_since, name_enc, pii_key_version)
     select $1, $2, 'HAUDIT' || lpad(i::text, 6, '0'), $3, $4, 'REGISTERED_POOR', date '2020-01-01', '\\x00'::bytea, 1
       from generate_series(1, $5::int) as i
     returning id::text as id`,
    [id, batch.rows[0].id, village, county, count],
  );
  return { institutionId: id, householdIds: households.rows.map((row) => row.id).sort((a, b) => Number(a) - Number(b)) };
}

/** A pool that records the text of every statement sent through it. */
function countingPool(target: Pool): AuditQueryable & { statements: string[] } {
  const statements: string[] = [];
  return {
    statements,
    query: (text: string, values?: unknown[]) => {
      statements.push(text);
      return target.query(text, values);
    },
  };
}

interface StoredEntry {
  request_id: string;
  actor_institution_id: string | null;
  actor_role: string;
  actor_key: string | null;
  action: string;
  operation: string | null;
  household_id: string | null;
  fields: string[] | null;
  details: unknown;
  chain_seq: string | null;
}

async function entriesOf(requestId: string): Promise<StoredEntry[]> {
  const result = await pool.query<StoredEntry>(
    `select request_id, actor_institution_id::text as actor_institution_id, actor_role, actor_key, action, operation,
            household_id::text as household_id, fields, details, chain_seq::text as chain_seq
       from audit_log where request_id = $1 order by id`,
    [requestId],
  );
  return result.rows;
}

function entry(overrides: Partial<StoredEntry>): StoredEntry {
  return {
    request_id: 'req',
    actor_institution_id: institutionId,
    actor_role: 'BANK',
    actor_key: 'key-audit-1',
    action: 'PII_READ',
    operation: null,
    household_id: null,
    fields: null,
    details: null,
    chain_seq: null,
    ...overrides,
  };
}

async function recordAndFlush(requestId: string, input: AuditEntryInput, target: AuditQueryable = pool): Promise<number> {
  const sink = createAuditSink({ requestId, principal, db: target });
  sink.record(input);
  return sink.flush();
}

async function headSeq(): Promise<number> {
  const result = await pool.query<{ seq: string }>('select max(chain_seq)::text as seq from audit_log');
  return Number(result.rows[0].seq);
}

function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('AuditSink', () => {
  test('a PII read of 100 households is 100 entries, written with the admin action in one statement', async () => {
    const counter = countingPool(pool);
    const sink = createAuditSink({ requestId: 'req-flush', principal, db: counter });
    sink.record({ action: 'PII_READ', operation: 'HouseholdsPage', householdIds, fields: ['name', 'phone'], details: { page: 1 } });
    sink.record({ action: 'KEY_ISSUED', operation: 'keys issue', details: { apiKeyId: '42', institution: 'AUDIT-BANK' } });

    expect(sink.pendingCount).toBe(101);
    expect(counter.statements).toEqual([]);
    await expect(sink.flush()).resolves.toBe(101);
    expect(counter.statements).toEqual([AUDIT_INSERT_SQL]);
    expect(counter.statements[0]).toMatch(/^insert into audit_log .* from unnest\(/s);
    expect(sink.pendingCount).toBe(0);
    await expect(sink.flush()).resolves.toBe(0);
    expect(counter.statements).toHaveLength(1);

    expect(await entriesOf('req-flush')).toEqual([
      ...householdIds.map((householdId) =>
        entry({ request_id: 'req-flush', operation: 'HouseholdsPage', household_id: householdId, fields: ['name', 'phone'], details: { page: 1 } }),
      ),
      entry({ request_id: 'req-flush', action: 'KEY_ISSUED', operation: 'keys issue', details: { apiKeyId: '42', institution: 'AUDIT-BANK' } }),
    ]);
  });

  test('a principal without institution or key and an entry without households still make one row each', async () => {
    const admin: Principal = { institutionId: null, institutionCode: null, role: 'ADMIN', areaCodes: [] };
    const sink = createAuditSink({ requestId: 'req-admin', principal: admin, db: pool });
    sink.record({ action: 'REGISTRATION_LOOKUP', householdIds: [], details: { result: 'NOT_REGISTERED' } });
    sink.record({ action: 'PARAMETER_CHANGED', operation: 'x'.repeat(250), householdIds: [householdIds[0], householdIds[0]] });
    await expect(sink.flush()).resolves.toBe(2);

    const base = { request_id: 'req-admin', actor_institution_id: null, actor_role: 'ADMIN', actor_key: null };
    expect(await entriesOf('req-admin')).toEqual([
      entry({ ...base, action: 'REGISTRATION_LOOKUP', details: { result: 'NOT_REGISTERED' } }),
      entry({ ...base, action: 'PARAMETER_CHANGED', operation: 'x'.repeat(200), household_id: householdIds[0] }),
    ]);
  });

  test.each<[string, AuditEntryInput]>([
    ['a national ID number key', { action: 'REGISTRATION_LOOKUP', details: { idNumber: 'redacted' } }],
    ['a national ID number value', { action: 'REGISTRATION_LOOKUP', details: { query: '11010519491231002X' } }],
    ['a mobile number', { action: 'PII_READ', details: { contact: 'tel 13812345678' } }],
    ['a hash key', { action: 'REGISTRATION_LOOKUP', details: { matchHash: 'x' } }],
    ['a hex digest', { action: 'KEY_ISSUED', details: { key: 'ab'.repeat(32) } }],
    ['a base64 digest', { action: 'KEY_ISSUED', details: { key: Buffer.alloc(32, 7).toString('base64') } }],
    ['binary data', { action: 'KEY_ISSUED', details: { key: Buffer.from('secret') } }],
    ['a name', { action: 'CONSENT_RECORDED', details: { household: { name: '张三' } } }],
    ['oversized details', { action: 'RULE_CHANGED', details: { note: 'x '.repeat(3000) } }],
    ['a lower-case action', { action: 'pii read' }],
    ['a household ref instead of an id', { action: 'PII_READ', householdIds: ['H0123456789ABCD'] }],
    ['a field value instead of a name', { action: 'PII_READ', fields: ['张三'] }],
  ])('record refuses %s', (_, input) => {
    const sink = createAuditSink({ requestId: 'req-refused', principal, db: pool });
    expect(() => sink.record(input)).toThrow(AuditEntryError);
    expect(sink.pendingCount).toBe(0);
  });

  test('a failed flush keeps its entries, reports AUDIT_WRITE_FAILED and writes nothing', async () => {
    const sink = createAuditSink({ requestId: 'req-failed', principal, db: pool });
    sink.record({ action: 'PII_READ', householdIds: [householdIds[0], '999999999'], fields: ['name'] });
    const failure = await sink.flush().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuditWriteError);
    expect((failure as AuditWriteError).code).toBe('AUDIT_WRITE_FAILED');
    expect((failure as AuditWriteError).message).not.toMatch(/insert|audit_log/);
    expect(sink.pendingCount).toBe(2);
    expect(await entriesOf('req-failed')).toEqual([]);
  });

  test('through a MikroORM connection the entries survive the rollback of the request transaction', async () => {
    // When Jest runs this file in band, the sandbox inherits the MikroORM metadata that
    // global setup's migration left on the real global, whose Maps belong to another realm
    // (mikro-orm/mikro-orm#3783); drop it before the entities load.
    delete (globalThis as Record<string, unknown>)['mikro-orm-metadata'];
    const { createOrm } = await import('../src/db/orm');
    const orm = await createOrm({ url: db.url(), poolMax: 2 });
    db.onTeardown(() => orm.close(true));
    const em = orm.em.fork();
    await expect(
      em.transactional(async (tx) => {
        const sink = createAuditSink({ requestId: 'req-orm', principal, db: tx.getConnection() });
        sink.record({ action: 'PII_READ', householdIds: householdIds.slice(0, 2), fields: ['phone'] });
        await expect(sink.flush()).resolves.toBe(2);
        throw new Error('request failed after its reads');
      }),
    ).rejects.toThrow('request failed after its reads');

    expect(await entriesOf('req-orm')).toEqual(
      householdIds.slice(0, 2).map((householdId) => entry({ request_id: 'req-orm', household_id: householdId, fields: ['phone'] })),
    );
  });
});

describe('chain', () => {
  test('links every entry in order from 32 zero bytes, and the head verifies', async () => {
    const before = await pool.query<{ n: number }>('select count(*)::int as n from audit_log');
    expect(await chainPending(pool, { batchSize: 40 })).toBe(before.rows[0].n);
    expect(await chainPending(pool)).toBe(0);

    const chain = await pool.query<{ id: string; chain_seq: string; prev_hash: Buffer; hash: Buffer }>(
      'select id::text as id, chain_seq::text as chain_seq, prev_hash, hash from audit_log a order by a.chain_seq',
    );
    const n = before.rows[0].n;
    expect(chain.rows.map((row) => row.chain_seq)).toEqual(Array.from({ length: n }, (_, i) => String(i + 1)));
    expect(chain.rows.map((row) => Number(row.id))).toEqual([...chain.rows.map((row) => Number(row.id))].sort((a, b) => a - b));
    expect(chain.rows[0].prev_hash).toEqual(Buffer.alloc(32));
    chain.rows.slice(1).forEach((row, i) => expect(row.prev_hash).toEqual(chain.rows[i].hash));

    // The documented format, recomputed independently for the first entry.
    const first = await pool.query<Record<string, string | null>>(
      `select id::text as id, to_char("at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "at", request_id,
              actor_institution_id::text as actor_institution_id, actor_role, actor_key, action, operation,
              household_id::text as household_id, fields::text as fields, details::text as details
         from audit_log where chain_seq = 1`,
    );
    const r = first.rows[0];
    const canonical = JSON.stringify(['tripod.audit.v1', r.id, r.at, r.request_id, r.actor_institution_id, r.actor_role, r.actor_key, r.action, r.operation, r.household_id, r.fields, r.details]);
    expect(r.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(chain.rows[0].hash).toEqual(createHash('sha256').update(Buffer.alloc(32)).update(canonical, 'utf8').digest());

    expect(await verifyAuditChain(pool, { pageSize: 7 })).toEqual({
      ok: true,
      checked: n,
      message: `audit chain ok: ${n} entries verified, head ${n}:${chain.rows[n - 1].hash.toString('hex')}; 0 unchained (0 stale)`,
      head: { seq: String(n), hash: chain.rows[n - 1].hash.toString('hex') },
      unchained: 0,
      staleUnchained: 0,
    });
  });

  test('the chain follows commit order: an entry committed late is linked after a later id, not lost', async () => {
    const slow = await pool.connect();
    try {
      await slow.query('begin');
      await expect(recordAndFlush('req-slow', { action: 'CONSENT_RECORDED', householdIds: [householdIds[3]] }, slow)).resolves.toBe(1);
      // Neither writer waits for the other.
      await within(5000, recordAndFlush('req-fast', { action: 'CONSENT_REVOKED', householdIds: [householdIds[4]] }), 'a second writer');
      expect(await chainPending(pool)).toBe(1);
      await slow.query('commit');
    } finally {
      slow.release();
    }
    expect(await chainPending(pool)).toBe(1);

    const [slowEntry] = await pool.query<{ id: string; chain_seq: string }>(`select id::text as id, chain_seq::text as chain_seq from audit_log where request_id = 'req-slow'`).then((r) => r.rows);
    const [fastEntry] = await pool.query<{ id: string; chain_seq: string }>(`select id::text as id, chain_seq::text as chain_seq from audit_log where request_id = 'req-fast'`).then((r) => r.rows);
    expect(Number(slowEntry.id)).toBeLessThan(Number(fastEntry.id));
    expect(Number(slowEntry.chain_seq)).toBe(Number(fastEntry.chain_seq) + 1);
    expect(await verifyAuditChain(pool)).toMatchObject({ ok: true, unchained: 0 });
  });

  test('a writer never waits for a chainer; a second chainer returns 0 while the lock is held', async () => {
    const holder = await pool.connect();
    try {
      await holder.query('begin');
      await holder.query('select pg_advisory_xact_lock($1::bigint)', [AUDIT_CHAIN_LOCK_KEY]);
      // What a chainer holds mid-batch: the lock and row locks on the entries it links.
      await holder.query('update audit_log set hash = hash where chain_seq >= (select max(chain_seq) - 5 from audit_log)');
      await within(5000, recordAndFlush('req-during-chain', { action: 'PII_READ', householdIds: [householdIds[5]], fields: ['name'] }), 'a writer');
      expect(await within(5000, chainPending(pool), 'a chainer')).toBe(0);
      await holder.query('rollback');
    } finally {
      holder.release();
    }
    expect(await chainPending(pool)).toBe(1);
  });

  test('concurrent writers on two pools all land and are chained by two background chainers', async () => {
    const pools = [new Pool({ connectionString: db.url(), max: 5 }), new Pool({ connectionString: db.url(), max: 5 })];
    db.onTeardown(() => Promise.all(pools.map((p) => p.end())));
    const errors: unknown[] = [];
    const chainers = pools.map((p) => startChainer(p, { intervalMs: 5, batchSize: 17, onError: (error) => errors.push(error) }));

    const writes = Array.from({ length: 40 }, (_, i) =>
      recordAndFlush(`req-conc-${i}`, { action: 'PII_READ', operation: 'Concurrent', householdIds: householdIds.slice(i, i + 5), fields: ['name'] }, pools[i % 2]),
    );
    expect(await Promise.all(writes)).toEqual(Array(40).fill(5));
    await Promise.all(chainers.map((chainer) => chainer.stop()));
    expect(errors).toEqual([]);

    const landed = await pool.query<{ total: number; chained: number }>(
      `select count(*)::int as total, count(chain_seq)::int as chained from audit_log where request_id like 'req-conc-%'`,
    );
    expect(landed.rows[0]).toEqual({ total: 200, chained: 200 });
    expect(await verifyAuditChain(pool)).toMatchObject({ ok: true, checked: await headSeq(), unchained: 0 });
  });

  test('stop() links what is left; entries left unchained long after the head are reported as stale', async () => {
    const chainer = startChainer(pool, { intervalMs: 60_000 });
    await recordAndFlush('req-stop', { action: 'RULE_CHANGED', details: { ruleId: '7' } });
    expect(await chainer.stop()).toBe(1);

    await pool.query(`insert into audit_log ("at", request_id, actor_role, action) values (now() - interval '10 minutes', 'req-stale', 'ADMIN', 'KEY_REVOKED')`);
    expect(await verifyAuditChain(pool)).toMatchObject({ ok: true, unchained: 1, staleUnchained: 1 });
    expect(await chainPending(pool)).toBe(1);
    expect(await verifyAuditChain(pool)).toMatchObject({ ok: true, unchained: 0, staleUnchained: 0 });
  });
});

describe('verification after tampering', () => {
  let n: number;
  const S = 5;

  beforeAll(async () => {
    await chainPending(pool);
    n = await headSeq();
    expect(n).toBeGreaterThan(300);
    await pool.query('create table audit_log_backup as select * from audit_log');
  });

  afterEach(async () => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query('delete from audit_log');
      await client.query('insert into audit_log select * from audit_log_backup');
      await client.query('commit');
    } finally {
      client.release();
    }
    expect(await verifyAuditChain(pool)).toMatchObject({ ok: true, checked: n });
  });

  const failed = (problem: string, seq: number, checked: number) => ({
    ok: false,
    problem,
    firstBadSeq: String(seq),
    checked,
    message: expect.stringMatching(new RegExp(`^audit chain ${problem} at chain_seq ${seq}: .*; ${checked} entries verified before it$`)),
    head: checked === 0 ? null : { seq: String(checked), hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    unchained: 0,
    staleUnchained: 0,
  });

  test.each([
    ['operation', `operation = 'Forged'`],
    ['at, by one microsecond', `"at" = "at" + interval '1 microsecond'`],
    ['household_id', 'household_id = null'],
    ['fields', `fields = array['name']`],
    ['details', `details = '{"page": 2}'`],
    ['actor_key', `actor_key = 'someone-else'`],
    ['id', 'id = id + 1000000'],
  ])('editing %s of a chained entry is a HASH_MISMATCH there', async (_, assignment) => {
    await pool.query(`update audit_log set ${assignment} where chain_seq = ${S}`);
    expect(await verifyAuditChain(pool)).toEqual(failed('HASH_MISMATCH', S, S - 1));
  });

  test('editing a hash is a HASH_MISMATCH at that entry', async () => {
    await pool.query(`update audit_log set hash = sha256('forged'::bytea) where chain_seq = ${S}`);
    expect(await verifyAuditChain(pool)).toEqual(failed('HASH_MISMATCH', S, S - 1));
  });

  test('editing a prev_hash is a BROKEN_LINK', async () => {
    await pool.query(`update audit_log set prev_hash = sha256('forged'::bytea) where chain_seq = ${S}`);
    expect(await verifyAuditChain(pool)).toEqual(failed('BROKEN_LINK', S, S - 1));
  });

  test('deleting a middle entry leaves a GAP at its position', async () => {
    await pool.query(`delete from audit_log where chain_seq = ${S}`);
    expect(await verifyAuditChain(pool, { pageSize: 3 })).toEqual(failed('GAP', S, S - 1));
  });

  test('deleting the first entry leaves a GAP at 1', async () => {
    await pool.query('delete from audit_log where chain_seq = 1');
    expect(await verifyAuditChain(pool)).toEqual(failed('GAP', 1, 0));
  });

  test('deleting a middle entry and renumbering the rest is a BROKEN_LINK', async () => {
    await pool.query(`delete from audit_log where chain_seq = ${S}`);
    await pool.query(`update audit_log set chain_seq = -chain_seq where chain_seq > ${S}`);
    await pool.query('update audit_log set chain_seq = -chain_seq - 1 where chain_seq < 0');
    expect(await verifyAuditChain(pool)).toEqual(failed('BROKEN_LINK', S, S - 1));
  });

  test('swapping the positions of two entries is REORDERED', async () => {
    await pool.query(`update audit_log set chain_seq = -1 where chain_seq = ${S}`);
    await pool.query(`update audit_log set chain_seq = ${S} where chain_seq = ${S + 3}`);
    await pool.query(`update audit_log set chain_seq = ${S + 3} where chain_seq = -1`);
    expect(await verifyAuditChain(pool)).toEqual(failed('REORDERED', S, S - 1));
  });

  test('swapping the contents of two entries under their links is REORDERED', async () => {
    const rows = (
      await pool.query<{ id: string; chain_seq: string; prev_hash: Buffer; hash: Buffer }>(
        `select id::text as id, chain_seq::text as chain_seq, prev_hash, hash from audit_log where chain_seq in (${S}, ${S + 3}) order by chain_seq`,
      )
    ).rows;
    const [a, b] = rows;
    await pool.query('update audit_log set chain_seq = null where id in ($1, $2)', [a.id, b.id]);
    await pool.query('update audit_log set chain_seq = $2, prev_hash = $3, hash = $4 where id = $1', [a.id, b.chain_seq, b.prev_hash, b.hash]);
    await pool.query('update audit_log set chain_seq = $2, prev_hash = $3, hash = $4 where id = $1', [b.id, a.chain_seq, a.prev_hash, a.hash]);
    const result = await verifyAuditChain(pool);
    expect(result).toEqual(failed('REORDERED', S, S - 1));
    expect(result.message).toContain(`contents chained at ${S + 3}`);
  });

  test('deleting the last entry passes alone (the documented limit) and is TRUNCATED against a recorded anchor', async () => {
    const anchor = (await verifyAuditChain(pool)).head!;
    expect(anchor.seq).toBe(String(n));
    await pool.query(`delete from audit_log where chain_seq = ${n}`);
    expect(await verifyAuditChain(pool)).toMatchObject({ ok: true, checked: n - 1 });
    expect(await verifyAuditChain(pool, { anchor })).toEqual(failed('TRUNCATED', n, n - 1));
  });

  test('a recomputed chain fails against a recorded anchor with ANCHOR_MISMATCH', async () => {
    const anchor = (await verifyAuditChain(pool)).head!;
    await pool.query(`update audit_log set operation = 'Forged', chain_seq = null, prev_hash = null, hash = null where chain_seq >= ${S}`);
    await chainPending(pool);
    expect(await verifyAuditChain(pool)).toMatchObject({ ok: true, checked: n });
    expect(await verifyAuditChain(pool, { anchor })).toEqual(failed('ANCHOR_MISMATCH', n, n - 1));
  });

  test('npm run audit:verify exits 1 naming the first bad chain_seq, 0 on an intact chain', async () => {
    await pool.query(`update audit_log set details = '{"page": 99}' where chain_seq = ${S}`);
    const tampered = await runVerifyCli([]);
    expect(tampered).toEqual({ code: 1, stdout: '', stderr: expect.stringMatching(new RegExp(`^audit chain HASH_MISMATCH at chain_seq ${S}: [^\\n]*\\n$`)) });

    await pool.query(`update audit_log set details = '{"page": 1}' where chain_seq = ${S}`);
    const head = (await verifyAuditChain(pool)).head!;
    expect(await runVerifyCli(['--anchor', `${head.seq}:${head.hash}`])).toEqual({
      code: 0,
      stdout: `audit chain ok: ${n} entries verified, head ${head.seq}:${head.hash}; 0 unchained (0 stale)\n`,
      stderr: '',
    });
  });
});

function runVerifyCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', './scripts/register.js', 'src/cli/audit-verify.ts', ...args], {
      cwd: projectRoot(),
      env: { ...process.env, DATABASE_URL: db.url(), NODE_ENV: 'test', LOG_LEVEL: 'warn' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}


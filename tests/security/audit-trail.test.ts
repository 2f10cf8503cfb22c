/**
 * The PII read audit over real HTTP: every read of household PII is in `audit_log` (who,
 * which household, which fields, operation, request id) by the time its response
 * arrives; reads that reveal nothing are not; masked reads are; entries hold no PII; if
 * the entry cannot be written the data is not sent; and after a run of reads the hash
 * chain links and verifies, and stops verifying once an entry is tampered with.
 */
import { HOUSEHOLDS, recordGid, useSecurityWorld, type GqlResponse, type PrincipalName, type World } from './world';
import { chainPending, verifyAuditChain } from '../../src/services/audit';

const sec = useSecurityWorld();

interface AuditRow {
  request_id: string;
  actor_institution_id: string | null;
  actor_role: string;
  actor_key: string | null;
  action: string;
  operation: string | null;
  household_id: string | null;
  fields: string[] | null;
}

async function auditRowsOf(requestId: string | null): Promise<AuditRow[]> {
  const result = await sec.pool.query<AuditRow>(
    `SELECT request_id, actor_institution_id::text AS actor_institution_id, actor_role, actor_key, action, operation,
            household_id::text AS household_id, fields
       FROM audit_log WHERE request_id = $1 ORDER BY household_id, id`,
    [requestId],
  );
  return result.rows;
}

const PII = 'query HouseholdPii($ref: String!) { household(ref: $ref) { ref headName headPhone } }';

function piiRead(world: World, who: PrincipalName, requestId: string, household: keyof typeof HOUSEHOLDS, fields: string[], operation = 'HouseholdPii'): AuditRow {
  const institution = { bankA: 'SEC-BANK-A', bankB: 'SEC-BANK-B', govC1: 'SEC-GOV-C1', regNation: 'SEC-PBC', regNationPii: 'SEC-REG-NATION', guarantor1: 'SEC-GUA-1' }[who as string];
  return {
    request_id: requestId,
    actor_institution_id: institution === undefined ? null : world.ids[institution],
    actor_role: { bankA: 'BANK', bankB: 'BANK', govC1: 'GOVERNMENT', regNation: 'REGULATOR', regNationPii: 'REGULATOR', guarantor1: 'GUARANTOR' }[who as string] ?? '?',
    actor_key: world.keyIds[who],
    action: 'PII_READ',
    operation,
    household_id: world.ids[household],
    fields,
  };
}

const requestIdOf = (response: GqlResponse) => response.headers.get('x-request-id');

describe('PII reads', () => {
  test('a full read is in the audit log when its response arrives: who, household, fields, operation, request id', async () => {
    const response = await sec.gql('bankA', PII, { ref: HOUSEHOLDS.hA.ref }, { operationName: 'HouseholdPii' });
    expect(response.body).toEqual({ data: { household: { ref: HOUSEHOLDS.hA.ref, headName: '张三', headPhone: '13812345678' } } });
    const requestId = requestIdOf(response) as string;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    // Queried right after the response: the entry was committed before it was sent.
    expect(await auditRowsOf(requestId)).toEqual([piiRead(sec.world, 'bankA', requestId, 'hA', ['headName', 'headPhone'])]);
  });

  test('the operation is named even when the client sends no operationName', async () => {
    const response = await sec.gql('govC1', PII, { ref: HOUSEHOLDS.hB.ref });
    const requestId = requestIdOf(response) as string;
    expect(await auditRowsOf(requestId)).toEqual([piiRead(sec.world, 'govC1', requestId, 'hB', ['headName', 'headPhone'])]);
  });

  test('masked reads are PII reads too; a null phone is not read', async () => {
    const masked = await sec.gql('regNation', PII, { ref: HOUSEHOLDS.hA.ref });
    expect(masked.body).toEqual({ data: { household: { ref: HOUSEHOLDS.hA.ref, headName: '张*', headPhone: '138****5678' } } });
    expect(await auditRowsOf(requestIdOf(masked))).toEqual([piiRead(sec.world, 'regNation', requestIdOf(masked) as string, 'hA', ['headName', 'headPhone'])]);
    const noPhone = await sec.gql('regNationPii', PII, { ref: HOUSEHOLDS.hO.ref });
    expect(await auditRowsOf(requestIdOf(noPhone))).toEqual([piiRead(sec.world, 'regNationPii', requestIdOf(noPhone) as string, 'hO', ['headName'])]);
  });

  test('one entry per household, whatever path reached it, in one request', async () => {
    const query = `query Paths($ref: String!, $guarantee: ID!) {
      household(ref: $ref) { headName }
      node(id: $guarantee) { ... on GuaranteeContract { borrower { ... on Household { headName headPhone } } } }
    }`;
    const response = await sec.gql('guarantor1', query, { ref: HOUSEHOLDS.hA.ref, guarantee: recordGid(sec.world, 'G1') });
    expect(response.body.errors).toBeUndefined();
    expect(await auditRowsOf(requestIdOf(response))).toEqual([piiRead(sec.world, 'guarantor1', requestIdOf(response) as string, 'hA', ['headName', 'headPhone'], 'Paths')]);
  });

  test.each([
    ['a household the caller may not see', 'bankB' as PrincipalName, PII, { ref: HOUSEHOLDS.hA.ref }],
    ['a principal with no PII (analyst)', 'analyst' as PrincipalName, PII, { ref: HOUSEHOLDS.hA.ref }],
    ['a read without PII fields', 'bankA' as PrincipalName, 'query NoPii($ref: String!) { household(ref: $ref) { ref status } }', { ref: HOUSEHOLDS.hA.ref }],
  ])('nothing is logged for %s', async (_label, who, query, variables) => {
    const response = await sec.gql(who, query, variables);
    expect(response.status).toBe(200);
    expect(await auditRowsOf(requestIdOf(response))).toEqual([]);
  });

  test('entries never hold a PII value, an ID number or a match hash', async () => {
    const dump = await sec.pool.query<{ text: string }>('SELECT t::text AS text FROM audit_log t');
    expect(dump.rows.length).toBeGreaterThan(0);
    const forbidden = [
      ...sec.world.nationalIds,
      ...sec.world.matchHashes.flatMap((hash) => [hash.toString('hex'), hash.toString('base64')]),
      ...Object.values(HOUSEHOLDS).flatMap((h): Array<string | null> => [h.name, h.masked.name, h.phone, h.masked.phone]),
    ];
    const text = dump.rows.map((row) => row.text).join('\n');
    expect(forbidden.filter((value) => value !== null && text.includes(value))).toEqual([]);
  });

  test('if the entry cannot be written, the data is not sent (500 INTERNAL)', async () => {
    await sec.pool.query('ALTER TABLE audit_log ADD CONSTRAINT security_suite_refuse CHECK (false) NOT VALID');
    try {
      const response = await sec.gql('bankA', PII, { ref: HOUSEHOLDS.hA.ref });
      expect([response.status, response.body]).toEqual([
        500,
        { errors: [{ message: expect.stringMatching(/^Internal error; quote error id [0-9a-f-]{36} when reporting it$/), extensions: { code: 'INTERNAL', errorId: requestIdOf(response) } }] },
      ]);
      expect(response.text).not.toContain('张');
    } finally {
      await sec.pool.query('ALTER TABLE audit_log DROP CONSTRAINT security_suite_refuse');
    }
  });
});

describe('the hash chain after a run of PII reads over HTTP', () => {
  let head: { seq: string; hash: string };

  beforeAll(async () => {
    const readers: Array<[PrincipalName, keyof typeof HOUSEHOLDS]> = [
      ['bankA', 'hA'],
      ['bankB', 'hB'],
      ['bankB', 'hX'],
      ['insurer1', 'hI'],
      ['insurer2', 'hI'],
      ['guarantor2', 'hG'],
      ['govC1', 'hO'],
      ['govC2', 'hX'],
      ['regPref', 'hB'],
      ['regNationPii', 'hX'],
    ];
    for (let round = 0; round < 3; round += 1) {
      for (const [who, household] of readers) {
        const response = await sec.gql(who, PII, { ref: HOUSEHOLDS[household].ref });
        expect(response.body.data?.household?.ref).toBe(HOUSEHOLDS[household].ref);
      }
    }
  });

  test('every entry is chained and the chain verifies', async () => {
    await chainPending(sec.pool);
    const [{ total }] = (await sec.pool.query<{ total: number }>('SELECT count(*)::int AS total FROM audit_log')).rows;
    expect(total).toBeGreaterThanOrEqual(30);
    const verification = await verifyAuditChain(sec.pool);
    expect(verification).toEqual({
      ok: true,
      checked: total,
      message: expect.stringMatching(/^audit chain ok: /),
      head: { seq: String(total), hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      unchained: 0,
      staleUnchained: 0,
    });
    head = verification.head as { seq: string; hash: string };
  });

  test('editing one entry breaks verification at that entry', async () => {
    const seq = Math.floor(Number(head.seq) / 2);
    const [{ fields }] = (await sec.pool.query<{ fields: string[] | null }>('SELECT fields FROM audit_log WHERE chain_seq = $1', [seq])).rows;
    await sec.pool.query(`UPDATE audit_log SET fields = '{nothingRead}' WHERE chain_seq = $1`, [seq]);
    try {
      expect(await verifyAuditChain(sec.pool)).toMatchObject({ ok: false, problem: 'HASH_MISMATCH', firstBadSeq: String(seq), checked: seq - 1 });
    } finally {
      await sec.pool.query('UPDATE audit_log SET fields = $2 WHERE chain_seq = $1', [seq, fields]);
    }
    expect(await verifyAuditChain(sec.pool, { anchor: head })).toMatchObject({ ok: true });
  });

  test('removing the newest entry is caught by the anchor kept outside the database', async () => {
    // Kept in SQL, so the timestamps keep their microseconds for the restore.
    await sec.pool.query(`CREATE TABLE security_suite_audit_tail AS SELECT * FROM audit_log WHERE chain_seq = ${Number(head.seq)}`);
    await sec.pool.query('DELETE FROM audit_log WHERE chain_seq = $1', [head.seq]);
    try {
      // Without the anchor a shortened chain still looks whole: that is what the anchor is for.
      expect(await verifyAuditChain(sec.pool)).toMatchObject({ ok: true });
      expect(await verifyAuditChain(sec.pool, { anchor: head })).toMatchObject({ ok: false, problem: 'TRUNCATED', firstBadSeq: head.seq });
    } finally {
      await sec.pool.query('INSERT INTO audit_log SELECT * FROM security_suite_audit_tail');
      await sec.pool.query('DROP TABLE security_suite_audit_tail');
    }
    expect(await verifyAuditChain(sec.pool, { anchor: head })).toMatchObject({ ok: true });
  });
});

/**
 * `auditLog` over real HTTP: regulators read the entries of their scope, newest first, a
 * page at a time with opaque keyset cursors; PII reads appear with who, what, which
 * household and which fields; nothing in it is PII, and reading it is not audited as such.
 */
import './reset-orm-metadata';
import { Pool } from 'pg';
import { chainPending } from '../../src/services/audit';
import { gid, H1, H5, onlyError, startApi, type Api, type World } from './access-world';
import { useTestDatabase } from '../helpers';

const db = useTestDatabase();
let api: Api & World;
/** The `x-request-id` of each seeded read, by name. */
const requests: Record<string, string> = {};

const ENTRY = 'id at requestId actorRole actorKey actorInstitution { code } action operation household { ref } fields details chainSeq hash';
const LOG = `query Log($first: Int, $after: String, $filter: AuditLogFilter) {
  auditLog(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { ${ENTRY} } }
    nodes { id }
  }
}`;

beforeAll(async () => {
  api = await startApi(db);
  // Activity to audit: PII reads by a bank and by the other county's government, an admin
  // action, and a registration lookup that matched nobody.
  const read = async (name: string, who: string, ref: string) => {
    const response = await api.gql(who, `query Household($ref: String!) { household(ref: $ref) { ref headName headPhone } }`, { ref });
    expect(response.body.errors).toBeUndefined();
    requests[name] = response.headers.get('x-request-id')!;
  };
  await read('bankReadsH1', 'bank', H1);
  await read('governmentReadsH5', 'otherGovernment', H5);
  await api.data('admin', `mutation { setPolicyParameter(input: { key: "test.audit_probe", value: "1", unit: "COUNT", validFrom: "2020-01-01", basis: "test" }) { parameter { key } } }`);
  await api.data('bank', `query { householdRegistration(idNumber: "110101190001011009") { status } }`);
  await read('regulatorReadsH1', 'countyRegulator', H1);
});

/** Every entry as SQL sees it, newest first. */
const allEntries = () =>
  api.rows<{ id: string; action: string; household: string | null }>(
    `SELECT a.id::text, a.action, h.ref AS household FROM audit_log a LEFT JOIN household h ON h.id = a.household_id ORDER BY a.id DESC`,
  );

describe('auditLog', () => {
  it('shows a PII read with who, when, which household, which fields, operation and request id', async () => {
    const page = await api.data('regulator', LOG, { filter: { action: 'PII_READ', householdRef: H1 } });
    const [{ id }] = await api.rows<{ id: string }>(`SELECT id::text FROM audit_log WHERE request_id = $1`, [requests.bankReadsH1]);
    expect(page.auditLog.totalCount).toBe(2);
    expect(page.auditLog.edges[1].node).toEqual({
      id: gid('AuditLogEntry', id),
      at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      requestId: requests.bankReadsH1,
      actorRole: 'BANK',
      actorKey: 'TESTKEYBANK1',
      actorInstitution: { code: 'TEST-RCC-522326' },
      action: 'PII_READ',
      operation: 'Household',
      household: { ref: H1 },
      fields: ['headName', 'headPhone'],
      details: null,
      chainSeq: null,
      hash: null,
    });
    // The regulator's own (partial) read of H1 is the newer one.
    expect(page.auditLog.edges[0].node).toMatchObject({ requestId: requests.regulatorReadsH1, actorRole: 'REGULATOR', actorKey: 'TESTKEYREGU2', actorInstitution: null });
  });

  it('pages newest first with opaque cursors, first/after, page info and the total', async () => {
    const expected = await allEntries();
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const { auditLog } = await api.data('regulator', LOG, { first: 2, after });
      pages += 1;
      expect(auditLog.totalCount).toBe(expected.length);
      expect(auditLog.pageInfo).toEqual({
        hasNextPage: seen.length + auditLog.edges.length < expected.length,
        hasPreviousPage: after !== null,
        startCursor: auditLog.edges[0]?.cursor ?? null,
        endCursor: auditLog.edges[auditLog.edges.length - 1]?.cursor ?? null,
      });
      expect(auditLog.nodes).toEqual(auditLog.edges.map((edge: { node: { id: string } }) => ({ id: edge.node.id })));
      for (const edge of auditLog.edges) {
        expect(edge.cursor).not.toContain(Buffer.from(edge.node.id, 'base64url').toString());
        seen.push(Buffer.from(edge.node.id, 'base64url').toString().split(':')[1]);
      }
      if (!auditLog.pageInfo.hasNextPage) break;
      after = auditLog.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected.map((row) => row.id));
    expect(pages).toBe(Math.ceil(expected.length / 2));
  });

  it('answers 20 entries without first, and at most 100', async () => {
    await api.rows(
      `INSERT INTO audit_log (request_id, actor_role, action) SELECT 'filler-' || n, 'ADMIN', 'TEST_FILLER' FROM generate_series(1, 120) AS n`,
    );
    const total = (await allEntries()).length;
    const byDefault = (await api.data('regulator', LOG, {})).auditLog;
    expect([byDefault.edges.length, byDefault.pageInfo.hasNextPage, byDefault.totalCount]).toEqual([20, true, total]);
    const largest = (await api.data('regulator', LOG, { first: 100 })).auditLog;
    expect([largest.edges.length, largest.pageInfo.hasNextPage]).toEqual([100, true]);
    await api.rows(`DELETE FROM audit_log WHERE action = 'TEST_FILLER'`);
  });

  it('scopes an area regulator to the entries about households of its area', async () => {
    const { auditLog } = await api.data('countyRegulator', LOG, { first: 100 });
    const expected = (await allEntries()).filter((row) => row.household !== null && row.household !== H5);
    expect(auditLog.edges.map((edge: { node: { household: { ref: string } } }) => edge.node.household.ref)).toEqual(expected.map((row) => row.household));
    expect(auditLog.totalCount).toBe(expected.length);
    // Not the other county's reads, not admin actions, not lookups that matched nobody.
    const other = await api.data('otherRegulator', LOG, { first: 100 });
    expect(other.auditLog.edges.map((edge: { node: { requestId: string; household: { ref: string } } }) => [edge.node.requestId, edge.node.household.ref])).toEqual([
      [requests.governmentReadsH5, H5],
    ]);
    // An entry outside the scope is not a node either.
    const [{ id }] = await api.rows<{ id: string }>(`SELECT id::text FROM audit_log WHERE request_id = $1`, [requests.governmentReadsH5]);
    const node = `query ($id: ID!) { node(id: $id) { ... on AuditLogEntry { requestId } } }`;
    expect(await api.data('countyRegulator', node, { id: gid('AuditLogEntry', id) })).toEqual({ node: null });
    expect(await api.data('otherRegulator', node, { id: gid('AuditLogEntry', id) })).toEqual({ node: { requestId: requests.governmentReadsH5 } });
  });

  it('shows a nation-wide regulator admin actions and unmatched lookups too', async () => {
    const admin = await api.data('regulator', LOG, { filter: { action: 'PARAMETER_CHANGED' } });
    expect(admin.auditLog.edges.map((edge: { node: object }) => edge.node)).toEqual([
      expect.objectContaining({ actorRole: 'ADMIN', actorKey: 'TESTKEYADMN1', operation: 'setPolicyParameter', household: null, details: expect.objectContaining({ parameterKey: 'test.audit_probe' }) }),
    ]);
    const lookups = await api.data('regulator', LOG, { filter: { action: 'REGISTRATION_LOOKUP' } });
    expect(lookups.auditLog.edges.map((edge: { node: object }) => edge.node)).toEqual([
      expect.objectContaining({ actorRole: 'BANK', household: null, details: { result: 'NOT_REGISTERED' } }),
    ]);
  });

  it('filters by time: from inclusive, to exclusive', async () => {
    const [{ at }] = await api.rows<{ at: string }>(`SELECT to_char("at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at FROM audit_log WHERE request_id = $1`, [
      requests.governmentReadsH5,
    ]);
    const count = async (filter: Record<string, string>) => (await api.data('regulator', LOG, { filter })).auditLog.totalCount;
    const [{ before, fromIt }] = await api.rows<{ before: number; fromIt: number }>(
      `SELECT count(*) FILTER (WHERE "at" < $1::timestamptz)::int AS before, count(*) FILTER (WHERE "at" >= $1::timestamptz)::int AS "fromIt" FROM audit_log`,
      [at],
    );
    expect(await count({ to: at })).toBe(before);
    expect(await count({ from: at })).toBe(fromIt);
    expect(await count({ from: '2000-01-01T00:00:00Z', to: '2000-01-02T00:00:00Z' })).toBe(0);
  });

  it('shows chain positions and hashes once the chainer has linked the entries', async () => {
    const pool = new Pool({ connectionString: db.url(), max: 1 });
    try {
      await chainPending(pool);
    } finally {
      await pool.end();
    }
    const { auditLog } = await api.data('regulator', LOG, { first: 100 });
    const nodes = auditLog.edges.map((edge: { node: { chainSeq: number; hash: string } }) => edge.node);
    const chained = await api.rows<{ seq: number; hash: string }>(`SELECT chain_seq::int AS seq, encode(hash, 'hex') AS hash FROM audit_log WHERE hash IS NOT NULL ORDER BY id DESC`);
    expect(nodes.slice(nodes.length - chained.length).map((node: { chainSeq: number; hash: string }) => ({ seq: node.chainSeq, hash: node.hash }))).toEqual(chained);
    for (const { hash } of chained) expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reading the audit log is not itself audited as a PII read', async () => {
    const before = await api.rows(`SELECT count(*)::int AS n FROM audit_log`);
    await api.data('regulator', LOG, { first: 100 });
    await api.data('countyRegulator', LOG, { first: 100 });
    expect(await api.rows(`SELECT count(*)::int AS n FROM audit_log`)).toEqual(before);
  });

  it('is FORBIDDEN to every role but REGULATOR', async () => {
    for (const who of ['bank', 'insurer', 'guarantor', 'government', 'analyst', 'admin']) {
      const response = await api.gql(who, LOG, {});
      expect([who, response.body.data, onlyError(response)]).toEqual([
        who,
        null,
        { message: `auditLog is not allowed for the ${api.principals[who].role} role`, code: 'FORBIDDEN', extensions: { code: 'FORBIDDEN' } },
      ]);
    }
  });

  it('rejects malformed cursors, page sizes and filters as BAD_USER_INPUT', async () => {
    const cursorFor = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
    for (const after of ['', 'not a cursor!', cursorFor('auditLog:abc'), cursorFor('Loan:1'), cursorFor('auditLog:0'), gid('AuditLogEntry', '1')]) {
      expect([after, onlyError(await api.gql('regulator', LOG, { after }))]).toEqual([
        after,
        { message: 'Malformed cursor', code: 'BAD_USER_INPUT', extensions: { code: 'BAD_USER_INPUT', field: 'after' } },
      ]);
    }
    expect(onlyError(await api.gql('regulator', LOG, { first: 101 }))).toEqual({
      message: 'first must be between 0 and 100',
      code: 'BAD_USER_INPUT',
      extensions: { code: 'BAD_USER_INPUT', limit: 'maxPageSize', max: 100, actual: 101 },
    });
    expect(onlyError(await api.gql('regulator', LOG, { filter: { action: 'pii read' } }))).toEqual({
      message: 'action is an UPPER_SNAKE code such as PII_READ',
      code: 'BAD_USER_INPUT',
      extensions: { code: 'BAD_USER_INPUT', field: 'filter.action' },
    });
    expect(onlyError(await api.gql('regulator', LOG, { filter: { householdRef: 'x' } })).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.householdRef' });
    // A household outside the regulator's scope matches nothing, like an unknown one.
    expect((await api.data('countyRegulator', LOG, { filter: { householdRef: H5 } })).auditLog.totalCount).toBe(0);
  });
});

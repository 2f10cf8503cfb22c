/**
 * Consent over real HTTP: who may record and revoke it, its provenance and audit, and
 * what it changes — an insurer whose group credit policy covers a bank's loan sees the
 * borrower household (with full PII) and the other contracts linked to that loan only
 * while the household's consent to it is live, from the very next request on.
 */
import './reset-orm-metadata';
import { COUNTY, gid, H1, H5, onlyError, startApi, type Api, type World } from './access-world';
import { useTestDatabase } from '../helpers';

const db = useTestDatabase();
let api: Api & World;

beforeAll(async () => {
  api = await startApi(db);
});

const RECORD = /* GraphQL */ `
  mutation Record($input: RecordConsentInput!) {
    recordConsent(input: $input) {
      outcome
      consent { id givenAt revokedAt live evidence household { ref } institution { code } revokedBy { code } provenance { sourceInstitution { code } batchId receivedAt } }
    }
  }
`;
const REVOKE = /* GraphQL */ `
  mutation Revoke($input: RevokeConsentInput!) {
    revokeConsent(input: $input) { outcome consent { id live revokedAt revokedBy { code } institution { code } } }
  }
`;

/** What the insurer is asked about the package, in one request. */
const INSURER_VIEW = /* GraphQL */ `
  query InsurerView($household: String!, $loan: ID!, $guarantee: ID!, $otherPolicy: ID!, $loanOnly: ID!) {
    household(ref: $household) { ref headName headPhone consents { institution { code } live } }
    loan: node(id: $loan) {
      ... on Loan {
        ref
        borrower { __typename ... on Household { ref headName } }
        guarantees { nodes { ref institution { code } } }
        linkedPolicies { nodes { ref institution { code } } }
      }
    }
    guarantee: node(id: $guarantee) { ... on GuaranteeContract { ref } }
    otherPolicy: node(id: $otherPolicy) { ... on InsurancePolicy { ref } }
    loanOnly: node(id: $loanOnly) { ... on Loan { ref } }
  }
`;

function insurerView() {
  return api.data('insurer', INSURER_VIEW, {
    household: H1,
    loan: gid('Loan', api.ids.l1),
    guarantee: gid('GuaranteeContract', api.ids.g1),
    otherPolicy: gid('InsurancePolicy', api.ids.p2),
    loanOnly: gid('Loan', api.ids.l2),
  });
}

/** Contract facts only: the covered loan and the insurer's own policy, nothing of the household. */
const CONTRACT_FACTS_ONLY = {
  household: null,
  loan: { ref: 'RCC-2019-0001', borrower: null, guarantees: { nodes: [] }, linkedPolicies: { nodes: [{ ref: 'PICC-CR-2019-1', institution: { code: 'TEST-PICC-522326' } }] } },
  guarantee: null,
  otherPolicy: null,
  loanOnly: null,
};

/** With the household's consent: the household with full PII and the whole package, still not the loan outside it. */
const WITH_CONSENT = {
  household: { ref: H1, headName: '张三', headPhone: '13812345678', consents: [{ institution: { code: 'TEST-PICC-522326' }, live: true }] },
  loan: {
    ref: 'RCC-2019-0001',
    borrower: { __typename: 'Household', ref: H1, headName: '张三' },
    guarantees: { nodes: [{ ref: 'GZAGC-2019-88', institution: { code: 'TEST-GZAGC' } }] },
    linkedPolicies: {
      nodes: [
        { ref: 'PICC-CR-2019-1', institution: { code: 'TEST-PICC-522326' } },
        { ref: 'CPIC-LS-2019-9', institution: { code: 'TEST-CPIC-522326' } },
      ],
    },
  },
  guarantee: { ref: 'GZAGC-2019-88' },
  otherPolicy: { ref: 'CPIC-LS-2019-9' },
  loanOnly: null,
};

const auditRows = (action: string) =>
  api.rows(
    `SELECT a.action, a.operation, a.actor_role, a.actor_key, i.code AS actor_institution, h.ref AS household, a.fields, a.details
       FROM audit_log a LEFT JOIN institution i ON i.id = a.actor_institution_id LEFT JOIN household h ON h.id = a.household_id
      WHERE a.action = $1 ORDER BY a.id`,
    [action],
  );

describe('consent granted by the county government to an insurer that sees the loan only as contract facts', () => {
  let consentId: string;

  it('before: the insurer sees the covered loan and its own policy, not the household or the other contracts', async () => {
    expect(await insurerView()).toEqual(CONTRACT_FACTS_ONLY);
  });

  it('recordConsent: records a live consent with provenance, audited, and answers it whole', async () => {
    const response = await api.data('government', RECORD, {
      input: { householdRef: H1, institutionCode: 'TEST-PICC-522326', evidence: 'WM-2020-0042', givenAt: '2020-06-01T02:00:00Z' },
    });
    consentId = Buffer.from(response.recordConsent.consent.id, 'base64url').toString().split(':')[1];
    expect(response).toEqual({
      recordConsent: {
        outcome: 'CREATED',
        consent: {
          id: gid('Consent', consentId),
          givenAt: '2020-06-01T02:00:00.000Z',
          revokedAt: null,
          live: true,
          evidence: 'WM-2020-0042',
          household: { ref: H1 },
          institution: { code: 'TEST-PICC-522326' },
          revokedBy: null,
          provenance: { sourceInstitution: { code: 'TEST-GOV-522326' }, batchId: expect.stringMatching(/^consent-[0-9a-f-]{36}$/), receivedAt: expect.any(String) },
        },
      },
    });

    const [row] = await api.rows(
      `SELECT c.county_code, s.code AS source, b.kind, b.item_count, bi.code AS batch_institution, c.received_at IS NOT NULL AS received
         FROM consent c JOIN institution s ON s.id = c.source_institution_id JOIN ingest_batch b ON b.id = c.batch_id JOIN institution bi ON bi.id = b.institution_id
        WHERE c.id = $1`,
      [consentId],
    );
    expect(row).toEqual({ county_code: COUNTY, source: 'TEST-GOV-522326', kind: 'recordConsent', item_count: 1, batch_institution: 'TEST-GOV-522326', received: true });
    expect(await auditRows('CONSENT_RECORDED')).toEqual([
      {
        action: 'CONSENT_RECORDED',
        operation: 'recordConsent',
        actor_role: 'GOVERNMENT',
        actor_key: 'TESTKEYGOVT1',
        actor_institution: 'TEST-GOV-522326',
        household: H1,
        fields: null,
        details: { consentId, institutionCode: 'TEST-PICC-522326' },
      },
    ]);
  });

  it('on the very next request the insurer sees the household with full PII and the package’s other contracts', async () => {
    expect(await insurerView()).toEqual(WITH_CONSENT);
    // The PII it now reads is audited like any other read.
    const reads = (await auditRows('PII_READ')).filter((row) => row.actor_role === 'INSURER');
    expect(reads).toEqual([
      { action: 'PII_READ', operation: 'InsurerView', actor_role: 'INSURER', actor_key: 'TESTKEYINSR1', actor_institution: 'TEST-PICC-522326', household: H1, fields: ['headName', 'headPhone'], details: null },
    ]);
  });

  it('recording the same consent again returns it unchanged, writing nothing', async () => {
    const again = await api.data('government', RECORD, { input: { householdRef: H1, institutionCode: 'TEST-PICC-522326', evidence: 'another form' } });
    expect(again.recordConsent).toMatchObject({ outcome: 'UNCHANGED', consent: { id: gid('Consent', consentId), evidence: 'WM-2020-0042', live: true } });
    expect(await api.rows('SELECT count(*)::int AS n FROM consent WHERE household_id = $1', [api.ids.h1])).toEqual([{ n: 1 }]);
    expect(await auditRows('CONSENT_RECORDED')).toHaveLength(1);
  });

  it('the insurer may not revoke a consent the government collected', async () => {
    const response = await api.gql('insurer', REVOKE, { input: { householdRef: H1, institutionCode: 'TEST-PICC-522326' } });
    expect(onlyError(response)).toEqual({
      message: 'A consent is revoked by the institution that collected it or by the county government',
      code: 'FORBIDDEN',
      extensions: { code: 'FORBIDDEN' },
    });
    expect(response.body.data).toBeNull();
  });

  it('revokeConsent by the government takes effect on the insurer’s very next request, audited', async () => {
    const response = await api.data('government', REVOKE, { input: { householdRef: H1, institutionCode: 'TEST-PICC-522326' } });
    expect(response).toEqual({
      revokeConsent: {
        outcome: 'UPDATED',
        consent: { id: gid('Consent', consentId), live: false, revokedAt: expect.any(String), revokedBy: { code: 'TEST-GOV-522326' }, institution: { code: 'TEST-PICC-522326' } },
      },
    });
    expect(await insurerView()).toEqual(CONTRACT_FACTS_ONLY);
    expect(await auditRows('CONSENT_REVOKED')).toEqual([
      {
        action: 'CONSENT_REVOKED',
        operation: 'revokeConsent',
        actor_role: 'GOVERNMENT',
        actor_key: 'TESTKEYGOVT1',
        actor_institution: 'TEST-GOV-522326',
        household: H1,
        fields: null,
        details: { consentId, institutionCode: 'TEST-PICC-522326' },
      },
    ]);
  });

  it('revoking again returns the revocation unchanged; recording again creates a new live consent', async () => {
    const again = await api.data('government', REVOKE, { input: { householdRef: H1, institutionCode: 'TEST-PICC-522326' } });
    expect(again.revokeConsent).toMatchObject({ outcome: 'UNCHANGED', consent: { id: gid('Consent', consentId), live: false } });
    expect(await auditRows('CONSENT_REVOKED')).toHaveLength(1);

    const renewed = await api.data('government', RECORD, { input: { householdRef: H1, institutionCode: 'TEST-PICC-522326' } });
    expect(renewed.recordConsent.outcome).toBe('CREATED');
    expect(renewed.recordConsent.consent.id).not.toBe(gid('Consent', consentId));
    expect(await insurerView()).toEqual({
      ...WITH_CONSENT,
      household: {
        ...WITH_CONSENT.household,
        consents: [
          { institution: { code: 'TEST-PICC-522326' }, live: false },
          { institution: { code: 'TEST-PICC-522326' }, live: true },
        ],
      },
    });
    await api.data('government', REVOKE, { input: { householdRef: H1, institutionCode: 'TEST-PICC-522326' } });
    expect(await insurerView()).toEqual(CONTRACT_FACTS_ONLY);
  });
});

describe('consent recorded by a partner for itself', () => {
  const GUARANTOR_VIEW = `query ($loan: ID!) { node(id: $loan) { ... on Loan { guarantees { nodes { ref } } linkedPolicies { nodes { ref } } } } }`;
  const guarantorSees = (policies: string[]) => ({ node: { guarantees: { nodes: [{ ref: 'GZAGC-2019-88' }] }, linkedPolicies: { nodes: policies.map((ref) => ({ ref })) } } });

  it('a guarantor records a consent of its own counterparty; it then sees the policies linked to the loan it guarantees', async () => {
    const loan = gid('Loan', api.ids.l1);
    expect(await api.data('guarantor', GUARANTOR_VIEW, { loan })).toEqual(guarantorSees([]));

    const recorded = await api.data('guarantor', RECORD, { input: { householdRef: H1, institutionCode: 'TEST-GZAGC' } });
    expect(recorded.recordConsent).toMatchObject({
      outcome: 'CREATED',
      consent: { live: true, institution: { code: 'TEST-GZAGC' }, provenance: { sourceInstitution: { code: 'TEST-GZAGC' } } },
    });
    expect(await api.data('guarantor', GUARANTOR_VIEW, { loan })).toEqual(guarantorSees(['PICC-CR-2019-1', 'CPIC-LS-2019-9']));

    // The institution that collected it may revoke it.
    const revoked = await api.data('guarantor', REVOKE, { input: { householdRef: H1, institutionCode: 'TEST-GZAGC' } });
    expect(revoked.revokeConsent).toMatchObject({ outcome: 'UPDATED', consent: { live: false, revokedBy: { code: 'TEST-GZAGC' } } });
    expect(await api.data('guarantor', GUARANTOR_VIEW, { loan })).toEqual(guarantorSees([]));
  });

  it('a partner may not record a consent given to another institution', async () => {
    const response = await api.gql('guarantor', RECORD, { input: { householdRef: H1, institutionCode: 'TEST-PICC-522326' } });
    expect(onlyError(response)).toEqual({
      message: 'A GUARANTOR handles consents given to its own institution only',
      code: 'FORBIDDEN',
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it('a household the caller cannot see is NOT_FOUND, exactly like an unknown one', async () => {
    const unknown = await api.gql('otherBank', RECORD, { input: { householdRef: 'H0000000000ZZ', institutionCode: 'TEST-BANK-OTHER' } });
    const invisible = await api.gql('otherBank', RECORD, { input: { householdRef: H1, institutionCode: 'TEST-BANK-OTHER' } });
    expect(onlyError(unknown)).toEqual({ message: 'No household with ref H0000000000ZZ', code: 'NOT_FOUND', extensions: { code: 'NOT_FOUND', field: 'input.householdRef' } });
    expect(onlyError(invisible)).toEqual({ message: `No household with ref ${H1}`, code: 'NOT_FOUND', extensions: { code: 'NOT_FOUND', field: 'input.householdRef' } });
    // A county government outside the household's county does not see it either.
    const outside = await api.gql('otherGovernment', RECORD, { input: { householdRef: H1, institutionCode: 'TEST-PICC-522326' } });
    expect(onlyError(outside).code).toBe('NOT_FOUND');
    const outsideRevoke = await api.gql('government', REVOKE, { input: { householdRef: H5, institutionCode: 'TEST-BANK-OTHER' } });
    expect(onlyError(outsideRevoke).code).toBe('NOT_FOUND');
  });

  it('regulators, analysts and admins may neither record nor revoke: FORBIDDEN before any lookup', async () => {
    for (const who of ['regulator', 'analyst', 'admin']) {
      for (const [mutation, name] of [[RECORD, 'Recording a consent'], [REVOKE, 'Revoking a consent']] as const) {
        const response = await api.gql(who, mutation, { input: { householdRef: 'H0000000000ZZ', institutionCode: 'TEST-PICC-522326' } });
        expect([who, onlyError(response)]).toEqual([
          who,
          { message: `${name} is not allowed for the ${api.principals[who].role} role`, code: 'FORBIDDEN', extensions: { code: 'FORBIDDEN' } },
        ]);
      }
    }
  });

  it('rejects bad input: malformed ref, an institution that is not a partner, an unknown one, a future date, no consent to revoke', async () => {
    const cases: Array<[string, Record<string, unknown>, string, Record<string, unknown>]> = [
      [RECORD, { householdRef: 'nope', institutionCode: 'TEST-PICC-522326' }, 'A household ref is H followed by 12 Crockford base32 characters', { code: 'BAD_USER_INPUT', field: 'input.householdRef' }],
      [RECORD, { householdRef: H1, institutionCode: 'TEST-GOV-522324' }, 'A household consents to share with a bank, insurer or guarantor', { code: 'BAD_USER_INPUT', field: 'input.institutionCode' }],
      [RECORD, { householdRef: H1, institutionCode: 'TEST-NOBODY' }, 'No institution with code TEST-NOBODY', { code: 'NOT_FOUND', field: 'input.institutionCode' }],
      [RECORD, { householdRef: H1, institutionCode: 'TEST-PICC-522326', givenAt: '2999-01-01T00:00:00Z' }, 'givenAt must not be in the future', { code: 'BAD_USER_INPUT', field: 'input.givenAt' }],
      [REVOKE, { householdRef: H1, institutionCode: 'TEST-RCC-522326' }, 'That household has given no consent to that institution', { code: 'NOT_FOUND' }],
    ];
    for (const [mutation, input, message, extensions] of cases) {
      const response = await api.gql('government', mutation, { input });
      expect([input, onlyError(response)]).toEqual([input, { message, code: extensions.code, extensions }]);
    }
  });

  it('concurrent recordings of the same consent leave exactly one live consent', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () => api.data('government', RECORD, { input: { householdRef: H1, institutionCode: 'TEST-RCC-522326' } })),
    );
    const outcomes = results.map((r) => r.recordConsent.outcome).sort();
    expect(outcomes).toEqual(['CREATED', 'UNCHANGED', 'UNCHANGED', 'UNCHANGED', 'UNCHANGED', 'UNCHANGED']);
    expect(new Set(results.map((r) => r.recordConsent.consent.id)).size).toBe(1);
    expect(
      await api.rows('SELECT count(*)::int AS n FROM consent WHERE household_id = $1 AND institution_id = $2 AND revoked_at IS NULL', [api.ids.h1, api.ids.bank]),
    ).toEqual([{ n: 1 }]);
  });
});

describe('Household.consents', () => {
  const CONSENTS = `query ($ref: String!) { household(ref: $ref) { consents { institution { code } live evidence provenance { sourceInstitution { code } } } } }`;

  it('shows every consent to the county government and regulators in scope, and a partner its own only', async () => {
    const all = [
      { institution: { code: 'TEST-PICC-522326' }, live: false, evidence: 'WM-2020-0042', provenance: { sourceInstitution: { code: 'TEST-GOV-522326' } } },
      { institution: { code: 'TEST-PICC-522326' }, live: false, evidence: null, provenance: { sourceInstitution: { code: 'TEST-GOV-522326' } } },
      { institution: { code: 'TEST-GZAGC' }, live: false, evidence: null, provenance: { sourceInstitution: { code: 'TEST-GZAGC' } } },
      { institution: { code: 'TEST-RCC-522326' }, live: true, evidence: null, provenance: { sourceInstitution: { code: 'TEST-GOV-522326' } } },
    ];
    expect(await api.data('government', CONSENTS, { ref: H1 })).toEqual({ household: { consents: all } });
    expect(await api.data('regulator', CONSENTS, { ref: H1 })).toEqual({ household: { consents: all } });
    expect(await api.data('countyRegulator', CONSENTS, { ref: H1 })).toEqual({ household: { consents: all } });
    expect(await api.data('bank', CONSENTS, { ref: H1 })).toEqual({ household: { consents: [all[3]] } });
    expect(await api.data('guarantor', CONSENTS, { ref: H1 })).toEqual({ household: { consents: [all[2]] } });
    // Regulators of another area and the insurer (no live consent any more) do not see the household at all.
    expect(await api.data('otherRegulator', CONSENTS, { ref: H1 })).toEqual({ household: null });
    expect(await api.data('insurer', CONSENTS, { ref: H1 })).toEqual({ household: null });
  });

  it('node(id) of a consent obeys the same scope', async () => {
    const [{ id }] = await api.rows<{ id: string }>('SELECT id::text FROM consent WHERE institution_id = $1', [api.ids.guarantor]);
    const query = `query ($id: ID!) { node(id: $id) { __typename ... on Consent { institution { code } } } }`;
    expect(await api.data('guarantor', query, { id: gid('Consent', id) })).toEqual({ node: { __typename: 'Consent', institution: { code: 'TEST-GZAGC' } } });
    expect(await api.data('bank', query, { id: gid('Consent', id) })).toEqual({ node: null });
    expect(await api.data('otherGovernment', query, { id: gid('Consent', id) })).toEqual({ node: null });
  });
});

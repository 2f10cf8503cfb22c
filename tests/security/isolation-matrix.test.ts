/**
 * The isolation matrix: every access path × every principal, each cell the exact
 * expected answer, derived from the world's visibility table (`SEES` in world.ts, the
 * spec of DESIGN.md §3 applied to the world):
 *
 * - VISIBLE: the whole object as selected;
 * - NULL / absent: exactly like a record that does not exist (root lookups are compared
 *   byte for byte with a lookup of a nonexistent key);
 * - MASKED: `张*`, `138****5678` (regulators without a PII grant);
 * - FACTS_ONLY: a partner sees a loan it covers but not the borrower (`borrower: null`);
 * - CONSENT: the same cells with a live consent of the household to the institution.
 *
 * Rows are `PATHS` below. Adding a path is one entry: a query, what to read from the
 * answer, and the expected value per (subject, principal) — usually one of the helpers
 * (`nodePath`, `nestedList`, `connection` …), which derive it from `SEES`. Rows whose
 * schema coordinates have not landed yet are registered as skipped and run as soon as
 * the committed schema has them. The last test scans every response of the file.
 */
import {
  C1,
  C2,
  CLAIMS,
  ENTERPRISES,
  findLeaks,
  giveConsent,
  gid,
  GUARANTEES,
  HOUSEHOLD_KEYS,
  HOUSEHOLDS,
  INSTITUTIONS,
  LOANS,
  NO_CONSENT,
  POLICIES,
  POSITIONS,
  PRINCIPAL_NAMES,
  RECORD_TYPES,
  recordGid,
  revokeConsent,
  schemaHas,
  sees,
  STATUS_CHANGES,
  useSecurityWorld,
  V1,
  V2,
  visible,
  type ClaimKey,
  type GqlResponse,
  type GuaranteeKey,
  type HouseholdKey,
  type LoanKey,
  type NodeType,
  type PolicyKey,
  type PositionKey,
  type PrincipalName,
  type RecordKey,
  type StatusChangeKey,
  type ViewState,
  type World,
  COMMITTED_SCHEMA,
} from './world';
import { getNamedType, isObjectType } from 'graphql';
import { defineLimitsConfig } from '../../src/services/limits';

const sec = useSecurityWorld({
  // The matrix sends a few thousand requests; query protection has its own suite.
  limits: { limits: defineLimitsConfig({ default: { rateLimitPerMinute: 1_000_000 } }), persistedOnly: false },
});

// ---------------------------------------------------------------------------------------
// The world's relations, from its declarations

const keysOf = <T extends object>(table: T) => Object.keys(table) as Array<keyof T & string>;
const LOAN_KEYS = keysOf(LOANS);
const POSITION_KEYS = keysOf(POSITIONS);
const POLICY_KEYS = keysOf(POLICIES);
const CLAIM_KEYS = keysOf(CLAIMS);
const GUARANTEE_KEYS = keysOf(GUARANTEES);
const STATUS_KEYS = keysOf(STATUS_CHANGES);

const loansOf = (h: HouseholdKey) => LOAN_KEYS.filter((k) => LOANS[k].household === h);
const policiesOf = (h: HouseholdKey) => POLICY_KEYS.filter((k) => POLICIES[k].holder === h || (POLICIES[k].insured as readonly string[]).includes(h));
const guaranteesOf = (h: HouseholdKey) => GUARANTEE_KEYS.filter((k) => GUARANTEES[k].household === h);
const statusHistoryOf = (h: HouseholdKey) => STATUS_KEYS.filter((k) => STATUS_CHANGES[k].household === h);
const guaranteesLinkedTo = (loan: LoanKey) => GUARANTEE_KEYS.filter((k) => GUARANTEES[k].linkedTo === loan);
const policiesLinkedTo = (loan: LoanKey) => POLICY_KEYS.filter((k) => POLICIES[k].linkedTo === loan);
const claimsOf = (policy: PolicyKey) => CLAIM_KEYS.filter((k) => CLAIMS[k].policy === policy);

/** The loan's latest position on or before `asOf` (latest reported version of each month). */
function positionOf(loan: LoanKey, asOf: string | null): PositionKey | null {
  const candidates = POSITION_KEYS.filter((k) => POSITIONS[k].loan === loan && POSITIONS[k].latest && (asOf === null || POSITIONS[k].monthEnd <= asOf));
  candidates.sort((a, b) => POSITIONS[b].monthEnd.localeCompare(POSITIONS[a].monthEnd));
  return candidates[0] ?? null;
}

/** The combined model is derived from the loan's LINKED contracts, whoever asks (DESIGN.md §1). */
function combinedModelOf(loan: LoanKey): string {
  const insured = policiesLinkedTo(loan).length > 0;
  const guaranteed = guaranteesLinkedTo(loan).length > 0;
  return insured && guaranteed ? 'BANK_INSURANCE_GUARANTEE' : insured ? 'LOAN_INSURANCE' : guaranteed ? 'LOAN_GUARANTEE' : 'LOAN_ONLY';
}

// ---------------------------------------------------------------------------------------
// Selections and the whole objects a principal that sees a record gets

const SELECTION: Record<NodeType, string> = {
  Household: 'id ref status headName headPhone county { code } village { code }',
  HouseholdStatusChange: 'id status validFrom',
  Enterprise: 'id creditCode name county { code }',
  Loan: 'id ref product principal borrowerKind institution { code } county { code }',
  LoanPosition: 'id monthEnd balance overduePrincipal overdueDays fiveClass version',
  InsurancePolicy: 'id ref line sumInsured holderKind institution { code }',
  Claim: 'id ref cause paidAmount',
  GuaranteeContract: 'id ref guaranteedAmount institution { code }',
  Compensation: 'id',
  Alert: 'id',
  Finding: 'id',
  ServicePoint: 'id',
};

/** A household's PII as a principal at `level` sees it. */
function pii(h: HouseholdKey, level: string): { headName: string | null; headPhone: string | null } {
  const household = HOUSEHOLDS[h];
  if (level === 'F') return { headName: household.name, headPhone: household.phone };
  if (level === 'M') return { headName: household.masked.name, headPhone: household.masked.phone };
  return { headName: null, headPhone: null };
}

/** What `principal` gets for `SELECTION[type]` of a record: the whole object, or null. */
function view(world: World, key: RecordKey, principal: PrincipalName, state: ViewState): Record<string, unknown> | null {
  const level = sees(key, principal, state);
  if (level === '-') return null;
  const id = recordGid(world, key);
  switch (RECORD_TYPES[key]) {
    case 'Household': {
      const h = HOUSEHOLDS[key as HouseholdKey];
      return { id, ref: h.ref, status: h.status, ...pii(key as HouseholdKey, level), county: { code: h.county }, village: { code: h.village } };
    }
    case 'HouseholdStatusChange': {
      const s = STATUS_CHANGES[key as StatusChangeKey];
      return { id, status: s.status, validFrom: s.validFrom };
    }
    case 'Enterprise': {
      const e = ENTERPRISES[key as keyof typeof ENTERPRISES];
      return { id, creditCode: e.creditCode, name: e.name, county: { code: e.county } };
    }
    case 'Loan': {
      const l = LOANS[key as LoanKey];
      return {
        id,
        ref: l.ref,
        product: l.product,
        principal: l.principal,
        borrowerKind: l.household === null ? 'ENTERPRISE' : 'HOUSEHOLD',
        institution: { code: l.bank },
        county: { code: l.county },
      };
    }
    case 'LoanPosition': {
      const p = POSITIONS[key as PositionKey];
      return { id, monthEnd: p.monthEnd, balance: p.balance, overduePrincipal: p.overduePrincipal, overdueDays: p.overdueDays, fiveClass: p.fiveClass, version: p.version };
    }
    case 'InsurancePolicy': {
      const p = POLICIES[key as PolicyKey];
      return { id, ref: p.ref, line: p.line, sumInsured: p.sumInsured, holderKind: p.holderKind, institution: { code: p.insurer } };
    }
    case 'Claim': {
      const c = CLAIMS[key as ClaimKey];
      return { id, ref: c.ref, cause: c.cause, paidAmount: c.paidAmount };
    }
    case 'GuaranteeContract': {
      const g = GUARANTEES[key as GuaranteeKey];
      return { id, ref: g.ref, guaranteedAmount: g.amount, institution: { code: g.guarantor } };
    }
    default:
      return { id };
  }
}

const PARTY_SELECTION = '__typename ... on Household { ref headName headPhone } ... on Enterprise { creditCode }';

/** A borrower or holder as the `Party` union shows it: null when the principal may not see it (FACTS_ONLY). */
function partyView(party: { household: HouseholdKey | null; enterprise?: string | null }, principal: PrincipalName, state: ViewState): unknown {
  if (party.household !== null) {
    const level = sees(party.household, principal, state);
    return level === '-' ? null : { __typename: 'Household', ref: HOUSEHOLDS[party.household].ref, ...pii(party.household, level) };
  }
  if (party.enterprise) {
    return visible(party.enterprise as RecordKey, principal, state)
      ? { __typename: 'Enterprise', creditCode: ENTERPRISES[party.enterprise as keyof typeof ENTERPRISES].creditCode }
      : null;
  }
  return null;
}

/** Sorted global ids of the records the principal sees. */
const visibleIds = (world: World, keys: readonly RecordKey[], principal: PrincipalName, state: ViewState) =>
  keys
    .filter((key) => visible(key, principal, state))
    .map((key) => recordGid(world, key))
    .sort();

/**
 * A list field as the committed schema has it: a plain list, or a Relay connection
 * (`edges { node }`) once the other team converts it. `read` gives the items either way.
 */
function listField(type: string, field: string, selection: string, args = ''): { text: string; read: (value: unknown) => Array<Record<string, unknown>> } {
  const owner = COMMITTED_SCHEMA.getType(type);
  const definition = owner && isObjectType(owner) ? owner.getFields()[field] : undefined;
  const connection = definition !== undefined && getNamedType(definition.type).name.endsWith('Connection');
  const call = args === '' ? field : `${field}(${args})`;
  if (connection) {
    return {
      text: `${call} { edges { node { ${selection} } } }`,
      read: (value) => ((value as { edges: Array<{ node: Record<string, unknown> }> }).edges ?? []).map((edge) => edge.node),
    };
  }
  return { text: `${call} { ${selection} }`, read: (value) => value as Array<Record<string, unknown>> };
}

// ---------------------------------------------------------------------------------------
// Paths

interface MatrixPath {
  name: string;
  /** Schema coordinates (`Type` or `Type.field`) the path needs; skipped until they exist. */
  requires?: string[];
  subjects: readonly string[];
  query: (subject: string) => string;
  variables: (world: World, subject: string) => Record<string, unknown>;
  /** The part of `data` the cell is about. */
  observe: (data: Record<string, any>) => unknown;
  expect: (world: World, subject: string, principal: PrincipalName, state: ViewState) => unknown;
  /**
   * Root lookups: variables naming no record of the subject's kind. Where a principal
   * may not see the subject, its whole response must equal this one's.
   */
  nonexistent?: (subject: string) => Record<string, unknown>;
}

const NONEXISTENT_KEY: Partial<Record<NodeType, string>> = {
  Household: 'HSECHZZZZZZZZ',
  Enterprise: '91522326MA6DC0XY9Y',
};

/** `node(id)` for every record of a type: the whole object, or null as for an unknown id. */
function nodePath(type: NodeType): MatrixPath {
  const subjects = (Object.keys(RECORD_TYPES) as RecordKey[]).filter((key) => RECORD_TYPES[key] === type);
  return {
    name: `node(id) → ${type}`,
    requires: [type],
    subjects,
    query: () => `query Node($id: ID!) { node(id: $id) { __typename ... on ${type} { ${SELECTION[type]} } } }`,
    variables: (world, subject) => ({ id: recordGid(world, subject as RecordKey) }),
    observe: (data) => data.node,
    expect: (world, subject, principal, state) => {
      const object = view(world, subject as RecordKey, principal, state);
      return object === null ? null : { __typename: type, ...object };
    },
    nonexistent: () => ({ id: gid(type, NONEXISTENT_KEY[type] ?? '999999999') }),
  };
}

/** A field of a record reached through `node(id)`: null where the parent is invisible. */
function nestedPath(
  type: NodeType,
  field: string,
  subjects: readonly RecordKey[],
  selection: string,
  expectValue: (world: World, subject: RecordKey, principal: PrincipalName, state: ViewState) => unknown,
  extra: { requires?: string[]; label?: string } = {},
): MatrixPath {
  return {
    name: `${type}.${extra.label ?? field}`,
    requires: [`${type}.${field.split('(')[0]}`, ...(extra.requires ?? [])],
    subjects,
    query: () => `query Nested($id: ID!) { node(id: $id) { ... on ${type} { ${selection} } } }`,
    variables: (world, subject) => ({ id: recordGid(world, subject as RecordKey) }),
    observe: (data) => (data.node === null ? null : data.node),
    expect: (world, subject, principal, state) => (visible(subject as RecordKey, principal, state) ? expectValue(world, subject as RecordKey, principal, state) : null),
  };
}

/** A nested list of a record: the global ids the principal sees, sorted. */
function nestedList(type: NodeType, field: string, subjects: readonly RecordKey[], children: (subject: RecordKey) => readonly RecordKey[]): MatrixPath {
  const list = listField(type, field, 'id');
  const path = nestedPath(type, field, subjects, list.text, (world, subject, principal, state) => ({ ids: visibleIds(world, children(subject), principal, state) }));
  return {
    ...path,
    observe: (data) => (data.node === null ? null : { ids: list.read(data.node[field]).map((item) => item.id as string).sort() }),
  };
}

/**
 * A root connection (`households`, `loans` …): the ids of the records of `type` the
 * principal sees and a `totalCount` that counts exactly those. A filtered connection is
 * one more line: `connection('loans', 'Loan', 'filter: { … }', (key) => <matches>)`.
 */
function connection(field: string, type: NodeType, args = '', matches: (key: RecordKey) => boolean = () => true): MatrixPath {
  const keys = (Object.keys(RECORD_TYPES) as RecordKey[]).filter((key) => RECORD_TYPES[key] === type && matches(key));
  const call = `${field}(first: 100${args === '' ? '' : `, ${args}`})`;
  return {
    name: `${call} { totalCount edges { node } }`,
    requires: [`Query.${field}`],
    subjects: ['*'],
    query: () => `{ ${call} { totalCount edges { cursor node { id } } } }`,
    variables: () => ({}),
    observe: (data) => ({
      ids: (data[field].edges as Array<{ node: { id: string } }>).map((edge) => edge.node.id).sort(),
      totalCount: data[field].totalCount,
    }),
    expect: (world, _subject, principal, state) => {
      const ids = visibleIds(world, keys, principal, state);
      return { ids, totalCount: ids.length };
    },
  };
}

const HOUSEHOLD_SUBJECTS: readonly RecordKey[] = HOUSEHOLD_KEYS;
const INSTITUTION_CODES = Object.keys(INSTITUTIONS) as Array<keyof typeof INSTITUTIONS>;
const COUNTY_NAMES: Record<string, string> = { [C1]: '望谟县', [C2]: '昭觉县' };
const VILLAGES: Record<string, { name: string; level: string }> = {
  [V1]: { name: '乐元村村民委员会', level: 'VILLAGE' },
  [V2]: { name: '俄尔古取村村民委员会', level: 'VILLAGE' },
};
const everyone = <T>(value: T) => () => value;

const PATHS: MatrixPath[] = [
  // Root lookups of households, and of reference data every principal sees.
  {
    name: 'household(ref)',
    subjects: HOUSEHOLD_SUBJECTS,
    query: () => `query Household($ref: String!) { household(ref: $ref) { ${SELECTION.Household} } }`,
    variables: (_world, subject) => ({ ref: HOUSEHOLDS[subject as HouseholdKey].ref }),
    observe: (data) => data.household,
    expect: (world, subject, principal, state) => view(world, subject as RecordKey, principal, state),
    nonexistent: () => ({ ref: NONEXISTENT_KEY.Household }),
  },
  {
    name: 'institution(code)',
    subjects: INSTITUTION_CODES,
    query: () => 'query Institution($code: String!) { institution(code: $code) { id code name kind homeArea { code } } }',
    variables: (_world, code) => ({ code }),
    observe: (data) => data.institution,
    expect: (_world, code) => {
      const institution = INSTITUTIONS[code as keyof typeof INSTITUTIONS];
      return { id: gid('Institution', code), code, name: institution.name, kind: institution.kind, homeArea: { code: institution.home } };
    },
  },
  {
    name: 'county(code)',
    subjects: [C1, C2],
    query: () => 'query County($code: String!) { county(code: $code) { id code name } }',
    variables: (_world, code) => ({ code }),
    observe: (data) => data.county,
    expect: (_world, code) => ({ id: gid('County', code), code, name: COUNTY_NAMES[code] }),
  },
  {
    name: 'area(code)',
    subjects: [V1, V2],
    query: () => 'query Area($code: String!) { area(code: $code) { id code name level } }',
    variables: (_world, code) => ({ code }),
    observe: (data) => data.area,
    expect: (_world, code) => ({ id: gid('Area', code), code, ...VILLAGES[code] }),
  },
  {
    name: 'node(id) → Institution, County, Area',
    subjects: ['Institution:SEC-BANK-B', `County:${C2}`, `Area:${V2}`],
    query: () => 'query Node($id: ID!) { node(id: $id) { __typename id } }',
    variables: (_world, subject) => ({ id: gid(subject.split(':')[0], subject.split(':')[1]) }),
    observe: (data) => data.node,
    expect: (_world, subject) => ({ __typename: subject.split(':')[0], id: gid(subject.split(':')[0], subject.split(':')[1]) }),
  },

  // node(id) for every record of every type.
  ...(['Household', 'HouseholdStatusChange', 'Enterprise', 'Loan', 'LoanPosition', 'InsurancePolicy', 'Claim', 'GuaranteeContract', 'Compensation', 'Alert', 'Finding', 'ServicePoint'] as NodeType[]).map(nodePath),

  // A household's nested lists (reached through household(ref) as the API's users do).
  ...(['loans', 'policies', 'guarantees', 'statusHistory'] as const).map((field): MatrixPath => {
    const children = { loans: loansOf, policies: policiesOf, guarantees: guaranteesOf, statusHistory: statusHistoryOf }[field];
    const list = listField('Household', field, 'id');
    return {
      name: `household(ref).${field}`,
      requires: [`Household.${field}`],
      subjects: HOUSEHOLD_SUBJECTS,
      query: () => `query HouseholdList($ref: String!) { household(ref: $ref) { ${list.text} } }`,
      variables: (_world, subject) => ({ ref: HOUSEHOLDS[subject as HouseholdKey].ref }),
      observe: (data) => (data.household === null ? null : { ids: list.read(data.household[field]).map((item) => item.id as string).sort() }),
      expect: (world, subject, principal, state) =>
        visible(subject as RecordKey, principal, state) ? { ids: visibleIds(world, children(subject as HouseholdKey), principal, state) } : null,
    };
  }),

  // A loan's nested fields: positions are the loan's (contract facts), linked contracts
  // only the caller's own or those linked to its loans, the borrower only where visible.
  nestedPath('Loan', 'position', LOAN_KEYS, `position { ${SELECTION.LoanPosition} }`, (world, loan, principal, state) => {
    const position = positionOf(loan as LoanKey, null);
    return { position: position === null ? null : view(world, position, principal, state) };
  }),
  nestedPath(
    'Loan',
    'position(asOf)',
    LOAN_KEYS,
    `position(asOf: "2020-07-15") { ${SELECTION.LoanPosition} }`,
    (world, loan, principal, state) => {
      const position = positionOf(loan as LoanKey, '2020-07-15');
      return { position: position === null ? null : view(world, position, principal, state) };
    },
    { label: 'position(asOf: "2020-07-15")' },
  ),
  nestedList('Loan', 'guarantees', LOAN_KEYS, (loan) => guaranteesLinkedTo(loan as LoanKey)),
  nestedList('Loan', 'linkedPolicies', LOAN_KEYS, (loan) => policiesLinkedTo(loan as LoanKey)),
  nestedPath('Loan', 'borrower', LOAN_KEYS, `borrower { ${PARTY_SELECTION} }`, (_world, loan, principal, state) => ({
    borrower: partyView({ household: LOANS[loan as LoanKey].household, enterprise: LOANS[loan as LoanKey].enterprise }, principal, state),
  })),
  nestedPath('Loan', 'combinedModel', LOAN_KEYS, 'combinedModel', (_world, loan) => ({ combinedModel: combinedModelOf(loan as LoanKey) })),
  nestedPath('LoanPosition', 'loan', POSITION_KEYS, `loan { ${SELECTION.Loan} }`, (world, position, principal, state) => ({
    loan: view(world, POSITIONS[position as PositionKey].loan, principal, state),
  })),

  // Detail lists that follow their parent: a compensation's recoveries, a service point's activity.
  nestedPath('Compensation', 'recoveries', ['CP1'], 'recoveries { ref amount recoveredOn }', () => ({
    recoveries: [{ ref: 'SECG1-REC-2021-1', amount: '2500.00', recoveredOn: '2021-03-15' }],
  })),
  nestedPath('ServicePoint', 'monthlyActivity', ['spA'], 'monthlyActivity { month transactions }', () => ({
    monthlyActivity: [{ month: '2020-06-30', transactions: 42 }],
  })),

  // Policies, claims, guarantees, status changes.
  nestedList('InsurancePolicy', 'claims', POLICY_KEYS, (policy) => claimsOf(policy as PolicyKey)),
  nestedPath('InsurancePolicy', 'holder', POLICY_KEYS, `holder { ${PARTY_SELECTION} }`, (_world, policy, principal, state) => ({
    holder: partyView({ household: POLICIES[policy as PolicyKey].holder }, principal, state),
  })),
  nestedPath('Claim', 'policy', CLAIM_KEYS, `policy { ${SELECTION.InsurancePolicy} }`, (world, claim, principal, state) => ({
    policy: view(world, CLAIMS[claim as ClaimKey].policy, principal, state),
  })),
  nestedPath('Claim', 'household', CLAIM_KEYS, `household { ${SELECTION.Household} }`, (world, claim, principal, state) => {
    const household = CLAIMS[claim as ClaimKey].household;
    return { household: household === null ? null : view(world, household, principal, state) };
  }),
  nestedPath('GuaranteeContract', 'borrower', GUARANTEE_KEYS, `borrower { ${PARTY_SELECTION} }`, (_world, guarantee, principal, state) => ({
    borrower: partyView({ household: GUARANTEES[guarantee as GuaranteeKey].household }, principal, state),
  })),
  nestedPath('HouseholdStatusChange', 'household', STATUS_KEYS, `household { ${SELECTION.Household} }`, (world, change, principal, state) => ({
    household: view(world, STATUS_CHANGES[change as StatusChangeKey].household, principal, state),
  })),

  // A county's households: reference parent, scoped children, PII by level.
  (() => {
    const list = listField('County', 'households', 'ref headName headPhone', 'first: 100');
    return {
      name: 'county(code).households',
      requires: ['County.households'],
      subjects: [C1, C2],
      query: () => `query CountyHouseholds($code: String!) { county(code: $code) { ${list.text} } }`,
      variables: (_world: World, code: string) => ({ code }),
      observe: (data: Record<string, any>) => list.read(data.county.households),
      expect: (_world: World, code: string, principal: PrincipalName, state: ViewState) =>
        HOUSEHOLD_KEYS.filter((h) => HOUSEHOLDS[h].county === code && visible(h, principal, state))
          .sort((a, b) => HOUSEHOLDS[a].ref.localeCompare(HOUSEHOLDS[b].ref))
          .map((h) => ({ ref: HOUSEHOLDS[h].ref, ...pii(h, sees(h, principal, state)) })),
    } satisfies MatrixPath;
  })(),

  // Root connections (Relay): ids and totalCount obey the same rows as everything else.
  connection('households', 'Household'),
  connection('loans', 'Loan'),
  connection('insurancePolicies', 'InsurancePolicy'),
  connection('guaranteeContracts', 'GuaranteeContract'),
  connection('enterprises', 'Enterprise'),
  connection('alerts', 'Alert'),
  connection('findings', 'Finding'),
  // Rectification progress counts exactly the findings the principal sees (the world has one, fnB of bank B).
  {
    name: 'rectificationProgress(groupBy: INSTITUTION)',
    requires: ['Query.rectificationProgress'],
    subjects: ['*'],
    query: () => '{ rectificationProgress(groupBy: INSTITUTION) { rows { institutionCode findings } } }',
    variables: () => ({}),
    observe: (data) => data.rectificationProgress.rows,
    expect: (_world, _subject, principal, state) => (visible('fnB', principal, state) ? [{ institutionCode: 'SEC-BANK-B', findings: 1 }] : []),
  },
  {
    name: 'institutions(first: 100) { totalCount edges { node } }',
    requires: ['Query.institutions'],
    subjects: ['*'],
    query: () => '{ institutions(first: 100) { totalCount edges { node { code } } } }',
    variables: () => ({}),
    observe: (data) => ({ codes: (data.institutions.edges as Array<{ node: { code: string } }>).map((edge) => edge.node.code).sort(), totalCount: data.institutions.totalCount }),
    expect: everyone({ codes: [...INSTITUTION_CODES].sort(), totalCount: INSTITUTION_CODES.length }),
  },
];

// ---------------------------------------------------------------------------------------
// Running the matrix

/** What one principal observed: the extracted value, or the response itself when it was not a clean 200. */
function observed(path: MatrixPath, response: GqlResponse): unknown {
  if (response.status !== 200 || response.body.errors !== undefined || response.body.data === undefined || response.body.data === null) {
    return { unexpectedResponse: response.status, body: response.body };
  }
  return path.observe(response.body.data);
}

const unavailable = (path: MatrixPath) => (path.requires ?? []).filter((coordinate) => !schemaHas(coordinate));

async function runCell(path: MatrixPath, subject: string, state: ViewState): Promise<void> {
  const world = sec.world;
  const responses = await Promise.all(PRINCIPAL_NAMES.map((principal) => sec.gql(principal, path.query(subject), path.variables(world, subject))));
  const actual = Object.fromEntries(PRINCIPAL_NAMES.map((principal, i) => [principal, observed(path, responses[i])]));
  const expected = Object.fromEntries(PRINCIPAL_NAMES.map((principal) => [principal, path.expect(world, subject, principal, state)]));
  expect(actual).toEqual(expected);

  if (path.nonexistent !== undefined) {
    // Where the principal may not see the subject, the answer is byte for byte the answer
    // for a key that names nothing: same status, same body, no error.
    const hidden = PRINCIPAL_NAMES.filter((principal) => expected[principal] === null);
    const missing = await Promise.all(hidden.map((principal) => sec.gql(principal, path.query(subject), path.nonexistent!(subject))));
    const shape = (response: GqlResponse) => ({ status: response.status, contentType: response.headers.get('content-type'), text: response.text });
    expect(Object.fromEntries(hidden.map((principal) => [principal, shape(responses[PRINCIPAL_NAMES.indexOf(principal)])]))).toEqual(
      Object.fromEntries(hidden.map((principal, i) => [principal, shape(missing[i])])),
    );
  }
}

function registerMatrix(state: ViewState): void {
  for (const path of PATHS) {
    const missing = unavailable(path);
    describe(path.name, () => {
      for (const subject of path.subjects) {
        const title = `${subject} × ${PRINCIPAL_NAMES.length} principals`;
        if (missing.length > 0) {
          test.skip(`${title} (waits for ${missing.join(', ')})`, () => undefined);
        } else {
          test(title, () => runCell(path, subject, state));
        }
      }
    });
  }
}

describe('without consent', () => {
  registerMatrix(NO_CONSENT);
});

describe('with a live consent of hA to insurer 1', () => {
  beforeAll(() => giveConsent(sec.pool, sec.world, 'hA', 'SEC-INS-1'));
  afterAll(() => revokeConsent(sec.pool, sec.world, 'hA', 'SEC-INS-1'));
  registerMatrix({ consent: true });
});

describe('consent', () => {
  const HOUSEHOLD = `query Household($ref: String!) { household(ref: $ref) { ${SELECTION.Household} } }`;
  const guarantees = listField('Loan', 'guarantees', 'id');
  const policies = listField('Loan', 'linkedPolicies', 'id');
  const PACKAGE = `query Package($id: ID!) { node(id: $id) { ... on Loan { borrower { ${PARTY_SELECTION} } ${guarantees.text} ${policies.text} } } }`;

  /** What `who` reads of hA and of LA's package. */
  const read = async (who: PrincipalName) => {
    const household = await sec.gql(who, HOUSEHOLD, { ref: HOUSEHOLDS.hA.ref });
    const loan = await sec.gql(who, PACKAGE, { id: recordGid(sec.world, 'LA') });
    expect([household.body.errors, loan.body.errors]).toEqual([undefined, undefined]);
    const node = loan.body.data?.node;
    return {
      household: household.body.data?.household,
      package:
        node === null
          ? null
          : { borrower: node.borrower, guarantees: guarantees.read(node.guarantees).map((g) => ({ id: g.id })), linkedPolicies: policies.read(node.linkedPolicies).map((p) => ({ id: p.id })) },
    };
  };
  const expected = (who: PrincipalName, state: ViewState) => ({
    household: view(sec.world, 'hA', who, state),
    package: visible('LA', who, state)
      ? {
          borrower: partyView({ household: 'hA' }, who, state),
          guarantees: visibleIds(sec.world, guaranteesLinkedTo('LA'), who, state).map((id) => ({ id })),
          linkedPolicies: visibleIds(sec.world, policiesLinkedTo('LA'), who, state).map((id) => ({ id })),
        }
      : null,
  });

  test('a live consent opens the household and its package to the partner; revocation closes them on the next request', async () => {
    expect(await read('insurer1')).toEqual(expected('insurer1', NO_CONSENT));
    expect((await read('insurer1')).household).toBeNull();
    await giveConsent(sec.pool, sec.world, 'hA', 'SEC-INS-1');
    expect(await read('insurer1')).toEqual(expected('insurer1', { consent: true }));
    expect((await read('insurer1')).household).toMatchObject({ headName: '张三', headPhone: '13812345678' });
    await revokeConsent(sec.pool, sec.world, 'hA', 'SEC-INS-1');
    expect(await read('insurer1')).toEqual(expected('insurer1', NO_CONSENT));
  });

  test.each([
    ['insurer2', 'SEC-INS-2', 'an insurer outside the package'],
    ['bankB', 'SEC-BANK-B', 'a bank outside the package'],
    ['guarantor2', 'SEC-GUA-2', 'a guarantor outside the package'],
  ] as const)('a consent to %s (%s, %s) shows it nothing', async (who, institution, _why) => {
    const before = await read(who);
    await giveConsent(sec.pool, sec.world, 'hA', institution);
    try {
      expect(await read(who)).toEqual(before);
      expect(before).toEqual({ household: null, package: null });
    } finally {
      await revokeConsent(sec.pool, sec.world, 'hA', institution);
    }
  });

  test('a consent does not resolve a pending link: bank A still sees neither G2 nor its household', async () => {
    await giveConsent(sec.pool, sec.world, 'hG', 'SEC-BANK-A');
    try {
      const g2 = await sec.gql('bankA', `query Node($id: ID!) { node(id: $id) { __typename } }`, { id: recordGid(sec.world, 'G2') });
      const hG = await sec.gql('bankA', HOUSEHOLD, { ref: HOUSEHOLDS.hG.ref });
      expect([g2.body, hG.body]).toEqual([{ data: { node: null } }, { data: { household: null } }]);
    } finally {
      await revokeConsent(sec.pool, sec.world, 'hG', 'SEC-BANK-A');
    }
  });
});

/**
 * Node types the world has no record of yet. Each is a row of world.ts (`SEES`, a seed
 * row, its `RECORD_TYPES` entry) away from the matrix; a Node type that lands without
 * being added here or to the world fails the test below, so none slips through unseen.
 */
const NOT_YET_IN_THE_WORLD = [
  'AuditLogEntry',
  'Consent',
  'DisasterArea',
  'DisasterEvent',
  'DockingEvent',
  'DockingProject',
  'LoanModification',
  'LoanVersion',
  'PolicyInsuredHousehold',
  'PolicyParameter',
  'RectificationStep',
  'RelendingFacility',
  'Repayment',
  'RiskCompensationFund',
];

test('the matrix covers every record and principal, and every Node type of the schema or says which not', () => {
  const covered = new Set(PATHS.filter((path) => unavailable(path).length === 0).flatMap((path) => path.subjects));
  const recordsWithType = (Object.keys(RECORD_TYPES) as RecordKey[]).filter((key) => schemaHas(RECORD_TYPES[key]));
  expect(recordsWithType.filter((key) => !covered.has(key))).toEqual([]);
  const node = COMMITTED_SCHEMA.getType('Node');
  const nodeTypes = node === undefined || node === null ? [] : COMMITTED_SCHEMA.getPossibleTypes(node as never).map((type) => type.name);
  const tested = new Set<string>([...Object.values(RECORD_TYPES), 'Institution', 'County', 'Area', 'AreaDesignation']);
  expect(nodeTypes.filter((type) => !tested.has(type)).sort()).toEqual(NOT_YET_IN_THE_WORLD.filter((type) => nodeTypes.includes(type)).sort());
  expect(PRINCIPAL_NAMES).toHaveLength(13);
});

/**
 * Reporting completeness names an institution, so it is checked per (principal, bank): a
 * bank reads its own only — a competitor's is FORBIDDEN, never an empty answer; a
 * regulator any bank's, over the loans in its area (regPref: 5223, so not LX in C2).
 * June 2020 of bank A: LA reported (twice: pA6v1 corrected by pA6), LE missing.
 */
test('reportingCompleteness: a bank reads its own, never a competitor’s; regulators within their area', async () => {
  const QUERY = `query C($code: String!, $month: Date!) { reportingCompleteness(institutionCode: $code, month: $month) { expected arrived missing corrected } }`;
  const cells = [
    { code: 'SEC-BANK-A', month: '2020-06-30', counts: { expected: 2, arrived: 1, missing: 1, corrected: 1 } },
    { code: 'SEC-BANK-B', month: '2020-12-31', counts: { expected: 2, arrived: 2, missing: 0, corrected: 0 } },
  ] as const;
  const expected = (principal: PrincipalName, cell: (typeof cells)[number]): unknown => {
    if (principal === 'regNation' || principal === 'regNationPii') return cell.counts;
    if (principal === 'regPref') return cell.code === 'SEC-BANK-A' ? cell.counts : { expected: 1, arrived: 1, missing: 0, corrected: 0 };
    if ((principal === 'bankA' && cell.code === 'SEC-BANK-A') || (principal === 'bankB' && cell.code === 'SEC-BANK-B')) return cell.counts;
    return 'FORBIDDEN';
  };
  for (const cell of cells) {
    const answers = await Promise.all(PRINCIPAL_NAMES.map((principal) => sec.gql(principal, QUERY, { code: cell.code, month: cell.month })));
    const actual = answers.map((answer) => answer.body.data?.reportingCompleteness ?? answer.body.errors?.[0]?.extensions?.code);
    expect(Object.fromEntries(PRINCIPAL_NAMES.map((principal, i) => [principal, actual[i]]))).toEqual(
      Object.fromEntries(PRINCIPAL_NAMES.map((principal) => [principal, expected(principal, cell)])),
    );
  }
});

test('node(id) → AreaDesignation is reference data every principal sees', async () => {
  const [{ id }] = (await sec.pool.query<{ id: string }>(`SELECT id::text AS id FROM area_designation WHERE area_code = $1 ORDER BY id LIMIT 1`, [C1])).rows;
  const answers = await Promise.all(PRINCIPAL_NAMES.map((principal) => sec.gql(principal, 'query Node($id: ID!) { node(id: $id) { __typename id } }', { id: gid('AreaDesignation', id) })));
  expect(answers.map((answer) => answer.body)).toEqual(PRINCIPAL_NAMES.map(() => ({ data: { node: { __typename: 'AreaDesignation', id: gid('AreaDesignation', id) } } })));
});

test('no response of this file holds a national ID number, a match hash, internals or a name of a record its principal may not see', () => {
  expect(sec.log.length).toBeGreaterThan(1000);
  expect(findLeaks(sec.world, sec.log)).toEqual([]);
});

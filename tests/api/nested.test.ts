/**
 * Nested data over real HTTP: every relation of the query surface reachable as a
 * connection or a capped list, per-parent pages and counts, as-of answers, provenance on
 * reported records, `node(id)` for every new type, and the same scoping as at the root.
 */
import './reset-orm-metadata';
import type { GraphQLEnumType, GraphQLInputObjectType } from 'graphql';
import {
  ALERTS,
  CLAIMS,
  COMPENSATIONS,
  COUNTIES,
  DISASTER_EVENTS,
  DOCKING_EVENTS,
  DOCKING_PROJECTS,
  ENTERPRISES,
  FINDINGS,
  GUARANTEES,
  HOUSEHOLDS,
  INSTITUTIONS,
  LOANS,
  MODIFICATIONS,
  POLICIES,
  POSITIONS,
  REPAYMENTS,
  SERVICE_POINTS,
  type EntityList,
} from '../../src/loaders';
import { buildTripodSchema } from '../../src/server';
import { useTestDatabase } from '../helpers';
import { A, B, E1, gid, HA1, HA2, HA3, HA4, startSurface, TOWNSHIP_A, VA1, type SurfaceServer } from './surface-world';

const db = useTestDatabase();
let s: SurfaceServer;
let ids: Record<string, string>;

beforeAll(async () => {
  s = await startSurface(db);
  ids = s.world.ids;
});

describe('county', () => {
  it('lists its households, loans, policies, guarantees, enterprises, service points, docking events, disasters, findings and alerts', async () => {
    const result = await s.data(
      'regulator',
      `{ county(code: "${A}") {
        households(first: 3) { totalCount pageInfo { hasNextPage } nodes { ref } }
        loans(filter: { product_in: [POVERTY_MICROCREDIT] }) { totalCount nodes { ref } }
        policies { totalCount nodes { ref } }
        guarantees(orderBy: [{ field: GUARANTEED_AMOUNT, direction: DESC }]) { totalCount nodes { ref } }
        enterprises { totalCount nodes { creditCode } }
        servicePoints(filter: { open: true }, asOf: "2020-12-31") { totalCount nodes { ref kind name openedOn closedOn village { code } institution { code } } }
        dockingEvents { nodes { ref name heldOn organizer { code } } }
        disasterEvents { nodes { ref kind name startsOn endsOn } }
        findings { nodes { ref } }
        alerts { nodes { subjectType } }
      } }`,
    );
    expect(result).toEqual({
      county: {
        households: { totalCount: 4, pageInfo: { hasNextPage: true }, nodes: [{ ref: HA1 }, { ref: HA2 }, { ref: HA3 }] },
        loans: { totalCount: 2, nodes: [{ ref: 'A-001' }, { ref: 'A-003' }] },
        policies: { totalCount: 3, nodes: [{ ref: 'INS-001' }, { ref: 'INS-003' }, { ref: 'INS-002' }] },
        guarantees: { totalCount: 3, nodes: [{ ref: 'GUA-003' }, { ref: 'GUA-001' }, { ref: 'GUA-002' }] },
        enterprises: { totalCount: 1, nodes: [{ creditCode: E1 }] },
        servicePoints: {
          totalCount: 1,
          nodes: [{ ref: 'SP-001', kind: 'AGENT', name: '乐元村助农取款点', openedOn: '2018-05-01', closedOn: null, village: { code: VA1 }, institution: { code: 'TQ-BANK-A' } }],
        },
        dockingEvents: { nodes: [{ ref: 'DOCK-2019-1', name: '望谟县政银企对接会', heldOn: '2019-05-20', organizer: { code: 'TQ-GOV-A' } }] },
        disasterEvents: { nodes: [{ ref: 'DIS-2020-1', kind: 'FLOOD', name: '2020年6月黔西南洪涝', startsOn: '2020-06-01', endsOn: '2020-07-31' }] },
        findings: { nodes: [{ ref: 'FD-002' }, { ref: 'FD-001' }] },
        alerts: { nodes: [{ subjectType: 'COUNTY' }, { subjectType: 'LOAN' }] },
      },
    });
    // County B: a disaster over the prefecture reaches it too; its own rows only.
    expect(await s.data('regulator', `{ county(code: "${B}") { disasterEvents { nodes { ref } } loans { nodes { ref } } servicePoints { nodes { ref } } } }`)).toEqual({
      county: { disasterEvents: { nodes: [{ ref: 'DIS-2020-1' }] }, loans: { nodes: [{ ref: 'B-001' }] }, servicePoints: { nodes: [{ ref: 'SP-B1' }] } },
    });
  });

  it('is scoped per caller at every level, counts included', async () => {
    const query = `{ county(code: "${A}") {
      households { totalCount nodes { ref } }
      loans { totalCount }
      policies { totalCount nodes { ref } }
      servicePoints { totalCount }
      dockingEvents { nodes { ref projects { totalCount nodes { ref bank { code } enterprise { creditCode } } } } }
    } }`;
    expect(await s.data('bankA', query)).toEqual({
      county: {
        households: { totalCount: 3, nodes: [{ ref: HA1 }, { ref: HA2 }, { ref: HA3 }] },
        loans: { totalCount: 5 },
        policies: { totalCount: 2, nodes: [{ ref: 'INS-001' }, { ref: 'INS-003' }] },
        servicePoints: { totalCount: 2 },
        dockingEvents: { nodes: [{ ref: 'DOCK-2019-1', projects: { totalCount: 1, nodes: [{ ref: 'P1', bank: { code: 'TQ-BANK-A' }, enterprise: { creditCode: E1 } }] } }] },
      },
    });
    // Bank B has a project at the event, for an enterprise it does not lend to.
    expect(await s.data('bankB', query)).toEqual({
      county: {
        households: { totalCount: 0, nodes: [] },
        loans: { totalCount: 0 },
        policies: { totalCount: 0, nodes: [] },
        servicePoints: { totalCount: 0 },
        dockingEvents: { nodes: [{ ref: 'DOCK-2019-1', projects: { totalCount: 1, nodes: [{ ref: 'P2', bank: { code: 'TQ-BANK-B' }, enterprise: null }] } }] },
      },
    });
    expect(await s.data('analyst', query)).toEqual({
      county: { households: { totalCount: 0, nodes: [] }, loans: { totalCount: 0 }, policies: { totalCount: 0, nodes: [] }, servicePoints: { totalCount: 0 }, dockingEvents: { nodes: [] } },
    });
  });
});

describe('household', () => {
  it('has its loans, policies (held or insured), guarantees, combined models and status history, as of a date', async () => {
    const result = await s.data(
      'govA',
      `{ household(ref: "${HA2}") {
        status statusIn2015: status(asOf: "2015-12-31")
        statusHistory { status validFrom provenance { batchId } }
        loans { totalCount nodes { ref combinedModel } }
        policies { totalCount nodes { ref holderKind } }
        guarantees { totalCount nodes { ref } }
        combinedModels
        models2019: combinedModels(asOf: "2019-03-31")
      } }`,
    );
    expect(result).toEqual({
      household: {
        status: 'REGISTERED_POOR',
        statusIn2015: null,
        statusHistory: [{ status: 'REGISTERED_POOR', validFrom: '2016-05-01', provenance: { batchId: 'gov-1' } }],
        loans: { totalCount: 1, nodes: [{ ref: 'A-003', combinedModel: 'BANK_INSURANCE_GUARANTEE' }] },
        policies: { totalCount: 2, nodes: [{ ref: 'INS-003', holderKind: 'HOUSEHOLD' }, { ref: 'INS-002', holderKind: 'GROUP' }] },
        guarantees: { totalCount: 1, nodes: [{ ref: 'GUA-002' }] },
        combinedModels: ['BANK_INSURANCE_GUARANTEE'],
        // Before the loan was disbursed, no model.
        models2019: [],
      },
    });
    const ha1 = await s.data('bankA', `{ household(ref: "${HA1}") { combinedModels mid2020: combinedModels(asOf: "2020-06-30") } }`);
    expect(ha1).toEqual({ household: { combinedModels: ['BANK_INSURANCE_GUARANTEE', 'LOAN_ONLY'], mid2020: ['LOAN_GUARANTEE'] } });
  });

  it('pages each parent’s nested list on its own, with its own count, in one field', async () => {
    const query = `query ($after: String) { county(code: "${A}") { households(first: 3) { nodes { ref
      loans(first: 1, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } nodes { ref } } } } } }`;
    const first = await s.data('regulator', query);
    const pages = first.county.households.nodes.map((n: { ref: string; loans: { totalCount: number; pageInfo: object; nodes: unknown[] } }) => [
      n.ref,
      n.loans.totalCount,
      n.loans.nodes,
      n.loans.pageInfo,
    ]);
    expect(pages).toEqual([
      [HA1, 2, [{ ref: 'A-001' }], { hasNextPage: true, hasPreviousPage: false, endCursor: expect.any(String) }],
      [HA2, 1, [{ ref: 'A-003' }], { hasNextPage: false, hasPreviousPage: false, endCursor: expect.any(String) }],
      [HA3, 1, [{ ref: 'A-005' }], { hasNextPage: false, hasPreviousPage: false, endCursor: expect.any(String) }],
    ]);
    const next = await s.data('regulator', `query ($after: String) { household(ref: "${HA1}") { loans(first: 1, after: $after) { pageInfo { hasNextPage hasPreviousPage } nodes { ref } } } }`, {
      after: first.county.households.nodes[0].loans.pageInfo.endCursor,
    });
    expect(next).toEqual({ household: { loans: { pageInfo: { hasNextPage: false, hasPreviousPage: true }, nodes: [{ ref: 'A-002' }] } } });
    // Aliases of one field with other arguments are other lists.
    const aliased = await s.data('regulator', `{ household(ref: "${HA1}") { old: loans(first: 1) { nodes { ref } } big: loans(orderBy: [{ field: PRINCIPAL, direction: DESC }], first: 1) { nodes { ref } } } }`);
    expect(aliased).toEqual({ household: { old: { nodes: [{ ref: 'A-001' }] }, big: { nodes: [{ ref: 'A-001' }] } } });
  });

  it('shows a partner only its own side of a household', async () => {
    const query = `{ household(ref: "${HA2}") { loans { nodes { ref } } policies { nodes { ref } } guarantees { nodes { ref } } } }`;
    expect(await s.data('insurer', query)).toEqual({ household: { loans: { nodes: [{ ref: 'A-003' }] }, policies: { nodes: [{ ref: 'INS-003' }, { ref: 'INS-002' }] }, guarantees: { nodes: [] } } });
    expect(await s.data('bankA', query)).toEqual({ household: { loans: { nodes: [{ ref: 'A-003' }] }, policies: { nodes: [{ ref: 'INS-003' }] }, guarantees: { nodes: [{ ref: 'GUA-002' }] } } });
    expect(await s.data('guarantor', query)).toEqual({ household: { loans: { nodes: [{ ref: 'A-003' }] }, policies: { nodes: [] }, guarantees: { nodes: [{ ref: 'GUA-002' }] } } });
  });
});

describe('loan', () => {
  it('has its position history (every version on request), versions, modifications, repayments and funding, with provenance', async () => {
    const result = await s.data(
      'bankA',
      `{ la1: node(id: "${gid('Loan', ids.la1)}") { ... on Loan {
          ref version
          positions { totalCount nodes { monthEnd balance fiveClass version } }
          allVersions: positions(allVersions: true, filter: { monthEnd: { gte: "2020-06-30", lte: "2020-06-30" } }) { nodes { id balance version provenance { batchId receivedAt } } }
          latestFirst: positions(first: 1, orderBy: [{ field: MONTH_END, direction: DESC }]) { nodes { monthEnd } }
          troubled: positions(filter: { or: [{ overdueDays: { gte: 1 } }, { fiveClass_in: [SUBSTANDARD] }] }) { nodes { monthEnd overdueDays } }
          versions { totalCount nodes { id version termsHash product principal disbursedOn maturesOn annualRate subsidyRate guaranteeMode paidToAccount purpose
            provenance { sourceInstitution { code } batchId receivedAt } loan { ref } } }
          relendingFacility { id ref amount annualRate drawnOn dueOn rollovers repaidOn version lender { code } borrower { code } county { code }
            provenance { sourceInstitution { code } batchId } loans { totalCount nodes { ref } } }
          riskCompensationFund { id ref name capital leverageCap establishedOn version government { code } county { code } loans { nodes { ref } } }
        } }
        la3: node(id: "${gid('Loan', ids.la3)}") { ... on Loan {
          modifications { nodes { id ref kind effectiveOn previousMaturesOn newMaturesOn classificationRelief loan { ref } institution { code } county { code }
            disasterEvent { ref } provenance { batchId } } }
          repayments { nodes { id ref paidOn principal interest loan { ref } institution { code } provenance { batchId receivedAt } } }
          relendingFacility { ref }
        } } }`,
    );
    expect(result).toEqual({
      la1: {
        ref: 'A-001',
        version: 2,
        positions: {
          totalCount: 3,
          nodes: [
            { monthEnd: '2019-12-31', balance: '50000.00', fiveClass: 'NORMAL', version: 1 },
            { monthEnd: '2020-06-30', balance: '40000.00', fiveClass: 'SPECIAL_MENTION', version: 2 },
            { monthEnd: '2020-12-31', balance: '30000.00', fiveClass: 'NORMAL', version: 1 },
          ],
        },
        allVersions: {
          nodes: [
            { id: gid('LoanPosition', ids.p1b1), balance: '45000.00', version: 1, provenance: { batchId: 'bank-a-positions', receivedAt: '2021-01-05T02:00:00.000Z' } },
            { id: gid('LoanPosition', ids.p1b), balance: '40000.00', version: 2, provenance: { batchId: 'bank-a-positions', receivedAt: '2021-01-05T02:00:00.000Z' } },
          ],
        },
        latestFirst: { nodes: [{ monthEnd: '2020-12-31' }] },
        troubled: { nodes: [{ monthEnd: '2020-06-30', overdueDays: 35 }] },
        versions: {
          totalCount: 2,
          nodes: [
            {
              id: gid('LoanVersion', ids.v1), version: 1, termsHash: '1'.repeat(64), product: 'POVERTY_MICROCREDIT', principal: '50000.00', disbursedOn: '2019-03-15',
              maturesOn: '2022-03-14', annualRate: '0.047500', subsidyRate: '0.043500', guaranteeMode: 'GUARANTEE', paidToAccount: 'HOUSEHOLD', purpose: '养殖能繁母猪（待补正）',
              provenance: { sourceInstitution: { code: 'TQ-BANK-A' }, batchId: 'bank-a-1', receivedAt: '2019-03-16T01:00:00.000Z' }, loan: { ref: 'A-001' },
            },
            {
              id: gid('LoanVersion', ids.v2), version: 2, termsHash: '2'.repeat(64), product: 'POVERTY_MICROCREDIT', principal: '50000.00', disbursedOn: '2019-03-15',
              maturesOn: '2022-03-14', annualRate: '0.043500', subsidyRate: '0.043500', guaranteeMode: 'GUARANTEE', paidToAccount: 'HOUSEHOLD', purpose: '养殖能繁母猪',
              provenance: { sourceInstitution: { code: 'TQ-BANK-A' }, batchId: 'bank-a-corrections', receivedAt: '2019-04-20T01:00:00.000Z' }, loan: { ref: 'A-001' },
            },
          ],
        },
        relendingFacility: {
          id: gid('RelendingFacility', ids.rf1), ref: 'RL-001', amount: '1000000.00', annualRate: '0.017500', drawnOn: '2019-01-10', dueOn: '2020-01-09',
          rollovers: 1, repaidOn: null, version: 1, lender: { code: 'TQ-PBC' }, borrower: { code: 'TQ-BANK-A' }, county: { code: A },
          provenance: { sourceInstitution: { code: 'TQ-PBC' }, batchId: 'pbc-1' }, loans: { totalCount: 1, nodes: [{ ref: 'A-001' }] },
        },
        riskCompensationFund: {
          id: gid('RiskCompensationFund', ids.f1), ref: 'RCF-001', name: '望谟县扶贫小额信贷风险补偿金', capital: '2000000.00', leverageCap: '10.0000',
          establishedOn: '2018-06-01', version: 1, government: { code: 'TQ-GOV-A' }, county: { code: A }, loans: { nodes: [{ ref: 'A-001' }] },
        },
      },
      la3: {
        modifications: {
          nodes: [
            {
              id: gid('LoanModification', ids.m1), ref: 'MOD-001', kind: 'DISASTER_DEFERRAL', effectiveOn: '2020-07-01', previousMaturesOn: '2022-05-31',
              newMaturesOn: '2022-11-30', classificationRelief: true, loan: { ref: 'A-003' }, institution: { code: 'TQ-BANK-A' }, county: { code: A },
              disasterEvent: { ref: 'DIS-2020-1' }, provenance: { batchId: 'bank-a-1' },
            },
          ],
        },
        repayments: {
          nodes: [
            {
              id: gid('Repayment', ids.r1), ref: 'REP-001', paidOn: '2019-12-20', principal: '0.00', interest: '652.50', loan: { ref: 'A-003' },
              institution: { code: 'TQ-BANK-A' }, provenance: { batchId: 'bank-a-1', receivedAt: '2019-03-16T01:00:00.000Z' },
            },
          ],
        },
        relendingFacility: null,
      },
    });
  });

  it('shows funding and history only to those who may see them', async () => {
    const query = `{ node(id: "${gid('Loan', ids.la1)}") { ... on Loan { relendingFacility { ref } riskCompensationFund { ref } positions { totalCount } versions { totalCount } } } }`;
    expect(await s.data('insurer', query)).toEqual({ node: { relendingFacility: null, riskCompensationFund: null, positions: { totalCount: 3 }, versions: { totalCount: 2 } } });
    expect(await s.data('govA', query)).toEqual({ node: { relendingFacility: { ref: 'RL-001' }, riskCompensationFund: { ref: 'RCF-001' }, positions: { totalCount: 3 }, versions: { totalCount: 2 } } });
    expect(await s.data('bankB', query)).toEqual({ node: null });
  });
});

describe('policies, claims, guarantees and compensations', () => {
  it('a group policy lists its claims and insured households; a claim cites its disaster', async () => {
    const result = await s.data(
      'insurer',
      `{ node(id: "${gid('InsurancePolicy', ids.pol2)}") { ... on InsurancePolicy {
          ref holder { __typename }
          claims(orderBy: [{ field: PAID_AMOUNT, direction: DESC }]) { totalCount nodes { ref paidAmount household { ref } disasterEvent { ref } } }
          unpaid: claims(filter: { paid: false }) { nodes { ref } }
          insuredHouseholds { totalCount nodes { id quantity sumInsured premium household { ref } policy { ref } county { code } provenance { batchId } } }
          loans { totalCount }
        } }
        credit: node(id: "${gid('InsurancePolicy', ids.pol3)}") { ... on InsurancePolicy { loans { nodes { ref } } } } }`,
    );
    expect(result).toEqual({
      node: {
        ref: 'INS-002',
        holder: null,
        claims: {
          totalCount: 2,
          nodes: [
            { ref: 'CL-002', paidAmount: '5000.00', household: { ref: HA2 }, disasterEvent: { ref: 'DIS-2020-1' } },
            { ref: 'CL-003', paidAmount: null, household: { ref: HA4 }, disasterEvent: { ref: 'DIS-2020-1' } },
          ],
        },
        unpaid: { nodes: [{ ref: 'CL-003' }] },
        insuredHouseholds: {
          totalCount: 3,
          nodes: [
            { id: gid('PolicyInsuredHousehold', ids.pih1), quantity: '5.0000', sumInsured: '10000.00', premium: '300.00', household: { ref: HA1 }, policy: { ref: 'INS-002' }, county: { code: A }, provenance: { batchId: 'ins-1' } },
            { id: gid('PolicyInsuredHousehold', ids.pih2), quantity: '10.0000', sumInsured: '20000.00', premium: '600.00', household: { ref: HA2 }, policy: { ref: 'INS-002' }, county: { code: A }, provenance: { batchId: 'ins-1' } },
            { id: gid('PolicyInsuredHousehold', ids.pih4), quantity: '5.0000', sumInsured: '10000.00', premium: '300.00', household: { ref: HA4 }, policy: { ref: 'INS-002' }, county: { code: A }, provenance: { batchId: 'ins-1' } },
          ],
        },
        loans: { totalCount: 0 },
      },
      credit: { loans: { nodes: [{ ref: 'A-003' }] } },
    });
    // A bank sees the group policy not at all; a guarantor neither.
    expect(await s.data('bankA', `{ node(id: "${gid('InsurancePolicy', ids.pol2)}") { id } }`)).toEqual({ node: null });
  });

  it('a guarantee lists its compensations (with recoveries) and the loans it covers', async () => {
    const query = `{ node(id: "${gid('GuaranteeContract', ids.g2)}") { ... on GuaranteeContract {
      compensations { totalCount nodes { id ref amount paidOn recovered guarantee { ref } institution { code } county { code } provenance { sourceInstitution { code } batchId } } }
      loans { nodes { ref } }
    } } }`;
    const expected = {
      node: {
        compensations: {
          totalCount: 1,
          nodes: [
            {
              id: gid('Compensation', ids.cp1), ref: 'CP-001', amount: '10000.00', paidOn: '2020-12-15', recovered: '2000.00', guarantee: { ref: 'GUA-002' },
              institution: { code: 'TQ-GUA' }, county: { code: A }, provenance: { sourceInstitution: { code: 'TQ-GUA' }, batchId: 'gua-1' },
            },
          ],
        },
        loans: { nodes: [{ ref: 'A-003' }] },
      },
    };
    expect(await s.data('guarantor', query)).toEqual(expected);
    expect(await s.data('bankA', query)).toEqual(expected);
    expect(await s.data('insurer', query)).toEqual({ node: null });
  });
});

describe('institution, enterprise, disaster, docking, findings and alerts', () => {
  it('an institution lists its contracts and service points, as the caller may see them', async () => {
    const query = `{ institution(code: "TQ-BANK-A") { loans(first: 2) { totalCount nodes { ref } } policies { totalCount } guarantees { totalCount } servicePoints { nodes { ref } } }
                     insurer: institution(code: "TQ-INS") { policies { totalCount nodes { ref } } } }`;
    expect(await s.data('regulator', query)).toEqual({
      institution: { loans: { totalCount: 5, nodes: [{ ref: 'A-001' }, { ref: 'A-002' }] }, policies: { totalCount: 0 }, guarantees: { totalCount: 0 }, servicePoints: { nodes: [{ ref: 'SP-002' }, { ref: 'SP-001' }] } },
      insurer: { policies: { totalCount: 3, nodes: [{ ref: 'INS-001' }, { ref: 'INS-003' }, { ref: 'INS-002' }] } },
    });
    expect(await s.data('bankB', query)).toEqual({
      institution: { loans: { totalCount: 0, nodes: [] }, policies: { totalCount: 0 }, guarantees: { totalCount: 0 }, servicePoints: { nodes: [] } },
      insurer: { policies: { totalCount: 0, nodes: [] } },
    });
  });

  it('an enterprise has its linkages as of a date, loans, guarantees and docking projects', async () => {
    const result = await s.data(
      'regulator',
      `{ node(id: "${gid('Enterprise', E1)}") { ... on Enterprise {
        linkages { mode households asOf }
        in2019: linkages(asOf: "2019-12-31") { mode households asOf }
        loans { nodes { ref } } guarantees { nodes { ref } } policies { totalCount }
        dockingProjects { nodes { ref requested signed disbursed event { ref } loans { nodes { ref } } } }
        provenance { batchId }
      } } }`,
    );
    expect(result).toEqual({
      node: {
        linkages: [
          { mode: 'DIVIDEND', households: 40, asOf: '2020-06-30' },
          { mode: 'EMPLOYMENT', households: 15, asOf: '2020-12-31' },
        ],
        in2019: [{ mode: 'EMPLOYMENT', households: 12, asOf: '2019-12-31' }],
        loans: { nodes: [{ ref: 'A-004' }] },
        guarantees: { nodes: [{ ref: 'GUA-003' }] },
        policies: { totalCount: 0 },
        dockingProjects: {
          nodes: [
            { ref: 'P1', requested: '1000000.00', signed: '800000.00', disbursed: '800000.00', event: { ref: 'DOCK-2019-1' }, loans: { nodes: [{ ref: 'A-004' }] } },
            { ref: 'P2', requested: '300000.00', signed: '0.00', disbursed: '0.00', event: { ref: 'DOCK-2019-1' }, loans: { nodes: [] } },
          ],
        },
        provenance: { batchId: 'bank-a-1' },
      },
    });
  });

  it('a disaster lists its areas, deferrals and claims; a docking event its projects and their loans', async () => {
    const query = `{
      disaster: node(id: "${gid('DisasterEvent', ids.d1)}") { ... on DisasterEvent {
        ref provenance { sourceInstitution { code } }
        areas { totalCount nodes { id area { code level } event { ref } } }
        deferrals { nodes { ref kind } }
        claims { totalCount nodes { ref } }
      } }
      docking: node(id: "${gid('DockingEvent', ids.de1)}") { ... on DockingEvent {
        county { code } projects(orderBy: [{ field: SIGNED, direction: DESC }]) { nodes { ref bank { code } loans { nodes { ref principal } } } }
      } }
    }`;
    expect(await s.data('regulator', query)).toEqual({
      disaster: {
        ref: 'DIS-2020-1',
        provenance: { sourceInstitution: { code: 'TQ-CBIRC' } },
        areas: {
          totalCount: 2,
          nodes: [
            { id: gid('DisasterArea', ids.da1), area: { code: '5223', level: 'PREFECTURE' }, event: { ref: 'DIS-2020-1' } },
            { id: gid('DisasterArea', ids.da2), area: { code: TOWNSHIP_A, level: 'TOWNSHIP' }, event: { ref: 'DIS-2020-1' } },
          ],
        },
        deferrals: { nodes: [{ ref: 'MOD-001', kind: 'DISASTER_DEFERRAL' }] },
        claims: { totalCount: 2, nodes: [{ ref: 'CL-002' }, { ref: 'CL-003' }] },
      },
      docking: {
        county: { code: A },
        projects: { nodes: [{ ref: 'P1', bank: { code: 'TQ-BANK-A' }, loans: { nodes: [{ ref: 'A-004', principal: '800000.00' }] } }, { ref: 'P2', bank: { code: 'TQ-BANK-B' }, loans: { nodes: [] } }] },
      },
    });
    // The disaster is public; what cites it keeps its own scope.
    const bank = await s.data('bankA', query);
    expect([bank.disaster.deferrals, bank.disaster.claims, bank.docking.projects.nodes.map((p: { ref: string }) => p.ref)]).toEqual([
      { nodes: [{ ref: 'MOD-001', kind: 'DISASTER_DEFERRAL' }] },
      { totalCount: 0, nodes: [] },
      ['P1'],
    ]);
  });

  it('a finding has its rectification steps; an alert its rule, county and institution', async () => {
    const result = await s.data(
      'govA',
      `{ findings(filter: { ref_in: ["FD-001"] }) { nodes { id ref source text foundOn dueOn status closedOn version institution { code } county { code }
           provenance { sourceInstitution { code } batchId }
           steps { id seq description reportedDoneOn evidence verifiedAt verified verifiedBy { code } finding { ref } } } }
         alerts(first: 1) { nodes { id ruleCode ruleKind ruleName ruleVersion fingerprint subjectType subjectId observed threshold severity status message raisedAt updatedAt county { code } institution { code } } } }`,
    );
    expect(result).toEqual({
      findings: {
        nodes: [
          {
            id: gid('Finding', ids.fd1), ref: 'FD-001', source: 'INSPECTION', text: '扶贫小额信贷“户贷企用”', foundOn: '2020-05-10', dueOn: '2020-08-31', status: 'OPEN',
            closedOn: null, version: 1, institution: { code: 'TQ-BANK-A' }, county: { code: A }, provenance: { sourceInstitution: { code: 'TQ-CBIRC' }, batchId: 'cbirc-1' },
            steps: [
              {
                id: gid('RectificationStep', ids.st1), seq: 1, description: '收回违规贷款', reportedDoneOn: '2020-07-01', evidence: '收回凭证',
                verifiedAt: '2020-07-10T02:00:00.000Z', verified: true, verifiedBy: { code: 'TQ-CBIRC' }, finding: { ref: 'FD-001' },
              },
              { id: gid('RectificationStep', ids.st2), seq: 2, description: '追责问责', reportedDoneOn: null, evidence: null, verifiedAt: null, verified: false, verifiedBy: null, finding: { ref: 'FD-001' } },
            ],
          },
        ],
      },
      alerts: {
        nodes: [
          {
            id: gid('Alert', ids.al2), ruleCode: 'MICRO-OVERDUE', ruleKind: 'MICROCREDIT_OVERDUE_RATIO', ruleName: '扶贫小额信贷逾期率', ruleVersion: 1, fingerprint: `county:${A}`,
            subjectType: 'COUNTY', subjectId: A, observed: '0.050000', threshold: '0.020000', severity: 'MEDIUM', status: 'ACKNOWLEDGED', message: '县域逾期率偏高',
            raisedAt: '2020-07-06T02:00:00.000Z', updatedAt: '2020-07-08T02:00:00.000Z', county: { code: A }, institution: null,
          },
        ],
      },
    });
  });
});

describe('node(id) for the new types', () => {
  it('round-trips every type for a regulator and is null outside a caller’s scope', async () => {
    const cases: Array<[string, string, string, string]> = [
      ['ServicePoint', ids.sp1, 'ref', 'SP-001'],
      ['RelendingFacility', ids.rf1, 'ref', 'RL-001'],
      ['RiskCompensationFund', ids.f1, 'ref', 'RCF-001'],
      ['LoanModification', ids.m1, 'ref', 'MOD-001'],
      ['Repayment', ids.r1, 'ref', 'REP-001'],
      ['LoanVersion', ids.v2, 'version', '2'],
      ['PolicyInsuredHousehold', ids.pih2, 'premium', '600.00'],
      ['Compensation', ids.cp1, 'ref', 'CP-001'],
      ['DisasterEvent', ids.d1, 'ref', 'DIS-2020-1'],
      ['DisasterArea', ids.da2, '__typename', 'DisasterArea'],
      ['DockingEvent', ids.de1, 'ref', 'DOCK-2019-1'],
      ['DockingProject', ids.dp1, 'ref', 'P1'],
      ['Finding', ids.fd1, 'ref', 'FD-001'],
      ['RectificationStep', ids.st1, 'description', '收回违规贷款'],
      ['Alert', ids.al1, 'subjectType', 'LOAN'],
    ];
    for (const [type, key, field, value] of cases) {
      const id = gid(type, key);
      const answer = await s.data('regulator', `{ node(id: "${id}") { __typename id ... on ${type} { ${field} } } }`);
      expect(answer).toEqual({ node: { __typename: type, id, [field]: type === 'LoanVersion' ? Number(value) : value } });
    }
    const hidden: Array<[string, string, string]> = [
      ['bankB', 'ServicePoint', ids.sp1],
      ['insurer', 'RelendingFacility', ids.rf1],
      ['guarantor', 'RiskCompensationFund', ids.f1],
      ['bankB', 'LoanModification', ids.m1],
      ['bankB', 'Repayment', ids.r1],
      ['bankB', 'LoanVersion', ids.v1],
      ['bankA', 'PolicyInsuredHousehold', ids.pih2],
      ['insurer', 'Compensation', ids.cp1],
      ['analyst', 'DockingEvent', ids.de1],
      ['bankA', 'DockingProject', ids.dp2],
      ['bankB', 'Finding', ids.fd1],
      ['bankB', 'RectificationStep', ids.st1],
      ['bankB', 'Alert', ids.al1],
      ['regulatorB', 'Alert', ids.al4],
    ];
    for (const [who, type, key] of hidden) {
      expect([who, type, await s.data(who, `{ node(id: "${gid(type, key)}") { id } }`)]).toEqual([who, type, { node: null }]);
    }
    // Disasters are public.
    expect(await s.data('analyst', `{ node(id: "${gid('DisasterEvent', ids.d1)}") { ... on DisasterEvent { ref } } }`)).toEqual({ node: { ref: 'DIS-2020-1' } });
  });
});

describe('schema', () => {
  it('filter inputs and order enums match the lists that compile them', async () => {
    const schema = await buildTripodSchema();
    const pairs: Array<[string, EntityList]> = [
      ['Loan', LOANS], ['LoanPosition', POSITIONS], ['LoanModification', MODIFICATIONS], ['Repayment', REPAYMENTS], ['InsurancePolicy', POLICIES],
      ['Claim', CLAIMS], ['GuaranteeContract', GUARANTEES], ['Compensation', COMPENSATIONS], ['Household', HOUSEHOLDS], ['County', COUNTIES],
      ['Institution', INSTITUTIONS], ['Enterprise', ENTERPRISES], ['ServicePoint', SERVICE_POINTS], ['DockingEvent', DOCKING_EVENTS],
      ['DockingProject', DOCKING_PROJECTS], ['DisasterEvent', DISASTER_EVENTS], ['Finding', FINDINGS], ['Alert', ALERTS],
    ];
    for (const [name, list] of pairs) {
      const filter = schema.getType(`${name}Filter`) as GraphQLInputObjectType;
      expect([name, Object.keys(filter.getFields()).sort()]).toEqual([name, ['and', 'not', 'or', ...Object.keys(list.filters)].sort()]);
      const order = schema.getType(`${name}OrderField`) as GraphQLEnumType;
      expect([name, order.getValues().map((v) => v.name).sort()]).toEqual([name, Object.keys(list.orders).sort()]);
    }
  });

  it('capped lists declare their cap for the cost estimate', async () => {
    const schema = await buildTripodSchema();
    const cap = (type: string, field: string) => (schema.getType(type) as unknown as { getFields(): Record<string, { extensions: { maxItems?: number } }> }).getFields()[field].extensions.maxItems;
    expect([cap('Household', 'statusHistory'), cap('Household', 'combinedModels'), cap('Enterprise', 'linkages'), cap('Finding', 'steps')]).toEqual([100, 4, 4, 50]);
  });
});

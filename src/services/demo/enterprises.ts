import type { Inst } from './batches';
import { day, iso, WINDOW_START, type Day } from './calendar';
import { next, recordVersion, type DemoContext } from './context';
import { emitGuarantee, emitLink } from './guarantees';
import { creditLinkedPolicy, emitClaim } from './insurance';
import { DEMO_SUFFIX } from './institutions';
import { disbursementDay, FIRST_POSITION, generateLoan, LAST_DISBURSEMENT, legacyDisbursement, type LoanOutcome, type LoanProduct } from './loans';
import { mulDiv, PPM, roundDownTo, yuan } from './money';
import { syntheticCreditCode } from './names';
import type { Rng } from './prng';
import type { CountyRef } from './reference';

const TEN_THOUSAND_YUAN = 1_000_000;
type EnterpriseKind = 'COMPANY' | 'COOPERATIVE' | 'FAMILY_FARM' | 'INDIVIDUAL_BUSINESS';

interface EnterpriseInfo {
  id: number;
  creditCode: string;
  kind: EnterpriseKind;
  povertyDriving: boolean;
  since: Day;
}

const TRADE_NAMES = ['绿源', '丰禾', '山珍', '金穗', '康农', '惠民', '兴农', '青山', '云岭', '富民'];
const COOP_LINES = ['种养', '中药材', '核桃', '茶叶', '肉牛', '蔬菜', '食用菌', '花椒'];
const FARM_OWNERS = ['王', '李', '张', '杨', '陈', '吉克', '马', '罗'];

/**
 * A county's enterprises (companies, cooperatives, family farms, individual businesses;
 * synthetic names marked as demo and synthetic credit codes) with their linkage to
 * registered households, their loans (INDUSTRIAL for poverty-driving ones, inclusive
 * small-micro for the others, relocation support in relocation areas) with guarantees
 * and credit-linked policies in every combination, and the county's government–bank–
 * enterprise docking events whose projects led to some of those loans.
 */
export function countyEnterprises(ctx: DemoContext, rng: Rng, county: CountyRef, households: number): void {
  const banks = ctx.institutions.counties.get(county.code)!;
  const province = ctx.institutions.provinces.get(county.provinceCode)!;
  const government = banks.government;
  const count = Math.min(80, Math.max(4, Math.round(households / 25)));
  const enterprises: EnterpriseInfo[] = [];
  const loans: Array<{ loan: LoanOutcome; enterprise: EnterpriseInfo }> = [];

  for (let k = 0; k < count; k++) {
    const kind = rng.weighted<EnterpriseKind>([['COMPANY', 35], ['COOPERATIVE', 40], ['FAMILY_FARM', 15], ['INDIVIDUAL_BUSINESS', 10]]);
    const village = rng.pick(county.villages);
    const creditCode = syntheticCreditCode(kind, county.code, next(ctx, `enterprise:${county.code}`));
    const povertyDriving = rng.chance(kind === 'COMPANY' || kind === 'COOPERATIVE' ? 0.65 : kind === 'FAMILY_FARM' ? 0.3 : 0.05);
    const since = rng.chance(0.8) ? WINDOW_START : day('2019-02-01') + rng.int(0, 500);
    const name =
      kind === 'COMPANY'
        ? `${county.name}${rng.pick(TRADE_NAMES)}农业开发有限公司${DEMO_SUFFIX}`
        : kind === 'COOPERATIVE'
          ? `${county.name}${village.name}${rng.pick(COOP_LINES)}专业合作社${DEMO_SUFFIX}`
          : kind === 'FAMILY_FARM'
            ? `${village.name}${rng.pick(FARM_OWNERS)}氏家庭农场${DEMO_SUFFIX}`
            : `${village.name}${rng.pick(TRADE_NAMES)}农资经营部${DEMO_SUFFIX}`;
    const id = ctx.writer.id('enterprise');
    const provenance = ctx.batches.uncounted(government, 'enterprises', since);
    ctx.writer.add('enterprise', {
      id,
      ...provenance,
      credit_code: creditCode,
      name,
      kind,
      county_code: county.code,
      village_code: village.code,
      poverty_driving: povertyDriving,
      version: 1,
    });
    recordVersion(ctx, 'ENTERPRISE', id, 1, county.code, { creditCode, name, kind, countyCode: county.code, villageCode: village.code, povertyDriving }, provenance);
    const enterprise: EnterpriseInfo = { id, creditCode, kind, povertyDriving, since };
    enterprises.push(enterprise);

    if (povertyDriving) {
      const modes = rng.sample(['EMPLOYMENT', 'CONTRACT_PURCHASE', 'LAND_TRANSFER', 'DIVIDEND'] as const, rng.int(1, 2));
      for (const mode of modes) {
        let linked = rng.int(5, kind === 'COOPERATIVE' ? 300 : 120);
        for (const asOf of ['2019-12-31', '2020-12-31']) {
          if (day(asOf) < since) continue;
          ctx.writer.add('enterprise_linkage', {
            id: ctx.writer.id('enterprise_linkage'),
            ...ctx.batches.provenance(government, 'linkages', day(asOf)),
            enterprise_id: id,
            county_code: county.code,
            mode,
            households: linked,
            as_of: asOf,
          });
          linked += Math.floor((linked * rng.int(0, 30)) / 100);
        }
      }
    }

    const loanCount = rng.weighted<number>([[0, 20], [1, 50], [2, 30]]);
    let earliest = Math.max(FIRST_POSITION, since);
    for (let n = 0; n < loanCount; n++) {
      const loan = enterpriseLoan(ctx, rng, county, enterprise, earliest, banks.rcb, banks.agb, [banks.guarantor, province.guarantor]);
      if (loan === null) break;
      loans.push({ loan, enterprise });
      earliest = loan.disbursedOn + rng.int(90, 400);
    }
  }
  docking(ctx, rng, county, government, enterprises, loans, [banks.rcb, banks.agb]);
}

function enterpriseLoan(
  ctx: DemoContext,
  rng: Rng,
  county: CountyRef,
  enterprise: EnterpriseInfo,
  earliest: Day,
  rcb: Inst,
  agb: Inst,
  guarantors: [Inst, Inst],
): LoanOutcome | null {
  const product: LoanProduct =
    ctx.relocationCounties.has(county.code) && rng.chance(0.3) ? 'RELOCATION_SUPPORT' : enterprise.povertyDriving ? 'INDUSTRIAL' : 'INCLUSIVE_SMALL_MICRO';
  const small = enterprise.kind === 'FAMILY_FARM' || enterprise.kind === 'INDIVIDUAL_BUSINESS';
  const termMonths =
    product === 'RELOCATION_SUPPORT'
      ? rng.pick([24, 36, 60])
      : product === 'INDUSTRIAL'
        ? rng.pick([12, 24, 36])
        : rng.weighted<number>([[12, 70], [24, 30]]);
  // A few old loans already in arrears when the demo period begins (with their guarantor's compensation).
  const legacyDefault = earliest <= FIRST_POSITION && product !== 'RELOCATION_SUPPORT' && rng.chance(0.06);
  const disbursedOn = legacyDefault ? legacyDisbursement(rng, termMonths) : disbursementDay(rng, earliest, termMonths);
  if (disbursedOn > LAST_DISBURSEMENT) return null;
  const principal =
    (product === 'RELOCATION_SUPPORT' ? rng.int(50, 300) : product === 'INDUSTRIAL' ? rng.int(30, small ? 100 : 500) : rng.int(10, small ? 50 : 200)) *
    TEN_THOUSAND_YUAN;
  const guaranteed = rng.chance(legacyDefault ? 0.8 : 0.55);
  const insured = rng.chance(guaranteed ? 0.25 : 0.2);
  const bank = rng.chance(0.5) ? rcb : agb;
  const loan = generateLoan(ctx, rng, {
    bank,
    countyCode: county.code,
    product,
    borrower: { kind: 'ENTERPRISE', id: enterprise.id, creditCode: enterprise.creditCode },
    principal,
    disbursedOn,
    termMonths,
    ratePpm: product === 'RELOCATION_SUPPORT' ? 49_000 : product === 'INDUSTRIAL' ? rng.int(95, 110) * 500 : rng.int(90, 130) * 500,
    subsidyPpm: product === 'RELOCATION_SUPPORT' || (product === 'INDUSTRIAL' && rng.chance(0.6)) ? 20_000 : null,
    guaranteeMode: guaranteed ? (rng.chance(0.2) ? 'MIXED' : 'GUARANTEE') : insured ? 'INSURANCE' : rng.pick(['COLLATERAL', 'CREDIT', 'MIXED'] as const),
    paidTo: enterprise.kind === 'COOPERATIVE' ? 'COOPERATIVE' : 'ENTERPRISE',
    facility: null,
    fund: null,
    purpose: product === 'INDUSTRIAL' ? '扶贫产业项目流动资金' : product === 'RELOCATION_SUPPORT' ? '安置点配套产业项目' : '生产经营周转',
    amortising: !legacyDefault && rng.chance(0.5),
    delinquency: 0.1,
    legacyDefault,
  });
  if (guaranteed) {
    const guarantor = rng.chance(0.7) ? guarantors[0] : guarantors[1];
    const guarantee = emitGuarantee(ctx, rng, guarantor, {
      countyCode: county.code,
      borrower: loan.borrower,
      amount: loan.principal,
      startsOn: loan.disbursedOn,
      endsOn: loan.maturesOn,
      loan,
    });
    emitLink(ctx, { guaranteeId: guarantee.id }, guarantor, guarantee.provenance, county.code, bank.code, loan.ref, loan);
  }
  if (insured) {
    const policy = creditLinkedPolicy(
      ctx,
      rng,
      county.code,
      county.provinceCode,
      { kind: 'ENTERPRISE', id: enterprise.id, creditCode: enterprise.creditCode },
      loan.principal,
      loan.disbursedOn,
      loan.maturesOn,
    );
    emitLink(ctx, { policyId: policy.id }, policy.insurer, policy.provenance, county.code, bank.code, loan.ref, loan);
    if (loan.overdueSince !== null && (loan.curedOn === null || loan.curedOn > loan.overdueSince + 89)) {
      emitClaim(ctx, rng, policy, null, 'CREDIT_DEFAULT', null, loan.overdueSince + 89, mulDiv(loan.overdueAt(loan.overdueSince + 89), 800_000, PPM));
    }
  }
  return loan;
}

/**
 * Two docking events (spring 2019, and spring 2020 to restart production after the
 * epidemic): projects matched at the event, some signed, and the loans disbursed within
 * six months of it, linked to their project.
 */
function docking(
  ctx: DemoContext,
  rng: Rng,
  county: CountyRef,
  government: Inst,
  enterprises: readonly EnterpriseInfo[],
  loans: ReadonlyArray<{ loan: LoanOutcome; enterprise: EnterpriseInfo }>,
  banks: [Inst, Inst],
): void {
  const used = new Set<number>();
  for (const [year, base] of [[2019, day('2019-04-10')], [2020, day('2020-04-20')]] as const) {
    const heldOn = base + rng.int(0, 40);
    const eventId = ctx.writer.id('docking_event');
    const ref = `DOCK-${county.code}-${year}`;
    const name = `${county.name}${year}年政银企融资对接会${DEMO_SUFFIX}`;
    const provenance = ctx.batches.uncounted(government, 'docking', heldOn);
    ctx.writer.add('docking_event', { id: eventId, ...provenance, organizer_id: government.id, ref, name, county_code: county.code, held_on: iso(heldOn) });

    const groups = new Map<string, { enterpriseId: number; bank: Inst; loans: LoanOutcome[] }>();
    for (const { loan, enterprise } of loans) {
      if (used.has(loan.id) || loan.disbursedOn <= heldOn || loan.disbursedOn > heldOn + 180 || !rng.chance(0.6)) continue;
      used.add(loan.id);
      const key = `${enterprise.id}:${loan.bank.id}`;
      const group = groups.get(key) ?? { enterpriseId: enterprise.id, bank: loan.bank, loans: [] };
      group.loans.push(loan);
      groups.set(key, group);
    }
    const projects: Array<{ enterpriseId: number; bank: Inst; requested: number; signed: number; disbursed: number; loans: LoanOutcome[] }> = [];
    for (const group of groups.values()) {
      const disbursed = group.loans.reduce((s, l) => s + l.principal, 0);
      const signed = Math.max(disbursed, roundDownTo(mulDiv(disbursed, rng.int(100, 120), 100), TEN_THOUSAND_YUAN));
      const requested = Math.max(signed, roundDownTo(mulDiv(signed, rng.int(100, 150), 100), TEN_THOUSAND_YUAN));
      projects.push({ ...group, requested, signed, disbursed });
    }
    const open = rng.int(1, 3);
    for (let k = 0; k < open && enterprises.length > 0; k++) {
      const requested = rng.int(20, 300) * TEN_THOUSAND_YUAN;
      const signed = rng.chance(0.5) ? roundDownTo(mulDiv(requested, rng.int(50, 100), 100), TEN_THOUSAND_YUAN) : 0;
      projects.push({ enterpriseId: rng.pick(enterprises).id, bank: rng.pick(banks), requested, signed, disbursed: 0, loans: [] });
    }
    const projectTerms = projects.map((project, k) => {
      const projectId = ctx.writer.id('docking_project');
      const projectRef = `${ref}-P${String(k + 1).padStart(2, '0')}`;
      ctx.writer.add('docking_project', {
        id: projectId,
        // Reported once its loans were disbursed: the project row carries the amounts disbursed.
        ...ctx.batches.provenance(government, 'docking', Math.max(heldOn, ...project.loans.map((l) => l.disbursedOn))),
        event_id: eventId,
        ref: projectRef,
        county_code: county.code,
        enterprise_id: project.enterpriseId,
        bank_id: project.bank.id,
        requested: yuan(project.requested),
        signed: yuan(project.signed),
        disbursed: yuan(project.disbursed),
      });
      for (const loan of project.loans) {
        ctx.writer.add('docking_project_loan', { id: ctx.writer.id('docking_project_loan'), project_id: projectId, loan_id: loan.id, county_code: county.code });
      }
      return {
        ref: projectRef,
        bankCode: project.bank.code,
        requested: yuan(project.requested),
        signed: yuan(project.signed),
        disbursed: yuan(project.disbursed),
        loanRefs: project.loans.map((l) => l.ref),
      };
    });
    recordVersion(ctx, 'DOCKING_EVENT', eventId, 1, county.code, { organizerCode: government.code, ref, name, countyCode: county.code, heldOn: iso(heldOn), projects: projectTerms }, provenance);
  }
}

import type { Inst } from './batches';
import { addMonths, day, type Day } from './calendar';
import { next, oneIn, type DemoContext } from './context';
import { facilityOn } from './funding';
import { emitConsent, emitGuarantee, emitLink } from './guarantees';
import { ageOn, isRegisteredOn, statusOn, type HouseholdInfo } from './households';
import { creditLinkedPolicy, emitClaim, emitPolicy, householdPolicies, policyPart, PRODUCTS } from './insurance';
import { disbursementDay, FIRST_POSITION, generateLoan, LAST_DISBURSEMENT, legacyDisbursement, loanRefPrefix, type LoanOutcome, type LoanPlan } from './loans';
import { mulDiv, PPM } from './money';
import type { Rng } from './prng';

const YUAN = 100;
const MARGINAL_ELIGIBLE_FROM = day('2020-07-01');

const MICRO_PURPOSES = ['种植业生产', '养殖业生产', '农产品初加工', '农村商贸流通'];
const AGRI_PURPOSES = ['规模种植', '规模养殖', '农机购置', '农资采购'];

/**
 * A household's loans and what covers them: poverty micro-credit for registered (and,
 * from July 2020, marginal) households within the policy caps read from the parameters —
 * with rare deliberate violations — ordinary agricultural loans, some guaranteed by the
 * agricultural credit guarantor, relocation loans in relocation areas, credit-linked
 * policies, consents, and the household's own insurance policies.
 */
export function householdFinance(ctx: DemoContext, rng: Rng, household: HouseholdInfo): void {
  const county = household.county;
  const banks = ctx.institutions.counties.get(county.code)!;
  const consented = new Set<number>();
  const consent = (institution: Inst, on: Day): void => {
    if (consented.has(institution.id)) return;
    consented.add(institution.id);
    emitConsent(ctx, rng, household, institution, on);
  };

  // Poverty micro-credit.
  if (household.registeredOn !== null && rng.chance(0.008)) {
    const loan = microcredit(ctx, rng, household, household.registeredOn + 30, banks.rcb, banks.agb, true);
    if (loan !== null) afterLoan(loan);
  } else if (household.registeredOn !== null && rng.chance(0.5)) {
    let earliest = household.registeredOn + 30;
    const count = rng.chance(0.15) ? 2 : 1;
    for (let k = 0; k < count; k++) {
      const loan = microcredit(ctx, rng, household, earliest, banks.rcb, banks.agb);
      if (loan === null) break;
      afterLoan(loan);
      // A second loan only after the first was repaid in full.
      if (loan.closure !== 'SETTLED') break;
      earliest = loan.closedOn! + rng.int(10, 60);
      if (earliest > LAST_DISBURSEMENT) break;
    }
  } else if (household.marginalFrom !== null && rng.chance(0.25)) {
    const loan = microcredit(ctx, rng, household, Math.max(household.marginalFrom, MARGINAL_ELIGIBLE_FROM), banks.rcb, banks.agb);
    if (loan !== null) afterLoan(loan);
  }

  // Ordinary agricultural loans; large growers' are often guaranteed and backed by a crop policy.
  if (rng.chance(household.registeredOn === null ? 0.22 : 0.05)) {
    const large = rng.chance(0.2);
    const termMonths = rng.weighted<number>([[12, 60], [24, 25], [36, 15]]);
    const disbursedOn = disbursementDay(rng, FIRST_POSITION, termMonths);
    const guaranteed = large && rng.chance(0.55);
    const bank = rng.chance(0.7) ? banks.rcb : banks.agb;
    const loan = generateLoan(ctx, rng, {
      bank,
      countyCode: county.code,
      product: 'OTHER_AGRI',
      borrower: { kind: 'HOUSEHOLD', id: household.id, ref: household.ref },
      principal: (large ? rng.int(10, 50) * 10_000 : rng.int(10, 100) * 1000) * YUAN,
      disbursedOn,
      termMonths,
      ratePpm: rng.int(110, 140) * 500,
      subsidyPpm: null,
      guaranteeMode: guaranteed ? 'GUARANTEE' : large ? rng.pick(['COLLATERAL', 'MIXED'] as const) : 'CREDIT',
      paidTo: 'HOUSEHOLD',
      facility: null,
      fund: null,
      purpose: rng.pick(AGRI_PURPOSES),
      amortising: rng.chance(0.4),
      delinquency: 0.1,
    });
    afterLoan(loan);
    if (guaranteed) {
      const guarantee = emitGuarantee(ctx, rng, banks.guarantor, {
        countyCode: county.code,
        borrower: loan.borrower,
        amount: loan.principal,
        startsOn: loan.disbursedOn,
        endsOn: loan.maturesOn,
        loan,
      });
      emitLink(ctx, { guaranteeId: guarantee.id }, banks.guarantor, guarantee.provenance, county.code, bank.code, loan.ref, loan);
      consent(banks.guarantor, loan.disbursedOn);
    }
    if (large && rng.chance(0.35)) {
      // 保单增信: the grower's crop policy is pledged to the lender.
      const insurers = ctx.institutions.provinces.get(county.provinceCode)!.insurers;
      const startsOn = loan.disbursedOn;
      const policy = emitPolicy(ctx, rng.pick(insurers), county.code, PRODUCTS.maize, { kind: 'HOUSEHOLD', household }, startsOn, addMonths(startsOn, 8), [
        policyPart(PRODUCTS.maize, rng.int(20, 200) * 10_000, household, false),
      ]);
      emitLink(ctx, { policyId: policy.id }, policy.insurer, policy.provenance, county.code, bank.code, loan.ref, loan);
    }
  }

  // Relocation support in relocation areas.
  if (ctx.relocationCounties.has(county.code) && household.registeredOn !== null && rng.chance(0.08)) {
    const termMonths = rng.pick([24, 36]);
    const loan = generateLoan(ctx, rng, {
      bank: banks.agb,
      countyCode: county.code,
      product: 'RELOCATION_SUPPORT',
      borrower: { kind: 'HOUSEHOLD', id: household.id, ref: household.ref },
      principal: rng.int(20, 80) * 1000 * YUAN,
      disbursedOn: disbursementDay(rng, Math.max(FIRST_POSITION, household.registeredOn + 30), termMonths),
      termMonths,
      ratePpm: 47_500,
      subsidyPpm: 20_000,
      guaranteeMode: 'CREDIT',
      paidTo: 'HOUSEHOLD',
      facility: null,
      fund: null,
      purpose: '易地扶贫搬迁后续产业发展',
      amortising: false,
      delinquency: 0.05,
    });
    afterLoan(loan);
  }

  // A few covers arrive before the loan they name: the link stays pending.
  if (oneIn(ctx, 'pending-link', 250)) {
    const bank = banks.rcb;
    const startsOn = day('2020-12-10') + rng.int(0, 20);
    const pendingRef = `${loanRefPrefix(bank)}-202101-9${String(next(ctx, `pending:${bank.code}`)).padStart(4, '0')}`;
    const amount = rng.int(10, 50) * 1000 * YUAN;
    if (rng.chance(0.5)) {
      const guarantee = emitGuarantee(ctx, rng, banks.guarantor, {
        countyCode: county.code,
        borrower: { kind: 'HOUSEHOLD', id: household.id, ref: household.ref },
        amount,
        startsOn,
        endsOn: addMonths(startsOn, 12),
        loan: null,
      });
      emitLink(ctx, { guaranteeId: guarantee.id }, banks.guarantor, guarantee.provenance, county.code, bank.code, pendingRef, null);
    } else {
      const policy = creditLinkedPolicy(ctx, rng, county.code, county.provinceCode, { kind: 'HOUSEHOLD', household }, amount, startsOn, addMonths(startsOn, 12));
      emitLink(ctx, { policyId: policy.id }, policy.insurer, policy.provenance, county.code, bank.code, pendingRef, null);
    }
  }

  householdPolicies(ctx, rng, household);

  function afterLoan(loan: LoanOutcome): void {
    const share = loan.product === 'POVERTY_MICROCREDIT' ? 0.12 : loan.product === 'OTHER_AGRI' ? 0.2 : 0.1;
    if (!rng.chance(share)) return;
    const policy = creditLinkedPolicy(ctx, rng, county.code, county.provinceCode, { kind: 'HOUSEHOLD', household }, loan.principal, loan.disbursedOn, loan.maturesOn);
    emitLink(ctx, { policyId: policy.id }, policy.insurer, policy.provenance, county.code, loan.bank.code, loan.ref, loan);
    consent(policy.insurer, loan.disbursedOn);
    if (loan.overdueSince !== null && rng.chance(0.6)) {
      const lossOn = loan.overdueSince + 89;
      if (loan.curedOn === null || loan.curedOn > lossOn) {
        emitClaim(ctx, rng, policy, null, 'CREDIT_DEFAULT', null, lossOn, mulDiv(loan.overdueAt(lossOn), 800_000, PPM));
      }
    }
  }
}

/**
 * One poverty micro-credit loan disbursed on or after `earliest`, or null when none
 * fits (no eligible date, borrower outside the age range). Terms follow the parameters:
 * amount ≤ the cap, term ≤ the cap, benchmark rate with full fiscal subsidy, no
 * guarantee, paid to the household, backed by the county's risk compensation fund, and
 * half of the rural commercial bank's loans funded by re-lending. About 0.5 % break a cap
 * and 0.3 % are paid to an enterprise account (户贷企用).
 */
function microcredit(ctx: DemoContext, rng: Rng, household: HouseholdInfo, earliest: Day, rcb: Inst, agb: Inst, legacyDefault = false): LoanOutcome | null {
  const maxTerm = ctx.params.microcreditMaxTermMonths(earliest);
  let termMonths = rng.weighted<number>([[12, 25], [24, 20], [36, 55]].filter(([t]) => t <= maxTerm) as Array<[number, number]>);
  const disbursedOn = legacyDefault ? legacyDisbursement(rng, termMonths) : disbursementDay(rng, earliest, termMonths);
  if (disbursedOn > LAST_DISBURSEMENT || disbursedOn < earliest) return null;
  const status = statusOn(household, disbursedOn);
  const eligible = isRegisteredOn(household, disbursedOn) || (status === 'MARGINAL' && disbursedOn >= MARGINAL_ELIGIBLE_FROM);
  const [minAge, maxAge] = ctx.params.microcreditAges(disbursedOn);
  const age = ageOn(household.headBirth, disbursedOn);
  if (!eligible || age < minAge || age > maxAge) return null;

  const cap = ctx.params.microcreditMaxFen(disbursedOn);
  let principal = Math.min(cap, rng.weighted<number>([[50_000, 50], [rng.int(30, 40) * 1000, 30], [rng.int(10, 20) * 1000, 20]]) * YUAN);
  if (oneIn(ctx, 'microcredit-over-cap', 200)) {
    if (rng.chance(0.5)) principal = cap + rng.int(1, 6) * 5000 * YUAN;
    else termMonths = ctx.params.microcreditMaxTermMonths(disbursedOn) + rng.pick([12, 24]);
  }
  const bank = rng.chance(0.85) ? rcb : agb;
  const facility = bank === rcb && rng.chance(0.5) ? facilityOn(ctx.facilities.get(household.county.code) ?? [], disbursedOn) : null;
  const ratePpm = termMonths <= 12 ? 43_500 : 47_500;
  const plan: LoanPlan = {
    bank,
    countyCode: household.county.code,
    product: 'POVERTY_MICROCREDIT',
    borrower: { kind: 'HOUSEHOLD', id: household.id, ref: household.ref },
    principal,
    disbursedOn,
    termMonths,
    ratePpm,
    subsidyPpm: ratePpm,
    guaranteeMode: 'CREDIT',
    paidTo: oneIn(ctx, 'microcredit-enterprise-account', 300) ? 'ENTERPRISE' : 'HOUSEHOLD',
    facility,
    fund: ctx.funds.get(household.county.code) ?? null,
    purpose: rng.pick(MICRO_PURPOSES),
    amortising: !legacyDefault && rng.chance(0.25),
    delinquency: 0.14,
    legacyDefault,
  };
  return generateLoan(ctx, rng, plan);
}

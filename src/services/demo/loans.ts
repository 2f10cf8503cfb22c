import type { Inst } from './batches';
import { addMonths, day, HORIZON, iso, monthEndOf, monthKey, MONTH_ENDS, parts, WINDOW_START, type Day } from './calendar';
import { hits, next, oneIn, recordVersion, type DemoContext, type FacilityRef, type FundRef } from './context';
import { addMovement } from './funding';
import { mulDiv, PPM, ppmString, yuan } from './money';
import type { Rng } from './prng';
import type { ClassificationFloors } from './reference';

export type LoanProduct = 'POVERTY_MICROCREDIT' | 'INDUSTRIAL' | 'INCLUSIVE_SMALL_MICRO' | 'RELOCATION_SUPPORT' | 'OTHER_AGRI';

export type Borrower =
  | { kind: 'HOUSEHOLD'; id: number; ref: string }
  | { kind: 'ENTERPRISE'; id: number; creditCode: string };

/** A loan's contract terms and the borrower's behaviour, decided by the caller. */
export interface LoanPlan {
  bank: Inst;
  countyCode: string;
  product: LoanProduct;
  borrower: Borrower;
  principal: number;
  disbursedOn: Day;
  termMonths: number;
  ratePpm: number;
  subsidyPpm: number | null;
  guaranteeMode: 'CREDIT' | 'GUARANTEE' | 'COLLATERAL' | 'INSURANCE' | 'MIXED';
  paidTo: 'HOUSEHOLD' | 'ENTERPRISE' | 'COOPERATIVE' | 'OTHER';
  facility: FacilityRef | null;
  fund: FundRef | null;
  purpose: string;
  /** Monthly equal-principal installments; otherwise bullet with quarterly interest. */
  amortising: boolean;
  /** Probability that the borrower stops paying at some due date. */
  delinquency: number;
  /**
   * A bullet loan that fell due before 2019 and was still unpaid when the demo period
   * began: the stock of old arrears every loan book carries. It is cured during
   * 2019–2020, written off, or still overdue at the end.
   */
  legacyDefault?: boolean;
}

/** What other generators need to know about a generated loan. */
export interface LoanOutcome {
  id: number;
  ref: string;
  bank: Inst;
  countyCode: string;
  product: LoanProduct;
  borrower: Borrower;
  principal: number;
  disbursedOn: Day;
  maturesOn: Day;
  /** Maturity after deferrals, extensions and renewals. */
  finalMaturity: Day;
  closedOn: Day | null;
  closure: 'SETTLED' | 'WRITTEN_OFF' | null;
  receivedAt: string;
  /** First overdue day of the loan's delinquency, when it began within the demo period. */
  overdueSince: Day | null;
  curedOn: Day | null;
  /** Overdue principal at the end of day `d` (0 when not overdue). */
  overdueAt(d: Day): number;
}

interface Modification {
  kind: 'EXTENSION' | 'RENEWAL' | 'EPIDEMIC_DEFERRAL' | 'DISASTER_DEFERRAL';
  effectiveOn: Day;
  previous: Day;
  next: Day;
  disasterId: number | null;
  relief: boolean;
}

interface State {
  day: Day;
  balance: number;
  arrears: number;
  overdueSince: Day | null;
}

interface Payment {
  day: Day;
  principal: number;
  interest: number;
  subsidy: number;
}

const CLASSES = ['NORMAL', 'SPECIAL_MENTION', 'SUBSTANDARD', 'DOUBTFUL', 'LOSS'] as const;
type FiveClass = (typeof CLASSES)[number];

const EPIDEMIC_DUE_FROM = day('2020-02-01');
const EPIDEMIC_DUE_TO = day('2020-06-30');
const SECOND_DEFERRAL_TO = day('2021-03-31');
const FLOOD_DUE_FROM = day('2020-06-01');
const FLOOD_DUE_TO = day('2020-09-30');
const LAST_CORRECTABLE = day('2020-10-31');
/** A disbursement day for a loan of `termMonths` that fell due between mid-2017 and the end of 2018. */
export function legacyDisbursement(rng: Rng, termMonths: number): Day {
  return addMonths(day('2017-06-01') + rng.int(0, 578), -termMonths);
}

/** The first month end of the demo period: every generated loan is outstanding on or after it. */
export const FIRST_POSITION = day('2019-01-31');
/** The last disbursement day of the demo data. */
export const LAST_DISBURSEMENT = day('2020-12-20');

/**
 * A disbursement day on or after `earliest` such that a loan of `termMonths` is still
 * outstanding at the first month end of the demo period, leaning towards the 2020
 * campaign. Returns a day after LAST_DISBURSEMENT when none fits.
 */
export function disbursementDay(rng: Rng, earliest: Day, termMonths: number): Day {
  const from = Math.max(earliest, addMonths(FIRST_POSITION, -termMonths) + 1);
  if (from >= LAST_DISBURSEMENT) return from;
  const u = rng.chance(0.4) ? Math.max(rng.next(), rng.next()) : rng.next();
  return from + Math.floor(u * (LAST_DISBURSEMENT - from));
}

/** The class the overdue days alone imply (the floor), from the policy parameters in force. */
export function floorClass(overdueDays: number, floors: ClassificationFloors): FiveClass {
  if (overdueDays >= floors.loss) return 'LOSS';
  if (overdueDays >= floors.doubtful) return 'DOUBTFUL';
  if (overdueDays >= floors.substandard) return 'SUBSTANDARD';
  if (overdueDays >= floors.specialMention) return 'SPECIAL_MENTION';
  return 'NORMAL';
}

/** Interest on `balance` fen from `from` to `to` at `ratePpm`, actual/360. */
function interest(balance: number, from: Day, to: Day, ratePpm: number): number {
  return to > from ? mulDiv(balance * (to - from), ratePpm, 360 * PPM) : 0;
}

/** `RCB513431` from `BANK-RCB-513431`. */
export function loanRefPrefix(bank: Inst): string {
  return bank.code.replace(/^BANK-/, '').replace(/-/g, '');
}

/**
 * Generates one loan with everything a bank reports about it: the contract (version 1,
 * and a corrected version 2 for a few), month-end positions while it is outstanding in
 * 2019–2020, repayments, modifications (epidemic and flood deferrals with classification
 * relief, extensions, renewals), and the risk fund's payouts and recoveries when it
 * defaults.
 *
 * The loan is simulated as a ledger: dues (one bullet or monthly installments) are paid
 * on time until the borrower turns delinquent; arrears are cured, or stay overdue and
 * are eventually written off. Balances, overdue principal and days, and repayments all
 * come from the same ledger, so they agree with one another.
 */
export function generateLoan(ctx: DemoContext, rng: Rng, plan: LoanPlan): LoanOutcome {
  const id = ctx.writer.id('loan');
  const serial = next(ctx, `loan:${plan.bank.code}`);
  const ref = `${loanRefPrefix(plan.bank)}-${monthKey(plan.disbursedOn).replace('-', '')}-${String(serial).padStart(5, '0')}`;
  const maturesOn = addMonths(plan.disbursedOn, plan.termMonths);

  const modifications = planModifications(ctx, rng, plan, maturesOn);
  const finalMaturity = modifications.length > 0 ? modifications[modifications.length - 1].next : maturesOn;

  // Dues: one bullet at the (possibly deferred) maturity, or monthly installments.
  const dues: Array<{ day: Day; principal: number }> = [];
  if (plan.amortising) {
    const installment = Math.floor(plan.principal / plan.termMonths);
    for (let k = 1; k <= plan.termMonths; k++) {
      const amount = k === plan.termMonths ? plan.principal - installment * (plan.termMonths - 1) : installment;
      dues.push({ day: addMonths(plan.disbursedOn, k), principal: amount });
    }
  } else {
    dues.push({ day: finalMaturity, principal: plan.principal });
  }

  // Behaviour.
  let missDay: Day | null = null;
  let cureDay: Day | null = null;
  let writeOffDay: Day | null = null;
  let settleDay: Day | null = null;
  if (plan.legacyDefault === true) {
    missDay = dues[0].day;
    if (rng.chance(0.4)) cureDay = WINDOW_START + rng.int(10, HORIZON - WINDOW_START - 10);
    else if (rng.chance(0.35)) writeOffDay = Math.max(missDay + 400, FIRST_POSITION + 30) + rng.int(0, 400);
  } else if (rng.chance(plan.delinquency)) {
    const due = plan.amortising ? dues[rng.int(0, dues.length - 1)] : dues[0];
    missDay = due.day;
    if (rng.chance(0.5)) cureDay = missDay + rng.int(15, 240);
    else if (rng.chance(0.4)) writeOffDay = missDay + rng.int(400, 560);
  } else if (rng.chance(0.04)) {
    // Early settlement, never before the first month end of the demo period (the loan
    // would then have no position at all).
    const from = Math.max(plan.disbursedOn + 60, FIRST_POSITION + 1);
    const to = finalMaturity - 60;
    if (to > from) settleDay = rng.int(from, to);
  }
  const watchFrom = rng.chance(0.012) ? plan.disbursedOn + rng.int(30, 700) : null;
  const extendedOn = modifications.find((m) => m.kind === 'EXTENSION')?.effectiveOn ?? null;

  // Events in day order; on one day a cure comes before dues, dues before interest.
  type Event = { day: Day; order: number; kind: 'cure' | 'due' | 'interest' | 'settle' | 'writeoff'; principal: number };
  const events: Event[] = dues.map((d) => ({ day: d.day, order: 1, kind: 'due', principal: d.principal }));
  if (!plan.amortising) {
    const start = parts(plan.disbursedOn);
    for (let k = 0; ; k++) {
      const index = start.year * 12 + start.month - 1 + k;
      const month = (index % 12) + 1;
      if (month % 3 !== 0) continue;
      const d = day(`${Math.floor(index / 12)}-${String(month).padStart(2, '0')}-21`);
      if (d <= plan.disbursedOn) continue;
      if (d >= finalMaturity || d > HORIZON) break;
      events.push({ day: d, order: 2, kind: 'interest', principal: 0 });
    }
  }
  if (cureDay !== null) events.push({ day: cureDay, order: 0, kind: 'cure', principal: 0 });
  if (settleDay !== null) events.push({ day: settleDay, order: 3, kind: 'settle', principal: 0 });
  if (writeOffDay !== null) events.push({ day: writeOffDay, order: 4, kind: 'writeoff', principal: 0 });
  events.sort((a, b) => a.day - b.day || a.order - b.order);

  const delinquentOn = (d: Day): boolean => missDay !== null && d >= missDay && (cureDay === null || d < cureDay);
  const subsidyOf = (amount: number): number => (plan.subsidyPpm === null ? 0 : mulDiv(amount, plan.subsidyPpm, plan.ratePpm));
  let balance = plan.principal;
  let arrears = 0;
  let overdueSince: Day | null = null;
  let firstOverdue: Day | null = null;
  let lastInterest = plan.disbursedOn;
  let closedOn: Day | null = null;
  let closure: 'SETTLED' | 'WRITTEN_OFF' | null = null;
  let curedOn: Day | null = null;
  const states: State[] = [{ day: plan.disbursedOn, balance, arrears, overdueSince }];
  const payments: Payment[] = [];
  const pay = (d: Day, principal: number, subsidised: boolean): void => {
    const due = interest(balance, lastInterest, d, plan.ratePpm);
    lastInterest = d;
    balance -= principal;
    if (principal + due > 0) payments.push({ day: d, principal, interest: due, subsidy: subsidised ? subsidyOf(due) : 0 });
    if (balance === 0) {
      closedOn = d;
      closure = 'SETTLED';
    }
  };
  for (const event of events) {
    if (event.day > HORIZON || closedOn !== null) break;
    switch (event.kind) {
      case 'due':
        if (delinquentOn(event.day)) {
          arrears += event.principal;
          overdueSince ??= event.day + 1;
          firstOverdue ??= overdueSince;
        } else {
          pay(event.day, event.principal, true);
        }
        break;
      case 'interest':
        if (!delinquentOn(event.day)) pay(event.day, 0, true);
        break;
      case 'cure':
        if (arrears > 0) {
          const cleared = arrears;
          arrears = 0;
          overdueSince = null;
          curedOn = event.day;
          pay(event.day, cleared, false);
        }
        break;
      case 'settle':
        if (arrears === 0) pay(event.day, balance, true);
        break;
      case 'writeoff':
        if (arrears > 0) {
          closedOn = event.day;
          closure = 'WRITTEN_OFF';
        }
        break;
    }
    states.push({ day: event.day, balance, arrears, overdueSince });
  }

  // A few banks report an overdue loan one class better than its overdue days allow.
  const understates = firstOverdue !== null && oneIn(ctx, 'class-understated', 10);

  const overdueAt = (d: Day): number => {
    let state = states[0];
    for (const s of states) {
      if (s.day > d) break;
      state = s;
    }
    return state.overdueSince !== null && state.overdueSince <= d ? state.arrears : 0;
  };

  // The contract, with a corrected second version for a few loans.
  const borrowerKey = plan.borrower.kind === 'HOUSEHOLD' ? { householdRef: plan.borrower.ref } : { enterpriseCreditCode: plan.borrower.creditCode };
  const terms = {
    bankCode: plan.bank.code,
    ref,
    countyCode: plan.countyCode,
    product: plan.product,
    borrowerKind: plan.borrower.kind,
    ...borrowerKey,
    principal: yuan(plan.principal),
    disbursedOn: iso(plan.disbursedOn),
    maturesOn: iso(maturesOn),
    annualRate: ppmString(plan.ratePpm),
    subsidyRate: plan.subsidyPpm === null ? null : ppmString(plan.subsidyPpm),
    guaranteeMode: plan.guaranteeMode,
    paidToAccount: plan.paidTo,
    relendingFacilityRef: plan.facility?.ref ?? null,
    riskCompensationFundRef: plan.fund?.ref ?? null,
    purpose: plan.purpose,
  };
  const firstProvenance = ctx.batches.uncounted(plan.bank, 'loans', plan.disbursedOn);
  let provenance = firstProvenance;
  let version = 1;
  if (plan.disbursedOn <= LAST_CORRECTABLE && oneIn(ctx, 'loan-corrected', 300)) {
    const wrong = { ...terms, annualRate: ppmString(plan.ratePpm === 43_500 ? 47_500 : 43_500), purpose: `${plan.purpose}（待补正）` };
    recordVersion(ctx, 'LOAN', id, 1, plan.countyCode, wrong, firstProvenance);
    provenance = ctx.batches.uncounted(plan.bank, 'loanCorrections', Math.max(plan.disbursedOn, WINDOW_START) + rng.int(20, 50));
    version = 2;
  }
  recordVersion(ctx, 'LOAN', id, version, plan.countyCode, terms, provenance);
  ctx.writer.add('loan', {
    id,
    ...provenance,
    institution_id: plan.bank.id,
    ref,
    county_code: plan.countyCode,
    product: plan.product,
    borrower_kind: plan.borrower.kind,
    household_id: plan.borrower.kind === 'HOUSEHOLD' ? plan.borrower.id : null,
    enterprise_id: plan.borrower.kind === 'ENTERPRISE' ? plan.borrower.id : null,
    principal: terms.principal,
    disbursed_on: terms.disbursedOn,
    matures_on: terms.maturesOn,
    annual_rate: terms.annualRate,
    subsidy_rate: terms.subsidyRate,
    guarantee_mode: plan.guaranteeMode,
    paid_to_account: plan.paidTo,
    relending_facility_id: plan.facility?.id ?? null,
    risk_compensation_fund_id: plan.fund?.id ?? null,
    purpose: plan.purpose,
    closed_on: closedOn === null ? null : iso(closedOn),
    closure,
    version,
  });

  let modificationSerial = 0;
  for (const m of modifications) {
    if (m.effectiveOn > HORIZON || (closedOn !== null && m.effectiveOn > closedOn)) continue;
    modificationSerial++;
    ctx.writer.add('loan_modification', {
      id: ctx.writer.id('loan_modification'),
      ...ctx.batches.provenance(plan.bank, 'modifications', m.effectiveOn),
      loan_id: id,
      institution_id: plan.bank.id,
      ref: `${ref}-M${modificationSerial}`,
      county_code: plan.countyCode,
      kind: m.kind,
      effective_on: iso(m.effectiveOn),
      previous_matures_on: iso(m.previous),
      new_matures_on: iso(m.next),
      disaster_event_id: m.disasterId,
      classification_relief: m.relief,
    });
  }

  let repaymentSerial = 0;
  const subsidyByMonth = new Map<Day, number>();
  for (const p of payments) {
    if (p.day < WINDOW_START) continue;
    const monthEnd = monthEndOf(p.day);
    subsidyByMonth.set(monthEnd, (subsidyByMonth.get(monthEnd) ?? 0) + p.subsidy);
    repaymentSerial++;
    ctx.writer.add('repayment', {
      id: ctx.writer.id('repayment'),
      ...ctx.batches.provenance(plan.bank, 'repayments', p.day),
      loan_id: id,
      institution_id: plan.bank.id,
      ref: `${ref}-R${String(repaymentSerial).padStart(3, '0')}`,
      county_code: plan.countyCode,
      paid_on: iso(p.day),
      principal: yuan(p.principal),
      interest: yuan(p.interest),
    });
  }

  // Month-end positions while outstanding.
  let cursor = 0;
  for (const monthEnd of MONTH_ENDS) {
    if (monthEnd < plan.disbursedOn) continue;
    if (closedOn !== null && monthEnd >= closedOn) break;
    while (cursor + 1 < states.length && states[cursor + 1].day <= monthEnd) cursor++;
    const state = states[cursor];
    const overdue = state.overdueSince !== null && state.overdueSince <= monthEnd;
    const overduePrincipal = overdue ? state.arrears : 0;
    const overdueDays = overdue ? monthEnd - state.overdueSince! + 1 : 0;
    const floor = floorClass(overdueDays, ctx.params.classificationFloors(monthEnd));
    let reported: FiveClass = floor;
    if (overdueDays > 0 && understates && floor !== 'NORMAL') {
      reported = CLASSES[CLASSES.indexOf(floor) - 1];
    } else if (overdueDays === 0) {
      const watched = watchFrom !== null && monthEnd >= watchFrom && monthEnd < watchFrom + 120;
      const recentlyCured = curedOn !== null && monthEnd >= curedOn && monthEnd < curedOn + 90;
      const extended = extendedOn !== null && monthEnd >= extendedOn;
      if (watched || recentlyCured || extended) reported = 'SPECIAL_MENTION';
    }
    const subsidy = plan.subsidyPpm === null ? null : yuan(subsidyByMonth.get(monthEnd) ?? 0);
    const position = {
      loan_id: id,
      county_code: plan.countyCode,
      institution_id: plan.bank.id,
      month_end: iso(monthEnd),
      balance: yuan(state.balance),
      overdue_principal: yuan(overduePrincipal),
      overdue_days: overdueDays,
      five_class: reported,
      subsidy_paid: subsidy,
    };
    if (oneIn(ctx, 'position-rereported', 500)) {
      // A re-reported month: the first report missed a posting; the correction is the latest.
      let wrong = { ...position };
      if (state.balance < plan.principal) {
        wrong.balance = yuan(Math.min(plan.principal, state.balance + rng.int(100, 1000) * 100));
      } else if (overdueDays > 0) {
        wrong = { ...wrong, overdue_principal: yuan(0), overdue_days: 0, five_class: 'NORMAL' };
      } else {
        wrong.balance = yuan(state.balance - Math.min(state.balance - 100, rng.int(100, 1000) * 100));
      }
      ctx.writer.add('loan_position', {
        id: ctx.writer.id('loan_position'),
        ...ctx.batches.provenance(plan.bank, 'positions', monthEnd),
        ...wrong,
        version: 1,
        is_latest: false,
      });
      ctx.writer.add('loan_position', {
        id: ctx.writer.id('loan_position'),
        ...ctx.batches.provenance(plan.bank, 'positionCorrections', monthEnd),
        ...position,
        version: 2,
        is_latest: true,
      });
    } else {
      ctx.writer.add('loan_position', {
        id: ctx.writer.id('loan_position'),
        ...ctx.batches.provenance(plan.bank, 'positions', monthEnd),
        ...position,
        version: 1,
        is_latest: true,
      });
    }
  }

  if (plan.fund !== null && firstOverdue !== null) fundClaims(ctx, rng, plan, id, firstOverdue, curedOn, closure === 'WRITTEN_OFF' ? closedOn : null, overdueAt);

  return {
    id,
    ref,
    bank: plan.bank,
    countyCode: plan.countyCode,
    product: plan.product,
    borrower: plan.borrower,
    principal: plan.principal,
    disbursedOn: plan.disbursedOn,
    maturesOn,
    finalMaturity,
    closedOn,
    closure,
    receivedAt: provenance.received_at,
    overdueSince: firstOverdue,
    curedOn,
    overdueAt,
  };
}

/**
 * Deferrals, extensions and renewals of a bullet loan falling due in the demo period:
 * epidemic deferrals for loans due from February to June 2020 (some deferred again
 * to 31 March 2021, as the July 2020 notice allowed), flood deferrals in flooded
 * counties for loans due June–September 2020, and a few extensions and renewals.
 */
function planModifications(ctx: DemoContext, rng: Rng, plan: LoanPlan, maturesOn: Day): Modification[] {
  if (plan.amortising) return [];
  const mods: Modification[] = [];
  const { epidemic, flood } = ctx.disasters;
  const earliest = plan.disbursedOn + 1;
  if (maturesOn >= EPIDEMIC_DUE_FROM && maturesOn <= EPIDEMIC_DUE_TO && rng.chance(0.35)) {
    const effectiveOn = Math.max(earliest, EPIDEMIC_DUE_FROM, maturesOn - rng.int(0, 20));
    const deferred = addMonths(maturesOn, rng.int(3, 6));
    mods.push({ kind: 'EPIDEMIC_DEFERRAL', effectiveOn, previous: maturesOn, next: deferred, disasterId: epidemic.id, relief: true });
    if (deferred <= HORIZON && rng.chance(0.3)) {
      mods.push({
        kind: 'EPIDEMIC_DEFERRAL',
        effectiveOn: Math.max(effectiveOn + 1, deferred - rng.int(0, 15)),
        previous: deferred,
        next: SECOND_DEFERRAL_TO,
        disasterId: epidemic.id,
        relief: true,
      });
    }
  } else if (hits(flood, plan.countyCode) && maturesOn >= FLOOD_DUE_FROM && maturesOn <= FLOOD_DUE_TO && rng.chance(0.4)) {
    const effectiveOn = Math.max(earliest, FLOOD_DUE_FROM, maturesOn - rng.int(0, 10));
    mods.push({ kind: 'DISASTER_DEFERRAL', effectiveOn, previous: maturesOn, next: addMonths(maturesOn, rng.int(3, 6)), disasterId: flood.id, relief: true });
  } else if (maturesOn >= WINDOW_START && maturesOn <= HORIZON && oneIn(ctx, 'extension', 40)) {
    const effectiveOn = Math.max(earliest, maturesOn - rng.int(0, 10));
    mods.push({ kind: 'EXTENSION', effectiveOn, previous: maturesOn, next: addMonths(maturesOn, rng.int(6, 12)), disasterId: null, relief: false });
  } else if (plan.product === 'POVERTY_MICROCREDIT' && maturesOn >= WINDOW_START && maturesOn <= HORIZON && oneIn(ctx, 'renewal', 40)) {
    mods.push({ kind: 'RENEWAL', effectiveOn: maturesOn, previous: maturesOn, next: addMonths(maturesOn, 12), disasterId: null, relief: false });
  }
  return mods;
}

/**
 * The county fund compensates the bank's loss share on a defaulted micro-credit loan:
 * a payout once it is 180+ days overdue (or when written off), and for some a recovery
 * months later.
 */
function fundClaims(
  ctx: DemoContext,
  rng: Rng,
  plan: LoanPlan,
  loanId: number,
  overdueSince: Day,
  curedOn: Day | null,
  writtenOffOn: Day | null,
  overdueAt: (d: Day) => number,
): void {
  const fund = plan.fund!;
  const share = fund.fundSharePpm.get(plan.bank.id) ?? 0;
  if (share === 0) return;
  let payoutOn: Day | null = null;
  if (rng.chance(0.5)) payoutOn = overdueSince + rng.int(180, 240);
  else if (writtenOffOn !== null) payoutOn = writtenOffOn + rng.int(10, 60);
  if (payoutOn === null || payoutOn > HORIZON || (curedOn !== null && curedOn <= payoutOn)) return;
  const base = writtenOffOn !== null && payoutOn >= writtenOffOn ? overdueAt(writtenOffOn - 1) : overdueAt(payoutOn);
  const payout = mulDiv(base, share, PPM);
  if (payout === 0) return;
  addMovement(ctx, fund, 'PAYOUT', payout, payoutOn, loanId);
  const recoveredOn = payoutOn + rng.int(60, 240);
  if (recoveredOn <= HORIZON && oneIn(ctx, 'fund-recovery', 3)) {
    addMovement(ctx, fund, 'RECOVERY', mulDiv(payout, rng.int(20, 60), 100), recoveredOn, loanId);
  }
}

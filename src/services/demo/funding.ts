import { addMonths, day, HORIZON, iso, type Day } from './calendar';
import { next, recordVersion, type DemoContext, type FacilityRef, type FundRef } from './context';
import { DEMO_SUFFIX } from './institutions';
import { mulDiv, ppmString, roundDownTo, splitByWeights, yuan } from './money';
import type { Rng } from './prng';
import type { CountyRef } from './reference';

/** Expected micro-credit balance a fund backs per demo household, in fen (calibrates capital). */
const BACKED_FEN_PER_HOUSEHOLD = 650_000;
/** Re-lending-funded micro-credit per demo household and month, in fen (calibrates draw amounts). */
const FUNDED_FEN_PER_HOUSEHOLD_MONTH = 10_000;
const TEN_THOUSAND_YUAN = 1_000_000;

/**
 * A county government's risk compensation fund with its loss-sharing agreements with the
 * two county banks and the top-ups that paid its capital in. Capital is sized to the
 * demo's own lending so that leverage (backed balance / capital) lands around 4–10 at
 * the end of 2020, above the fund's cap in a few counties.
 */
export function createFund(ctx: DemoContext, rng: Rng, county: CountyRef, households: number): FundRef {
  const inst = ctx.institutions.counties.get(county.code)!;
  const government = inst.government;
  const established = day('2016-03-01') + rng.int(0, 280);
  const leverageTenths = rng.int(40, 95);
  const capital = Math.max(5 * TEN_THOUSAND_YUAN, roundDownTo(mulDiv(households * BACKED_FEN_PER_HOUSEHOLD, 10, leverageTenths), TEN_THOUSAND_YUAN));
  const leverageCap = rng.chance(0.8) ? '10.0000' : '8.0000';
  const id = ctx.writer.id('risk_compensation_fund');
  const ref = `RCF-${county.code}`;
  const name = `${county.name}扶贫小额信贷风险补偿金${DEMO_SUFFIX}`;
  const provenance = ctx.batches.uncounted(government, 'funds', established);
  ctx.writer.add('risk_compensation_fund', {
    id,
    ...provenance,
    government_id: government.id,
    ref,
    name,
    county_code: county.code,
    capital: yuan(capital),
    leverage_cap: leverageCap,
    established_on: iso(established),
    version: 1,
  });
  recordVersion(ctx, 'RISK_COMPENSATION_FUND', id, 1, county.code, {
    governmentCode: government.code,
    ref,
    name,
    countyCode: county.code,
    capital: yuan(capital),
    leverageCap,
    establishedOn: iso(established),
  }, provenance);

  const fundSharePpm = new Map<number, number>();
  const agreements: Array<[typeof inst.rcb, number, string | null]> = [
    [inst.rcb, rng.pick([700_000, 800_000]), null],
    [inst.agb, rng.pick([500_000, 600_000]), rng.chance(0.5) ? '8.0000' : null],
  ];
  for (const [bank, share, cap] of agreements) {
    fundSharePpm.set(bank.id, share);
    ctx.writer.add('fund_bank_agreement', {
      id: ctx.writer.id('fund_bank_agreement'),
      ...ctx.batches.provenance(government, 'funds', established),
      fund_id: id,
      bank_id: bank.id,
      county_code: county.code,
      fund_share: ppmString(share),
      bank_share: ppmString(1_000_000 - share),
      leverage_cap: cap,
      valid_from: iso(established),
      valid_to: null,
    });
  }

  const fund: FundRef = { id, ref, countyCode: county.code, government, fundSharePpm };
  const [initial, second, third] = splitByWeights(capital, [50, 25, 25]);
  addMovement(ctx, fund, 'TOP_UP', initial, established, null);
  addMovement(ctx, fund, 'TOP_UP', second, day('2019-03-01') + rng.int(0, 40), null);
  addMovement(ctx, fund, 'TOP_UP', third, day('2020-03-01') + rng.int(0, 40), null);
  return fund;
}

/** Money into or out of a fund; a payout or recovery names the loan it concerns. */
export function addMovement(
  ctx: DemoContext,
  fund: FundRef,
  kind: 'TOP_UP' | 'PAYOUT' | 'RECOVERY' | 'WITHDRAWAL',
  amountFen: number,
  on: Day,
  loanId: number | null,
): void {
  if (amountFen <= 0) return;
  ctx.writer.add('fund_movement', {
    id: ctx.writer.id('fund_movement'),
    ...ctx.batches.provenance(fund.government, 'fundMovements', on),
    fund_id: fund.id,
    ref: `${fund.ref}-M${String(next(ctx, `fund:${fund.ref}`)).padStart(4, '0')}`,
    county_code: fund.countyCode,
    kind,
    amount: yuan(amountFen),
    occurred_on: iso(on),
    loan_id: loanId,
  });
}

/**
 * Poverty re-lending draws of the county's rural commercial bank from the provincial
 * central-bank branch, mid-2018 to late 2020: 3/6/12-month tenors, up to the parameter's
 * number of rollovers, repaid when due within the demo period.
 */
export function createFacilities(ctx: DemoContext, rng: Rng, county: CountyRef, households: number): FacilityRef[] {
  const lender = ctx.institutions.provinces.get(county.provinceCode)!.centralBank;
  const borrower = ctx.institutions.counties.get(county.code)!.rcb;
  const count = rng.int(3, 6);
  const first = day('2018-07-01');
  const drawDates = Array.from({ length: count }, () => first + rng.int(0, day('2020-11-30') - first)).sort((a, b) => a - b);
  const facilities: FacilityRef[] = [];
  for (const drawnOn of drawDates) {
    const tenor = rng.weighted<number>([[3, 20], [6, 30], [12, 50]]);
    const maxRollovers = Math.min(ctx.params.relendingMaxRollovers(drawnOn), Math.floor(60 / tenor) - 1);
    const rollovers = rng.int(0, maxRollovers);
    const dueOn = addMonths(drawnOn, tenor * (1 + rollovers));
    const repaidOn = dueOn <= HORIZON ? dueOn : null;
    // About what the bank lends from it in a tenor (draws overlap), so loans funded ≥ draws.
    const perDraw = mulDiv(households * FUNDED_FEN_PER_HOUSEHOLD_MONTH * Math.min(tenor, 12), rng.int(40, 80), 100);
    const amount = Math.max(TEN_THOUSAND_YUAN, roundDownTo(perDraw, TEN_THOUSAND_YUAN));
    const ratePpm = tenor === 12 ? 17_500 : tenor === 6 ? 16_500 : 15_500;
    const id = ctx.writer.id('relending_facility');
    const ref = `RL-${county.code}-${String(next(ctx, `relending:${lender.code}:${county.code}`)).padStart(3, '0')}`;
    const provenance = ctx.batches.uncounted(lender, 'relending', drawnOn);
    const terms = {
      lenderCode: lender.code,
      borrowerCode: borrower.code,
      ref,
      countyCode: county.code,
      amount: yuan(amount),
      annualRate: ppmString(ratePpm),
      drawnOn: iso(drawnOn),
      dueOn: iso(dueOn),
      rollovers,
      repaidOn: repaidOn === null ? null : iso(repaidOn),
    };
    ctx.writer.add('relending_facility', {
      id,
      ...provenance,
      lender_id: lender.id,
      borrower_id: borrower.id,
      ref,
      county_code: county.code,
      amount: terms.amount,
      annual_rate: terms.annualRate,
      drawn_on: terms.drawnOn,
      due_on: terms.dueOn,
      rollovers,
      repaid_on: terms.repaidOn,
      version: 1,
    });
    recordVersion(ctx, 'RELENDING_FACILITY', id, 1, county.code, terms, provenance);
    facilities.push({ id, ref, drawnOn, dueOn });
  }
  return facilities;
}

/** The re-lending draw outstanding on `on` (the latest drawn), if any. */
export function facilityOn(facilities: readonly FacilityRef[], on: Day): FacilityRef | null {
  let found: FacilityRef | null = null;
  for (const f of facilities) if (f.drawnOn <= on && on < f.dueOn) found = f;
  return found;
}

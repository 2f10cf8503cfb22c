import type { Inst, Provenance } from './batches';
import { addMonths, day, dayOf, HORIZON, iso, type Day } from './calendar';
import { hits, next, oneIn, recordVersion, type DemoContext, type DisasterRef } from './context';
import { isRegisteredOn, type HouseholdInfo } from './households';
import { mulDiv, PPM, quantityString, splitByWeights, yuan } from './money';
import type { Rng } from './prng';

export type InsuranceLine = 'CROP' | 'LIVESTOCK' | 'FORESTRY' | 'INDEX' | 'PRICE' | 'INCOME' | 'CREDIT_LINKED';

/**
 * An insurance product: sum insured per unit (fen), premium rate (ppm of the sum
 * insured) and the payer shares (central, provincial, county, farmer, in basis points)
 * following the worked county example of DOMAIN.md §1.8.
 */
export interface Product {
  line: InsuranceLine;
  subject: string;
  unit: 'MU' | 'HEAD' | 'YUAN';
  sumPerUnitFen: number;
  ratePpm: number;
  shares: readonly [number, number, number, number];
}

const CROP_SHARES = [4500, 2700, 300, 2500] as const;
const LIVESTOCK_SHARES = [5000, 2300, 700, 2000] as const;
const PUBLIC_FOREST_SHARES = [5000, 2500, 1500, 1000] as const;
const LOCAL_SHARES = [0, 3000, 3000, 4000] as const;

export const PRODUCTS = {
  rice: { line: 'CROP', subject: '水稻（完全成本）', unit: 'MU', sumPerUnitFen: 110_000, ratePpm: 45_000, shares: CROP_SHARES },
  maize: { line: 'CROP', subject: '玉米（完全成本）', unit: 'MU', sumPerUnitFen: 80_000, ratePpm: 45_000, shares: CROP_SHARES },
  wheat: { line: 'CROP', subject: '小麦（完全成本）', unit: 'MU', sumPerUnitFen: 70_000, ratePpm: 27_200, shares: CROP_SHARES },
  potato: { line: 'CROP', subject: '马铃薯', unit: 'MU', sumPerUnitFen: 60_000, ratePpm: 50_000, shares: CROP_SHARES },
  sow: { line: 'LIVESTOCK', subject: '能繁母猪', unit: 'HEAD', sumPerUnitFen: 150_000, ratePpm: 60_000, shares: LIVESTOCK_SHARES },
  pig: { line: 'LIVESTOCK', subject: '育肥猪', unit: 'HEAD', sumPerUnitFen: 80_000, ratePpm: 55_000, shares: LIVESTOCK_SHARES },
  cattle: { line: 'LIVESTOCK', subject: '能繁母牛', unit: 'HEAD', sumPerUnitFen: 800_000, ratePpm: 40_000, shares: LIVESTOCK_SHARES },
  sheep: { line: 'LIVESTOCK', subject: '肉羊', unit: 'HEAD', sumPerUnitFen: 60_000, ratePpm: 60_000, shares: LIVESTOCK_SHARES },
  publicForest: { line: 'FORESTRY', subject: '公益林', unit: 'MU', sumPerUnitFen: 55_000, ratePpm: 1_180, shares: PUBLIC_FOREST_SHARES },
  teaIndex: { line: 'INDEX', subject: '茶叶低温气象指数', unit: 'MU', sumPerUnitFen: 150_000, ratePpm: 60_000, shares: LOCAL_SHARES },
  pigPrice: { line: 'PRICE', subject: '生猪价格指数', unit: 'HEAD', sumPerUnitFen: 150_000, ratePpm: 30_000, shares: LOCAL_SHARES },
  potatoIncome: { line: 'INCOME', subject: '马铃薯收入保险', unit: 'MU', sumPerUnitFen: 90_000, ratePpm: 60_000, shares: CROP_SHARES },
} as const satisfies Record<string, Product>;

/** The staple each province's group crop policies cover. */
const STAPLE: Record<string, Product> = {
  '45': PRODUCTS.rice,
  '51': PRODUCTS.potato,
  '52': PRODUCTS.maize,
  '53': PRODUCTS.maize,
  '62': PRODUCTS.potato,
  '64': PRODUCTS.potato,
  '65': PRODUCTS.wheat,
};

/** Provinces whose poverty funds pay the farmer share of registered households (demo assumption). */
const POVERTY_FUND_PAYS_FARMER = new Set(['45', '52', '62', '65']);

/** One household's (or the single holder's) part of a policy. */
export interface PolicyPart {
  household: HouseholdInfo | null;
  quantity: number;
  sumInsured: number;
  premium: number;
  /** central, provincial, county, farmer, poverty fund — fen, adding up to `premium`. */
  payers: [number, number, number, number, number];
}

/** Sum insured, premium and its payers for `quantity` (ten-thousandths of a unit). */
export function policyPart(product: Product, quantity: number, household: HouseholdInfo | null, povertyPays: boolean): PolicyPart {
  const sumInsured = mulDiv(quantity, product.sumPerUnitFen, 10_000);
  const premium = mulDiv(sumInsured, product.ratePpm, PPM);
  const [central, provincial, county, farmer] = splitByWeights(premium, product.shares);
  const payers: PolicyPart['payers'] = povertyPays ? [central, provincial, county, 0, farmer] : [central, provincial, county, farmer, 0];
  return { household, quantity, sumInsured, premium, payers };
}

export type Holder =
  | { kind: 'HOUSEHOLD'; household: HouseholdInfo }
  | { kind: 'ENTERPRISE'; id: number; creditCode: string }
  | { kind: 'GROUP' };

export interface PolicyOutcome {
  id: number;
  ref: string;
  insurer: Inst;
  countyCode: string;
  product: Product;
  startsOn: Day;
  endsOn: Day;
  parts: PolicyPart[];
  provenance: Provenance;
  /** Claims written on it so far (numbers its claim references). */
  claims: number;
}

/** Whether the poverty fund pays this household's farmer share on a date. */
export function povertyPaysFor(household: HouseholdInfo | null, provinceCode: string, on: Day): boolean {
  return household !== null && POVERTY_FUND_PAYS_FARMER.has(provinceCode) && isRegisteredOn(household, on);
}

/**
 * Writes a policy, its insured list when it is a group policy, and its first version.
 * Totals are the sums of the parts, so the payer shares add up to the premium exactly.
 */
export function emitPolicy(
  ctx: DemoContext,
  insurer: Inst,
  countyCode: string,
  product: Product,
  holder: Holder,
  startsOn: Day,
  endsOn: Day,
  parts: PolicyPart[],
): PolicyOutcome {
  const id = ctx.writer.id('insurance_policy');
  const year = iso(startsOn).slice(0, 4);
  const ref = `${insurer.code.replace(/^INS-/, '')}-${countyCode}-${year}-${String(next(ctx, `policy:${insurer.code}:${countyCode}:${year}`)).padStart(6, '0')}`;
  const batch = ctx.batches.get(insurer, 'policies', startsOn);
  const provenance = ctx.batches.of(batch);
  const total = (pick: (p: PolicyPart) => number): number => parts.reduce((s, p) => s + pick(p), 0);
  const payers = [0, 1, 2, 3, 4].map((i) => total((p) => p.payers[i]));
  const terms = {
    insurerCode: insurer.code,
    ref,
    countyCode,
    line: product.line,
    subject: product.subject,
    quantity: quantityString(total((p) => p.quantity)),
    unit: product.unit,
    sumInsured: yuan(total((p) => p.sumInsured)),
    premium: yuan(total((p) => p.premium)),
    centralShare: yuan(payers[0]),
    provincialShare: yuan(payers[1]),
    countyShare: yuan(payers[2]),
    farmerShare: yuan(payers[3]),
    povertyFundShare: yuan(payers[4]),
    startsOn: iso(startsOn),
    endsOn: iso(endsOn),
    holderKind: holder.kind,
    householdRef: holder.kind === 'HOUSEHOLD' ? holder.household.ref : null,
    enterpriseCreditCode: holder.kind === 'ENTERPRISE' ? holder.creditCode : null,
    insuredHouseholds:
      holder.kind === 'GROUP'
        ? parts.map((p) => ({ householdRef: p.household!.ref, quantity: quantityString(p.quantity), sumInsured: yuan(p.sumInsured), premium: yuan(p.premium) }))
        : undefined,
  };
  ctx.writer.add('insurance_policy', {
    id,
    ...provenance,
    institution_id: insurer.id,
    ref,
    county_code: countyCode,
    line: product.line,
    subject: product.subject,
    quantity: terms.quantity,
    unit: product.unit,
    sum_insured: terms.sumInsured,
    premium: terms.premium,
    central_share: terms.centralShare,
    provincial_share: terms.provincialShare,
    county_share: terms.countyShare,
    farmer_share: terms.farmerShare,
    poverty_fund_share: terms.povertyFundShare,
    starts_on: terms.startsOn,
    ends_on: terms.endsOn,
    holder_kind: holder.kind,
    household_id: holder.kind === 'HOUSEHOLD' ? holder.household.id : null,
    enterprise_id: holder.kind === 'ENTERPRISE' ? holder.id : null,
    version: 1,
  });
  if (holder.kind === 'GROUP') {
    for (const part of parts) {
      ctx.writer.add('policy_insured_household', {
        id: ctx.writer.id('policy_insured_household'),
        ...ctx.batches.stamp(batch),
        policy_id: id,
        household_id: part.household!.id,
        county_code: countyCode,
        quantity: quantityString(part.quantity),
        sum_insured: yuan(part.sumInsured),
        premium: yuan(part.premium),
      });
    }
  }
  recordVersion(ctx, 'INSURANCE_POLICY', id, 1, countyCode, terms, provenance);
  return { id, ref, insurer, countyCode, product, startsOn, endsOn, parts, provenance, claims: 0 };
}

export type ClaimCause = 'FLOOD' | 'DROUGHT' | 'EPIDEMIC' | 'DISEASE' | 'PRICE_DROP' | 'HAIL' | 'FROST' | 'PEST' | 'ACCIDENT' | 'CREDIT_DEFAULT';

/**
 * A claim on a policy: loss, agreement within weeks, payment within the legal number of
 * days after agreement — except a few agreed claims left unpaid for longer, for the
 * early-warning rule. Nothing after the end of 2020 is known: a claim not yet agreed or
 * paid by then stays open.
 */
export function emitClaim(
  ctx: DemoContext,
  rng: Rng,
  policy: PolicyOutcome,
  household: HouseholdInfo | null,
  cause: ClaimCause,
  disaster: DisasterRef | null,
  lossOn: Day,
  amountFen: number,
): void {
  if (lossOn > HORIZON || amountFen <= 0) return;
  const payDays = ctx.params.claimPaymentDays(lossOn);
  let agreedOn: Day | null = lossOn + rng.int(12, 45);
  let paidOn: Day | null = null;
  if (agreedOn > HORIZON) agreedOn = null;
  else if (!(agreedOn <= HORIZON - payDays - 1 && oneIn(ctx, 'claim-unpaid', 25))) {
    paidOn = agreedOn + rng.int(1, payDays);
    if (paidOn > HORIZON) paidOn = null;
  }
  const id = ctx.writer.id('claim');
  const ref = `${policy.ref}-C${++policy.claims}`;
  const provenance = ctx.batches.uncounted(policy.insurer, 'claims', paidOn ?? agreedOn ?? lossOn);
  const terms = {
    insurerCode: policy.insurer.code,
    ref,
    policyRef: policy.ref,
    countyCode: policy.countyCode,
    householdRef: household?.ref ?? null,
    cause,
    disasterEventRef: disaster?.ref ?? null,
    lossOn: iso(lossOn),
    agreedOn: agreedOn === null ? null : iso(agreedOn),
    agreedAmount: agreedOn === null ? null : yuan(amountFen),
    paidOn: paidOn === null ? null : iso(paidOn),
    paidAmount: paidOn === null ? null : yuan(amountFen),
  };
  ctx.writer.add('claim', {
    id,
    ...provenance,
    policy_id: policy.id,
    institution_id: policy.insurer.id,
    ref,
    county_code: policy.countyCode,
    household_id: household?.id ?? null,
    cause,
    disaster_event_id: disaster?.id ?? null,
    loss_on: terms.lossOn,
    agreed_on: terms.agreedOn,
    agreed_amount: terms.agreedAmount,
    paid_on: terms.paidOn,
    paid_amount: terms.paidAmount,
    version: 1,
  });
  recordVersion(ctx, 'CLAIM', id, 1, policy.countyCode, terms, provenance);
}

/** Loss ratio in ppm → claim amount on a sum insured. */
function lossAmount(rng: Rng, sumInsured: number, minPermille: number, maxPermille: number): number {
  return mulDiv(sumInsured, rng.int(minPermille, maxPermille), 1000);
}

/**
 * The village's group policies for 2019 and 2020: the province's staple crop for most
 * households, and public-welfare forest for some villages. Registered households'
 * farmer share is paid by the poverty fund where the province does so. Claims follow
 * the 2020 flood in flooded counties, and ordinary perils elsewhere.
 */
export function villagePolicies(ctx: DemoContext, rng: Rng, households: readonly HouseholdInfo[]): void {
  if (households.length === 0) return;
  const county = households[0].county;
  const insurers = ctx.institutions.provinces.get(county.provinceCode)!.insurers;
  const flood = ctx.disasters.flood;
  const flooded = hits(flood, county.code);
  for (const year of [2019, 2020]) {
    const insurer = rng.pick(insurers);
    const staple = STAPLE[county.provinceCode] ?? PRODUCTS.maize;
    const startsOn = dayOf(year, 3, 15) + rng.int(0, 45);
    const endsOn = dayOf(year, 10, 31) + rng.int(0, 30);
    const insured = households.filter((h) => rng.chance(isRegisteredOn(h, startsOn) ? 0.75 : 0.45));
    if (insured.length > 0) {
      const parts = insured.map((h) => policyPart(staple, rng.int(10, 80) * 1000, h, povertyPaysFor(h, county.provinceCode, startsOn)));
      const policy = emitPolicy(ctx, insurer, county.code, staple, { kind: 'GROUP' }, startsOn, endsOn, parts);
      if (year === 2020 && flooded && rng.chance(0.6)) {
        const lossOn = Math.max(flood.startsOn, startsOn + 1) + rng.int(0, 60);
        for (const part of parts) {
          if (rng.chance(0.45)) emitClaim(ctx, rng, policy, part.household, 'FLOOD', flood, lossOn + rng.int(0, 10), lossAmount(rng, part.sumInsured, 200, 800));
        }
      } else if (rng.chance(0.08)) {
        const cause = rng.pick(['DROUGHT', 'HAIL', 'PEST', 'FROST'] as const);
        const lossOn = startsOn + rng.int(30, Math.max(31, endsOn - startsOn - 10));
        for (const part of parts) {
          if (rng.chance(0.35)) emitClaim(ctx, rng, policy, part.household, cause, null, lossOn, lossAmount(rng, part.sumInsured, 100, 500));
        }
      }
    }
    if (rng.chance(0.3)) {
      const forestOwners = households.filter(() => rng.chance(0.4));
      if (forestOwners.length > 0) {
        const forestStart = dayOf(year, 1, 1) + rng.int(0, 60);
        const parts = forestOwners.map((h) => policyPart(PRODUCTS.publicForest, rng.int(50, 500) * 1000, h, povertyPaysFor(h, county.provinceCode, forestStart)));
        const policy = emitPolicy(ctx, insurer, county.code, PRODUCTS.publicForest, { kind: 'GROUP' }, forestStart, addMonths(forestStart, 12) - 1, parts);
        if (year === 2020 && flooded && rng.chance(0.3)) {
          const lossOn = flood.startsOn + rng.int(0, 80);
          for (const part of parts) {
            if (rng.chance(0.3)) emitClaim(ctx, rng, policy, part.household, 'FLOOD', flood, lossOn, lossAmount(rng, part.sumInsured, 100, 400));
          }
        }
      }
    }
  }
}

/**
 * A household's own policies: breeding or fattening livestock for some, a few weather
 * index, price and income policies. Swine fever in 2019 and the epidemic's price slump
 * in early 2020 drive claims that cite those events.
 */
export function householdPolicies(ctx: DemoContext, rng: Rng, household: HouseholdInfo): void {
  const county = household.county;
  const insurers = ctx.institutions.provinces.get(county.provinceCode)!.insurers;
  const { swineFever, epidemic } = ctx.disasters;
  for (const year of [2019, 2020]) {
    if (rng.chance(0.12)) {
      const product = rng.weighted<Product>([[PRODUCTS.sow, 3], [PRODUCTS.pig, 3], [PRODUCTS.cattle, 2], [PRODUCTS.sheep, county.provinceCode === '65' || county.provinceCode === '64' ? 4 : 1]]);
      const heads = product === PRODUCTS.pig ? rng.int(5, 30) : product === PRODUCTS.sheep ? rng.int(10, 50) : rng.int(1, 5);
      const startsOn = dayOf(year, 1, 1) + rng.int(0, 330);
      const part = policyPart(product, heads * 10_000, household, povertyPaysFor(household, county.provinceCode, startsOn));
      const policy = emitPolicy(ctx, rng.pick(insurers), county.code, product, { kind: 'HOUSEHOLD', household }, startsOn, addMonths(startsOn, 12) - 1, [part]);
      const pigs = product === PRODUCTS.sow || product === PRODUCTS.pig;
      if (pigs && hits(swineFever, county.code) && startsOn < swineFever.endsOn && rng.chance(0.35)) {
        const lossOn = Math.max(startsOn, swineFever.startsOn) + rng.int(5, 120);
        if (lossOn <= swineFever.endsOn) emitClaim(ctx, rng, policy, null, 'DISEASE', swineFever, lossOn, lossAmount(rng, part.sumInsured, 300, 1000));
      } else if (rng.chance(0.05)) {
        emitClaim(ctx, rng, policy, null, rng.pick(['DISEASE', 'ACCIDENT'] as const), null, startsOn + rng.int(20, 330), lossAmount(rng, part.sumInsured, 150, 700));
      }
    }
  }
  if (rng.chance(0.015)) {
    const startsOn = dayOf(2019 + rng.int(0, 1), 1, 1) + rng.int(0, 60);
    const part = policyPart(PRODUCTS.teaIndex, rng.int(20, 100) * 1000, household, false);
    const policy = emitPolicy(ctx, rng.pick(insurers), county.code, PRODUCTS.teaIndex, { kind: 'HOUSEHOLD', household }, startsOn, addMonths(startsOn, 6), [part]);
    if (rng.chance(0.25)) emitClaim(ctx, rng, policy, null, 'FROST', null, startsOn + rng.int(10, 90), lossAmount(rng, part.sumInsured, 100, 500));
  }
  if (rng.chance(0.015)) {
    const startsOn = day('2019-09-01') + rng.int(0, 150);
    const part = policyPart(PRODUCTS.pigPrice, rng.int(5, 40) * 10_000, household, false);
    const policy = emitPolicy(ctx, rng.pick(insurers), county.code, PRODUCTS.pigPrice, { kind: 'HOUSEHOLD', household }, startsOn, addMonths(startsOn, 12) - 1, [part]);
    if (rng.chance(0.5)) {
      const lossOn = Math.max(startsOn + 1, epidemic.startsOn) + rng.int(0, 60);
      emitClaim(ctx, rng, policy, null, 'EPIDEMIC', epidemic, lossOn, lossAmount(rng, part.sumInsured, 50, 250));
    }
  }
  if (rng.chance(0.005)) {
    const startsOn = dayOf(2019 + rng.int(0, 1), 3, 1) + rng.int(0, 45);
    const part = policyPart(PRODUCTS.potatoIncome, rng.int(10, 60) * 1000, household, povertyPaysFor(household, county.provinceCode, startsOn));
    const policy = emitPolicy(ctx, rng.pick(insurers), county.code, PRODUCTS.potatoIncome, { kind: 'HOUSEHOLD', household }, startsOn, addMonths(startsOn, 8), [part]);
    if (rng.chance(0.2)) emitClaim(ctx, rng, policy, null, 'PRICE_DROP', null, startsOn + rng.int(120, 230), lossAmount(rng, part.sumInsured, 100, 400));
  }
}

/**
 * A credit-linked policy (loan guarantee insurance) over a loan's principal and term,
 * 0.8 % a year of the sum insured; the farmer pays, or the poverty fund for registered
 * households in the provinces that do so.
 */
export function creditLinkedPolicy(
  ctx: DemoContext,
  rng: Rng,
  countyCode: string,
  provinceCode: string,
  holder: Holder,
  principal: number,
  startsOn: Day,
  endsOn: Day,
): PolicyOutcome {
  const insurers = ctx.institutions.provinces.get(provinceCode)!.insurers;
  const months = Math.max(1, Math.round((endsOn - startsOn) / 30.4));
  const product: Product = {
    line: 'CREDIT_LINKED',
    subject: '小额贷款保证保险',
    unit: 'YUAN',
    sumPerUnitFen: 100,
    ratePpm: Math.min(PPM, mulDiv(8_000, months, 12)),
    shares: [0, 0, 0, 1],
  };
  const household = holder.kind === 'HOUSEHOLD' ? holder.household : null;
  const part = policyPart(product, principal * 100, household, household !== null && rng.chance(0.7) && povertyPaysFor(household, provinceCode, startsOn));
  return emitPolicy(ctx, rng.pick(insurers), countyCode, product, holder, startsOn, endsOn, [part]);
}

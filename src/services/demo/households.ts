import { deterministicHouseholdRef, encryptPii, matchHash, syntheticNationalId } from '../identity';
import { day, dayOf, iso, parts, WINDOW_START, type Day } from './calendar';
import { recordVersion, type DemoContext } from './context';
import { syntheticName, syntheticPhone } from './names';
import { Rng } from './prng';
import type { CountyRef, VillageRef } from './reference';

export type HouseholdStatus = 'REGISTERED_POOR' | 'LIFTED_OUT' | 'MARGINAL' | 'OTHER';

export interface StatusChange {
  status: HouseholdStatus;
  on: Day;
  exitYear: number | null;
  reason: string;
}

/** A generated household, as the finance generators need it. */
export interface HouseholdInfo {
  index: number;
  id: number;
  ref: string;
  county: CountyRef;
  village: VillageRef;
  history: StatusChange[];
  registeredOn: Day | null;
  marginalFrom: Day | null;
  headBirth: Day;
  size: number;
}

/** The largest demo size whose synthetic national IDs are guaranteed distinct. */
export const MAX_DEMO_HOUSEHOLDS = 10_000_000;

const OTHER_SINCE = day('2014-10-01');
const BIRTH_FROM = day('1950-01-01');
const BIRTH_TO = day('2000-12-31');
const ID_SEQUENCES = 100_000;
const BIRTH_CLASSES = MAX_DEMO_HOUSEHOLDS / ID_SEQUENCES;

/**
 * The synthetic national ID number of household `index`'s head, in the reserved range of
 * `syntheticNationalId` (never a real person's): the only place the plaintext exists is
 * this function's return value, which the generator hashes and drops. Tests recompute it
 * to check the stored match hash.
 *
 * Distinct for distinct indexes: the sequence is `index mod 100,000`, and the birth date
 * is drawn among days whose number is congruent to `floor(index / 100,000)` modulo 100,
 * so two indexes with the same sequence never share a birth date. Heads are born
 * 1950–2000 (aged 20–70 in 2020).
 */
export function demoHeadNationalId(seed: number, index: number, provinceCode: string): { id: string; birthDate: Day } {
  if (!Number.isSafeInteger(index) || index < 0 || index >= MAX_DEMO_HOUSEHOLDS) {
    throw new RangeError(`demoHeadNationalId: index must be 0..${MAX_DEMO_HOUSEHOLDS - 1}`);
  }
  const rng = new Rng(`tripod-demo:${seed}/identity:${index}`);
  const birthClass = Math.floor(index / ID_SEQUENCES);
  const base = BIRTH_FROM + ((((birthClass - BIRTH_FROM) % BIRTH_CLASSES) + BIRTH_CLASSES) % BIRTH_CLASSES);
  const choices = Math.floor((BIRTH_TO - base) / BIRTH_CLASSES) + 1;
  const birthDate = base + BIRTH_CLASSES * rng.int(0, choices - 1);
  return { id: syntheticNationalId(provinceCode, iso(birthDate), index % ID_SEQUENCES), birthDate };
}

/** Age in whole years on a date. */
export function ageOn(birth: Day, on: Day): number {
  const b = parts(birth);
  const d = parts(on);
  return d.year - b.year - (d.month < b.month || (d.month === b.month && d.dayOfMonth < b.dayOfMonth) ? 1 : 0);
}

/** The household's status on a date (null before its first recorded status). */
export function statusOn(household: HouseholdInfo, on: Day): HouseholdStatus | null {
  let status: HouseholdStatus | null = null;
  for (const change of household.history) {
    if (change.on > on) break;
    status = change.status;
  }
  return status;
}

/** Registered in the poverty registry on a date: REGISTERED_POOR or LIFTED_OUT. */
export function isRegisteredOn(household: HouseholdInfo, on: Day): boolean {
  const status = statusOn(household, on);
  return status === 'REGISTERED_POOR' || status === 'LIFTED_OUT';
}

/**
 * One household with its dated registry history, its head's identity (keyed hash only)
 * and encrypted name and phone, reported by the county government.
 *
 * Status mix: about 55 % registered in 2014–2016 (建档立卡) and lifted out by year — in
 * the uncapped counties most of those still poor in 2019 exit in 2019–2020, all by
 * 20 November 2020 — about 8 % identified as marginal from March 2020, the rest
 * ordinary farmers (OTHER).
 */
export function generateHousehold(ctx: DemoContext, rng: Rng, index: number, county: CountyRef, village: VillageRef): HouseholdInfo {
  const government = ctx.institutions.counties.get(county.code)!.government;
  const id = ctx.writer.id('household');
  const ref = deterministicHouseholdRef(ctx.seed, index);
  const { id: nationalId, birthDate } = demoHeadNationalId(ctx.seed, index, county.provinceCode);

  const history: StatusChange[] = [];
  let registeredOn: Day | null = null;
  let marginalFrom: Day | null = null;
  let attribute: string | null = null;
  const roll = rng.next();
  if (roll < 0.55) {
    registeredOn = rng.weighted<Day>([
      [day('2014-10-01') + rng.int(0, 90), 70],
      [day('2015-03-01') + rng.int(0, 270), 15],
      [day('2016-03-01') + rng.int(0, 270), 15],
    ]);
    history.push({ status: 'REGISTERED_POOR', on: registeredOn, exitYear: null, reason: '建档立卡识别为贫困户' });
    let exitYear = rng.weighted<number>([[2016, 8], [2017, 12], [2018, 20], [2019, 32], [2020, 28]]);
    let exitOn = exitDay(rng, exitYear);
    while (exitOn < registeredOn + 180 && exitYear < 2020) {
      exitYear++;
      exitOn = exitDay(rng, exitYear);
    }
    history.push({ status: 'LIFTED_OUT', on: exitOn, exitYear, reason: '达到脱贫标准，退出贫困户' });
    attribute = rng.weighted<string>([['GENERAL', 75], ['SUBSISTENCE_ALLOWANCE', 20], ['EXTREME_HARDSHIP', 5]]);
  } else if (roll < 0.63) {
    marginalFrom = day('2020-03-20') + rng.int(0, 270);
    history.push({ status: 'OTHER', on: OTHER_SINCE, exitYear: null, reason: '未纳入建档立卡' });
    history.push({ status: 'MARGINAL', on: marginalFrom, exitYear: null, reason: '防止返贫监测：识别为边缘易致贫户' });
  } else {
    history.push({ status: 'OTHER', on: OTHER_SINCE, exitYear: null, reason: '未纳入建档立卡' });
  }
  const size = attribute === 'EXTREME_HARDSHIP' ? rng.int(1, 2) : rng.weighted<number>([[1, 4], [2, 10], [3, 18], [4, 26], [5, 20], [6, 12], [7, 6], [8, 4]]);

  const initial = ctx.batches.get(government, 'households', WINDOW_START);
  for (const change of history) {
    const batch = change.on < WINDOW_START ? initial : ctx.batches.get(government, 'statusChanges', change.on);
    ctx.writer.add('household_status_change', {
      id: ctx.writer.id('household_status_change'),
      ...ctx.batches.stamp(batch),
      household_id: id,
      county_code: county.code,
      status: change.status,
      valid_from: iso(change.on),
      exit_year: change.exitYear,
      reason: change.reason,
    });
  }
  const latest = history[history.length - 1];
  const latestBatch = latest.on < WINDOW_START ? initial : ctx.batches.get(government, 'statusChanges', latest.on);
  ctx.writer.add('household', {
    id,
    ...ctx.batches.of(latestBatch),
    ref,
    village_code: village.code,
    county_code: county.code,
    status: latest.status,
    status_since: iso(latest.on),
    exit_year: latest.status === 'LIFTED_OUT' ? latest.exitYear : null,
    registered_on: registeredOn === null ? null : iso(registeredOn),
    attribute,
    size,
    name_enc: encryptPii(ctx.piiKeys, syntheticName(rng, county.code)),
    phone_enc: rng.chance(0.9) ? encryptPii(ctx.piiKeys, syntheticPhone(rng)) : null,
    pii_key_version: ctx.piiKeys.current,
    version: 1,
  });
  const hash = matchHash(ctx.matchKeys, nationalId);
  ctx.writer.add('household_identity', {
    id: ctx.writer.id('household_identity'),
    household_id: id,
    county_code: county.code,
    key_version: hash.version,
    match_hash: hash.hash,
    valid_from: initial.receivedAt,
    valid_to: null,
  });
  // The registry attributes are the household's versioned terms; its status has its own
  // dated history, and PII never goes into terms.
  recordVersion(ctx, 'HOUSEHOLD', id, 1, county.code, {
    ref,
    countyCode: county.code,
    villageCode: village.code,
    registeredOn: registeredOn === null ? null : iso(registeredOn),
    attribute,
    size,
  }, ctx.batches.of(initial));

  return { index, id, ref, county, village, history, registeredOn, marginalFrom, headBirth: birthDate, size };
}

/** The day a household exits in `year`: assessed at year end, in 2020 by 20 November. */
function exitDay(rng: Rng, year: number): Day {
  if (year >= 2020) return day('2020-05-01') + rng.int(0, 203);
  return dayOf(year, 11, 1) + rng.int(0, 57);
}

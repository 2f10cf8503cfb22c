import { splitByWeights } from './money';
import type { Rng } from './prng';
import type { CountyRef, VillageRef } from './reference';

export interface VillagePlan {
  village: VillageRef;
  households: number;
}

export interface CountyPlan {
  county: CountyRef;
  households: number;
  villages: VillagePlan[];
}

/** Households per inhabited village at small sizes, so village pages are not near-empty. */
const MIN_PER_VILLAGE = 20;

/**
 * Spreads the demo households over the counties (in proportion to their villagers'
 * committees, with some jitter) and, within a county, over a sample of its villages —
 * villagers' committees mostly, some residents' committees — at about 20 households per
 * village, or over all villages when the size allows.
 */
export function allocateHouseholds(rng: Rng, counties: readonly CountyRef[], total: number): CountyPlan[] {
  const committees = counties.map((c) => c.villages.filter((v) => v.villagersCommittee).length);
  const allCommittees = committees.reduce((s, n) => s + n, 0);
  const perCounty = splitByWeights(total, committees.map((n) => n * rng.int(80, 120)));
  const perVillage = Math.max(MIN_PER_VILLAGE, Math.ceil(total / allCommittees));
  return counties.map((county, i) => {
    const households = perCounty[i];
    if (households === 0) return { county, households, villages: [] };
    const villagers = county.villages.filter((v) => v.villagersCommittee);
    const residents = county.villages.filter((v) => v.residentsCommittee);
    const wanted = Math.max(1, Math.round(households / perVillage));
    const fromResidents = Math.min(residents.length, Math.round(wanted * 0.05));
    const fromVillagers = Math.min(villagers.length, Math.max(1, wanted - fromResidents));
    const chosen = [...rng.sample(villagers, fromVillagers), ...rng.sample(residents, fromResidents)].sort((a, b) => (a.code < b.code ? -1 : 1));
    const counts = splitByWeights(households, chosen.map(() => rng.int(50, 150)));
    return {
      county,
      households,
      villages: chosen.map((village, k) => ({ village, households: counts[k] })).filter((v) => v.households > 0),
    };
  });
}

import type { Inst } from './batches';
import { day, iso, monthEndOf, MONTH_ENDS, type Day } from './calendar';
import { recordVersion, type DemoContext } from './context';
import { DEMO_SUFFIX } from './institutions';
import { mulDiv, yuan } from './money';
import type { Rng } from './prng';
import type { CountyRef, VillageRef } from './reference';

type Kind = 'BRANCH' | 'ATM' | 'AGENT' | 'MOBILE';

/** Monthly transactions of a point by kind: [min, max] of its typical month. */
const TYPICAL: Record<Kind, [number, number]> = {
  BRANCH: [600, 3000],
  ATM: [120, 800],
  AGENT: [20, 220],
  MOBILE: [8, 60],
};

/**
 * Average amount of one transaction by kind, fen: [min, max] of a point's typical ticket.
 * Village agents pay out small help-farmer withdrawals, branches handle loans and
 * remittances.
 */
const TICKET_FEN: Record<Kind, [number, number]> = {
  BRANCH: [150_000, 600_000],
  ATM: [40_000, 120_000],
  AGENT: [20_000, 80_000],
  MOBILE: [30_000, 100_000],
};

/** Month-end factors (percent): Spring Festival peaks, the February 2020 epidemic slump. */
const SEASONAL: Record<string, number> = {
  '2019-01-31': 115,
  '2019-02-28': 130,
  '2020-01-31': 130,
  '2020-02-29': 35,
  '2020-03-31': 70,
};

/**
 * Basic financial service points of a county's villages: a help-farmer withdrawal agent
 * in almost every villagers' committee (a few have none), ATMs and mobile services in
 * some, a branch and an ATM in each township seat; a few points closed, a few dormant
 * (no transactions) for the last three to six months of 2020. Monthly activity for every
 * month a point was open, with its transaction amount: the count × a typical ticket of the
 * point, varied ±25 % per month. The amounts come from a stream derived per point, so
 * adding them left every other generated value as it was.
 */
export function servicePoints(ctx: DemoContext, rng: Rng, county: CountyRef): void {
  const banks = ctx.institutions.counties.get(county.code)!;
  const townshipsWithBranch = new Set<string>();
  for (const village of county.villages) {
    const points: Array<[Kind, Inst]> = [];
    if (village.villagersCommittee) {
      if (rng.chance(0.965)) points.push(['AGENT', rng.chance(0.8) ? banks.rcb : banks.agb]);
      if (rng.chance(0.12)) points.push(rng.chance(0.5) ? ['MOBILE', banks.rcb] : ['ATM', banks.agb]);
    } else if (village.residentsCommittee) {
      if (!townshipsWithBranch.has(village.townshipCode)) {
        townshipsWithBranch.add(village.townshipCode);
        points.push(['BRANCH', banks.rcb]);
        if (rng.chance(0.6)) points.push(['ATM', banks.agb]);
      } else if (rng.chance(0.3)) {
        points.push(['ATM', rng.pick([banks.rcb, banks.agb])]);
      }
    }
    points.forEach(([kind, bank], i) => emitPoint(ctx, rng, county, village, kind, bank, i + 1));
  }
}

function emitPoint(ctx: DemoContext, rng: Rng, county: CountyRef, village: VillageRef, kind: Kind, bank: Inst, serial: number): void {
  const id = ctx.writer.id('service_point');
  const ref = `SP-${village.code}-${serial}`;
  const name =
    kind === 'AGENT'
      ? `${village.name}助农取款服务点${DEMO_SUFFIX}`
      : kind === 'ATM'
        ? `${village.name}自助取款机${DEMO_SUFFIX}`
        : kind === 'MOBILE'
          ? `${village.name}流动金融服务站${DEMO_SUFFIX}`
          : `${bank.name.replace(DEMO_SUFFIX, '')}${village.townshipName}网点${DEMO_SUFFIX}`;
  const openedOn = rng.chance(0.85) ? day('2014-06-01') + rng.int(0, day('2018-12-31') - day('2014-06-01')) : day('2019-01-01') + rng.int(0, 660);
  const closedOn = rng.chance(0.01) ? Math.max(openedOn + 30, day('2020-01-01') + rng.int(0, 330)) : null;
  const dormantFrom = closedOn === null && rng.chance(0.02) ? MONTH_ENDS[rng.int(18, 21)] : null;
  const provenance = ctx.batches.uncounted(bank, 'servicePoints', closedOn ?? openedOn);
  const terms = {
    bankCode: bank.code,
    ref,
    kind,
    name,
    villageCode: village.code,
    countyCode: county.code,
    openedOn: iso(openedOn),
    closedOn: closedOn === null ? null : iso(closedOn),
  };
  ctx.writer.add('service_point', {
    id,
    ...provenance,
    institution_id: bank.id,
    ref,
    kind,
    name,
    village_code: village.code,
    county_code: county.code,
    opened_on: terms.openedOn,
    closed_on: terms.closedOn,
    version: 1,
  });
  recordVersion(ctx, 'SERVICE_POINT', id, 1, county.code, terms, provenance);

  const [low, high] = TYPICAL[kind];
  const typical = rng.int(low, high);
  // A derived stream: drawing from `rng` here would shift everything generated after this point.
  const tickets = rng.derive(`ticket/${bank.code}/${ref}`);
  const [ticketLow, ticketHigh] = TICKET_FEN[kind];
  const ticket = tickets.int(ticketLow, ticketHigh);
  const firstMonth = monthEndOf(openedOn);
  const lastMonth: Day | null = closedOn === null ? null : monthEndOf(closedOn);
  for (const monthEnd of MONTH_ENDS) {
    if (monthEnd < firstMonth) continue;
    if (lastMonth !== null && monthEnd > lastMonth) break;
    const factor = SEASONAL[iso(monthEnd)] ?? 100;
    const transactions = dormantFrom !== null && monthEnd >= dormantFrom ? 0 : Math.round((typical * factor * rng.int(80, 120)) / 10_000);
    ctx.writer.add('service_point_activity', {
      id: ctx.writer.id('service_point_activity'),
      ...ctx.batches.provenance(bank, 'serviceActivity', monthEnd),
      service_point_id: id,
      county_code: county.code,
      month: iso(monthEnd),
      transactions,
      amount: yuan(mulDiv(transactions * ticket, tickets.int(75, 125), 100)),
    });
  }
}

import { day } from './calendar';
import { recordVersion, type DemoContext, type DisasterRef, type Disasters } from './context';
import type { CountyRef } from './reference';

/**
 * Counties hit by the demo's 2020 summer flood: the Guangxi counties and the Guizhou
 * counties of Qiandongnan, Tongren and Qianxinan, regions flooded in June–July 2020.
 */
const FLOOD_PREFIXES = ['45', '522633', '522632', '520627', '522326'];
/** Prefectures of the demo's 2019 African swine fever event. */
const SWINE_FEVER_PREFECTURES = ['5134', '5306', '5326'];

/**
 * The demo's disaster events, reported by the hub operator: the 2020 epidemic over the
 * seven provinces, a 2020 flood over some counties, and a 2019 African swine fever event
 * over a few prefectures. Deferrals and claims cite them.
 */
export function createDisasters(ctx: Pick<DemoContext, 'writer' | 'batches' | 'institutions'>, counties: readonly CountyRef[]): Disasters {
  const provinces = [...new Set(counties.map((c) => c.provinceCode))].sort();
  const floodCounties = counties.map((c) => c.code).filter((code) => FLOOD_PREFIXES.some((p) => code.startsWith(p)));
  const prefectures = new Set(counties.map((c) => c.prefectureCode));
  const found = SWINE_FEVER_PREFECTURES.filter((p) => prefectures.has(p));
  const swineFeverAreas = found.length > 0 ? found : [counties[0].code];
  return {
    epidemic: add(ctx, 'DEMO-EPIDEMIC-2020', 'EPIDEMIC', '2020年新冠肺炎疫情（演示）', '2020-01-23', '2020-03-31', provinces),
    flood: add(ctx, 'DEMO-FLOOD-2020', 'FLOOD', '2020年汛期洪涝灾害（演示）', '2020-06-01', '2020-08-31', floodCounties),
    swineFever: add(ctx, 'DEMO-ASF-2019', 'ANIMAL_DISEASE', '2019年非洲猪瘟疫情（演示）', '2019-03-01', '2019-12-31', swineFeverAreas),
  };
}

function add(
  ctx: Pick<DemoContext, 'writer' | 'batches' | 'institutions'>,
  ref: string,
  kind: string,
  name: string,
  startsOn: string,
  endsOn: string,
  areas: string[],
): DisasterRef {
  const id = ctx.writer.id('disaster_event');
  const provenance = ctx.batches.uncounted(ctx.institutions.operator, 'disasters', day(startsOn));
  ctx.writer.add('disaster_event', { id, ...provenance, ref, kind, name, starts_on: startsOn, ends_on: endsOn });
  for (const area of areas) {
    ctx.writer.add('disaster_area', { id: ctx.writer.id('disaster_area'), event_id: id, area_code: area });
  }
  recordVersion(ctx, 'DISASTER_EVENT', id, 1, areas[0], { ref, kind, name, startsOn, endsOn, areaCodes: areas }, provenance);
  return { id, ref, startsOn: day(startsOn), endsOn: day(endsOn), areas };
}

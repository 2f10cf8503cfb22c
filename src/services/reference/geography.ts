import path from 'node:path';
import type { ClientBase } from 'pg';
import { readCsv } from './csv';

export const REFERENCE_DIR = path.resolve(__dirname, '../../../data/reference');

interface AreaRow {
  code: string;
  name: string;
  level: 'PROVINCE' | 'PREFECTURE' | 'COUNTY' | 'TOWNSHIP' | 'VILLAGE';
  parent: string | null;
  statisticalOnly: boolean;
}

interface DesignationRow {
  area: string;
  kind: string;
  validFrom: string;
  validTo: string | null;
  basis: string;
}

/**
 * County-level codes whose digits 5–6 are 71–79 are statistics-only units (development
 * zones, industrial parks, new areas), not GB/T 2260 counties. They are kept, flagged,
 * because villages hang below them.
 */
export function isStatisticalOnlyCounty(code: string): boolean {
  const unit = Number(code.slice(4, 6));
  return unit >= 71 && unit <= 79;
}

/** Reads the shipped reference files into area rows, parents before children. */
export function readAreas(dir = REFERENCE_DIR): AreaRow[] {
  const file = (name: string) => readCsv(path.join(dir, name));
  return [
    ...file('provinces.csv').map((r): AreaRow => ({ code: r.code, name: r.name, level: 'PROVINCE', parent: null, statisticalOnly: false })),
    ...file('prefectures.csv').map((r): AreaRow => ({ code: r.code, name: r.name, level: 'PREFECTURE', parent: r.provinceCode, statisticalOnly: false })),
    ...file('counties.csv').map((r): AreaRow => ({
      code: r.code,
      name: r.name,
      level: 'COUNTY',
      parent: r.cityCode,
      statisticalOnly: isStatisticalOnlyCounty(r.code),
    })),
    ...file('townships-uncapped-counties.csv').map((r): AreaRow => ({ code: r.code, name: r.name, level: 'TOWNSHIP', parent: r.areaCode, statisticalOnly: false })),
    ...file('villages-uncapped-counties.csv').map((r): AreaRow => ({ code: r.code, name: r.name, level: 'VILLAGE', parent: r.streetCode, statisticalOnly: false })),
  ];
}

export const UNCAPPED_FROM = '2020-01-01';
/** The day after the last exit announcement (23 Nov 2020): designations are valid on [from, to). */
export const UNCAPPED_TO = '2020-11-24';
export const NATIONAL_POVERTY_FROM = '2014-01-01';
export const DEEPLY_IMPOVERISHED_FROM = '2017-06-23';

/**
 * Derives the real dated designations from the reference files: the 52 uncapped counties
 * (UNCAPPED_2020 and, since all 52 are among the 832, NATIONAL_POVERTY_COUNTY) and every
 * county whose code starts with a "three regions and three states" prefix
 * (DEEPLY_IMPOVERISHED). No licensed machine-readable list of all 832 exists, so only
 * these 52 carry NATIONAL_POVERTY_COUNTY until a user loads more.
 */
export function readDesignations(counties: readonly string[], dir = REFERENCE_DIR): DesignationRow[] {
  const uncapped = readCsv(path.join(dir, 'uncapped-counties-2020.csv'));
  const prefixes = readCsv(path.join(dir, 'deeply-impoverished-areas.csv'));
  const rows: DesignationRow[] = [];
  for (const county of uncapped) {
    rows.push({
      area: county.code,
      kind: 'UNCAPPED_2020',
      validFrom: UNCAPPED_FROM,
      validTo: UNCAPPED_TO,
      basis: 'Listed supervision (挂牌督战) of the 52 remaining poverty counties in 2020; all exited by 23 Nov 2020 (uncapped-counties-2020.csv)',
    });
    rows.push({
      area: county.code,
      kind: 'NATIONAL_POVERTY_COUNTY',
      validFrom: NATIONAL_POVERTY_FROM,
      validTo: null,
      basis: 'One of the 832 national poverty counties (2014 list); every uncapped county of 2020 is among them',
    });
  }
  for (const code of counties) {
    const match = prefixes.find((p) => code.startsWith(p.code_prefix));
    if (match) {
      rows.push({
        area: code,
        kind: 'DEEPLY_IMPOVERISHED',
        validFrom: DEEPLY_IMPOVERISHED_FROM,
        validTo: null,
        basis: `Three regions and three states (三区三州): ${match.part}, ${match.name} (deeply-impoverished-areas.csv; start date [K])`,
      });
    }
  }
  return rows;
}

/**
 * Loads the reference geography and its designations into `area` and `area_designation`.
 * Idempotent: rows already present are left as they are, so it runs on every start.
 */
export async function loadGeography(client: ClientBase, dir = REFERENCE_DIR): Promise<{ areas: number; designations: number }> {
  const areas = readAreas(dir);
  const chunk = 5000;
  let insertedAreas = 0;
  for (let i = 0; i < areas.length; i += chunk) {
    const part = areas.slice(i, i + chunk);
    const result = await client.query(
      `insert into area (code, name, level, parent_code, statistical_only)
       select * from unnest($1::varchar[], $2::varchar[], $3::text[], $4::varchar[], $5::boolean[])
       on conflict (code) do nothing`,
      [part.map((a) => a.code), part.map((a) => a.name), part.map((a) => a.level), part.map((a) => a.parent), part.map((a) => a.statisticalOnly)],
    );
    insertedAreas += result.rowCount ?? 0;
  }
  const counties = areas.filter((a) => a.level === 'COUNTY').map((a) => a.code);
  const designations = readDesignations(counties, dir);
  const result = await client.query(
    `insert into area_designation (area_code, kind, valid_from, valid_to, basis, demo_only)
     select d.*, false from unnest($1::varchar[], $2::text[], $3::date[], $4::date[], $5::text[]) as d
     on conflict (area_code, kind, valid_from) do nothing`,
    [
      designations.map((d) => d.area),
      designations.map((d) => d.kind),
      designations.map((d) => d.validFrom),
      designations.map((d) => d.validTo),
      designations.map((d) => d.basis),
    ],
  );
  return { areas: insertedAreas, designations: result.rowCount ?? 0 };
}

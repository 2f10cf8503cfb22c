import type { BulkWriter } from './bulk-writer';
import type { Rng } from './prng';
import type { CountyRef } from './reference';

const DEMO_BASIS = {
  RELOCATION_AREA:
    '演示数据：合成的易地扶贫搬迁安置区标注，非官方名单 — synthetic demo designation (relocation area) chosen by the demo generator, not an official list',
  REVITALIZATION_KEY_COUNTY:
    '演示数据：合成的乡村振兴重点帮扶县标注，非官方名单 — synthetic demo designation (rural revitalization key county) chosen by the demo generator, not an official list',
};

/**
 * Marks some demo counties as relocation areas (2016–, the relocation programme of the
 * 13th five-year plan) and as revitalization key counties (from August 2021), with
 * `demo_only` set: no licensed list of either exists in the reference data.
 *
 * @returns the relocation counties, where RELOCATION_SUPPORT loans are made.
 */
export function createDemoDesignations(writer: BulkWriter, rng: Rng, counties: readonly CountyRef[]): Set<string> {
  const codes = counties.map((c) => c.code);
  const relocation = rng.sample(codes, Math.max(1, Math.round(codes.length * 0.2)));
  const revitalization = rng.sample(codes, Math.max(1, Math.round(codes.length * 0.4)));
  for (const code of relocation) {
    writer.add('area_designation', {
      id: writer.id('area_designation'),
      area_code: code,
      kind: 'RELOCATION_AREA',
      valid_from: '2016-01-01',
      valid_to: null,
      basis: DEMO_BASIS.RELOCATION_AREA,
      demo_only: true,
    });
  }
  for (const code of revitalization) {
    writer.add('area_designation', {
      id: writer.id('area_designation'),
      area_code: code,
      kind: 'REVITALIZATION_KEY_COUNTY',
      valid_from: '2021-08-27',
      valid_to: null,
      basis: DEMO_BASIS.REVITALIZATION_KEY_COUNTY,
      demo_only: true,
    });
  }
  return new Set(relocation);
}

/**
 * The world of the regulator-side ingestion tests: the ingestion world (banks, insurer,
 * guarantor, county government of 望谟县, a central-bank branch) plus regulators with
 * institutions and area scopes — a prefecture regulator over both seeded counties, the
 * central-bank branch scoped to one county, a regulator of another province — and the
 * government of the other county.
 */
import { Client } from 'pg';
import type { TestDatabase } from '../helpers';
import { COUNTY, OTHER_COUNTY, useIngestionWorld, type IngestionWorld } from './ingestion-world';

export { COUNTY, OTHER_COUNTY, VILLAGE, RESULT_FIELDS } from './ingestion-world';

/** The prefecture (黔西南州) both seeded counties belong to. */
export const PREFECTURE = '5223';

export function useOversightWorld(db: TestDatabase): IngestionWorld {
  const world = useIngestionWorld(db);
  beforeAll(async () => {
    const client = new Client({ connectionString: db.url() });
    await client.connect();
    try {
      const institution = async (code: string, name: string, kind: string, homeArea: string) =>
        String((await client.query('INSERT INTO institution (code, name, kind, home_area_code) VALUES ($1, $2, $3, $4) RETURNING id', [code, name, kind, homeArea])).rows[0].id);
      const ids = world.ids;
      ids.regulator = await institution('T-CBIRC', '黔西南银保监分局', 'REGULATOR', PREFECTURE);
      ids.farRegulator = await institution('T-CBIRC-GX', '广西银保监局', 'REGULATOR', '45');
      ids.government2 = await institution('T-GOV-2', '晴隆县人民政府', 'GOVERNMENT', OTHER_COUNTY);
      Object.assign(world.principals, {
        pboc: { role: 'REGULATOR', institutionId: ids.centralBank, institutionCode: 'T-PBOC', areaCodes: [COUNTY], keyId: 'test-pboc' },
        cbirc: { role: 'REGULATOR', institutionId: ids.regulator, institutionCode: 'T-CBIRC', areaCodes: [PREFECTURE], keyId: 'test-cbirc' },
        farRegulator: { role: 'REGULATOR', institutionId: ids.farRegulator, institutionCode: 'T-CBIRC-GX', areaCodes: ['45'], keyId: 'test-gx' },
        government2: { role: 'GOVERNMENT', institutionId: ids.government2, institutionCode: 'T-GOV-2', areaCodes: [OTHER_COUNTY], keyId: 'test-gov-2' },
      });
    } finally {
      await client.end();
    }
  });
  return world;
}

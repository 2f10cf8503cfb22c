/**
 * `Area.designations` is a capped list: at most `MAX_DESIGNATIONS` per area, oldest
 * first, however many a feed recorded, and the cost analysis counts it at that cap.
 */
import './reset-orm-metadata';
import { withClient } from '../../src/db/admin';
import { MAX_DESIGNATIONS } from '../../src/loaders';
import { useTestDatabase } from '../helpers';
import { A, startSurface, type SurfaceServer } from './surface-world';

const db = useTestDatabase();
let s: SurfaceServer;

beforeAll(async () => {
  s = await startSurface(db);
});

describe('Area.designations', () => {
  it('returns at most MAX_DESIGNATIONS per area, oldest first, as of a date or over all time', async () => {
    const before = (await s.data('regulator', `{ county(code: "${A}") { designations { validFrom } } }`)).county.designations as Array<{ validFrom: string }>;
    const extra = MAX_DESIGNATIONS + 5;
    await withClient(db.url(), (client) =>
      client.query(
        `INSERT INTO area_designation (area_code, kind, valid_from, valid_to, basis, demo_only)
         SELECT $1, 'REVITALIZATION_KEY_COUNTY', DATE '1990-01-01' + g, NULL, 'test', true FROM generate_series(1, $2::int) g`,
        [A, extra],
      ),
    );
    const query = `query ($asOf: Date) {
      county(code: "${A}") { designations(asOf: $asOf) { kind validFrom } area { designations { validFrom } } }
      second: county(code: "${A}") { designations { validFrom } }
    }`;
    const all = (await s.data('regulator', query)).county;
    const expected = Array.from({ length: MAX_DESIGNATIONS }, (_, i) => new Date(Date.UTC(1990, 0, 2 + i)).toISOString().slice(0, 10));
    expect(all.designations.map((d: { validFrom: string }) => d.validFrom)).toEqual(expected);
    expect(all.area.designations.map((d: { validFrom: string }) => d.validFrom)).toEqual(expected);
    // On a date every added designation is valid: still capped, still oldest first.
    const onDate = (await s.data('regulator', query, { asOf: '2020-06-30' })).county.designations as Array<{ kind: string; validFrom: string }>;
    expect(onDate).toHaveLength(MAX_DESIGNATIONS);
    expect(onDate[0]).toEqual({ kind: 'REVITALIZATION_KEY_COUNTY', validFrom: '1990-01-02' });
    // The designations recorded before stay reachable once the extra ones are gone.
    await withClient(db.url(), (client) => client.query(`DELETE FROM area_designation WHERE area_code = $1 AND valid_from < DATE '1991-01-01' AND basis = 'test'`, [A]));
    expect((await s.data('regulator', `{ county(code: "${A}") { designations { validFrom } } }`)).county.designations).toEqual(before);
  });
});

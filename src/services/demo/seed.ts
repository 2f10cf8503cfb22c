import { Client } from 'pg';
import { parseKeyring } from '../identity';
import { allocateHouseholds } from './allocation';
import { BatchRegistry } from './batches';
import { BulkWriter } from './bulk-writer';
import type { DemoContext } from './context';
import { createDemoDesignations } from './designations';
import { createDisasters } from './disasters';
import { countyEnterprises } from './enterprises';
import { createFindings } from './findings';
import { createFacilities, createFund } from './funding';
import { householdFinance } from './household-finance';
import { generateHousehold, MAX_DEMO_HOUSEHOLDS, type HouseholdInfo } from './households';
import { villagePolicies } from './insurance';
import { createInstitutions, DEMO_MARKER_CODES } from './institutions';
import { Rng } from './prng';
import { loadCounties, PolicyParameters } from './reference';
import { TABLE_ORDER, type TableName } from './tables';
import { servicePoints } from './service-points';

/** The demo size used when none is configured (TRIPOD_DEMO_HOUSEHOLDS). */
export const DEMO_DEFAULT_HOUSEHOLDS = 6000;

export interface SeedDemoOptions {
  /** Number of households to generate, 1 to 10,000,000. */
  households: number;
  /** Seed of the generator: the same seed and size give the same business content. */
  seed: number;
  /** Keyring spec of the national-ID matching HMAC (`v1:<base64>`), as configured for the hub. */
  matchKeys: string;
  /** Keyring spec of the PII encryption keys. */
  piiKeys: string;
  /** Progress lines (phase, counts); nothing is logged when absent. */
  log?: (line: string) => void;
}

export interface DemoSummary {
  households: number;
  seed: number;
  /** Rows inserted per table. */
  counts: Record<TableName, number>;
  totalRows: number;
  /** Ingest batches created (also in `counts.ingest_batch`). */
  batches: number;
  elapsedMs: number;
}

/** Thrown when the database already holds the demo data set or is not prepared for it. */
export class DemoSeedError extends Error {
  readonly code = 'DEMO_SEED_REFUSED';

  constructor(message: string) {
    super(message);
    this.name = 'DemoSeedError';
  }
}

/**
 * Generates the deterministic demo data set into a migrated database with its reference
 * data (`prepareDatabase`), in one transaction: a failure leaves nothing behind. Refuses
 * when demo data is already there.
 *
 * Everything — households in the real villages of the 52 uncapped counties, their
 * registry history, loans with 24 month-end positions, insurance, guarantees, funds,
 * re-lending, service points, enterprises, docking, findings — is derived from `seed`
 * with a seeded generator; only the PII ciphertexts (random IVs) and run timings differ
 * between two runs with the same seed and size.
 */
export async function seedDemo(connectionString: string, options: SeedDemoOptions): Promise<DemoSummary> {
  const { households, seed } = options;
  if (!Number.isSafeInteger(households) || households < 1 || households > MAX_DEMO_HOUSEHOLDS) {
    throw new RangeError(`seedDemo: households must be an integer 1..${MAX_DEMO_HOUSEHOLDS}`);
  }
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError('seedDemo: seed must be a non-negative safe integer');
  const matchKeys = parseKeyring(options.matchKeys, 'matchKeys');
  const piiKeys = parseKeyring(options.piiKeys, 'piiKeys');
  const log = options.log ?? (() => undefined);
  const started = Date.now();

  const client = new Client({ connectionString, application_name: 'tripod-demo-seed' });
  client.on('error', () => undefined);
  await client.connect();
  let writer: BulkWriter | undefined;
  try {
    await client.query('begin');
    writer = await BulkWriter.open(client);
    await refuseWhenSeeded(client);
    const counties = await loadCounties(client);
    const params = await PolicyParameters.load(client);
    const rng = new Rng(`tripod-demo:${seed}`);
    const institutions = await createInstitutions(client, writer, counties);
    const batches = new BatchRegistry(writer, rng.derive('batches'), seed);

    const ctx: DemoContext = {
      seed,
      households,
      rng,
      writer,
      batches,
      params,
      matchKeys,
      piiKeys,
      counties,
      institutions,
      disasters: createDisasters({ writer, batches, institutions }, counties),
      relocationCounties: createDemoDesignations(writer, rng.derive('designations'), counties),
      funds: new Map(),
      facilities: new Map(),
      serials: new Map(),
      quotas: new Map(),
    };
    const plans = allocateHouseholds(rng.derive('allocation'), counties, households);

    log(`demo: ${counties.length} counties, ${households} households, seed ${seed}`);
    for (const plan of plans) {
      const county = rng.derive(`county:${plan.county.code}`);
      ctx.funds.set(plan.county.code, createFund(ctx, county.derive('fund'), plan.county, plan.households));
      ctx.facilities.set(plan.county.code, createFacilities(ctx, county.derive('relending'), plan.county, plan.households));
      servicePoints(ctx, county.derive('service-points'), plan.county);
      countyEnterprises(ctx, county.derive('enterprises'), plan.county, plan.households);
      await writer.maybeFlush();
    }
    log(`demo: institutions, funds, re-lending, service points and enterprises generated (${elapsed(started)})`);

    let index = 0;
    let nextReport = Math.max(1000, Math.ceil(households / 10));
    for (const plan of plans) {
      for (const { village, households: count } of plan.villages) {
        const list: HouseholdInfo[] = [];
        for (let k = 0; k < count; k++) {
          const householdRng = rng.derive(`household:${index}`);
          const household = generateHousehold(ctx, householdRng, index, plan.county, village);
          householdFinance(ctx, householdRng, household);
          list.push(household);
          index++;
          await writer.maybeFlush();
        }
        villagePolicies(ctx, rng.derive(`village:${village.code}`), list);
        await writer.maybeFlush();
        if (index >= nextReport) {
          log(`demo: ${index} of ${households} households (${elapsed(started)})`);
          nextReport += Math.max(1000, Math.ceil(households / 10));
        }
      }
    }
    createFindings(ctx, rng.derive('findings'));
    await writer.finish();
    await ctx.batches.finalize(client);
    await client.query('commit');

    const counts = writer.writtenCounts();
    const totalRows = TABLE_ORDER.reduce((sum, name) => sum + counts[name], 0);
    const millis = writer.insertMillis();
    const slowest = TABLE_ORDER.filter((name) => millis[name] > 0).sort((a, b) => millis[b] - millis[a]).slice(0, 6);
    log(`demo: committed ${totalRows} rows (${elapsed(started)}); insert time by table: ${slowest.map((t) => `${t} ${(millis[t] / 1000).toFixed(1)} s`).join(', ')}`);
    return { households, seed, counts, totalRows, batches: ctx.batches.count, elapsedMs: Date.now() - started };
  } catch (error) {
    await writer?.abort();
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function refuseWhenSeeded(client: Client): Promise<void> {
  const result = await client.query<{ institutions: number; batches: number; designations: number }>(
    `select (select count(*)::int from institution where code = any($1::text[])) as institutions,
            (select count(*)::int from ingest_batch where external_id like 'demo-%') as batches,
            (select count(*)::int from area_designation where demo_only) as designations`,
    [DEMO_MARKER_CODES],
  );
  const found = result.rows[0];
  if (found.institutions + found.batches + found.designations > 0) {
    throw new DemoSeedError(
      `The database already holds demo data (${found.institutions} demo institutions, ${found.batches} demo batches, ` +
        `${found.designations} demo designations); seed a fresh database instead`,
    );
  }
}

function elapsed(started: number): string {
  return `${((Date.now() - started) / 1000).toFixed(1)} s`;
}

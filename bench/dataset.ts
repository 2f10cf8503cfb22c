/**
 * The benchmark's own database holding the standard data set: `seedDemo` with a fixed
 * size and seed, generated once and reused while it holds the same size and seed.
 *
 * With DATABASE_URL the database is `tripod_bench` on that server; without it, an
 * embedded PostgreSQL in `.data/bench-pg` (its own cluster, apart from the demo's).
 * The database comment records what it holds (`tripod-bench households=… seed=…`),
 * written after the seed committed, so an interrupted generation is never reused.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { projectRoot } from '../src/config';
import { createDatabase, databaseExists, dropDatabase, quoteIdent, withClient, withDatabase } from '../src/db/admin';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/db/embedded';
import { prepareDatabase } from '../src/db/prepare';
import { seedDemo } from '../src/services/demo';

export const BENCH_DATABASE = 'tripod_bench';

export interface DatasetSpec {
  households: number;
  seed: number;
}

/** The keys the data set is encrypted and matched with: derived from the seed, synthetic data only. */
export interface DatasetSecrets {
  matchKeys: string;
  piiKeys: string;
}

export interface Dataset {
  /** Connection URL of the bench database. */
  url: string;
  /** Where it lives, for the report: `DATABASE_URL server` or `embedded`. */
  server: string;
  secrets: DatasetSecrets;
  /** True when this run generated it; false when reused. */
  generated: boolean;
  generationSeconds: number | null;
  /** Rows per main table. */
  counts: Record<string, number>;
  /** Stops the embedded server, if one was started. */
  close(): Promise<void>;
}

/**
 * Keys derived from the seed, so that a data set reused on a later run (or on another
 * machine) decrypts the same way without a secrets file. The data is synthetic: these
 * keys protect nothing real and must never configure a real hub.
 */
export function benchSecrets(seed: number): DatasetSecrets {
  const derive = (purpose: string) => createHash('sha256').update(`tripod-bench:${purpose}:${seed}`).digest('base64');
  return { matchKeys: `v1:${derive('match')}`, piiKeys: `v1:${derive('pii')}` };
}

function marker(spec: DatasetSpec): string {
  return `tripod-bench households=${spec.households} seed=${spec.seed}`;
}

/**
 * Returns the bench database holding `spec`, creating or regenerating it when needed.
 *
 * @param databaseUrl a server to use (its maintenance database), or undefined for the embedded one.
 */
export async function ensureDataset(spec: DatasetSpec, databaseUrl: string | undefined, log: (line: string) => void): Promise<Dataset> {
  let embedded: EmbeddedPostgres | undefined;
  let adminUrl: string;
  if (databaseUrl !== undefined) {
    adminUrl = withDatabase(databaseUrl, 'postgres');
  } else {
    embedded = await startEmbeddedPostgres({
      dataDir: join(projectRoot(), '.data', 'bench-pg'),
      port: await freePort(),
      portSetting: 'the bench (a free port is picked)',
      log,
    });
    adminUrl = embedded.url;
  }
  const close = async () => {
    await embedded?.stop();
  };
  try {
    const url = withDatabase(adminUrl, BENCH_DATABASE);
    const secrets = benchSecrets(spec.seed);
    const wanted = marker(spec);
    let generated = false;
    let generationSeconds: number | null = null;

    const current = (await databaseExists(adminUrl, BENCH_DATABASE))
      ? await withClient(adminUrl, async (client) => {
          const result = await client.query<{ comment: string | null }>(
            `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
            [BENCH_DATABASE],
          );
          return result.rows[0]?.comment ?? null;
        })
      : undefined;

    if (current === wanted) {
      log(`bench: reusing ${BENCH_DATABASE} (${wanted})`);
      // New migrations since the data set was made still apply; reference data is idempotent.
      await prepareDatabase(url);
    } else {
      if (current !== undefined) {
        log(`bench: ${BENCH_DATABASE} holds ${current === null ? 'no complete data set' : JSON.stringify(current)}; regenerating`);
        await dropDatabase(adminUrl, BENCH_DATABASE);
      }
      await createDatabase(adminUrl, BENCH_DATABASE);
      await prepareDatabase(url);
      log(`bench: generating ${spec.households} households (seed ${spec.seed}); a few minutes, once`);
      const started = Date.now();
      await seedDemo(url, { households: spec.households, seed: spec.seed, ...secrets, log: (line) => log(`bench: ${line}`) });
      await withClient(url, async (client) => {
        await client.query('VACUUM ANALYZE');
        await client.query(`COMMENT ON DATABASE ${quoteIdent(BENCH_DATABASE)} IS '${wanted.replace(/'/g, "''")}'`);
      });
      generated = true;
      generationSeconds = (Date.now() - started) / 1000;
      log(`bench: data set ready in ${generationSeconds.toFixed(0)} s`);
    }

    const counts = await withClient(url, async (client) => {
      const tables = ['household', 'loan', 'loan_position', 'insurance_policy', 'claim', 'guarantee_contract', 'contract_link'];
      const result = await client.query<Record<string, string>>(`SELECT ${tables.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(', ')}`);
      return Object.fromEntries(tables.map((t) => [t, Number(result.rows[0][t])]));
    });
    return { url, server: databaseUrl === undefined ? 'embedded PostgreSQL (.data/bench-pg)' : `${new URL(databaseUrl).host} (DATABASE_URL)`, secrets, generated, generationSeconds, counts, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ port: 0, host: '127.0.0.1' }, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

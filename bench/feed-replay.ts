/**
 * `npm run bench:feed`: how fast the `changes` subscription replays the feed and how soon
 * a live event arrives, over a real WebSocket (never part of `npm test` or CI).
 *
 * In a scratch database on DATABASE_URL's server (created, migrated and dropped here):
 * BENCH_FEED_EVENTS alert events (default 20,000), half assigned to the subscribing bank
 * and half to a competitor, so that every page also exercises the per-subscriber
 * visibility check. Then, with the hub in this process (production mode):
 *
 * 1. replay: subscribe from the start of the feed and time the delivery of the bank's
 *    events (the competitor's are read and skipped);
 * 2. live: commit one event at a time and time commit → delivery (BENCH_FEED_LIVE, 50).
 */
import './production-env';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createClient, type ExecutionResult } from 'graphql-ws';
import { Client } from 'pg';
import WebSocket from 'ws';
import { loadConfig } from '../src/config';
import { createDatabase, dropDatabase, withDatabase } from '../src/db/admin';
import { createOrm } from '../src/db/orm';
import { prepareDatabase } from '../src/db/prepare';
import { createServer } from '../src/server';
import { issueApiKey } from '../src/services/auth';
import { encodeFeedCursor, recordChanges } from '../src/services/changes';
import { defineLimitsConfig } from '../src/services/limits';

const EVENTS = Number(process.env.BENCH_FEED_EVENTS ?? 20_000);
const LIVE = Number(process.env.BENCH_FEED_LIVE ?? 50);
const COUNTY = '522326';

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL;
  if (adminUrl === undefined) throw new Error('DATABASE_URL (a server the bench may create a scratch database on) is required');
  const name = `tripod_bench_feed_${randomBytes(4).toString('hex')}`;
  await createDatabase(adminUrl, name);
  const url = withDatabase(adminUrl, name);
  const sql = new Client({ connectionString: url });
  try {
    await prepareDatabase(url);
    await sql.connect();
    const institution = async (code: string) =>
      (await sql.query<{ id: string }>(`INSERT INTO institution (code, name, kind, home_area_code) VALUES ($1, $1, 'BANK', $2) RETURNING id::text AS id`, [code, COUNTY])).rows[0].id;
    const bank = await institution('BENCH-BANK');
    const competitor = await institution('BENCH-BANK-2');
    const rule = (await sql.query<{ id: string }>(`INSERT INTO alert_rule (code, kind, name) VALUES ('BENCH', 'MATURITY_PEAK', 'bench') RETURNING id::text AS id`)).rows[0].id;
    const token = (await issueApiKey(sql, { institutionCode: 'BENCH-BANK', role: 'BANK', createdBy: 'bench' })).token;

    let serial = 0;
    const raise = async (count: number, owner: (i: number) => string): Promise<void> => {
      await sql.query('BEGIN');
      const inserted = await sql.query<{ id: string }>(
        `INSERT INTO alert (rule_id, rule_version, fingerprint, subject_type, subject_id, county_code, institution_id, severity, status, message)
         SELECT $1, 1, 'bench:' || ($2::int + g), 'COUNTY', $3, $3, (($4::bigint[])[g]), 'HIGH', 'OPEN', 'bench'
           FROM generate_series(1, $5::int) g RETURNING id::text AS id`,
        [rule, serial, COUNTY, Array.from({ length: count }, (_, i) => owner(i)), count],
      );
      serial += count;
      await recordChanges(sql, inserted.rows.map((r) => ({ recordType: 'Alert', recordId: r.id, action: 'OPEN' })), { institutionId: null, batchRowId: null });
      await sql.query('COMMIT');
    };
    for (let done = 0; done < EVENTS; done += 1000) {
      await raise(Math.min(1000, EVENTS - done), (i) => (i % 2 === 0 ? bank : competitor));
    }
    const visible = Math.ceil(EVENTS / 2);

    const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: url, TRIPOD_PII_KEYS: `v1:${randomBytes(32).toString('base64')}`, TRIPOD_MATCH_KEYS: `v1:${randomBytes(32).toString('base64')}`, TRIPOD_TOKEN_SECRET: randomBytes(32).toString('base64'), LOG_LEVEL: 'warn' });
    const orm = await createOrm({ url });
    const app = await createServer({ orm, config, limits: { limits: defineLimitsConfig({ default: { rateLimitPerMinute: 1_000_000 } }), persistedOnly: false } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const client = createClient({
      url: `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    try {
      const query = 'subscription ($after: String) { changes(after: $after, types: ["Alert"]) { cursor id action record { ... on Alert { severity status } } } }';
      let received = 0;
      let onEvent: (() => void) | null = null;
      const started = process.hrtime.bigint();
      let replayDone = 0n;
      const replayed = new Promise<void>((resolve, reject) => {
        client.subscribe<unknown>(
          { query, variables: { after: encodeFeedCursor('0') } },
          {
            next: (result: ExecutionResult<unknown>) => {
              if (result.errors) return reject(new Error(JSON.stringify(result.errors)));
              received += 1;
              if (received === visible) {
                replayDone = process.hrtime.bigint();
                resolve();
              }
              onEvent?.();
            },
            error: reject,
            complete: () => undefined,
          },
        );
      });
      await replayed;
      const replayMs = Number(replayDone - started) / 1e6;

      const latencies: number[] = [];
      for (let i = 0; i < LIVE; i++) {
        const arrived = new Promise<void>((resolve) => {
          onEvent = resolve;
        });
        const t0 = process.hrtime.bigint();
        await raise(1, () => bank);
        await arrived;
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      latencies.sort((a, b) => a - b);
      const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);
      console.log(`feed replay: ${EVENTS} alert events (${visible} visible to the subscriber), delivered in ${replayMs.toFixed(0)} ms = ${Math.round((visible / replayMs) * 1000)} events/s delivered, ${Math.round((EVENTS / replayMs) * 1000)} events/s read`);
      console.log(`live: commit → delivery over ${LIVE} single-event commits: p50 ${pct(50)} ms, p90 ${pct(90)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms`);
    } finally {
      await client.dispose();
      await app.close();
      await orm.close(true);
    }
  } finally {
    await sql.end().catch(() => undefined);
    await dropDatabase(adminUrl, name);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});

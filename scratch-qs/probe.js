require('/work/main/node_modules/reflect-metadata');
const { Client } = require('/work/main/node_modules/pg');
const { loadConfig } = require('/work/main/src/config');
const { createOrm } = require('/work/main/src/db/orm');
const { createServer } = require('/work/main/src/server');
const PII = `v1:${Buffer.alloc(32, 5).toString('base64')}`, MATCH = `v1:${Buffer.alloc(32, 6).toString('base64')}`;
const config = loadConfig({ NODE_ENV: 'test', TRIPOD_PII_KEYS: PII, TRIPOD_MATCH_KEYS: MATCH, LOG_LEVEL: 'silent' });
const who = process.argv[2] || 'REGULATOR';
(async () => {
  const orm = await createOrm({ url: 'postgres://postgres@127.0.0.1:5432/tripod_qs_scratch' });
  const principal = who === 'REGULATOR' ? { role: 'REGULATOR', institutionId: null, institutionCode: null, areaCodes: [] } : JSON.parse(who);
  const app = await createServer({ orm, config, principalResolver: () => principal });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${app.server.address().port}/graphql`;
  const log = [];
  const original = Client.prototype.query;
  Client.prototype.query = function (...args) {
    const t = process.hrtime.bigint(); const r = original.apply(this, args);
    const q = args[0]; const text = typeof q === 'string' ? q : q && q.text; const values = typeof q === 'string' ? args[1] : q && q.values;
    if (r && r.then) r.then(() => log.push({ ms: Number(process.hrtime.bigint() - t) / 1e6, text, values }), () => {});
    return r;
  };
  const queries = require('fs').readFileSync('/work/main/scratch-qs/queries.graphql', 'utf8').split('\n---\n');
  for (const query of queries) {
    for (let i = 0; i < 2; i++) {
      log.length = 0;
      const t = Date.now();
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      const body = await res.json();
      if (i === 1) {
        console.log('=== ', query.slice(0, 80).replace(/\s+/g, ' '), Date.now() - t, 'ms', body.errors ? JSON.stringify(body.errors) : '');
        for (const l of log.sort((a, b) => b.ms - a.ms).slice(0, 3)) console.log(l.ms.toFixed(1), 'ms', l.text.replace(/\s+/g, ' ').slice(0, 160));
      }
    }
  }
  require('fs').writeFileSync('/work/main/scratch-qs/last-log.json', JSON.stringify(log, null, 1));
  await app.close(); await orm.close(true);
})().catch(e => { console.error(e); process.exit(1); });

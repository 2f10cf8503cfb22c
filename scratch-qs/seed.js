require('/work/main/node_modules/reflect-metadata');
const { createDatabase, dropDatabase, withDatabase } = require('/work/main/src/db/admin');
const { prepareDatabase } = require('/work/main/src/db/prepare');
const { seedDemo } = require('/work/main/src/services/demo');
(async () => {
  const admin = 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = 'tripod_qs_scratch';
  await dropDatabase(admin, name).catch(() => {});
  await createDatabase(admin, name);
  const url = withDatabase(admin, name);
  await prepareDatabase(url);
  const PII = `v1:${Buffer.alloc(32, 5).toString('base64')}`, MATCH = `v1:${Buffer.alloc(32, 6).toString('base64')}`;
  const s = await seedDemo(url, { households: 100000, seed: 20201231, piiKeys: PII, matchKeys: MATCH });
  console.log(s.counts);
})().catch(e => { console.error(e); process.exit(1); });

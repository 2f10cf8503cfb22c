import { Pool } from 'pg';
import { OPERATIONS } from './operations';
import { issuePrincipals, revokePrincipals } from './principals';
import { toPg } from './floor';
void (async () => {
  const pool = new Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/tripod_bench', max: 1 });
  const ps = await issuePrincipals(pool);
  const only = process.argv[2];
  for (const op of OPERATIONS) {
    if (only && op.key !== only) continue;
    const samples = await op.samples(pool, ps[op.role].principal);
    const q = toPg(op.floor(samples[Number(process.argv[3] ?? 0)], { principal: ps[op.role].principal, requestId: 'x', operationName: op.operationName }));
    if (process.env.NOJIT) await pool.query('SET jit = off');
    const r = await pool.query({ text: 'EXPLAIN (ANALYZE, BUFFERS) ' + q.text, values: q.values });
    console.log('=====', op.key);
    console.log(r.rows.map((x: any) => x['QUERY PLAN']).join('\n'));
  }
  await revokePrincipals(pool, ps);
  await pool.end();
})();

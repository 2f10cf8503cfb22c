/**
 * `npm run audit:verify [-- --anchor <chain_seq>:<hash>]` verifies the audit hash chain of
 * DATABASE_URL. Exit code 0 when intact (the line printed names the head: keep it as the
 * next anchor), 1 when tampering is found (one line naming the first bad chain_seq),
 * 2 when the check could not run (configuration, connection, arguments).
 */
import { Pool } from 'pg';
import { loadConfig } from '../config';
import { parseAuditAnchor, verifyAuditChain, type AuditChainAnchor } from '../services/audit';

const USAGE = 'usage: npm run audit:verify [-- --anchor <chain_seq>:<64 hex digits>]';

function parseArgs(argv: readonly string[]): { anchor?: AuditChainAnchor } {
  const args = [...argv];
  let anchor: AuditChainAnchor | undefined;
  while (args.length > 0) {
    const arg = args.shift() as string;
    if (arg === '--anchor' && args.length > 0) {
      anchor = parseAuditAnchor(args.shift() as string);
    } else if (arg.startsWith('--anchor=')) {
      anchor = parseAuditAnchor(arg.slice('--anchor='.length));
    } else {
      throw new RangeError(`Unknown argument ${JSON.stringify(arg)}; ${USAGE}`);
    }
  }
  return { anchor };
}

async function main(): Promise<number> {
  const { anchor } = parseArgs(process.argv.slice(2));
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required for npm run audit:verify');
  const pool = new Pool({ connectionString: config.databaseUrl, max: 1, application_name: 'tripod-audit-verify' });
  pool.on('error', () => undefined);
  try {
    const result = await verifyAuditChain(pool, { anchor });
    if (!result.ok) {
      console.error(result.message);
      return 1;
    }
    console.log(result.message);
    if (result.staleUnchained > 0) {
      console.error(`warning: ${result.staleUnchained} audit entries are still unchained well after the head; is the chainer running?`);
    }
    return 0;
  } finally {
    await pool.end();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`audit:verify could not run: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);

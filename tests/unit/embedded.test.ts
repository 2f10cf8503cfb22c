import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EmbeddedPostgresError, startEmbeddedPostgres } from '../../src/db/embedded';
import { readHarnessEnv } from '../helpers';

test("a data folder the server's OS user cannot enter is reported before anything starts", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tripod-embedded-'));
  try {
    const attempt = startEmbeddedPostgres({ dataDir: join(dir, 'data'), port: 1 });
    if (process.getuid?.() === 0) {
      await expect(attempt).rejects.toThrow(
        `The embedded PostgreSQL runs as OS user "postgres", which cannot enter ${dir}; run "chmod o+x ${dir}" or set TRIPOD_DATA_DIR to a folder it can reach`,
      );
    } else {
      // Not root: the server runs as this user, which owns the folder; port 1 is refused instead.
      await expect(attempt).rejects.toThrow(EmbeddedPostgresError);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a taken port is reported in one line naming the setting to change', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tripod-embedded-'));
  // As root the server runs as OS user postgres, which must be able to enter the folder.
  await chmod(dir, 0o755);
  const blocker: Server = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const { port } = blocker.address() as { port: number };
  try {
    await expect(startEmbeddedPostgres({ dataDir: dir, port, portSetting: 'TRIPOD_TEST_PG_PORT' })).rejects.toThrow(
      new EmbeddedPostgresError(
        `Port ${port} on 127.0.0.1 is already in use; set TRIPOD_TEST_PG_PORT to a free port for the embedded PostgreSQL`,
      ),
    );
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
    await rm(dir, { recursive: true, force: true });
  }
});

// The harness's own embedded server is running, owned by Jest's main process: a second
// start on its folder must refuse, and must not mistake it for an orphan and stop it.
const clusterDir = process.env.TRIPOD_TEST_EMBEDDED_CLUSTER_DIR;
(clusterDir ? test : test.skip)('a server owned by a live process is left alone', async () => {
  const { adminUrl } = readHarnessEnv();
  const port = Number(new URL(adminUrl).port);
  await expect(startEmbeddedPostgres({ dataDir: dirname(clusterDir!), port: port + 1000 })).rejects.toThrow(
    /^The embedded PostgreSQL in .* is already running \(pid \d+, started by process \d+\); stop that process first$/,
  );
});

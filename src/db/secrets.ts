/**
 * Secrets of a local (development, demo, test) installation, generated on first use and
 * kept in the data folder, so that a laptop demo needs no setup and restarts can still
 * read what they encrypted before. Production configures its secrets instead.
 */
import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface DemoSecrets {
  /** Keyring spec of the matching HMAC key, `v1:<base64 of 32 bytes>`. */
  readonly matchKeys: string;
  /** Keyring spec of the PII encryption key, `v1:<base64 of 32 bytes>`. */
  readonly piiKeys: string;
  /** Token signing secret, base64 of 32 bytes. */
  readonly tokenSecret: string;
}

const SECRETS_FILE = 'secrets.json';

/**
 * Reads `<dataDir>/secrets.json`, creating it (mode 0600) with fresh random secrets on
 * first use. Safe against two processes starting at once: the file appears atomically
 * and only once, and both get its contents.
 *
 * Call only when no secret is configured; configured values take precedence.
 *
 * @throws Error when the file exists but is not a valid secrets file (it is never
 *   overwritten: data encrypted under it would become unreadable).
 */
export async function loadOrCreateDemoSecrets(dataDir: string): Promise<DemoSecrets> {
  const generate = (): DemoSecrets => ({
    matchKeys: `v1:${randomBytes(32).toString('base64')}`,
    piiKeys: `v1:${randomBytes(32).toString('base64')}`,
    tokenSecret: randomBytes(32).toString('base64'),
  });
  const value = await loadOrCreateSecretFile(join(dataDir, SECRETS_FILE), generate);
  if (!isDemoSecrets(value)) {
    throw new Error(`${join(dataDir, SECRETS_FILE)} is not a valid secrets file; move it away to generate new secrets`);
  }
  return { matchKeys: value.matchKeys, piiKeys: value.piiKeys, tokenSecret: value.tokenSecret };
}

/**
 * Returns the JSON object stored at `path`, or writes `generate()` there (mode 0600) and
 * returns it. The first writer wins; a loser reads the winner's file.
 */
export async function loadOrCreateSecretFile<T extends object>(path: string, generate: () => T): Promise<unknown> {
  const existing = await readSecretFile(path);
  if (existing !== undefined) {
    return existing;
  }
  // The folder keeps the default mode: the embedded server's OS user must be able to
  // enter it to reach its cluster; the file itself is owner-only.
  await mkdir(dirname(path), { recursive: true });
  // Written completely under a private name, then linked into place: readers never see
  // a half-written file, and link() fails if another process got there first.
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const value = generate();
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, path);
    return value;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw error;
    }
    const winner = await readSecretFile(path);
    if (winner === undefined) {
      throw error;
    }
    return winner;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

async function readSecretFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
  // A copy or restore may have loosened the mode; secrets stay owner-only.
  const { mode } = await stat(path);
  if ((mode & 0o077) !== 0) {
    await chmod(path, 0o600);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`${path} is not valid JSON; move it away to generate new secrets`);
  }
}

function isDemoSecrets(value: unknown): value is DemoSecrets {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const record = value as Record<string, unknown>;
  return ['matchKeys', 'piiKeys', 'tokenSecret'].every((key) => typeof record[key] === 'string' && record[key] !== '');
}

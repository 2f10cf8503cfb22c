/**
 * The one typed configuration of a Tripod process. The environment is read once, by
 * `loadConfig` at start, and the resulting object is passed down explicitly; nothing
 * else reads `process.env`.
 *
 * Errors are one line per problem and never contain a secret's value (the database URL
 * and the key material are named, not echoed), so they are safe to print and log.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export type RuntimeEnv = 'development' | 'test' | 'production';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  /** NODE_ENV; `production` requires DATABASE_URL and all secrets. */
  readonly env: RuntimeEnv;
  /** HOST: interface the HTTP server listens on. */
  readonly host: string;
  /** PORT: HTTP port. */
  readonly port: number;
  /** DATABASE_URL; when absent (development, test) an embedded PostgreSQL is started. */
  readonly databaseUrl?: string;
  /** TRIPOD_DATA_DIR: absolute path of the local data folder (embedded database, demo secrets). */
  readonly dataDir: string;
  /** TRIPOD_EMBEDDED_PG_PORT: port of the embedded PostgreSQL (listens on 127.0.0.1 only). */
  readonly embeddedPgPort: number;
  /**
   * TRIPOD_MATCH_KEYS: keyring spec (`v2:<base64>,v1:<base64>`) of the national-ID
   * matching HMAC. Absent outside production: the demo generates its own
   * (`loadOrCreateDemoSecrets`). Its format is checked by the identity service's
   * `parseKeyring`, which callers run at start.
   */
  readonly matchKeys?: string;
  /** TRIPOD_PII_KEYS: keyring spec of the PII encryption keys; same rules as `matchKeys`. */
  readonly piiKeys?: string;
  /** TRIPOD_TOKEN_SECRET: secret signing access tokens, at least 32 characters. */
  readonly tokenSecret?: string;
  /** TRIPOD_JWT_PUBLIC_KEYS: comma-separated paths to JWKS, JWK or PEM files verifying RS256 tokens. */
  readonly jwtPublicKeys?: string;
  /** TRIPOD_JWT_ISSUER: accepted `iss` values, comma-separated; any when absent. */
  readonly jwtIssuer?: string[];
  /** TRIPOD_JWT_AUDIENCE: accepted `aud` values, comma-separated; set it in production. */
  readonly jwtAudience?: string[];
  /** TRIPOD_STATEMENT_TIMEOUT_MS: per-statement timeout for request queries; 0 disables it. */
  readonly statementTimeoutMs: number;
  /** TRIPOD_DEMO_HOUSEHOLDS: size of the generated demo data set. */
  readonly demoHouseholds: number;
  /** TRIPOD_DEMO_SEED: seed of the deterministic demo generator. */
  readonly demoSeed: number;
  /** LOG_LEVEL (pino levels); defaults to `warn` under test, `info` otherwise. */
  readonly logLevel: LogLevel;
  /**
   * TRIPOD_ALERT_SWEEP_MINUTES: minutes between the server's full early-warning sweeps
   * (docs/early-warning.md); 0 turns the timer off. Default 60, and 0 under test.
   */
  readonly alertSweepMinutes: number;
}

/** Thrown by `loadConfig`; `issues` holds one line per invalid or missing setting. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';

  constructor(readonly issues: readonly string[]) {
    super(issues.join('\n'));
    this.name = 'ConfigError';
  }
}

const ENVS: readonly RuntimeEnv[] = ['development', 'test', 'production'];
const MIN_TOKEN_SECRET_LENGTH = 32;

/**
 * Reads and validates the configuration.
 *
 * Empty variables count as unset. Relative TRIPOD_DATA_DIR paths are resolved against
 * the current directory.
 *
 * @param env the environment to read; tests pass their own object.
 * @throws ConfigError listing every problem, one line each.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const issues: string[] = [];
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = get(name);
    if (raw === undefined) {
      return fallback;
    }
    const value = /^[+-]?\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      issues.push(`Invalid ${name} ${quote(raw)}: expected an integer ${min}-${max}`);
      return fallback;
    }
    return value;
  };

  const envName = get('NODE_ENV') ?? 'development';
  let runtimeEnv: RuntimeEnv = 'development';
  if ((ENVS as readonly string[]).includes(envName)) {
    runtimeEnv = envName as RuntimeEnv;
  } else {
    issues.push(`Invalid NODE_ENV ${quote(envName)}: expected development, test or production`);
  }
  const production = runtimeEnv === 'production';

  const host = get('HOST') ?? '127.0.0.1';
  const port = int('PORT', 4000, 1, 65535);
  const embeddedPgPort = int('TRIPOD_EMBEDDED_PG_PORT', 5488, 1, 65535);
  const statementTimeoutMs = int('TRIPOD_STATEMENT_TIMEOUT_MS', 15000, 0, 2_147_483_647);
  const demoHouseholds = int('TRIPOD_DEMO_HOUSEHOLDS', 6000, 1, 10_000_000);
  const demoSeed = int('TRIPOD_DEMO_SEED', 20201231, 0, 2 ** 32 - 1);
  const alertSweepMinutes = int('TRIPOD_ALERT_SWEEP_MINUTES', runtimeEnv === 'test' ? 0 : 60, 0, 7 * 24 * 60);

  const databaseUrl = get('DATABASE_URL');
  if (databaseUrl !== undefined && !isPostgresUrl(databaseUrl)) {
    // The URL may hold a password: describe the problem, never echo the value.
    issues.push('Invalid DATABASE_URL: expected postgres://user:password@host:port/database');
  } else if (databaseUrl === undefined && production) {
    issues.push('Missing DATABASE_URL: required when NODE_ENV=production (the embedded database is for development)');
  }

  const secret = (name: string): string | undefined => {
    const value = get(name);
    if (value === undefined && production) {
      issues.push(`Missing ${name}: required when NODE_ENV=production`);
    }
    return value;
  };
  const matchKeys = secret('TRIPOD_MATCH_KEYS');
  const piiKeys = secret('TRIPOD_PII_KEYS');
  const tokenSecret = secret('TRIPOD_TOKEN_SECRET');
  if (tokenSecret !== undefined && tokenSecret.length < MIN_TOKEN_SECRET_LENGTH) {
    issues.push(`Invalid TRIPOD_TOKEN_SECRET: expected at least ${MIN_TOKEN_SECRET_LENGTH} characters`);
  }
  if (matchKeys !== undefined && piiKeys !== undefined && matchKeys === piiKeys) {
    issues.push('Invalid TRIPOD_PII_KEYS: must differ from TRIPOD_MATCH_KEYS (one key per purpose)');
  }

  const jwtPublicKeys = get('TRIPOD_JWT_PUBLIC_KEYS');
  const csv = (name: string) => get(name)?.split(',').map((v) => v.trim()).filter((v) => v.length > 0);
  const jwtIssuer = csv('TRIPOD_JWT_ISSUER');
  const jwtAudience = csv('TRIPOD_JWT_AUDIENCE');

  const levelName = get('LOG_LEVEL') ?? (runtimeEnv === 'test' ? 'warn' : 'info');
  let logLevel: LogLevel = 'info';
  if ((LOG_LEVELS as readonly string[]).includes(levelName)) {
    logLevel = levelName as LogLevel;
  } else {
    issues.push(`Invalid LOG_LEVEL ${quote(levelName)}: expected one of ${LOG_LEVELS.join(', ')}`);
  }

  const dataDirSetting = get('TRIPOD_DATA_DIR');
  const dataDir = dataDirSetting === undefined ? join(projectRoot(), '.data') : resolve(dataDirSetting);

  if (issues.length > 0) {
    throw new ConfigError(issues);
  }
  return Object.freeze({
    env: runtimeEnv,
    host,
    port,
    databaseUrl,
    dataDir,
    embeddedPgPort,
    matchKeys,
    piiKeys,
    tokenSecret,
    jwtPublicKeys,
    jwtIssuer,
    jwtAudience,
    statementTimeoutMs,
    demoHouseholds,
    demoSeed,
    logLevel,
    alertSweepMinutes,
  });
}

/**
 * The directory holding Tripod's package.json, found from this file's location so that
 * it is the same whether running from `src/` (ts-node, Jest) or `dist/` (build).
 */
export function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      return resolve(__dirname, '..');
    }
    dir = parent;
  }
}

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** A non-secret value for an error message: quoted, and cut short so one line stays one line. */
function quote(value: string): string {
  const oneLine = value.replace(/\s+/g, ' ');
  return JSON.stringify(oneLine.length > 40 ? `${oneLine.slice(0, 40)}…` : oneLine);
}

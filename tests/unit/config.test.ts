import { join } from 'node:path';
import { ConfigError, loadConfig, projectRoot } from '../../src/config';

const KEYS = `v1:${Buffer.alloc(32, 1).toString('base64')}`;
const OTHER_KEYS = `v1:${Buffer.alloc(32, 2).toString('base64')}`;
const TOKEN_SECRET = 'x'.repeat(32);

function issuesOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig', () => {
  test('an empty environment gives the development defaults', () => {
    expect(loadConfig({})).toEqual({
      env: 'development',
      host: '127.0.0.1',
      port: 4000,
      databaseUrl: undefined,
      dataDir: join(projectRoot(), '.data'),
      embeddedPgPort: 5488,
      matchKeys: undefined,
      piiKeys: undefined,
      tokenSecret: undefined,
      statementTimeoutMs: 15000,
      demoHouseholds: 6000,
      demoSeed: 20201231,
      logLevel: 'info',
      alertSweepMinutes: 60,
    });
  });

  test('the project root is the folder holding package.json', () => {
    expect(require(join(projectRoot(), 'package.json')).name).toBe('tripod');
  });

  test('every setting is read, empty values count as unset, relative data dirs are resolved', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      HOST: '0.0.0.0',
      PORT: '8080',
      DATABASE_URL: 'postgresql://hub:pw@db.internal:6432/tripod',
      TRIPOD_DATA_DIR: 'var/tripod',
      TRIPOD_EMBEDDED_PG_PORT: '',
      TRIPOD_MATCH_KEYS: KEYS,
      TRIPOD_PII_KEYS: OTHER_KEYS,
      TRIPOD_TOKEN_SECRET: TOKEN_SECRET,
      TRIPOD_JWT_PUBLIC_KEYS: 'keys/jwks.json',
      TRIPOD_JWT_ISSUER: 'https://id.example, other',
      TRIPOD_JWT_AUDIENCE: 'tripod',
      TRIPOD_STATEMENT_TIMEOUT_MS: '0',
      TRIPOD_DEMO_HOUSEHOLDS: '120000',
      TRIPOD_DEMO_SEED: '7',
      LOG_LEVEL: 'debug',
    });
    expect(config).toEqual({
      env: 'production',
      host: '0.0.0.0',
      port: 8080,
      databaseUrl: 'postgresql://hub:pw@db.internal:6432/tripod',
      dataDir: join(process.cwd(), 'var/tripod'),
      embeddedPgPort: 5488,
      matchKeys: KEYS,
      piiKeys: OTHER_KEYS,
      tokenSecret: TOKEN_SECRET,
      jwtPublicKeys: 'keys/jwks.json',
      jwtIssuer: ['https://id.example', 'other'],
      jwtAudience: ['tripod'],
      statementTimeoutMs: 0,
      demoHouseholds: 120000,
      demoSeed: 7,
      logLevel: 'debug',
      alertSweepMinutes: 60,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  test('tests log warnings and worse by default', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).logLevel).toBe('warn');
  });

  test.each([
    ['PORT', 'abc', 'Invalid PORT "abc": expected an integer 1-65535'],
    ['PORT', '0', 'Invalid PORT "0": expected an integer 1-65535'],
    ['PORT', '65536', 'Invalid PORT "65536": expected an integer 1-65535'],
    ['PORT', '80.5', 'Invalid PORT "80.5": expected an integer 1-65535'],
    ['TRIPOD_EMBEDDED_PG_PORT', '5o00', 'Invalid TRIPOD_EMBEDDED_PG_PORT "5o00": expected an integer 1-65535'],
    ['TRIPOD_STATEMENT_TIMEOUT_MS', '-1', 'Invalid TRIPOD_STATEMENT_TIMEOUT_MS "-1": expected an integer 0-2147483647'],
    ['TRIPOD_DEMO_HOUSEHOLDS', '0', 'Invalid TRIPOD_DEMO_HOUSEHOLDS "0": expected an integer 1-10000000'],
    ['TRIPOD_DEMO_SEED', '1e3', 'Invalid TRIPOD_DEMO_SEED "1e3": expected an integer 0-4294967295'],
    ['NODE_ENV', 'staging', 'Invalid NODE_ENV "staging": expected development, test or production'],
    ['LOG_LEVEL', 'verbose', 'Invalid LOG_LEVEL "verbose": expected one of fatal, error, warn, info, debug, trace, silent'],
    ['TRIPOD_TOKEN_SECRET', 'short', 'Invalid TRIPOD_TOKEN_SECRET: expected at least 32 characters'],
  ])('%s=%j is rejected in one line', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new ConfigError([message]));
  });

  test('long values are cut short in messages', () => {
    expect(issuesOf({ HOST: 'h', PORT: '9'.repeat(60) })).toEqual([`Invalid PORT "${'9'.repeat(40)}…": expected an integer 1-65535`]);
  });

  test('a malformed DATABASE_URL is reported without echoing it', () => {
    const issues = issuesOf({ DATABASE_URL: 'mysql://admin:hunter2@db/tripod' });
    expect(issues).toEqual(['Invalid DATABASE_URL: expected postgres://user:password@host:port/database']);
    expect(issues.join('\n')).not.toContain('hunter2');
  });

  test('production requires a database and every secret, and reports all problems at once', () => {
    expect(issuesOf({ NODE_ENV: 'production', PORT: 'x' })).toEqual([
      'Invalid PORT "x": expected an integer 1-65535',
      'Missing DATABASE_URL: required when NODE_ENV=production (the embedded database is for development)',
      'Missing TRIPOD_MATCH_KEYS: required when NODE_ENV=production',
      'Missing TRIPOD_PII_KEYS: required when NODE_ENV=production',
      'Missing TRIPOD_TOKEN_SECRET: required when NODE_ENV=production',
    ]);
  });

  test('secret values never appear in error text', () => {
    const secret = 's3cr3t-token';
    const issues = issuesOf({ TRIPOD_TOKEN_SECRET: secret, TRIPOD_MATCH_KEYS: KEYS, TRIPOD_PII_KEYS: KEYS });
    expect(issues).toEqual([
      'Invalid TRIPOD_TOKEN_SECRET: expected at least 32 characters',
      'Invalid TRIPOD_PII_KEYS: must differ from TRIPOD_MATCH_KEYS (one key per purpose)',
    ]);
    expect(issues.join('\n')).not.toContain(secret);
    expect(issues.join('\n')).not.toContain(KEYS.slice(3));
  });
});

/**
 * Query-protection limits: one set of defaults and per-role overrides, read from the
 * environment once at start (`loadLimitsSettings`) and resolved per request for the
 * caller's role (`limitsFor`).
 */
import { ConfigError } from '../../config';
import { Role } from '../../entities/enums';
import type { Principal } from '../access/principal';

/** Every limit a request is held to. All values are positive integers. */
export interface LimitSettings {
  /** Lexical tokens in a document; trips in the parser, before any validation. */
  readonly maxTokens: number;
  /** Nesting of fields (root fields are depth 1), fragments followed. */
  readonly maxDepth: number;
  /** Estimated cost of one operation (see `analyzeOperation`). */
  readonly maxCost: number;
  /** Aliased fields in one operation. */
  readonly maxAliases: number;
  /** Fields at the root of one operation. */
  readonly maxRootFields: number;
  /** Largest `first`/`last` a connection accepts. */
  readonly maxPageSize: number;
  /** Page size of a connection requested without `first`/`last`. */
  readonly defaultPageSize: number;
  /** Requests per principal in any 60-second window. */
  readonly rateLimitPerMinute: number;
  /** Estimated cost per principal per China calendar day. */
  readonly dailyCostBudget: number;
  /** Size of one HTTP request body. */
  readonly maxBodyBytes: number;
  /** `householdRegistration` calls per principal in any 60-second window. */
  readonly registrationLookupsPerMinute: number;
}

export type LimitName = keyof LimitSettings;
export type RoleName = `${Role}`;

/** Defaults and per-role overrides; `limitsFor` merges them. */
export interface LimitsConfig {
  readonly default: LimitSettings;
  readonly roles: Readonly<Partial<Record<RoleName, Partial<LimitSettings>>>>;
}

/** The shape of `TRIPOD_LIMITS`: both parts optional, every setting optional. */
export interface LimitsOverrides {
  default?: Partial<LimitSettings>;
  roles?: Partial<Record<RoleName, Partial<LimitSettings>>>;
}

/**
 * The defaults, sized for Tripod's own queries with headroom:
 *
 * - `maxTokens` 5,000: the largest dashboard query (a county with indicators, three
 *   nested connections and a dozen fields each) is under 1,500 tokens.
 * - `maxDepth` 12: `households → edges → node → loans → edges → node → guarantees …`
 *   is 9 deep; 12 leaves room for one more connection level, not for recursion games.
 * - `maxCost` 250,000: a regulator's county page of 100 households, each with its
 *   loans, their guarantees, linked policies and claims (default pages of 20 nested
 *   three deep) stays below it; a third nested page of 100 (≈ 2.5 million) is refused.
 * - `maxAliases` 30 and `maxRootFields` 10: enough for a dashboard, too few to batch
 *   hundreds of lookups into one request past the per-request limits.
 * - `maxPageSize` 100, `defaultPageSize` 20: the API contract (DESIGN.md §2).
 * - `rateLimitPerMinute` 600: 10 requests a second sustained per key, well above a
 *   partner's batch uploads (1,000 items per call) or an analyst's dashboard.
 * - `dailyCostBudget` 50,000,000: a million typical queries (cost ~50) or two hundred
 *   maximal ones a day.
 * - `maxBodyBytes` 1 MiB: a 1,000-item mutation batch is about 400 KiB of JSON.
 * - `registrationLookupsPerMinute` 30: a partner checks households one at a time before
 *   contracting; more than one every two seconds looks like enumeration of the registry.
 */
export const DEFAULT_LIMITS: LimitSettings = Object.freeze({
  maxTokens: 5_000,
  maxDepth: 12,
  maxCost: 250_000,
  maxAliases: 30,
  maxRootFields: 10,
  maxPageSize: 100,
  defaultPageSize: 20,
  rateLimitPerMinute: 600,
  dailyCostBudget: 50_000_000,
  maxBodyBytes: 1_048_576,
  registrationLookupsPerMinute: 30,
});

export const LIMIT_NAMES = Object.keys(DEFAULT_LIMITS) as readonly LimitName[];

/** Upper bounds that catch typos (an extra zero or two) rather than express policy. */
const MAX_VALUE: Record<LimitName, number> = {
  maxTokens: 1_000_000,
  maxDepth: 100,
  maxCost: Number.MAX_SAFE_INTEGER,
  maxAliases: 10_000,
  maxRootFields: 10_000,
  maxPageSize: 10_000,
  defaultPageSize: 10_000,
  rateLimitPerMinute: 1_000_000,
  dailyCostBudget: Number.MAX_SAFE_INTEGER,
  maxBodyBytes: 1_073_741_824,
  registrationLookupsPerMinute: 1_000_000,
};

const ROLE_NAMES = Object.values(Role) as readonly RoleName[];

/** The built-in configuration: defaults only, no role overrides. */
export const DEFAULT_LIMITS_CONFIG: LimitsConfig = Object.freeze({ default: DEFAULT_LIMITS, roles: Object.freeze({}) });

/**
 * Builds a validated configuration from overrides (for code and tests; the
 * environment goes through `parseLimitsConfig`).
 *
 * @throws ConfigError listing every invalid setting.
 */
export function defineLimitsConfig(overrides: LimitsOverrides = {}): LimitsConfig {
  const issues: string[] = [];
  const config = checkOverrides(overrides, 'limits', issues);
  if (issues.length > 0) {
    throw new ConfigError(issues);
  }
  return config;
}

/**
 * Parses the JSON of `TRIPOD_LIMITS` (`{"default": {...}, "roles": {"ANALYST": {...}}}`).
 *
 * @throws ConfigError with one line per problem, each naming the setting's path.
 */
export function parseLimitsConfig(json: string, variable = 'TRIPOD_LIMITS'): LimitsConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new ConfigError([`Invalid ${variable}: not JSON (${(error as Error).message})`]);
  }
  const issues: string[] = [];
  const config = checkOverrides(raw, variable, issues);
  if (issues.length > 0) {
    throw new ConfigError(issues);
  }
  return config;
}

/** What `loadLimitsSettings` reads from the environment. */
export interface LimitsEnvironment {
  /** TRIPOD_LIMITS: JSON overrides; absent means the defaults. */
  readonly limits: LimitsConfig;
  /** TRIPOD_PERSISTED_ONLY: accept registered operations only (allow-list mode). */
  readonly persistedOnly: boolean;
}

/**
 * Reads `TRIPOD_LIMITS` and `TRIPOD_PERSISTED_ONLY`. Meant to be called from the one
 * configuration step at start, with the same environment object.
 *
 * @throws ConfigError listing every problem of both settings.
 */
export function loadLimitsSettings(env: NodeJS.ProcessEnv): LimitsEnvironment {
  const issues: string[] = [];
  let limits = DEFAULT_LIMITS_CONFIG;
  const rawLimits = env.TRIPOD_LIMITS?.trim();
  if (rawLimits) {
    try {
      limits = parseLimitsConfig(rawLimits);
    } catch (error) {
      issues.push(...(error as ConfigError).issues);
    }
  }
  let persistedOnly = false;
  const rawPersisted = env.TRIPOD_PERSISTED_ONLY?.trim().toLowerCase();
  if (rawPersisted) {
    if (rawPersisted === 'true' || rawPersisted === '1') {
      persistedOnly = true;
    } else if (rawPersisted !== 'false' && rawPersisted !== '0') {
      issues.push(`Invalid TRIPOD_PERSISTED_ONLY ${JSON.stringify(rawPersisted.slice(0, 20))}: expected true or false`);
    }
  }
  if (issues.length > 0) {
    throw new ConfigError(issues);
  }
  return { limits, persistedOnly };
}

/** The limits of a principal's role: the defaults with that role's overrides on top. */
export function limitsFor(config: LimitsConfig, principal: Pick<Principal, 'role'> | undefined): LimitSettings {
  const override = principal === undefined ? undefined : config.roles[principal.role];
  return override === undefined ? config.default : { ...config.default, ...override };
}

/**
 * The most permissive value of each limit over the defaults and every role: what
 * role-blind machinery (Fastify's `bodyLimit`, Apollo's `parseOptions.maxTokens`,
 * validation rules) must allow so that the per-role checks can decide.
 */
export function loosestLimits(config: LimitsConfig): LimitSettings {
  const all = [config.default, ...ROLE_NAMES.map((role) => limitsFor(config, { role }))];
  const loosest = {} as Record<LimitName, number>;
  for (const name of LIMIT_NAMES) {
    loosest[name] = Math.max(...all.map((limits) => limits[name]));
  }
  // The default page size is not a limit: keep the default's, within the largest cap.
  loosest.defaultPageSize = config.default.defaultPageSize;
  return loosest;
}

function checkOverrides(raw: unknown, path: string, issues: string[]): LimitsConfig {
  if (!isPlainObject(raw)) {
    issues.push(`Invalid ${path}: expected an object like {"default": {...}, "roles": {"ANALYST": {...}}}`);
    return DEFAULT_LIMITS_CONFIG;
  }
  for (const key of Object.keys(raw)) {
    if (key !== 'default' && key !== 'roles') {
      issues.push(`Invalid ${path}: unknown key "${key}"; expected "default" and "roles"`);
    }
  }
  const base: LimitSettings = {
    ...DEFAULT_LIMITS,
    ...(raw.default === undefined ? {} : checkSettings(raw.default, `${path}.default`, issues)),
  };
  checkPageSizes(base, `${path}.default`, issues);

  const roles: Partial<Record<RoleName, Partial<LimitSettings>>> = {};
  if (raw.roles !== undefined) {
    if (!isPlainObject(raw.roles)) {
      issues.push(`Invalid ${path}.roles: expected an object keyed by role (${ROLE_NAMES.join(', ')})`);
    } else {
      for (const [role, settings] of Object.entries(raw.roles)) {
        if (!(ROLE_NAMES as readonly string[]).includes(role)) {
          issues.push(`Invalid ${path}.roles: unknown role "${role}"; expected one of ${ROLE_NAMES.join(', ')}`);
          continue;
        }
        const checked = checkSettings(settings, `${path}.roles.${role}`, issues);
        roles[role as RoleName] = Object.freeze(checked);
        checkPageSizes({ ...base, ...checked }, `${path}.roles.${role}`, issues);
      }
    }
  }
  return Object.freeze({ default: Object.freeze(base), roles: Object.freeze(roles) });
}

function checkSettings(raw: unknown, path: string, issues: string[]): Partial<LimitSettings> {
  if (!isPlainObject(raw)) {
    issues.push(`Invalid ${path}: expected an object of limits (${LIMIT_NAMES.join(', ')})`);
    return {};
  }
  const settings: Partial<Record<LimitName, number>> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!(LIMIT_NAMES as readonly string[]).includes(name)) {
      issues.push(`Invalid ${path}: unknown limit "${name}"; expected one of ${LIMIT_NAMES.join(', ')}`);
      continue;
    }
    const max = MAX_VALUE[name as LimitName];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > max) {
      issues.push(`Invalid ${path}.${name}: expected an integer from 1 to ${max}, got ${JSON.stringify(value)}`);
      continue;
    }
    settings[name as LimitName] = value;
  }
  return settings;
}

function checkPageSizes(settings: LimitSettings, path: string, issues: string[]): void {
  if (settings.defaultPageSize > settings.maxPageSize) {
    issues.push(
      `Invalid ${path}: defaultPageSize ${settings.defaultPageSize} exceeds maxPageSize ${settings.maxPageSize}`,
    );
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

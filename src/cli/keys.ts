/**
 * `npm run keys -- <command>`: administration of partner API keys against DATABASE_URL.
 *
 *   issue  --role ROLE [--institution CODE] [--scope 5134,513431] [--pii] [--label TEXT] [--expires 2027-12-31]
 *   list   [--institution CODE]
 *   rotate KEYID [--grace-hours 24] [--expires 2027-12-31]
 *   revoke KEYID
 *
 * Every command is an audited admin action (KEY_ISSUED, KEY_ROTATED, KEY_REVOKED,
 * KEYS_LISTED; actor `cli:<os user>`), written in the same transaction as the change it
 * records. `--expires DATE` means "valid through that day, China time"; a full ISO
 * timestamp with a zone is taken as given. Keys revoked or rotated here stop working in
 * running hub processes within their key cache TTL (30 s).
 *
 * Exit codes: 0 done; 1 failed (configuration, database, unexpected); 2 usage error;
 * 3 refused (unknown institution or key, role/institution mismatch, already revoked …).
 */
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { ConfigError, loadConfig } from '../config';
import { createAuditSink } from '../services/audit';
import type { Principal } from '../services/access/principal';
import { isKeyId, issueApiKey, KeyAdminError, listApiKeys, revokeApiKey, rotateApiKey, type ApiKeySummary } from '../services/auth';

const USAGE = `Usage: npm run keys -- <command>
  issue  --role ROLE [--institution CODE] [--scope CODE,CODE] [--pii] [--label TEXT] [--expires YYYY-MM-DD]
  list   [--institution CODE]
  rotate KEYID [--grace-hours HOURS] [--expires YYYY-MM-DD]
  revoke KEYID
Roles: BANK, INSURER, GUARANTOR, GOVERNMENT, REGULATOR, ANALYST, ADMIN.`;

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const EXIT_REFUSED = 3;
const CHINA_OFFSET_MS = 8 * 3600_000;

class UsageError extends Error {}

interface Command {
  name: 'issue' | 'list' | 'rotate' | 'revoke';
  run(client: Client, actor: string): Promise<{ action: string; details: Record<string, unknown> }>;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = parseCommand(name, rest);

  const config = loadConfig();
  if (config.databaseUrl === undefined) {
    throw new Error('DATABASE_URL is required: the keys CLI works on a configured database');
  }
  const actor = `cli:${osUser()}`;
  const client = new Client({ connectionString: config.databaseUrl, application_name: 'tripod-keys', connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('begin');
    try {
      const { action, details } = await command.run(client, actor);
      await audit(client, actor, command.name, action, details);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  return 0;
}

function parseCommand(name: string, args: string[]): Command {
  switch (name) {
    case 'issue': {
      const { values, positionals } = parse(args, {
        role: { type: 'string' },
        institution: { type: 'string' },
        scope: { type: 'string' },
        pii: { type: 'boolean' },
        label: { type: 'string' },
        expires: { type: 'string' },
      });
      if (positionals.length > 0) throw new UsageError(`issue takes no arguments besides options (got ${positionals[0]})`);
      if (values.role === undefined) throw new UsageError('issue needs --role');
      const role = String(values.role).toUpperCase();
      const institutionCode = values.institution === undefined ? null : String(values.institution);
      const areaCodes = values.scope === undefined ? [] : String(values.scope).split(',').map((code) => code.trim()).filter((code) => code !== '');
      const expiresAt = values.expires === undefined ? null : parseExpiry(String(values.expires));
      return {
        name,
        async run(client, actor) {
          const issued = await issueApiKey(client, {
            institutionCode,
            role: role as Principal['role'],
            areaCodes,
            piiGranted: values.pii === true,
            label: values.label === undefined ? undefined : String(values.label),
            expiresAt,
            createdBy: actor,
          });
          const key = issued.key;
          process.stderr.write(
            `Issued ${key.role}${key.piiGranted ? '+pii' : ''} key ${key.keyId} for ${key.institutionCode ?? 'no institution'}, ` +
              `scope ${scopeText(key.areaCodes)}, expires ${key.expiresAt === null ? 'never' : formatTime(key.expiresAt)}.\n` +
              'Store this token now: it will not be shown again.\n',
          );
          process.stdout.write(`${issued.token}\n`);
          return { action: 'KEY_ISSUED', details: keyDetails(key) };
        },
      };
    }
    case 'list': {
      const { values, positionals } = parse(args, { institution: { type: 'string' } });
      if (positionals.length > 0) throw new UsageError(`list takes no arguments besides options (got ${positionals[0]})`);
      const institutionCode = values.institution === undefined ? null : String(values.institution);
      return {
        name,
        async run(client) {
          const keys = await listApiKeys(client, { institutionCode });
          process.stdout.write(renderTable(keys));
          return { action: 'KEYS_LISTED', details: { institutionCode, count: keys.length } };
        },
      };
    }
    case 'rotate': {
      const { values, positionals } = parse(args, { 'grace-hours': { type: 'string' }, expires: { type: 'string' } });
      const keyId = singleKeyId('rotate', positionals);
      const graceText = values['grace-hours'] === undefined ? '0' : String(values['grace-hours']);
      if (!/^\d+(\.\d+)?$/.test(graceText)) throw new UsageError(`--grace-hours must be a number of hours, not ${JSON.stringify(graceText)}`);
      const graceHours = Number(graceText);
      const expiresAt = values.expires === undefined ? undefined : parseExpiry(String(values.expires));
      return {
        name,
        async run(client, actor) {
          const rotated = await rotateApiKey(client, keyId, { graceHours, expiresAt, createdBy: actor });
          const oldUntil = rotated.previous.expiresAt;
          process.stderr.write(
            `Rotated ${keyId} to ${rotated.keyId}; ${keyId} ${graceHours === 0 ? 'stopped working now' : `works until ${oldUntil === null ? '?' : formatTime(oldUntil)}`} ` +
              '(running hub processes may accept it for up to 30 s longer).\n' +
              'Store this token now: it will not be shown again.\n',
          );
          process.stdout.write(`${rotated.token}\n`);
          return {
            action: 'KEY_ROTATED',
            details: { ...keyDetails(rotated.key), rotatedFrom: keyId, graceHours, previousExpiresAt: oldUntil?.toISOString() ?? null },
          };
        },
      };
    }
    case 'revoke': {
      const { positionals } = parse(args, {});
      const keyId = singleKeyId('revoke', positionals);
      return {
        name,
        async run(client) {
          const key = await revokeApiKey(client, keyId);
          process.stderr.write(`Revoked ${keyId} (${key.institutionCode ?? 'no institution'}, ${key.role}); running hub processes stop accepting it within 30 s.\n`);
          return { action: 'KEY_REVOKED', details: keyDetails(key) };
        },
      };
    }
    default:
      throw new UsageError(`Unknown command ${JSON.stringify(name)}`);
  }
}

type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;

function parse(args: string[], options: OptionSpec): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
    return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
}

function singleKeyId(command: string, positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError(`${command} needs exactly one KEYID`);
  const keyId = positionals[0].trim().toUpperCase();
  if (!isKeyId(keyId)) throw new UsageError(`${JSON.stringify(positionals[0].slice(0, 40))} is not a key id (12 characters, as \`list\` shows)`);
  return keyId;
}

/** `YYYY-MM-DD`: through the end of that day in China time; otherwise an ISO timestamp with a zone. */
function parseExpiry(text: string): Date {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (day !== null) {
    const start = new Date(`${text}T00:00:00+08:00`);
    if (Number.isNaN(start.getTime()) || new Date(start.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10) !== text) {
      throw new UsageError(`--expires ${JSON.stringify(text)} is not a calendar date`);
    }
    return new Date(start.getTime() + 24 * 3600_000);
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) && !Number.isNaN(new Date(text).getTime())) {
    return new Date(text);
  }
  throw new UsageError(`--expires ${JSON.stringify(text.slice(0, 40))}: expected YYYY-MM-DD or an ISO timestamp with a zone`);
}

function keyDetails(key: ApiKeySummary): Record<string, unknown> {
  return {
    keyId: key.keyId,
    institutionCode: key.institutionCode,
    role: key.role,
    areaCodes: key.areaCodes,
    piiGranted: key.piiGranted,
    label: key.label,
    expiresAt: key.expiresAt?.toISOString() ?? null,
  };
}

async function audit(client: Client, actor: string, command: string, action: string, details: Record<string, unknown>): Promise<void> {
  const principal: Principal = { institutionId: null, institutionCode: null, role: 'ADMIN', areaCodes: [], keyId: actor };
  const sink = createAuditSink({ requestId: `cli-${randomUUID()}`, principal, db: client });
  sink.record({ action, operation: `keys ${command}`, details });
  await sink.flush();
}

function renderTable(keys: ApiKeySummary[]): string {
  if (keys.length === 0) return 'No keys.\n';
  const header = ['KEY ID', 'INSTITUTION', 'ROLE', 'SCOPE', 'LABEL', 'CREATED', 'EXPIRES', 'REVOKED'];
  const rows = keys.map((key) => [
    key.keyId,
    key.institutionCode ?? '-',
    `${key.role}${key.piiGranted ? '+pii' : ''}`,
    scopeText(key.areaCodes),
    key.label,
    formatTime(key.createdAt),
    key.expiresAt === null ? 'never' : `${formatTime(key.expiresAt)}${key.status === 'EXPIRED' ? ' (expired)' : ''}`,
    key.revokedAt === null ? '-' : formatTime(key.revokedAt),
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => displayWidth(row[i]))));
  const line = (row: string[]): string => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i] - displayWidth(cell)))).join('  ');
  return `${[header, ...rows].map(line).join('\n')}\n(times UTC+8)\n`;
}

function scopeText(areaCodes: readonly string[]): string {
  return areaCodes.length === 0 ? 'national' : areaCodes.join(',');
}

/** `YYYY-MM-DD HH:mm` in China time. */
function formatTime(date: Date): string {
  return new Date(date.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** Terminal columns: CJK and full-width characters take two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u.test(char) ? 2 : 1;
  return width;
}

function osUser(): string {
  let name = 'unknown';
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry (some containers): the audit still names the CLI.
  }
  return name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60) || 'unknown';
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = error.message || (error instanceof AggregateError ? error.errors.map((e: Error) => e.message).join('; ') : '') || code || error.name;
    return message.split('\n')[0];
  }
  return String(error);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`keys: ${error.message}\n${USAGE}\n`);
      process.exitCode = EXIT_USAGE;
    } else if (error instanceof KeyAdminError) {
      process.stderr.write(`keys: ${error.message}\n`);
      process.exitCode = EXIT_REFUSED;
    } else if (error instanceof ConfigError) {
      process.stderr.write(error.issues.map((issue) => `keys: ${issue}\n`).join(''));
      process.exitCode = EXIT_FAILED;
    } else {
      process.stderr.write(`keys: ${describeError(error)}\n`);
      process.exitCode = EXIT_FAILED;
    }
  },
);

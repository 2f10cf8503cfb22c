/**
 * Registered operations over the `persisted_operation` table (entity
 * `PersistedOperation`), named by the SHA-256 of their exact text as in Apollo's
 * automatic persisted queries (APQ), so standard clients can send a hash alone.
 *
 * In allow-list mode (`TRIPOD_PERSISTED_ONLY=true`) `limitsPlugin` accepts only these
 * operations; otherwise a registered hash still resolves without the client sending
 * the text.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { getOperationAST, validate, type GraphQLSchema } from 'graphql';
import { DEFAULT_LIMITS } from './limits.config';
import { limitError } from './limit.errors';
import { parseWithLimits } from './query-parse';

/** The SHA-256 of a document's exact UTF-8 text, lower-case hex (Apollo APQ's hash). */
export function operationHash(document: string): string {
  return createHash('sha256').update(document, 'utf8').digest('hex');
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface RegisteredOperation {
  sha256: string;
  name: string | null;
  /** False when the same document was already registered (registration is idempotent). */
  created: boolean;
}

export interface PersistedOperationsOptions {
  /** How long a found document is served from memory; removals reach other processes within it. */
  cacheTtlMs?: number;
  /** Most documents kept in memory. */
  cacheSize?: number;
  /** The clock, injectable for tests. */
  now?: () => number;
}

/** The allow-list of operations, read on the request path and written by a CLI or an ADMIN. */
export class PersistedOperations {
  private readonly cache = new Map<string, { document: string; until: number }>();
  private readonly cacheTtlMs: number;
  private readonly cacheSize: number;
  private readonly now: () => number;

  /**
   * @param em any EntityManager of the application's ORM (`orm.em`): only its
   *   connection is used.
   */
  constructor(
    private readonly em: EntityManager,
    options: PersistedOperationsOptions = {},
  ) {
    this.cacheTtlMs = options.cacheTtlMs ?? 60_000;
    this.cacheSize = options.cacheSize ?? 1_000;
    this.now = options.now ?? Date.now;
  }

  /** The registered document of a hash, or `undefined` (also for a malformed hash). */
  async find(sha256: string): Promise<string | undefined> {
    const hash = sha256.toLowerCase();
    if (!SHA256_HEX.test(hash)) {
      return undefined;
    }
    const cached = this.cache.get(hash);
    if (cached && cached.until > this.now()) {
      return cached.document;
    }
    this.cache.delete(hash);
    const rows = await this.em
      .getConnection('write')
      .execute<Array<{ document: string }>>('select document from persisted_operation where sha256 = ?', [hash], 'all');
    if (rows.length === 0) {
      return undefined;
    }
    if (this.cache.size >= this.cacheSize) {
      // Maps iterate in insertion order: drop the oldest entry.
      this.cache.delete(this.cache.keys().next().value as string);
    }
    this.cache.set(hash, { document: rows[0].document, until: this.now() + this.cacheTtlMs });
    return rows[0].document;
  }

  /** Whether the exact text of `document` is registered. */
  async isRegistered(document: string): Promise<boolean> {
    return (await this.find(operationHash(document))) !== undefined;
  }

  /**
   * Registers a document under the SHA-256 of its exact text (clients must send the
   * same bytes). Idempotent: registering it again changes nothing. The name defaults to
   * the document's operation name.
   *
   * @param options.schema when given, the document must validate against it.
   * @throws GraphQLError `BAD_USER_INPUT` for a document that does not parse, holds
   *   more than `maxTokens` tokens, or does not validate.
   */
  async register(
    document: string,
    name?: string | null,
    options: { schema?: GraphQLSchema; maxTokens?: number } = {},
  ): Promise<RegisteredOperation> {
    const maxTokens = options.maxTokens ?? DEFAULT_LIMITS.maxTokens;
    let parsed;
    try {
      parsed = parseWithLimits(document, maxTokens);
    } catch (error) {
      throw limitError('BAD_USER_INPUT', `Operation not registered: ${(error as Error).message}`);
    }
    if (options.schema) {
      const errors = validate(options.schema, parsed);
      if (errors.length > 0) {
        throw limitError('BAD_USER_INPUT', `Operation not registered: ${errors.map((e) => e.message).join('; ')}`);
      }
    }
    const label = name ?? getOperationAST(parsed)?.name?.value ?? null;
    if (label !== null && label.length > 200) {
      throw limitError('BAD_USER_INPUT', 'Operation not registered: the name exceeds 200 characters');
    }
    const sha256 = operationHash(document);
    const inserted = await this.em.getConnection('write').execute<Array<{ name: string | null }>>(
      `insert into persisted_operation (sha256, document, name) values (?, ?, ?)
       on conflict (sha256) do nothing returning name`,
      [sha256, document, label],
      'all',
    );
    if (inserted.length > 0) {
      return { sha256, name: label, created: true };
    }
    const existing = await this.em
      .getConnection('write')
      .execute<Array<{ name: string | null }>>('select name from persisted_operation where sha256 = ?', [sha256], 'all');
    return { sha256, name: existing[0]?.name ?? null, created: false };
  }

  /** Removes an operation from the allow-list; other processes stop serving it within `cacheTtlMs`. */
  async remove(sha256: string): Promise<boolean> {
    const hash = sha256.toLowerCase();
    this.cache.delete(hash);
    const rows = await this.em
      .getConnection('write')
      .execute<Array<{ id: string }>>('delete from persisted_operation where sha256 = ? returning id', [hash], 'all');
    return rows.length > 0;
  }
}

import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { HouseholdRow, InstitutionRow } from '../loaders';
import { AuditLogConnectionType, AuditLogEntryType, AuditLogFilterInput, BadUserInputError, HouseholdType, InstitutionType, typed, type Context } from '../schema';
import { readAuditLog, type AuditEntryRow } from '../services/audit';
import { checkPageSize, limitsFor } from '../services/limits';

const CURSOR_PREFIX = 'auditLog:';

/** An opaque keyset cursor: base64url of `auditLog:<entry id>`. */
function toCursor(id: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${id}`, 'utf8').toString('base64url');
}

/** The entry id a cursor names; BAD_USER_INPUT for anything this API did not issue. */
function fromCursor(cursor: string): string {
  const malformed = () => new BadUserInputError('Malformed cursor', 'after');
  if (cursor.length === 0 || cursor.length > 64 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw malformed();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (Buffer.from(text, 'utf8').toString('base64url') !== cursor || !text.startsWith(CURSOR_PREFIX)) throw malformed();
  const id = text.slice(CURSOR_PREFIX.length);
  if (!/^[1-9]\d{0,18}$/.test(id) || BigInt(id) > 9223372036854775807n) throw malformed();
  return id;
}

@Resolver(() => AuditLogEntryType)
export class AuditLogResolver {
  @Query(() => AuditLogConnectionType, {
    description:
      'REGULATOR: the audit log, newest first — entries about households of the regulator’s area, and for a nation-wide regulator every entry (admin actions included). Reading it is not a PII read.',
  })
  async auditLog(
    @Arg('first', () => Int, { nullable: true, description: 'Page size, default 20, at most 100.' }) first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Arg('filter', () => AuditLogFilterInput, { nullable: true }) filter: AuditLogFilterInput | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<AuditLogConnectionType> {
    const size = checkPageSize(first, undefined, limitsFor(ctx.services.limits, ctx.principal));
    const beforeId = after === undefined || after === null ? null : fromCursor(after);
    const page = await readAuditLog(ctx, { first: size, beforeId, filter: filter ?? {} });
    const edges = page.entries.map((entry) => ({ cursor: toCursor(entry.id), node: typed('AuditLogEntry', entry) }));
    return {
      edges,
      nodes: edges.map((edge) => edge.node),
      totalCount: page.totalCount,
      pageInfo: {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: page.hasPreviousPage,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
    };
  }

  @FieldResolver(() => InstitutionType, { nullable: true })
  actorInstitution(@Root() entry: AuditEntryRow, @Ctx() ctx: Context): Promise<InstitutionRow | null> | null {
    return entry.actorInstitutionId === null ? null : ctx.loaders.institutionById.load(entry.actorInstitutionId);
  }

  @FieldResolver(() => HouseholdType, { nullable: true, description: 'The household concerned, if the caller may see it.' })
  household(@Root() entry: AuditEntryRow, @Ctx() ctx: Context): Promise<HouseholdRow | null> | null {
    return entry.householdId === null ? null : ctx.loaders.householdById.load(entry.householdId);
  }
}

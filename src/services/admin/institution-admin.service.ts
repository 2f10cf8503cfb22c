/**
 * `upsertInstitution`, for the ADMIN role: creates an institution or changes one by its
 * code, audited (INSTITUTION_CHANGED, with the fields that changed) in the same
 * transaction. Institutions are reference data every principal reads.
 *
 * An optional field left out keeps its current value (or the default, on creation); an
 * explicit null clears `parentCode` or `validTo`. The kind of an existing institution
 * never changes: its keys, tokens and contracts were granted for that kind.
 */
import { ref, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Area, Institution, InstitutionKind } from '../../entities';
import { auditedTransaction, badInput, conflict, requireRole, type ServiceScope } from '../common';
import { forgetReferenceData } from '../reference/reference-cache';

export interface UpsertInstitutionInput {
  code: string;
  name: string;
  kind: InstitutionKind | `${InstitutionKind}`;
  homeAreaCode: string;
  parentCode?: string | null;
  validFrom?: string | null;
  validTo?: string | null;
}

export type UpsertOutcome = 'CREATED' | 'UPDATED' | 'UNCHANGED';

export interface InstitutionChange {
  institutionId: string;
  outcome: UpsertOutcome;
}

const CODE = /^[A-Za-z0-9_.-]{1,32}$/;
const MAX_NAME_CHARS = 200;
const DEFAULT_VALID_FROM = '2014-01-01';
/** Longest branch chain followed when checking for a cycle; real ones are 3 or 4 deep. */
const MAX_PARENT_DEPTH = 32;

/**
 * Creates or updates an institution by code.
 *
 * @throws RefusalError FORBIDDEN (not ADMIN), BAD_USER_INPUT (malformed fields, unknown
 *   home area or parent, a parent cycle, a changed kind, validTo not after validFrom),
 *   CONFLICT (created concurrently by another request).
 */
export async function upsertInstitution(scope: ServiceScope, input: UpsertInstitutionInput): Promise<InstitutionChange> {
  requireRole(scope.principal, ['ADMIN'], 'upsertInstitution');
  const code = input.code.trim();
  if (!CODE.test(code)) {
    throw badInput('An institution code has 1 to 32 letters, digits, "_", "." or "-"', 'input.code');
  }
  const name = input.name.trim();
  if (name === '' || Array.from(name).length > MAX_NAME_CHARS || /\p{Cc}/u.test(name)) {
    throw badInput(`name must be 1-${MAX_NAME_CHARS} characters without control characters`, 'input.name');
  }
  if (!(Object.values(InstitutionKind) as string[]).includes(input.kind)) {
    throw badInput('Unknown institution kind', 'input.kind');
  }
  const kind = input.kind as InstitutionKind;

  try {
    const change = await auditedTransaction(scope, async (tem, audit) => {
      const existing = await tem.findOne(Institution, { code });
      if (existing !== null && existing.kind !== kind) {
        throw badInput(`The kind of ${code} is ${existing.kind}; an institution's kind does not change`, 'input.kind');
      }
      const homeArea = await tem.findOne(Area, { code: input.homeAreaCode });
      if (homeArea === null) {
        throw badInput(`Unknown area code ${JSON.stringify(input.homeAreaCode.slice(0, 20))}`, 'input.homeAreaCode');
      }
      const parent = await resolveParent(tem, code, input.parentCode, existing);
      const validFrom = input.validFrom ?? existing?.validFrom ?? DEFAULT_VALID_FROM;
      const validTo = input.validTo === undefined ? (existing?.validTo ?? null) : input.validTo;
      if (validTo !== null && validTo <= validFrom) {
        throw badInput('validTo must be after validFrom', 'input.validTo');
      }

      const parentRef = parent === null ? undefined : ref(Institution, parent.id);
      const changed: string[] = [];
      let target: Institution;
      if (existing === null) {
        target = tem.create(Institution, { code, name, kind, homeArea: ref(homeArea), parent: parentRef, validFrom, validTo: validTo ?? undefined, createdAt: new Date() });
      } else {
        target = existing;
        if (existing.name !== name) {
          existing.name = name;
          changed.push('name');
        }
        if (existing.homeArea.unwrap().code !== homeArea.code) {
          existing.homeArea = ref(homeArea);
          changed.push('homeAreaCode');
        }
        if ((existing.parent?.id ?? null) !== (parent?.id ?? null)) {
          existing.parent = parentRef;
          changed.push('parentCode');
        }
        if (existing.validFrom !== validFrom) {
          existing.validFrom = validFrom;
          changed.push('validFrom');
        }
        if ((existing.validTo ?? null) !== validTo) {
          existing.validTo = validTo ?? undefined;
          changed.push('validTo');
        }
      }
      await tem.flush();

      const outcome: UpsertOutcome = existing === null ? 'CREATED' : changed.length === 0 ? 'UNCHANGED' : 'UPDATED';
      audit.record({
        action: 'INSTITUTION_CHANGED',
        operation: 'upsertInstitution',
        details: { institutionCode: code, kind, outcome, changed },
      });
      return { institutionId: target.id, outcome };
    });
    // Institutions are served from a process cache: this process shows the change at once.
    forgetReferenceData();
    return change;
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      throw conflict(`Institution ${code} was created concurrently; retry to update it`, 'CONCURRENT_CHANGE');
    }
    throw error;
  }
}

/** The parent institution named by `parentCode` (undefined: keep the current one), refusing cycles. */
async function resolveParent(
  em: EntityManager,
  code: string,
  parentCode: string | null | undefined,
  existing: Institution | null,
): Promise<{ id: string } | null> {
  if (parentCode === undefined) {
    return existing?.parent === undefined ? null : { id: existing.parent.id };
  }
  if (parentCode === null) return null;
  if (parentCode === code) {
    throw badInput('An institution cannot be its own parent', 'input.parentCode');
  }
  const parent = await em.findOne(Institution, { code: parentCode });
  if (parent === null) {
    throw badInput(`Unknown parent institution ${JSON.stringify(parentCode.slice(0, 32))}`, 'input.parentCode');
  }
  if (existing !== null) {
    // The new parent must not be a branch (at any depth) of the institution itself.
    const rows = await em.getConnection().execute<Array<{ cycle: boolean }>>(
      `WITH RECURSIVE up(id, parent_id, depth) AS (
         SELECT id, parent_id, 1 FROM institution WHERE id = ?
         UNION ALL
         SELECT i.id, i.parent_id, up.depth + 1 FROM institution i JOIN up ON i.id = up.parent_id WHERE up.depth < ?)
       SELECT EXISTS (SELECT 1 FROM up WHERE id = ?) AS cycle`,
      [parent.id, MAX_PARENT_DEPTH, existing.id],
    );
    if (rows[0]?.cycle === true) {
      throw badInput(`${parentCode} is a branch of ${code}; choosing it as parent would make a cycle`, 'input.parentCode');
    }
  }
  return { id: parent.id };
}

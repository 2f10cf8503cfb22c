/**
 * Policy parameters (DESIGN.md §1): versioned values rules read, never constants. Every
 * authenticated role reads them; the ADMIN role adds versions. Nothing is overwritten: a
 * new version closes the open-ended one before it at its own `validFrom`, and the
 * change is audited (PARAMETER_CHANGED) in the same transaction.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { and, raw, sql, TRUE, type Sql } from '../../db/sql';
import { PolicyParameter } from '../../entities';
import { referenceScope } from '../access';
import type { Principal } from '../access/principal';
import { actorLabel, auditedTransaction, badInput, requireRole, type ServiceScope } from '../common';

/** One version of a parameter as the API shows it (who entered it stays in the audit log). */
export interface PolicyParameterRow {
  id: string;
  key: string;
  /** numeric(20,6) text, e.g. `50000.000000`. */
  value: string;
  unit: string;
  validFrom: string;
  validTo: string | null;
  basis: string;
  description: string | null;
  /** PostgreSQL timestamptz text. */
  createdAt: string;
}

export interface SetPolicyParameterInput {
  key: string;
  /** A decimal string. */
  value: string;
  unit: string;
  validFrom: string;
  basis: string;
  description?: string | null;
}

export interface ParameterChange {
  /** The new version. */
  parameterId: string;
  /** The version it closed, if there was an open-ended one. */
  closedId: string | null;
}

const KEY = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;
const MAX_KEY_CHARS = 100;
const UNIT = /^[A-Z][A-Z_]{0,15}$/;
/** numeric(20,6): at most 14 integer and 6 fraction digits. */
const VALUE = /^-?\d{1,14}(\.\d{1,6})?$/;
const MAX_TEXT_CHARS = 2000;

/** The select list of `PolicyParameterRow` over alias `pp`. */
export const POLICY_PARAMETER_COLUMNS = `pp.id, pp.key, pp.value, pp.unit, to_char(pp.valid_from, 'YYYY-MM-DD') AS "validFrom",
  to_char(pp.valid_to, 'YYYY-MM-DD') AS "validTo", pp.basis, pp.description, pp.created_at AS "createdAt"`;

/**
 * The versions of every parameter, or of `key`; with `asOf`, only those in force on that
 * date. Ordered by key, then validity.
 */
export async function listPolicyParameters(
  db: { em: EntityManager; principal: Readonly<Principal> },
  filter: { key?: string | null; asOf?: string | null },
): Promise<PolicyParameterRow[]> {
  const key = filter.key ?? null;
  if (key !== null) checkKey(key, 'key');
  const asOf = filter.asOf ?? null;
  const query = sql`SELECT ${raw(POLICY_PARAMETER_COLUMNS)} FROM policy_parameter pp
     WHERE ${and(
       referenceScope(db.principal),
       key === null ? TRUE : sql`pp.key = ${key}`,
       asOf === null ? TRUE : sql`pp.valid_from <= ${asOf}::date AND (pp.valid_to IS NULL OR pp.valid_to > ${asOf}::date)`,
     )}
     ORDER BY pp.key, pp.valid_from`;
  return execute<PolicyParameterRow>(db.em, query);
}

/**
 * Adds a version of a parameter from `validFrom` on, closing the open-ended version
 * before it at that date.
 *
 * @throws RefusalError FORBIDDEN (not ADMIN); BAD_USER_INPUT for a malformed field, a
 *   `validFrom` not after the current version's start (or inside a closed one), or a
 *   unit that differs from the current version's.
 */
export async function setPolicyParameter(scope: ServiceScope, input: SetPolicyParameterInput): Promise<ParameterChange> {
  requireRole(scope.principal, ['ADMIN'], 'setPolicyParameter');
  const key = checkKey(input.key, 'input.key');
  if (!VALUE.test(input.value)) {
    throw badInput('value has at most 14 integer and 6 fraction digits', 'input.value');
  }
  if (!UNIT.test(input.unit)) {
    throw badInput('unit is an upper-case code of at most 16 characters (YUAN, MONTHS, DAYS, RATE, RATIO, COUNT …)', 'input.unit');
  }
  const basis = checkText(input.basis, 'input.basis', true) as string;
  const description = checkText(input.description ?? null, 'input.description', false);

  return auditedTransaction(scope, async (tem, audit) => {
    // One writer per key at a time: two new versions must not both close the same one.
    await tem.getConnection().execute('SELECT pg_advisory_xact_lock(hashtext(?))', [`policy_parameter:${key}`], 'all', tem.getTransactionContext());
    const latest = await tem.findOne(PolicyParameter, { key }, { orderBy: { validFrom: 'DESC' } });
    if (latest !== null) {
      if (input.validFrom <= latest.validFrom) {
        throw badInput(`validFrom must be after ${latest.validFrom}, when the current version of ${key} starts`, 'input.validFrom');
      }
      if (latest.validTo !== undefined && latest.validTo !== null && input.validFrom < latest.validTo) {
        throw badInput(`validFrom must not be before ${latest.validTo}, when the last version of ${key} ends`, 'input.validFrom');
      }
      if (latest.unit !== input.unit) {
        throw badInput(`${key} is measured in ${latest.unit}; a new version keeps the unit`, 'input.unit');
      }
    }
    let closedId: string | null = null;
    if (latest !== null && (latest.validTo === undefined || latest.validTo === null)) {
      latest.validTo = input.validFrom;
      closedId = latest.id;
    }
    const created = tem.create(PolicyParameter, {
      key,
      value: input.value,
      unit: input.unit,
      validFrom: input.validFrom,
      basis,
      description: description ?? undefined,
      createdAt: new Date(),
      createdBy: actorLabel(scope.principal),
    });
    await tem.flush();
    audit.record({
      action: 'PARAMETER_CHANGED',
      operation: 'setPolicyParameter',
      details: { parameterKey: key, parameterId: created.id, unit: input.unit, validFrom: input.validFrom, closedParameterId: closedId },
    });
    return { parameterId: created.id, closedId };
  });
}

function checkKey(key: string, field: string): string {
  if (key.length > MAX_KEY_CHARS || !KEY.test(key)) {
    throw badInput('A parameter key is lower-case words joined by dots, e.g. microcredit.max_amount', field);
  }
  return key;
}

function checkText(text: string | null, field: string, required: boolean): string | null {
  const trimmed = text?.trim() ?? '';
  if (trimmed === '') {
    if (required) throw badInput(`${field.replace('input.', '')} must not be empty`, field);
    return null;
  }
  if (Array.from(trimmed).length > MAX_TEXT_CHARS || trimmed.includes('\0')) {
    throw badInput(`${field.replace('input.', '')} has at most ${MAX_TEXT_CHARS} characters`, field);
  }
  return trimmed;
}

function execute<R>(em: EntityManager, query: Sql): Promise<R[]> {
  return em.getConnection().execute<R[]>(query.text, [...query.params], 'all');
}

import type { RejectionCode } from './ingestion.types';

/**
 * Why one item is refused: thrown by a kind's `check` or `apply` and turned by the batch
 * engine into a REJECTED result. `path` is relative to the item (`principal`,
 * `borrower.household.villageCode`); the engine prefixes `items[i]`. Messages name only
 * what the caller sent or owns — never a national ID number, never whether another
 * institution's record exists.
 */
export class ItemRejection extends Error {
  constructor(
    readonly code: RejectionCode,
    readonly reason: string,
    readonly path: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'ItemRejection';
  }
}

/** Malformed or inconsistent input. */
export function invalid(path: string | null, reason: string, message: string): ItemRejection {
  return new ItemRejection('BAD_USER_INPUT', reason, path, message);
}

/**
 * A reference that does not resolve for this caller: unknown, or another institution's.
 * The two are worded alike so the answer never tells them apart.
 */
export function unknownReference(path: string, message: string): ItemRejection {
  return new ItemRejection('NOT_FOUND', 'UNKNOWN_REFERENCE', path, message);
}

/** The item is based on a version that is no longer current, or would change what cannot change. */
export function conflictWith(path: string | null, reason: string, message: string): ItemRejection {
  return new ItemRejection('CONFLICT', reason, path, message);
}

/**
 * A process-wide cache of public reference rows (institutions, areas): the same for every
 * principal (`referenceScope` is `true`), read by nearly every request and changed only by
 * an administrator. Serving them from memory saves a statement per nesting level that
 * shows a lender, an insurer or a county.
 *
 * - Entries live `REFERENCE_TTL_MS`; a change made through another hub process (or
 *   directly in the database) shows after at most that long. A change made through this
 *   process (`upsertInstitution`) calls `forgetReferenceData` and shows at once.
 * - Only rows that exist are kept: a code that is missing now is read again next time,
 *   so a new institution is visible as soon as it is committed.
 * - Entries are kept per database handle (the ORM's knex client), so two ORMs in one
 *   process (tests, the benchmark) never share rows. Rows are frozen: they are shared by
 *   concurrent requests.
 */

/** How long a reference row is served from memory. */
export const REFERENCE_TTL_MS = 10_000;
/** Entries per kind and database beyond which the cache starts over (area codes are many). */
const MAX_ENTRIES = 20_000;

interface Entry {
  readonly row: object;
  readonly expires: number;
  /** The `generation` it was read in; an entry of an older one is stale. */
  readonly generation: number;
}

const caches = new WeakMap<object, Map<string, Map<string, Entry>>>();
let generation = 0;

/** Drops every cached reference row of this process (after a change to one). */
export function forgetReferenceData(): void {
  generation += 1;
}

function table(db: object, kind: string): Map<string, Entry> {
  let kinds = caches.get(db);
  if (kinds === undefined) {
    kinds = new Map();
    caches.set(db, kinds);
  }
  let entries = kinds.get(kind);
  if (entries === undefined) {
    entries = new Map();
    kinds.set(kind, entries);
  }
  return entries;
}

/**
 * The rows of `keys` of one kind of reference data on database `db`: cached ones from
 * memory, the others through `fetch` (called only with the keys not cached), in key
 * order, null for a key that has no row.
 */
export async function cachedReferenceRows<R extends object>(
  db: object,
  kind: string,
  keys: readonly string[],
  fetch: (missing: readonly string[]) => Promise<Array<R | null>>,
  now: () => number = Date.now,
): Promise<Array<R | null>> {
  const entries = table(db, kind);
  const at = now();
  const result: Array<R | null> = new Array<R | null>(keys.length).fill(null);
  const missing: string[] = [];
  const missingAt: number[] = [];
  keys.forEach((key, i) => {
    const entry = entries.get(key);
    if (entry !== undefined && entry.expires > at && entry.generation === generation) result[i] = entry.row as R;
    else {
      missing.push(key);
      missingAt.push(i);
    }
  });
  if (missing.length === 0) return result;
  const startedGeneration = generation;
  const fetched = await fetch(missing);
  if (entries.size + missing.length > MAX_ENTRIES) entries.clear();
  fetched.forEach((row, j) => {
    if (row === null) return;
    const frozen = Object.freeze(row);
    result[missingAt[j]] = frozen;
    // A row read while a change was being made may be the old one: not kept.
    if (startedGeneration === generation) entries.set(missing[j], { row: frozen, expires: at + REFERENCE_TTL_MS, generation });
  });
  return result;
}

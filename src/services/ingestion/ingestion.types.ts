/**
 * The shapes every ingestion mutation shares: a batch of items in, one result per item
 * out (DESIGN.md §2). Kinds (loans, positions, repayments …) differ only in how an item
 * is checked and applied; see `batch-engine.ts`.
 */
import type { Keyring } from '../identity';

/** At most this many items per call (DESIGN.md §2). */
export const MAX_BATCH_ITEMS = 1000;

/** What happened to one item. */
export type ItemStatus = 'CREATED' | 'UPDATED' | 'UNCHANGED' | 'PENDING_LINK' | 'REJECTED';

/** The stable error code of a rejected item: the codes of DESIGN.md §2. */
export type RejectionCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT';

/**
 * A policy-compliance finding (a micro-credit amount above its cap, a class better than
 * its overdue days allow …). It never rejects: the item lands and the violation is
 * recorded, in the item result and in the version's terms.
 */
export interface PolicyViolation {
  /** Stable code, e.g. `MICROCREDIT_AMOUNT_ABOVE_CAP`. */
  code: string;
  /** The item field it concerns: `items[3].principal` in results, `principal` in terms. */
  path: string;
  message: string;
  /** The `policy_parameter` key whose value in force was exceeded, if one was. */
  parameter: string | null;
  /** The limit in force (the parameter's value, or the class floor). */
  limit: string | null;
  /** The reported value compared with the limit, when it reveals nothing beyond the item. */
  actual: string | null;
  /** The date whose parameter values applied (disbursement, month end, start). */
  inForceOn: string | null;
}

/** The record types ingestion writes, named as their GraphQL Node types. */
export type IngestedRecordType = 'Loan' | 'LoanPosition' | 'Repayment' | 'LoanModification' | 'GuaranteeContract' | 'InsurancePolicy' | 'Claim' | 'Compensation' | 'RelendingFacility' | 'DisasterEvent' | 'Finding' | 'RectificationStep'
  | 'Household' | 'Enterprise' | 'ServicePoint' | 'RiskCompensationFund' | 'DockingEvent';

/** The database row an accepted item wrote or matched. */
export interface RecordRef {
  type: IngestedRecordType;
  id: string;
  /** The global id's key when it is not the row id (Household: its ref; Enterprise: its credit code). */
  key?: string;
}

/** What applying one valid item did. */
export interface AppliedItem {
  status: Exclude<ItemStatus, 'REJECTED'>;
  record: RecordRef | null;
  /** The record's version after the item (versioned records only). */
  version: number | null;
  warnings: PolicyViolation[];
}

/** The result of one item, in input order. */
export interface ItemResult {
  index: number;
  /** The partner's own reference of the item (its idempotency key). */
  ref: string;
  status: ItemStatus;
  code: RejectionCode | null;
  /** A finer, stable reason (`CHECK_CHARACTER`, `DUPLICATE_REF`, `STALE_VERSION` …). */
  reason: string | null;
  /** The input path at fault, e.g. `items[2].borrower.household.headIdNumber`. */
  path: string | null;
  message: string | null;
  record: RecordRef | null;
  version: number | null;
  warnings: PolicyViolation[];
}

export interface ResultCounts {
  created: number;
  updated: number;
  unchanged: number;
  pendingLink: number;
  rejected: number;
}

/** The answer to one ingestion call. */
export interface BatchResult {
  /** The partner's batch id, or the one the hub generated. */
  batchId: string;
  /** The mutation, e.g. `upsertLoans`. */
  kind: string;
  /** SHA-256 of the canonical payload (national ID numbers replaced by keyed digests). */
  payloadHash: string;
  /** When the hub received the batch (the first call, for a replay). */
  receivedAt: Date;
  partial: boolean;
  /** False when nothing was written: an all-or-nothing batch with a rejected item. */
  committed: boolean;
  /** True when this answers a repeated call with the same batch id and payload. */
  replayed: boolean;
  counts: ResultCounts;
  items: ItemResult[];
}

/** A batch as a mutation receives it. */
export interface BatchInput<TItem> {
  batchId?: string | null;
  partial?: boolean | null;
  items: readonly TItem[];
}

/** Process-wide services the ingestion services use (configuration, never request data). */
export interface IngestionDependencies {
  /** Matches national ID numbers to households; null when the hub has none configured. */
  matchKeyring: Keyring | null;
  /** Encrypts PII of households first reported by a lender. */
  piiKeyring: Keyring;
  /** The clock (tests pin it). */
  now?: () => Date;
}

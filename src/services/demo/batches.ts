import type { ClientBase } from 'pg';
import type { BulkWriter } from './bulk-writer';
import { chinaTimestamp, monthEndOf, monthKey, WINDOW_START, type Day } from './calendar';
import { canonicalJson, sha256Hex } from './canonical';
import type { Rng } from './prng';

/** A demo institution as the generator refers to it. */
export interface Inst {
  id: number;
  code: string;
  name: string;
  kind: string;
  homeArea: string;
}

/**
 * Batch kinds: the mutation a partner would have called, and the suffix of the demo
 * batch's external id (`demo-2020-03-BANK-RCB-513431-positions`).
 */
export const BATCH_KINDS = {
  households: ['upsertHouseholds', 'households'],
  statusChanges: ['recordHouseholdStatus', 'status'],
  consents: ['recordConsent', 'consents'],
  loans: ['upsertLoans', 'loans'],
  loanCorrections: ['upsertLoans', 'loans-r2'],
  positions: ['reportLoanPositions', 'positions'],
  positionCorrections: ['reportLoanPositions', 'positions-r2'],
  repayments: ['recordRepayments', 'repayments'],
  modifications: ['recordLoanModifications', 'modifications'],
  policies: ['upsertInsurancePolicies', 'policies'],
  claims: ['recordClaims', 'claims'],
  guarantees: ['upsertGuaranteeContracts', 'guarantees'],
  compensations: ['recordCompensations', 'compensations'],
  recoveries: ['recordCompensationRecoveries', 'recoveries'],
  enterprises: ['upsertEnterprises', 'enterprises'],
  linkages: ['reportEnterpriseLinkages', 'linkages'],
  servicePoints: ['upsertServicePoints', 'service-points'],
  serviceActivity: ['reportServicePointActivity', 'service-activity'],
  funds: ['upsertRiskCompensationFunds', 'funds'],
  fundMovements: ['recordFundMovements', 'fund-movements'],
  relending: ['upsertRelendingFacilities', 'relending'],
  disasters: ['upsertDisasterEvents', 'disasters'],
  docking: ['upsertDockingEvents', 'docking'],
  findings: ['upsertFindings', 'findings'],
} as const satisfies Record<string, readonly [string, string]>;

export type BatchKind = keyof typeof BATCH_KINDS;

export interface Batch {
  id: number;
  institutionId: number;
  externalId: string;
  receivedAt: string;
  items: number;
}

/** The provenance columns of a reported row. */
export interface Provenance {
  source_institution_id: number;
  batch_id: number;
  received_at: string;
}

/**
 * One ingest batch per institution, kind and month, created on first use. Its item count
 * is the number of items a partner would have submitted in it: one per fact row
 * (positions, repayments, status changes …) and one per record version, the current-state
 * row of a versioned record (loan, policy …) not counting separately. A batch is
 * received a few days after its month ends (a few weeks for corrections and for a few
 * late reporters); everything it carries gets the batch's timestamp. Facts dated before
 * the demo period arrive with the initial load of January 2019.
 */
export class BatchRegistry {
  private readonly batches = new Map<string, Batch>();
  private readonly byId = new Map<number, Batch>();

  constructor(
    private readonly writer: BulkWriter,
    private readonly rng: Rng,
    private readonly seed: number,
  ) {}

  /** The batch `inst` reports `kind` in for the month of `on`. */
  get(inst: Inst, kind: BatchKind, on: Day): Batch {
    const month = monthKey(Math.max(on, WINDOW_START));
    const [mutation, suffix] = BATCH_KINDS[kind];
    const externalId = `demo-${month}-${inst.code}-${suffix}`;
    let batch = this.batches.get(externalId);
    if (batch === undefined) {
      const rng = this.rng.derive(externalId);
      const correction = suffix.endsWith('-r2');
      const late = !correction && rng.chance(0.03);
      const delay = correction ? rng.int(18, 40) : late ? rng.int(25, 55) : rng.int(3, 8);
      const receivedAt = chinaTimestamp(monthEndOf(Math.max(on, WINDOW_START)) + delay, rng.int(8 * 60 + 30, 18 * 60));
      batch = { id: this.writer.id('ingest_batch'), institutionId: inst.id, externalId, receivedAt, items: 0 };
      this.batches.set(externalId, batch);
      this.byId.set(batch.id, batch);
      this.writer.add('ingest_batch', {
        id: batch.id,
        institution_id: inst.id,
        external_id: externalId,
        kind: mutation,
        // Replaced by `finalize` once the batch's items are known.
        payload_hash: '0'.repeat(64),
        item_count: 0,
        received_at: receivedAt,
      });
    }
    return batch;
  }

  /** Counts one item into `batch` and returns the row's provenance columns. */
  stamp(batch: Batch): Provenance {
    batch.items++;
    return { source_institution_id: batch.institutionId, batch_id: batch.id, received_at: batch.receivedAt };
  }

  /** A batch's provenance columns without counting an item. */
  of(batch: Batch): Provenance {
    return { source_institution_id: batch.institutionId, batch_id: batch.id, received_at: batch.receivedAt };
  }

  /**
   * Provenance for the current-state row of a versioned record (a loan, a policy …):
   * the item is its record version, counted when that is written.
   */
  uncounted(inst: Inst, kind: BatchKind, on: Day): Provenance {
    return this.of(this.get(inst, kind, on));
  }

  /** Counts one item into the batch with this id. */
  countItem(batchId: number): void {
    this.byId.get(batchId)!.items++;
  }

  /** Shorthand for `stamp(get(inst, kind, on))`. */
  provenance(inst: Inst, kind: BatchKind, on: Day): Provenance {
    return this.stamp(this.get(inst, kind, on));
  }

  get count(): number {
    return this.batches.size;
  }

  /**
   * Writes each batch's item count and payload hash. A demo batch has no payload file,
   * so its hash is that of a canonical descriptor (seed, external id, item count): it
   * still identifies the batch's content for a given seed.
   */
  async finalize(client: ClientBase): Promise<void> {
    const list = [...this.batches.values()];
    const chunk = 10_000;
    for (let i = 0; i < list.length; i += chunk) {
      const part = list.slice(i, i + chunk);
      await client.query(
        `update ingest_batch b set item_count = x.items, payload_hash = x.hash
           from unnest($1::bigint[], $2::int[], $3::text[]) as x(id, items, hash) where b.id = x.id`,
        [
          part.map((b) => b.id),
          part.map((b) => b.items),
          part.map((b) => sha256Hex(canonicalJson({ demo: true, seed: this.seed, externalId: b.externalId, items: b.items }))),
        ],
      );
    }
  }
}

/**
 * Small helpers to seed crafted indicator worlds with plain SQL: institutions with a
 * batch each, households with their dated status history, loans with month-end
 * positions, and the rest, every reported row with its provenance.
 */
import type { Client } from 'pg';
import { encryptPii, parseKeyring } from '../../src/services/identity';

export const PII_KEYS = `v1:${Buffer.alloc(32, 7).toString('base64')}`;
const piiKeyring = parseKeyring(PII_KEYS, 'TRIPOD_PII_KEYS');

export class Seeder {
  private readonly batches = new Map<string, string>();
  private refSeq = 0;

  constructor(readonly client: Client) {}

  async insert(table: string, row: Record<string, unknown>): Promise<string> {
    const columns = Object.keys(row);
    const placeholders = columns.map((_, i) => `$${i + 1}`).join(', ');
    const result = await this.client.query<{ id: string }>(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders}) RETURNING id`,
      Object.values(row),
    );
    return String(result.rows[0].id);
  }

  async institution(code: string, kind: string, homeArea: string): Promise<string> {
    const id = await this.insert('institution', { code, name: `${code}（测试）`, kind, home_area_code: homeArea });
    const batch = await this.insert('ingest_batch', { institution_id: id, external_id: `${code}-batch`, kind: 'test', payload_hash: 'f'.repeat(64), item_count: 1 });
    this.batches.set(id, batch);
    return id;
  }

  /** Provenance columns of a row reported by `institutionId`. */
  by(institutionId: string, receivedAt = '2020-07-05T02:00:00Z'): Record<string, unknown> {
    const batch = this.batches.get(institutionId);
    if (batch === undefined) throw new Error(`no batch for institution ${institutionId}`);
    return { source_institution_id: institutionId, batch_id: batch, received_at: receivedAt };
  }

  nextRef(prefix: string): string {
    this.refSeq += 1;
    return `${prefix}-${this.refSeq}`;
  }

  /**
   * A household living in `village` now, with its status history (`[status, validFrom,
   * county of the change]`, oldest first; the county defaults to the village's).
   */
  async household(government: string, village: string, history: Array<[string, string, string?]>): Promise<string> {
    const county = village.slice(0, 6);
    const [lastStatus, lastFrom] = history[history.length - 1];
    const ref = `H${String(++this.refSeq).padStart(12, '0')}`;
    const id = await this.insert('household', {
      ...this.by(government),
      ref,
      village_code: village,
      county_code: county,
      status: lastStatus,
      status_since: lastFrom,
      exit_year: lastStatus === 'LIFTED_OUT' ? Number(lastFrom.slice(0, 4)) : null,
      name_enc: encryptPii(piiKeyring, '测试户'),
      pii_key_version: 1,
    });
    for (const [status, validFrom, inCounty] of history) {
      await this.insert('household_status_change', {
        ...this.by(government),
        household_id: id,
        county_code: inCounty ?? county,
        status,
        valid_from: validFrom,
        exit_year: status === 'LIFTED_OUT' ? Number(validFrom.slice(0, 4)) : null,
      });
    }
    return id;
  }

  async enterprise(source: string, county: string, serial: number): Promise<string> {
    return this.insert('enterprise', {
      ...this.by(source),
      credit_code: `93${county}DM${String(serial).padStart(6, '0')}XX`,
      name: `企业${serial}`,
      kind: 'COOPERATIVE',
      county_code: county,
      poverty_driving: true,
    });
  }

  async loan(bank: string, county: string, row: Record<string, unknown>): Promise<string> {
    const borrower = row.household_id !== undefined ? { borrower_kind: 'HOUSEHOLD' } : { borrower_kind: 'ENTERPRISE' };
    return this.insert('loan', {
      ...this.by(bank),
      institution_id: bank,
      ref: this.nextRef('L'),
      county_code: county,
      ...borrower,
      annual_rate: '0.0435',
      guarantee_mode: 'CREDIT',
      paid_to_account: 'HOUSEHOLD',
      ...row,
    });
  }

  /** A month-end position (version 1, latest unless said otherwise). */
  async position(loanId: string, bank: string, county: string, monthEnd: string, balance: string, extra: Record<string, unknown> = {}): Promise<string> {
    return this.insert('loan_position', {
      ...this.by(bank),
      loan_id: loanId,
      county_code: county,
      institution_id: bank,
      month_end: monthEnd,
      version: 1,
      is_latest: true,
      balance,
      overdue_principal: '0',
      overdue_days: 0,
      five_class: 'NORMAL',
      ...extra,
    });
  }

  async link(contract: { policy_id: string } | { guarantee_id: string }, submitter: string, bankCode: string, loanId: string | null, county: string): Promise<string> {
    return this.insert('contract_link', {
      ...this.by(submitter),
      ...contract,
      submitter_id: submitter,
      bank_code: bankCode,
      loan_ref: loanId === null ? 'NOT-YET-REPORTED' : `ref-${loanId}`,
      loan_id: loanId,
      status: loanId === null ? 'PENDING' : 'LINKED',
      linked_at: loanId === null ? null : '2020-01-01T00:00:00Z',
      county_code: county,
    });
  }

  /** An insurance policy; payer shares default to the farmer paying everything. */
  async policy(insurer: string, county: string, row: Record<string, unknown>): Promise<string> {
    const premium = String(row.premium);
    return this.insert('insurance_policy', {
      ...this.by(insurer),
      institution_id: insurer,
      ref: this.nextRef('P'),
      county_code: county,
      subject: '测试',
      quantity: '1',
      unit: 'HOUSEHOLD',
      central_share: '0',
      provincial_share: '0',
      county_share: '0',
      farmer_share: premium,
      poverty_fund_share: '0',
      ...row,
    });
  }

  async guarantee(guarantor: string, county: string, row: Record<string, unknown>): Promise<string> {
    const borrower = row.household_id !== undefined ? { borrower_kind: 'HOUSEHOLD' } : { borrower_kind: 'ENTERPRISE' };
    return this.insert('guarantee_contract', {
      ...this.by(guarantor),
      institution_id: guarantor,
      ref: this.nextRef('G'),
      county_code: county,
      ...borrower,
      fee_rate: '0.008',
      guarantor_share: '0.8',
      bank_share: '0.2',
      government_share: '0',
      reguarantee_share: '0',
      ...row,
    });
  }
}

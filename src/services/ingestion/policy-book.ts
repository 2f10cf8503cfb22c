/**
 * Policy parameters in force on a date, read once per batch from `policy_parameter`
 * (DESIGN.md: rules read these, never constants). A value is in force on
 * [valid_from, valid_to); when an administrator has entered overlapping versions, the
 * one that starts latest wins.
 */
import type { TransactionClient } from '../common';

export interface ParameterValue {
  key: string;
  value: string;
  validFrom: string;
}

export class PolicyBook {
  private constructor(private readonly rows: ReadonlyArray<{ key: string; value: string; validFrom: string; validTo: string | null }>) {}

  static async load(client: TransactionClient): Promise<PolicyBook> {
    const result = await client.query<{ key: string; value: string; valid_from: string; valid_to: string | null }>(
      'SELECT key, value::text AS value, valid_from::text AS valid_from, valid_to::text AS valid_to FROM policy_parameter',
    );
    return PolicyBook.fromRows(result.rows.map((r) => ({ key: r.key, value: r.value, validFrom: r.valid_from, validTo: r.valid_to })));
  }

  /** A book over given rows (`YYYY-MM-DD` dates), e.g. for rules evaluated outside a batch. */
  static fromRows(rows: ReadonlyArray<{ key: string; value: string; validFrom: string; validTo: string | null }>): PolicyBook {
    const sorted = rows.map((r) => ({ ...r, value: plain(r.value) })).sort((a, b) => (a.validFrom < b.validFrom ? 1 : a.validFrom > b.validFrom ? -1 : 0));
    return new PolicyBook(sorted);
  }

  /** The value of `key` in force on `date`, or null when none is (the rule is then not evaluated). */
  valueOn(key: string, date: string): ParameterValue | null {
    const row = this.rows.find((r) => r.key === key && r.validFrom <= date && (r.validTo === null || date < r.validTo));
    return row === undefined ? null : { key: row.key, value: row.value, validFrom: row.validFrom };
  }
}

/** `"50000.000000"` → `"50000"`, `"0.008000"` → `"0.008"`: parameter values as people write them. */
function plain(value: string): string {
  return value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
}

/**
 * A breakdown as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when they
 * hold a comma, quote or line break; UTF-8 without BOM). Every row repeats what makes
 * the figure reproducible — as-of date, schema version, content hash — so a file cut
 * from its context still says what it is.
 */
import type { Breakdown, BreakdownRow } from './indicator.types';

export const BREAKDOWN_CSV_COLUMNS = [
  'metric',
  'group_by',
  'group',
  'label',
  'unit',
  'as_of',
  'value',
  'numerator',
  'denominator',
  'null_reason',
  'previous_date',
  'previous_value',
  'previous_null_reason',
  'change_from_previous',
  'relative_change_from_previous',
  'start_of_year_date',
  'start_of_year_value',
  'start_of_year_null_reason',
  'change_from_start_of_year',
  'relative_change_from_start_of_year',
  'latest_month_end',
  'latest_received_at',
  'area',
  'book',
  'schema_version',
  'content_hash',
] as const;

function field(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  // A spreadsheet would run a text cell starting with = + - @ as a formula; names only,
  // never numbers (a negative change stays a number).
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function line(breakdown: Breakdown, row: BreakdownRow): string {
  const values: Array<string | number | null> = [
    breakdown.metric,
    breakdown.groupBy,
    row.group,
    row.label,
    breakdown.unit,
    row.current.date,
    row.current.value,
    row.current.numerator,
    row.current.denominator,
    row.current.nullReason,
    row.previous.date,
    row.previous.value,
    row.previous.nullReason,
    row.changeFromPrevious.absolute,
    row.changeFromPrevious.relative,
    row.startOfYear.date,
    row.startOfYear.value,
    row.startOfYear.nullReason,
    row.changeFromStartOfYear.absolute,
    row.changeFromStartOfYear.relative,
    row.freshness.latestMonthEnd,
    row.freshness.latestReceivedAt,
    breakdown.area.code ?? 'nation',
    breakdown.book,
    breakdown.schemaVersion,
    breakdown.contentHash,
  ];
  return values.map(field).join(',');
}

/** The CSV text of a breakdown: a header line, then one line per row. */
export function breakdownCsv(breakdown: Breakdown): string {
  return [BREAKDOWN_CSV_COLUMNS.join(','), ...breakdown.rows.map((row) => line(breakdown, row))].join('\r\n') + '\r\n';
}

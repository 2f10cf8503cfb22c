/**
 * The columns the generator writes, table by table, with their PostgreSQL types. The
 * row type of each table is derived from its spec, so a misspelt or missing column is a
 * compile error. Tables are listed parents first: the bulk writer flushes them in this
 * order, so every foreign key points at a row already inserted.
 */

type PgType = 'bigint' | 'int' | 'smallint' | 'text' | 'date' | 'numeric' | 'timestamptz' | 'bytea' | 'boolean' | 'jsonb';
/** A column type; a trailing `?` marks a nullable column. */
type ColumnType = PgType | `${PgType}?`;
export type TableSpec = Readonly<Record<string, ColumnType>>;

type TsOf<T extends string> = T extends 'bigint' | 'int' | 'smallint'
  ? number
  : T extends 'boolean'
    ? boolean
    : T extends 'bytea'
      ? Buffer
      : string;

/** The row object of a table spec. */
export type RowOf<S extends TableSpec> = {
  [K in keyof S]: S[K] extends `${infer B}?` ? TsOf<B> | null : TsOf<S[K] & string>;
};

export interface TableDef<S extends TableSpec = TableSpec> {
  readonly name: string;
  readonly spec: S;
}

function table<S extends TableSpec>(name: string, spec: S): TableDef<S> {
  return { name, spec };
}

/** Provenance of every reported row (DESIGN.md §7). */
const REPORTED = { source_institution_id: 'bigint', batch_id: 'bigint', received_at: 'timestamptz' } as const;

export const TABLES = {
  institution: table('institution', {
    id: 'bigint', code: 'text', name: 'text', kind: 'text', home_area_code: 'text', parent_id: 'bigint?',
    valid_from: 'date', valid_to: 'date?', created_at: 'timestamptz',
  }),
  ingest_batch: table('ingest_batch', {
    id: 'bigint', institution_id: 'bigint', external_id: 'text', kind: 'text', payload_hash: 'text', item_count: 'int', received_at: 'timestamptz',
  }),
  area_designation: table('area_designation', {
    id: 'bigint', area_code: 'text', kind: 'text', valid_from: 'date', valid_to: 'date?', basis: 'text', demo_only: 'boolean',
  }),
  disaster_event: table('disaster_event', {
    id: 'bigint', ...REPORTED, ref: 'text', kind: 'text', name: 'text', starts_on: 'date', ends_on: 'date?',
  }),
  disaster_area: table('disaster_area', { id: 'bigint', event_id: 'bigint', area_code: 'text' }),
  risk_compensation_fund: table('risk_compensation_fund', {
    id: 'bigint', ...REPORTED, government_id: 'bigint', ref: 'text', name: 'text', county_code: 'text', capital: 'numeric',
    leverage_cap: 'numeric', established_on: 'date', version: 'int',
  }),
  fund_bank_agreement: table('fund_bank_agreement', {
    id: 'bigint', ...REPORTED, fund_id: 'bigint', bank_id: 'bigint', county_code: 'text', fund_share: 'numeric', bank_share: 'numeric',
    leverage_cap: 'numeric?', valid_from: 'date', valid_to: 'date?',
  }),
  relending_facility: table('relending_facility', {
    id: 'bigint', ...REPORTED, lender_id: 'bigint', borrower_id: 'bigint', ref: 'text', county_code: 'text', amount: 'numeric',
    annual_rate: 'numeric', drawn_on: 'date', due_on: 'date', rollovers: 'smallint', repaid_on: 'date?', version: 'int',
  }),
  enterprise: table('enterprise', {
    id: 'bigint', ...REPORTED, credit_code: 'text', name: 'text', kind: 'text', county_code: 'text', village_code: 'text?',
    poverty_driving: 'boolean', version: 'int',
  }),
  enterprise_linkage: table('enterprise_linkage', {
    id: 'bigint', ...REPORTED, enterprise_id: 'bigint', county_code: 'text', mode: 'text', households: 'int', as_of: 'date',
  }),
  service_point: table('service_point', {
    id: 'bigint', ...REPORTED, institution_id: 'bigint', ref: 'text', kind: 'text', name: 'text', village_code: 'text',
    county_code: 'text', opened_on: 'date', closed_on: 'date?', version: 'int',
  }),
  service_point_activity: table('service_point_activity', {
    id: 'bigint', ...REPORTED, service_point_id: 'bigint', county_code: 'text', month: 'date', transactions: 'int', amount: 'numeric?',
  }),
  household: table('household', {
    id: 'bigint', ...REPORTED, ref: 'text', village_code: 'text', county_code: 'text', status: 'text', status_since: 'date',
    exit_year: 'smallint?', registered_on: 'date?', attribute: 'text?', size: 'smallint?', name_enc: 'bytea', phone_enc: 'bytea?',
    pii_key_version: 'smallint', version: 'int',
  }),
  household_identity: table('household_identity', {
    id: 'bigint', household_id: 'bigint', county_code: 'text', key_version: 'smallint', match_hash: 'bytea', valid_from: 'timestamptz',
    valid_to: 'timestamptz?',
  }),
  household_status_change: table('household_status_change', {
    id: 'bigint', ...REPORTED, household_id: 'bigint', county_code: 'text', status: 'text', valid_from: 'date', exit_year: 'smallint?',
    reason: 'text?',
  }),
  consent: table('consent', {
    id: 'bigint', ...REPORTED, household_id: 'bigint', institution_id: 'bigint', county_code: 'text', given_at: 'timestamptz',
    revoked_at: 'timestamptz?', revoked_by_id: 'bigint?', evidence: 'text?',
  }),
  loan: table('loan', {
    id: 'bigint', ...REPORTED, institution_id: 'bigint', ref: 'text', county_code: 'text', product: 'text', borrower_kind: 'text',
    household_id: 'bigint?', enterprise_id: 'bigint?', principal: 'numeric', disbursed_on: 'date', matures_on: 'date', annual_rate: 'numeric',
    subsidy_rate: 'numeric?', guarantee_mode: 'text', paid_to_account: 'text', relending_facility_id: 'bigint?',
    risk_compensation_fund_id: 'bigint?', purpose: 'text?', closed_on: 'date?', closure: 'text?', version: 'int',
  }),
  loan_position: table('loan_position', {
    id: 'bigint', ...REPORTED, loan_id: 'bigint', county_code: 'text', institution_id: 'bigint', month_end: 'date', version: 'int',
    is_latest: 'boolean', balance: 'numeric', overdue_principal: 'numeric', overdue_days: 'int', five_class: 'text', subsidy_paid: 'numeric?',
  }),
  loan_modification: table('loan_modification', {
    id: 'bigint', ...REPORTED, loan_id: 'bigint', institution_id: 'bigint', ref: 'text', county_code: 'text', kind: 'text',
    effective_on: 'date', previous_matures_on: 'date', new_matures_on: 'date', disaster_event_id: 'bigint?', classification_relief: 'boolean',
  }),
  repayment: table('repayment', {
    id: 'bigint', ...REPORTED, loan_id: 'bigint', institution_id: 'bigint', ref: 'text', county_code: 'text', paid_on: 'date',
    principal: 'numeric', interest: 'numeric',
  }),
  insurance_policy: table('insurance_policy', {
    id: 'bigint', ...REPORTED, institution_id: 'bigint', ref: 'text', county_code: 'text', line: 'text', subject: 'text', quantity: 'numeric',
    unit: 'text', sum_insured: 'numeric', premium: 'numeric', central_share: 'numeric', provincial_share: 'numeric', county_share: 'numeric',
    farmer_share: 'numeric', poverty_fund_share: 'numeric', starts_on: 'date', ends_on: 'date', holder_kind: 'text', household_id: 'bigint?',
    enterprise_id: 'bigint?', version: 'int',
  }),
  policy_insured_household: table('policy_insured_household', {
    id: 'bigint', ...REPORTED, policy_id: 'bigint', household_id: 'bigint', county_code: 'text', quantity: 'numeric?', sum_insured: 'numeric?',
    premium: 'numeric?',
  }),
  claim: table('claim', {
    id: 'bigint', ...REPORTED, policy_id: 'bigint', institution_id: 'bigint', ref: 'text', county_code: 'text', household_id: 'bigint?',
    cause: 'text', disaster_event_id: 'bigint?', loss_on: 'date', agreed_on: 'date?', agreed_amount: 'numeric?', paid_on: 'date?',
    paid_amount: 'numeric?', version: 'int',
  }),
  guarantee_contract: table('guarantee_contract', {
    id: 'bigint', ...REPORTED, institution_id: 'bigint', ref: 'text', county_code: 'text', borrower_kind: 'text', household_id: 'bigint?',
    enterprise_id: 'bigint?', guaranteed_amount: 'numeric', fee_rate: 'numeric', guarantor_share: 'numeric', bank_share: 'numeric',
    government_share: 'numeric', reguarantee_share: 'numeric', starts_on: 'date', ends_on: 'date', released_on: 'date?', version: 'int',
  }),
  compensation: table('compensation', {
    id: 'bigint', ...REPORTED, guarantee_id: 'bigint', institution_id: 'bigint', ref: 'text', county_code: 'text', amount: 'numeric',
    paid_on: 'date',
  }),
  compensation_recovery: table('compensation_recovery', {
    id: 'bigint', ...REPORTED, compensation_id: 'bigint', ref: 'text', county_code: 'text', amount: 'numeric', recovered_on: 'date',
  }),
  contract_link: table('contract_link', {
    id: 'bigint', ...REPORTED, policy_id: 'bigint?', guarantee_id: 'bigint?', submitter_id: 'bigint', bank_code: 'text', loan_ref: 'text',
    loan_id: 'bigint?', status: 'text', linked_at: 'timestamptz?', county_code: 'text',
  }),
  fund_movement: table('fund_movement', {
    id: 'bigint', ...REPORTED, fund_id: 'bigint', ref: 'text', county_code: 'text', kind: 'text', amount: 'numeric', occurred_on: 'date',
    loan_id: 'bigint?',
  }),
  docking_event: table('docking_event', {
    id: 'bigint', ...REPORTED, organizer_id: 'bigint', ref: 'text', name: 'text', county_code: 'text', held_on: 'date',
  }),
  docking_project: table('docking_project', {
    id: 'bigint', ...REPORTED, event_id: 'bigint', ref: 'text', county_code: 'text', enterprise_id: 'bigint', bank_id: 'bigint',
    requested: 'numeric', signed: 'numeric', disbursed: 'numeric',
  }),
  docking_project_loan: table('docking_project_loan', { id: 'bigint', project_id: 'bigint', loan_id: 'bigint', county_code: 'text' }),
  finding: table('finding', {
    id: 'bigint', ...REPORTED, ref: 'text', source: 'text', institution_id: 'bigint?', county_code: 'text', text: 'text', found_on: 'date',
    due_on: 'date', status: 'text', closed_on: 'date?', version: 'int',
  }),
  rectification_step: table('rectification_step', {
    id: 'bigint', finding_id: 'bigint', county_code: 'text', seq: 'int', description: 'text', reported_done_on: 'date?', evidence: 'text?',
    verified_at: 'timestamptz?', verified_by_id: 'bigint?',
  }),
  record_version: table('record_version', {
    id: 'bigint', ...REPORTED, record_kind: 'text', record_id: 'bigint', version: 'int', county_code: 'text', terms: 'jsonb', terms_hash: 'text',
  }),
};

export type TableName = keyof typeof TABLES;
export type Row<N extends TableName> = RowOf<(typeof TABLES)[N]['spec']>;

/** Flush order: parents before children. */
export const TABLE_ORDER = Object.keys(TABLES) as TableName[];

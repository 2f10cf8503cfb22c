/**
 * Plain rows of the records the query surface exposes beyond the first slice (service
 * points, funding, loan events and versions, insured lists, compensations, disasters,
 * docking, findings, alerts), and their select lists. Same conventions as `rows.ts`.
 */
import type {
  AlertRuleKind,
  AlertStatus,
  DisasterKind,
  FindingSource,
  FindingStatus,
  LinkageMode,
  ModificationKind,
  ServicePointKind,
  Severity,
} from '../entities/enums';
import type { AccountKind, GuaranteeMode, LoanProduct } from '../entities/enums';
import { reported, selectList, type ProvenanceColumns } from './rows';

export interface ServicePointRow extends ProvenanceColumns {
  id: string;
  institutionId: string;
  ref: string;
  kind: ServicePointKind;
  name: string;
  villageCode: string;
  countyCode: string;
  openedOn: string;
  closedOn: string | null;
  version: number;
}

export interface RelendingFacilityRow extends ProvenanceColumns {
  id: string;
  lenderId: string;
  borrowerId: string;
  ref: string;
  countyCode: string;
  amount: string;
  annualRate: string;
  drawnOn: string;
  dueOn: string;
  rollovers: number;
  repaidOn: string | null;
  version: number;
}

export interface FundRow extends ProvenanceColumns {
  id: string;
  governmentId: string;
  ref: string;
  name: string;
  countyCode: string;
  capital: string;
  leverageCap: string;
  establishedOn: string;
  version: number;
}

export interface ModificationRow extends ProvenanceColumns {
  id: string;
  loanId: string;
  institutionId: string;
  ref: string;
  countyCode: string;
  kind: ModificationKind;
  effectiveOn: string;
  previousMaturesOn: string;
  newMaturesOn: string;
  disasterEventId: string | null;
  classificationRelief: boolean;
}

export interface RepaymentRow extends ProvenanceColumns {
  id: string;
  loanId: string;
  institutionId: string;
  ref: string;
  countyCode: string;
  paidOn: string;
  principal: string;
  interest: string;
}

/** One version of a loan's terms, with the terms read out of the stored canonical JSON. */
export interface LoanVersionRow extends ProvenanceColumns {
  id: string;
  loanId: string;
  countyCode: string;
  version: number;
  termsHash: string;
  product: LoanProduct | null;
  principal: string | null;
  disbursedOn: string | null;
  maturesOn: string | null;
  annualRate: string | null;
  subsidyRate: string | null;
  guaranteeMode: GuaranteeMode | null;
  paidToAccount: AccountKind | null;
  purpose: string | null;
}

export interface InsuredHouseholdRow extends ProvenanceColumns {
  id: string;
  policyId: string;
  householdId: string;
  countyCode: string;
  quantity: string | null;
  sumInsured: string | null;
  premium: string | null;
}

export interface CompensationRow extends ProvenanceColumns {
  id: string;
  guaranteeId: string;
  institutionId: string;
  ref: string;
  countyCode: string;
  amount: string;
  paidOn: string;
  /** Sum of the recoveries recorded since. */
  recovered: string;
}

export interface DisasterEventRow extends ProvenanceColumns {
  id: string;
  ref: string;
  kind: DisasterKind;
  name: string;
  startsOn: string;
  endsOn: string | null;
}

export interface DisasterAreaRow {
  id: string;
  eventId: string;
  areaCode: string;
}

export interface DockingEventRow extends ProvenanceColumns {
  id: string;
  organizerId: string;
  ref: string;
  name: string;
  countyCode: string;
  heldOn: string;
}

export interface DockingProjectRow extends ProvenanceColumns {
  id: string;
  eventId: string;
  ref: string;
  countyCode: string;
  enterpriseId: string;
  bankId: string;
  requested: string;
  signed: string;
  disbursed: string;
}

export interface FindingRow extends ProvenanceColumns {
  id: string;
  ref: string;
  source: FindingSource;
  institutionId: string | null;
  countyCode: string;
  text: string;
  foundOn: string;
  dueOn: string;
  status: FindingStatus;
  closedOn: string | null;
  version: number;
}

export interface RectificationStepRow {
  id: string;
  findingId: string;
  countyCode: string;
  seq: number;
  description: string;
  reportedDoneOn: string | null;
  evidence: string | null;
  /** PostgreSQL timestamptz text. */
  verifiedAt: string | null;
  verifiedById: string | null;
}

export interface AlertRow {
  id: string;
  ruleId: string;
  ruleCode: string;
  ruleKind: AlertRuleKind;
  ruleName: string;
  ruleVersion: number;
  fingerprint: string;
  subjectType: string;
  subjectId: string;
  countyCode: string | null;
  institutionId: string | null;
  observed: string | null;
  threshold: string | null;
  severity: Severity;
  status: AlertStatus;
  message: string;
  raisedAt: string;
  updatedAt: string;
}

export interface LinkageRow extends ProvenanceColumns {
  id: string;
  enterpriseId: string;
  mode: LinkageMode;
  households: number;
  asOf: string;
}

/** A JSON text field of `terms`, cast (the hub wrote the terms, canonical and validated). */
function term(alias: string, field: string, cast: string | null, as: string): string {
  const text = `${alias}.terms->>'${field}'`;
  return `${cast === null ? text : `(${text})::${cast}::text`} AS "${as}"`;
}

export const surfaceColumns = {
  servicePoint: (a: string) =>
    reported(a, ['id', 'institution_id', 'ref', 'kind', 'name', 'village_code', 'county_code', 'opened_on', 'closed_on', 'version']),
  relendingFacility: (a: string) =>
    reported(a, [
      'id', 'lender_id', 'borrower_id', 'ref', 'county_code', 'amount', 'annual_rate', 'drawn_on', 'due_on', 'rollovers', 'repaid_on', 'version',
    ]),
  fund: (a: string) => reported(a, ['id', 'government_id', 'ref', 'name', 'county_code', 'capital', 'leverage_cap', 'established_on', 'version']),
  modification: (a: string) =>
    reported(a, [
      'id', 'loan_id', 'institution_id', 'ref', 'county_code', 'kind', 'effective_on', 'previous_matures_on', 'new_matures_on',
      'disaster_event_id', 'classification_relief',
    ]),
  repayment: (a: string) => reported(a, ['id', 'loan_id', 'institution_id', 'ref', 'county_code', 'paid_on', 'principal', 'interest']),
  loanVersion: (a: string) =>
    [
      reported(a, ['id', 'county_code', 'version', 'terms_hash']),
      `${a}.record_id AS "loanId"`,
      term(a, 'product', null, 'product'),
      term(a, 'principal', 'numeric(18,2)', 'principal'),
      term(a, 'disbursedOn', 'date', 'disbursedOn'),
      term(a, 'maturesOn', 'date', 'maturesOn'),
      term(a, 'annualRate', 'numeric(9,6)', 'annualRate'),
      term(a, 'subsidyRate', 'numeric(9,6)', 'subsidyRate'),
      term(a, 'guaranteeMode', null, 'guaranteeMode'),
      term(a, 'paidToAccount', null, 'paidToAccount'),
      term(a, 'purpose', null, 'purpose'),
    ].join(', '),
  insuredHousehold: (a: string) => reported(a, ['id', 'policy_id', 'household_id', 'county_code', 'quantity', 'sum_insured', 'premium']),
  compensation: (a: string) =>
    `${reported(a, ['id', 'guarantee_id', 'institution_id', 'ref', 'county_code', 'amount', 'paid_on'])},
     (SELECT coalesce(sum(cr.amount), 0)::numeric(18,2)::text FROM compensation_recovery cr WHERE cr.compensation_id = ${a}.id) AS "recovered"`,
  disasterEvent: (a: string) => reported(a, ['id', 'ref', 'kind', 'name', 'starts_on', 'ends_on']),
  disasterArea: (a: string) => selectList(a, ['id', 'event_id', 'area_code']),
  dockingEvent: (a: string) => reported(a, ['id', 'organizer_id', 'ref', 'name', 'county_code', 'held_on']),
  dockingProject: (a: string) =>
    reported(a, ['id', 'event_id', 'ref', 'county_code', 'enterprise_id', 'bank_id', 'requested', 'signed', 'disbursed']),
  finding: (a: string) =>
    reported(a, ['id', 'ref', 'source', 'institution_id', 'county_code', 'text', 'found_on', 'due_on', 'status', 'closed_on', 'version']),
  step: (a: string) =>
    selectList(a, ['id', 'finding_id', 'county_code', 'seq', 'description', 'reported_done_on', 'evidence', 'verified_at', 'verified_by_id']),
  alert: (a: string) =>
    `${selectList(a, [
      'id', 'rule_id', 'rule_version', 'fingerprint', 'subject_type', 'subject_id', 'county_code', 'institution_id', 'observed', 'threshold',
      'severity', 'status', 'message', 'raised_at', 'updated_at',
    ])}, ar_c.code AS "ruleCode", ar_c.kind AS "ruleKind", ar_c.name AS "ruleName"`,
  linkage: (a: string) => reported(a, ['id', 'enterprise_id', 'mode', 'households', 'as_of']),
} as const;

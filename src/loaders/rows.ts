/**
 * Plain rows the loaders return (no entity hydration on read paths, DESIGN.md §5) and the
 * select lists that produce them. Column aliases are the camelCase property names, so a
 * row needs no mapping in JavaScript. Types follow node-postgres as MikroORM configures
 * it: bigint ids, numeric and date columns arrive as strings, timestamps as PostgreSQL
 * text, bytea as Buffer.
 */
import type {
  AccountKind,
  AreaLevel,
  BorrowerKind,
  ClaimCause,
  DesignationKind,
  EnterpriseKind,
  FiveClass,
  GuaranteeMode,
  HouseholdAttribute,
  HouseholdStatus,
  InstitutionKind,
  InsuranceLine,
  LoanClosure,
  LoanProduct,
  PolicyholderKind,
} from '../entities/enums';

/** Who reported a row, in which batch and when (DESIGN.md §7). */
export interface ProvenanceColumns {
  sourceInstitutionId: string;
  /** The hub's id of the ingest batch (not the partner's batch id). */
  batchRowId: string;
  /** PostgreSQL timestamptz text. */
  receivedAt: string;
}

export interface AreaRow {
  code: string;
  name: string;
  level: AreaLevel;
  parentCode: string | null;
  statisticalOnly: boolean;
  validFrom: string | null;
  validTo: string | null;
}

export interface DesignationRow {
  id: string;
  areaCode: string;
  kind: DesignationKind;
  validFrom: string;
  validTo: string | null;
  basis: string;
  demoOnly: boolean;
}

export interface InstitutionRow {
  id: string;
  code: string;
  name: string;
  kind: InstitutionKind;
  homeAreaCode: string;
  parentId: string | null;
  validFrom: string;
  validTo: string | null;
}

export interface IngestBatchRow {
  id: string;
  externalId: string;
}

export interface HouseholdRow extends ProvenanceColumns {
  id: string;
  ref: string;
  villageCode: string;
  countyCode: string;
  status: HouseholdStatus;
  statusSince: string;
  exitYear: number | null;
  registeredOn: string | null;
  attribute: HouseholdAttribute | null;
  size: number | null;
  nameEnc: Buffer;
  phoneEnc: Buffer | null;
  version: number;
}

export interface StatusChangeRow extends ProvenanceColumns {
  id: string;
  householdId: string;
  countyCode: string;
  status: HouseholdStatus;
  validFrom: string;
  exitYear: number | null;
  reason: string | null;
}

export interface EnterpriseRow extends ProvenanceColumns {
  id: string;
  creditCode: string;
  name: string;
  kind: EnterpriseKind;
  countyCode: string;
  villageCode: string | null;
  povertyDriving: boolean;
  version: number;
}

export interface LoanRow extends ProvenanceColumns {
  id: string;
  institutionId: string;
  ref: string;
  countyCode: string;
  product: LoanProduct;
  borrowerKind: BorrowerKind;
  householdId: string | null;
  enterpriseId: string | null;
  principal: string;
  disbursedOn: string;
  maturesOn: string;
  annualRate: string;
  subsidyRate: string | null;
  guaranteeMode: GuaranteeMode;
  paidToAccount: AccountKind;
  purpose: string | null;
  closedOn: string | null;
  closure: LoanClosure | null;
  relendingFacilityId: string | null;
  riskCompensationFundId: string | null;
  version: number;
}

export interface PositionRow extends ProvenanceColumns {
  id: string;
  loanId: string;
  countyCode: string;
  institutionId: string;
  monthEnd: string;
  version: number;
  balance: string;
  overduePrincipal: string;
  overdueDays: number;
  fiveClass: FiveClass;
  subsidyPaid: string | null;
}

/** A LINKED contract link of a loan, with the period of the policy or guarantee it links. */
export interface LinkRow {
  loanId: string;
  policyId: string | null;
  guaranteeId: string | null;
  startsOn: string;
  endsOn: string;
  releasedOn: string | null;
}

export interface PolicyRow extends ProvenanceColumns {
  id: string;
  institutionId: string;
  ref: string;
  countyCode: string;
  line: InsuranceLine;
  subject: string;
  quantity: string;
  unit: string;
  sumInsured: string;
  premium: string;
  centralShare: string;
  provincialShare: string;
  countyShare: string;
  farmerShare: string;
  povertyFundShare: string;
  startsOn: string;
  endsOn: string;
  holderKind: PolicyholderKind;
  householdId: string | null;
  enterpriseId: string | null;
  version: number;
}

export interface ClaimRow extends ProvenanceColumns {
  id: string;
  policyId: string;
  institutionId: string;
  ref: string;
  countyCode: string;
  householdId: string | null;
  cause: ClaimCause;
  disasterEventId: string | null;
  lossOn: string;
  agreedOn: string | null;
  agreedAmount: string | null;
  paidOn: string | null;
  paidAmount: string | null;
  version: number;
}

export interface GuaranteeRow extends ProvenanceColumns {
  id: string;
  institutionId: string;
  ref: string;
  countyCode: string;
  borrowerKind: BorrowerKind;
  householdId: string | null;
  enterpriseId: string | null;
  guaranteedAmount: string;
  feeRate: string;
  guarantorShare: string;
  bankShare: string;
  governmentShare: string;
  reguaranteeShare: string;
  startsOn: string;
  endsOn: string;
  releasedOn: string | null;
  version: number;
}

/** `a.snake AS "camel", …` for the given columns of table alias `a`. */
export function selectList(alias: string, columns: readonly string[]): string {
  return columns
    .map((column) => {
      const camel = column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
      return camel === column ? `${alias}.${column}` : `${alias}.${column} AS "${camel}"`;
    })
    .join(', ');
}

const PROVENANCE = ['source_institution_id', 'received_at'];

/** The select list of each row type for a table alias; `batch_id` becomes `batchRowId`. */
export const columns = {
  area: (a: string) => selectList(a, ['code', 'name', 'level', 'parent_code', 'statistical_only', 'valid_from', 'valid_to']),
  designation: (a: string) => selectList(a, ['id', 'area_code', 'kind', 'valid_from', 'valid_to', 'basis', 'demo_only']),
  institution: (a: string) => selectList(a, ['id', 'code', 'name', 'kind', 'home_area_code', 'parent_id', 'valid_from', 'valid_to']),
  household: (a: string) =>
    reported(a, [
      'id', 'ref', 'village_code', 'county_code', 'status', 'status_since', 'exit_year', 'registered_on', 'attribute', 'size',
      'name_enc', 'phone_enc', 'version',
    ]),
  statusChange: (a: string) => reported(a, ['id', 'household_id', 'county_code', 'status', 'valid_from', 'exit_year', 'reason']),
  enterprise: (a: string) => reported(a, ['id', 'credit_code', 'name', 'kind', 'county_code', 'village_code', 'poverty_driving', 'version']),
  loan: (a: string) =>
    reported(a, [
      'id', 'institution_id', 'ref', 'county_code', 'product', 'borrower_kind', 'household_id', 'enterprise_id', 'principal',
      'disbursed_on', 'matures_on', 'annual_rate', 'subsidy_rate', 'guarantee_mode', 'paid_to_account', 'purpose', 'closed_on',
      'closure', 'relending_facility_id', 'risk_compensation_fund_id', 'version',
    ]),
  position: (a: string) =>
    reported(a, [
      'id', 'loan_id', 'county_code', 'institution_id', 'month_end', 'version', 'balance', 'overdue_principal', 'overdue_days',
      'five_class', 'subsidy_paid',
    ]),
  policy: (a: string) =>
    reported(a, [
      'id', 'institution_id', 'ref', 'county_code', 'line', 'subject', 'quantity', 'unit', 'sum_insured', 'premium', 'central_share',
      'provincial_share', 'county_share', 'farmer_share', 'poverty_fund_share', 'starts_on', 'ends_on', 'holder_kind', 'household_id',
      'enterprise_id', 'version',
    ]),
  claim: (a: string) =>
    reported(a, [
      'id', 'policy_id', 'institution_id', 'ref', 'county_code', 'household_id', 'cause', 'disaster_event_id', 'loss_on', 'agreed_on', 'agreed_amount',
      'paid_on', 'paid_amount', 'version',
    ]),
  guarantee: (a: string) =>
    reported(a, [
      'id', 'institution_id', 'ref', 'county_code', 'borrower_kind', 'household_id', 'enterprise_id', 'guaranteed_amount', 'fee_rate',
      'guarantor_share', 'bank_share', 'government_share', 'reguarantee_share', 'starts_on', 'ends_on', 'released_on', 'version',
    ]),
} as const;

/** The select list of a reported row: its own columns, then its provenance. */
export function reported(alias: string, own: readonly string[]): string {
  return `${selectList(alias, [...own, ...PROVENANCE])}, ${alias}.batch_id AS "batchRowId"`;
}

import { Check, Entity, Enum, Index, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { money, rate, ref, ReportedRow } from './base';
import { Area } from './area.entity';
import { Institution } from './institution.entity';
import { Household } from './household.entity';
import { Enterprise } from './enterprise.entity';
import { RelendingFacility, RiskCompensationFund } from './funding.entity';
import type { DisasterEvent } from './disaster.entity';
import { AccountKind, BorrowerKind, FiveClass, GuaranteeMode, LoanClosure, LoanProduct, ModificationKind } from './enums';

/**
 * A credit contract, identified by the lending bank's own reference. The row holds the
 * terms of its latest version; every version, the first included, is kept in
 * RecordVersion, so a corrected resubmission never overwrites history. `county` is the
 * county the contract was made in, which does not follow the borrower if it moves.
 */
@Entity({ tableName: 'loan' })
@Unique({ properties: ['institution', 'ref'] })
@Index({ properties: ['county', 'product'] })
@Index({ name: 'loan_county_disbursed_index', properties: ['county', 'disbursedOn', 'id'] })
@Index({ name: 'loan_institution_disbursed_index', properties: ['institution', 'disbursedOn', 'id'] })
@Check({
  name: 'loan_borrower',
  expression:
    "(borrower_kind = 'HOUSEHOLD' and household_id is not null and enterprise_id is null) or (borrower_kind = 'ENTERPRISE' and enterprise_id is not null and household_id is null)",
})
@Check({ name: 'loan_principal', expression: 'principal > 0' })
@Check({ name: 'loan_rates', expression: 'annual_rate >= 0 and (subsidy_rate is null or subsidy_rate >= 0)' })
@Check({ name: 'loan_dates', expression: 'matures_on > disbursed_on and (closed_on is null or closed_on >= disbursed_on)' })
@Check({ name: 'loan_closure', expression: '(closure is null) = (closed_on is null)' })
export class Loan extends ReportedRow {
  @ManyToOne({ entity: () => Institution, ref: true, deleteRule: 'restrict' })
  institution!: Ref<Institution>;

  @Property(ref())
  ref!: string;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', deleteRule: 'restrict' })
  county!: Ref<Area>;

  @Enum({ items: () => LoanProduct })
  product!: LoanProduct;

  @Enum({ items: () => BorrowerKind })
  borrowerKind!: BorrowerKind;

  @ManyToOne({ entity: () => Household, ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  household?: Ref<Household>;

  @ManyToOne({ entity: () => Enterprise, ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  enterprise?: Ref<Enterprise>;

  @Property(money())
  principal!: string;

  @Property({ type: 'date' })
  disbursedOn!: string;

  @Property({ type: 'date' })
  maturesOn!: string;

  @Property(rate())
  annualRate!: string;

  /** The share of the annual rate paid by fiscal interest subsidy (贴息), as a rate. */
  @Property(rate({ nullable: true }))
  subsidyRate?: string;

  @Enum({ items: () => GuaranteeMode })
  guaranteeMode!: GuaranteeMode;

  /** The kind of account the funds were paid to; a household loan paid to an enterprise is 户贷企用. */
  @Enum({ items: () => AccountKind })
  paidToAccount!: AccountKind;

  @ManyToOne({ entity: () => RelendingFacility, ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  relendingFacility?: Ref<RelendingFacility>;

  @ManyToOne({ entity: () => RiskCompensationFund, ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  riskCompensationFund?: Ref<RiskCompensationFund>;

  @Property({ type: 'text', nullable: true })
  purpose?: string;

  @Property({ type: 'date', nullable: true })
  closedOn?: string;

  @Enum({ items: () => LoanClosure, nullable: true })
  closure?: LoanClosure;

  /** The current version number; optimistic lock for concurrent writers. */
  @Property({ type: 'integer', version: true })
  version: number = 1;
}

/**
 * A loan's month-end position. A re-reported month is a new version; exactly one version
 * per (loan, month) is the latest, which is what queries read unless asked what was known
 * at a given time (receivedAt).
 */
@Entity({ tableName: 'loan_position' })
@Unique({ properties: ['loan', 'monthEnd', 'version'] })
@Index({
  name: 'loan_position_latest_unique',
  expression: 'create unique index "loan_position_latest_unique" on "loan_position" ("loan_id", "month_end") where "is_latest"',
})
@Index({
  name: 'loan_position_county_month_index',
  expression: 'create index "loan_position_county_month_index" on "loan_position" ("county_code", "month_end") where "is_latest"',
})
/**
 * Month-end reads across many counties (indicators' completeness checks, rules): a few
 * month ends × every county of a province, answered from the index alone. Measured at
 * 1,000,000 households: the province completeness check 1.57 s → 0.47 s.
 */
@Index({
  name: 'loan_position_month_county_latest_index',
  expression:
    'create index "loan_position_month_county_latest_index" on "loan_position" ("month_end", "county_code") include ("loan_id", "institution_id") where "is_latest"',
})
@Check({ name: 'loan_position_amounts', expression: 'balance >= 0 and overdue_principal >= 0 and overdue_principal <= balance' })
@Check({ name: 'loan_position_overdue_days', expression: 'overdue_days >= 0' })
@Check({ name: 'loan_position_is_month_end', expression: 'extract(day from month_end + 1) = 1' })
@Check({ name: 'loan_position_version', expression: 'version >= 1' })
export class LoanPosition extends ReportedRow {
  @ManyToOne({ entity: () => Loan, ref: true, deleteRule: 'restrict' })
  loan!: Ref<Loan>;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', index: true, deleteRule: 'restrict' })
  county!: Ref<Area>;

  /** The lending institution, carried so scoping needs no join to the loan. */
  @ManyToOne({ entity: () => Institution, ref: true, index: true, deleteRule: 'restrict' })
  institution!: Ref<Institution>;

  @Property({ type: 'date' })
  monthEnd!: string;

  @Property({ type: 'integer' })
  version!: number;

  @Property({ type: 'boolean' })
  isLatest!: boolean;

  @Property(money())
  balance!: string;

  @Property(money())
  overduePrincipal!: string;

  @Property({ type: 'integer' })
  overdueDays!: number;

  /** The class the bank reported; the floor its overdue days imply is computed from policy parameters. */
  @Enum({ items: () => FiveClass })
  fiveClass!: FiveClass;

  /** Interest subsidy paid for this month, if reported. */
  @Property(money({ nullable: true }))
  subsidyPaid?: string;
}

/** An extension, renewal, or epidemic / disaster deferral of a loan. */
@Entity({ tableName: 'loan_modification' })
@Unique({ properties: ['institution', 'ref'] })
@Check({ name: 'loan_modification_dates', expression: 'new_matures_on > effective_on' })
export class LoanModification extends ReportedRow {
  @ManyToOne({ entity: () => Loan, ref: true, index: true, deleteRule: 'restrict' })
  loan!: Ref<Loan>;

  @ManyToOne({ entity: () => Institution, ref: true, deleteRule: 'restrict' })
  institution!: Ref<Institution>;

  @Property(ref())
  ref!: string;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', index: true, deleteRule: 'restrict' })
  county!: Ref<Area>;

  @Enum({ items: () => ModificationKind })
  kind!: ModificationKind;

  @Property({ type: 'date' })
  effectiveOn!: string;

  @Property({ type: 'date' })
  previousMaturesOn!: string;

  @Property({ type: 'date' })
  newMaturesOn!: string;

  @ManyToOne({ entity: 'DisasterEvent', ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  disasterEvent?: Ref<DisasterEvent>;

  /** 2020 epidemic deferrals were allowed not to downgrade the class. */
  @Property({ type: 'boolean', default: false })
  classificationRelief: boolean = false;
}

/** A repayment of principal and interest. */
@Entity({ tableName: 'repayment' })
@Unique({ properties: ['institution', 'ref'] })
@Index({ properties: ['loan', 'paidOn'] })
@Check({ name: 'repayment_amounts', expression: 'principal >= 0 and interest >= 0 and principal + interest > 0' })
export class Repayment extends ReportedRow {
  @ManyToOne({ entity: () => Loan, ref: true, deleteRule: 'restrict' })
  loan!: Ref<Loan>;

  @ManyToOne({ entity: () => Institution, ref: true, deleteRule: 'restrict' })
  institution!: Ref<Institution>;

  @Property(ref())
  ref!: string;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', index: true, deleteRule: 'restrict' })
  county!: Ref<Area>;

  @Property({ type: 'date' })
  paidOn!: string;

  @Property(money())
  principal!: string;

  @Property(money())
  interest!: string;
}

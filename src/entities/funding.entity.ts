import { Check, Entity, Enum, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { money, rate, ref, ReportedRow, share } from './base';
import { Area } from './area.entity';
import { Institution } from './institution.entity';
import { FundMovementKind } from './enums';
import type { Loan } from './loan.entity';

/**
 * A central-bank poverty re-lending draw to a local bank: 3/6/12-month tenors rolled over
 * at most four times. Its county is the borrower institution's, which is what "share in
 * deeply impoverished areas" is computed from.
 */
@Entity({ tableName: 'relending_facility' })
@Unique({ properties: ['lender', 'ref'] })
@Check({ name: 'relending_facility_amount', expression: 'amount > 0' })
@Check({ name: 'relending_facility_rate', expression: 'annual_rate >= 0' })
@Check({ name: 'relending_facility_dates', expression: 'due_on > drawn_on and (repaid_on is null or repaid_on >= drawn_on)' })
@Check({ name: 'relending_facility_rollovers', expression: 'rollovers >= 0 and rollovers <= 4' })
export class RelendingFacility extends ReportedRow {
  /** The central-bank branch that lends. */
  @ManyToOne({ entity: () => Institution, ref: true, deleteRule: 'restrict' })
  lender!: Ref<Institution>;

  /** The local legal-person bank that borrows. */
  @ManyToOne({ entity: () => Institution, ref: true, index: true, deleteRule: 'restrict' })
  borrower!: Ref<Institution>;

  @Property(ref())
  ref!: string;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', index: true, deleteRule: 'restrict' })
  county!: Ref<Area>;

  @Property(money())
  amount!: string;

  @Property(rate())
  annualRate!: string;

  @Property({ type: 'date' })
  drawnOn!: string;

  @Property({ type: 'date' })
  dueOn!: string;

  @Property({ type: 'smallint', default: 0 })
  rollovers: number = 0;

  @Property({ type: 'date', nullable: true })
  repaidOn?: string;

  @Property({ type: 'integer', version: true })
  version: number = 1;
}

/**
 * A county government's risk compensation fund (风险补偿金) deposited with cooperating
 * banks, which lend a multiple of it. The leverage cap bounds backed balance / capital.
 */
@Entity({ tableName: 'risk_compensation_fund' })
@Unique({ properties: ['government', 'ref'] })
@Check({ name: 'risk_compensation_fund_capital', expression: 'capital >= 0' })
@Check({ name: 'risk_compensation_fund_leverage', expression: 'leverage_cap > 0' })
export class RiskCompensationFund extends ReportedRow {
  @ManyToOne({ entity: () => Institution, ref: true, deleteRule: 'restrict' })
  government!: Ref<Institution>;

  @Property(ref())
  ref!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', index: true, deleteRule: 'restrict' })
  county!: Ref<Area>;

  /** Committed capital; the movements record how it was paid in and out. */
  @Property(money())
  capital!: string;

  @Property({ type: 'decimal', precision: 9, scale: 4 })
  leverageCap!: string;

  @Property({ type: 'date' })
  establishedOn!: string;

  @Property({ type: 'integer', version: true })
  version: number = 1;
}

/** The loss-sharing agreement between a fund and one cooperating bank (e.g. 7:3), dated. */
@Entity({ tableName: 'fund_bank_agreement' })
@Unique({ properties: ['fund', 'bank', 'validFrom'] })
@Check({ name: 'fund_bank_agreement_shares', expression: 'fund_share >= 0 and bank_share >= 0 and fund_share + bank_share = 1' })
@Check({ name: 'fund_bank_agreement_valid_range', expression: 'valid_to is null or valid_to > valid_from' })
@Check({ name: 'fund_bank_agreement_leverage', expression: 'leverage_cap is null or leverage_cap > 0' })
export class FundBankAgreement extends ReportedRow {
  @ManyToOne({ entity: () => RiskCompensationFund, ref: true, deleteRule: 'restrict' })
  fund!: Ref<RiskCompensationFund>;

  @ManyToOne({ entity: () => Institution, ref: true, index: true, deleteRule: 'restrict' })
  bank!: Ref<Institution>;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', index: true, deleteRule: 'restrict' })
  county!: Ref<Area>;

  @Property(share())
  fundShare!: string;

  @Property(share())
  bankShare!: string;

  /** A bank-specific cap, when the agreement sets one tighter than the fund's. */
  @Property({ type: 'decimal', precision: 9, scale: 4, nullable: true })
  leverageCap?: string;

  @Property({ type: 'date' })
  validFrom!: string;

  @Property({ type: 'date', nullable: true })
  validTo?: string;
}

/** Money into or out of a fund: top-ups, payouts on defaults, recoveries. */
@Entity({ tableName: 'fund_movement' })
@Unique({ properties: ['fund', 'ref'] })
@Check({ name: 'fund_movement_amount', expression: 'amount > 0' })
export class FundMovement extends ReportedRow {
  @ManyToOne({ entity: () => RiskCompensationFund, ref: true, deleteRule: 'restrict' })
  fund!: Ref<RiskCompensationFund>;

  @Property(ref())
  ref!: string;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', index: true, deleteRule: 'restrict' })
  county!: Ref<Area>;

  @Enum({ items: () => FundMovementKind })
  kind!: FundMovementKind;

  @Property(money())
  amount!: string;

  @Property({ type: 'date' })
  occurredOn!: string;

  /** The defaulted loan a payout or recovery concerns. */
  @ManyToOne({ entity: 'Loan', ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  loan?: Ref<Loan>;
}

import { Check, Entity, Enum, Index, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { money, rate, ref, ReportedRow, share } from './base';
import { Area } from './area.entity';
import { Institution } from './institution.entity';
import { Household } from './household.entity';
import { Enterprise } from './enterprise.entity';
import { BorrowerKind } from './enums';

/**
 * A guarantor covers part of a loan. The risk shares of guarantor, bank, government and
 * re-guarantee fund sum to exactly 1 (e.g. 4321: 0.4 / 0.2 / 0.1 / 0.3). The loan it
 * covers is named through ContractLink.
 */
@Entity({ tableName: 'guarantee_contract' })
@Unique({ properties: ['institution', 'ref'] })
@Index({ name: 'guarantee_contract_institution_starts_index', properties: ['institution', 'startsOn', 'id'] })
@Check({ name: 'guarantee_contract_amount', expression: 'guaranteed_amount > 0 and fee_rate >= 0' })
@Check({
  name: 'guarantee_contract_risk_shares',
  expression:
    'guarantor_share >= 0 and bank_share >= 0 and government_share >= 0 and reguarantee_share >= 0 and guarantor_share + bank_share + government_share + reguarantee_share = 1',
})
@Check({ name: 'guarantee_contract_dates', expression: 'ends_on > starts_on and (released_on is null or released_on >= starts_on)' })
@Check({
  name: 'guarantee_contract_borrower',
  expression:
    "(borrower_kind = 'HOUSEHOLD' and household_id is not null and enterprise_id is null) or (borrower_kind = 'ENTERPRISE' and enterprise_id is not null and household_id is null)",
})
export class GuaranteeContract extends ReportedRow {
  @ManyToOne({ entity: () => Institution, ref: true, deleteRule: 'restrict' })
  institution!: Ref<Institution>;

  @Property(ref())
  ref!: string;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', index: true, deleteRule: 'restrict' })
  county!: Ref<Area>;

  @Enum({ items: () => BorrowerKind })
  borrowerKind!: BorrowerKind;

  @ManyToOne({ entity: () => Household, ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  household?: Ref<Household>;

  @ManyToOne({ entity: () => Enterprise, ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  enterprise?: Ref<Enterprise>;

  @Property(money())
  guaranteedAmount!: string;

  /** Annual guarantee fee as a rate of the guaranteed amount. */
  @Property(rate())
  feeRate!: string;

  @Property(share())
  guarantorShare!: string;

  @Property(share())
  bankShare!: string;

  @Property(share())
  governmentShare!: string;

  @Property(share())
  reguaranteeShare!: string;

  @Property({ type: 'date' })
  startsOn!: string;

  @Property({ type: 'date' })
  endsOn!: string;

  /** The date the guarantee was released (解保), ending the guarantor's liability. */
  @Property({ type: 'date', nullable: true })
  releasedOn?: string;

  @Property({ type: 'integer', version: true })
  version: number = 1;
}

/** A guarantor's payment on a default (代偿). */
@Entity({ tableName: 'compensation' })
@Unique({ properties: ['institution', 'ref'] })
@Check({ name: 'compensation_amount', expression: 'amount > 0' })
export class Compensation extends ReportedRow {
  @ManyToOne({ entity: () => GuaranteeContract, ref: true, index: true, deleteRule: 'restrict' })
  guarantee!: Ref<GuaranteeContract>;

  @ManyToOne({ entity: () => Institution, ref: true, deleteRule: 'restrict' })
  institution!: Ref<Institution>;

  @Property(ref())
  ref!: string;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', index: true, deleteRule: 'restrict' })
  county!: Ref<Area>;

  @Property(money())
  amount!: string;

  @Property({ type: 'date' })
  paidOn!: string;
}

/** Money recovered (追偿) after a compensation. */
@Entity({ tableName: 'compensation_recovery' })
@Unique({ properties: ['compensation', 'ref'] })
@Check({ name: 'compensation_recovery_amount', expression: 'amount > 0' })
export class CompensationRecovery extends ReportedRow {
  @ManyToOne({ entity: () => Compensation, ref: true, deleteRule: 'restrict' })
  compensation!: Ref<Compensation>;

  @Property(ref())
  ref!: string;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', index: true, deleteRule: 'restrict' })
  county!: Ref<Area>;

  @Property(money())
  amount!: string;

  @Property({ type: 'date' })
  recoveredOn!: string;
}

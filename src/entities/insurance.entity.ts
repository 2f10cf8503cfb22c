import { Check, Entity, Enum, Index, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { money, ref, ReportedRow } from './base';
import { Area } from './area.entity';
import { Institution } from './institution.entity';
import { Household } from './household.entity';
import { Enterprise } from './enterprise.entity';
import type { DisasterEvent } from './disaster.entity';
import { ClaimCause, InsuranceLine, PolicyholderKind } from './enums';

/**
 * An agricultural or credit-linked policy. The premium is split among its payers as
 * amounts that must add up to it exactly. Group policies list their insured households
 * in PolicyInsuredHousehold. A link to the loan a policy covers lives in ContractLink.
 */
@Entity({ tableName: 'insurance_policy' })
@Unique({ properties: ['institution', 'ref'] })
@Index({ name: 'insurance_policy_institution_starts_index', properties: ['institution', 'startsOn', 'id'] })
@Check({ name: 'insurance_policy_amounts', expression: 'premium >= 0 and sum_insured >= 0 and quantity > 0' })
@Check({
  name: 'insurance_policy_payer_shares',
  expression:
    'central_share >= 0 and provincial_share >= 0 and county_share >= 0 and farmer_share >= 0 and poverty_fund_share >= 0 and central_share + provincial_share + county_share + farmer_share + poverty_fund_share = premium',
})
@Check({ name: 'insurance_policy_period', expression: 'ends_on > starts_on' })
@Check({
  name: 'insurance_policy_holder',
  expression:
    "(holder_kind = 'HOUSEHOLD' and household_id is not null and enterprise_id is null) or (holder_kind = 'ENTERPRISE' and enterprise_id is not null and household_id is null) or (holder_kind = 'GROUP' and household_id is null)",
})
export class InsurancePolicy extends ReportedRow {
  @ManyToOne({ entity: () => Institution, ref: true, deleteRule: 'restrict' })
  institution!: Ref<Institution>;

  @Property(ref())
  ref!: string;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', index: true, deleteRule: 'restrict' })
  county!: Ref<Area>;

  @Enum({ items: () => InsuranceLine })
  line!: InsuranceLine;

  /** What is insured: rice, breeding sows, public-welfare forest … */
  @Property({ type: 'string', length: 100 })
  subject!: string;

  @Property({ type: 'decimal', precision: 18, scale: 4 })
  quantity!: string;

  /** MU, HEAD, HOUSEHOLD, YUAN … */
  @Property({ type: 'string', length: 16 })
  unit!: string;

  @Property(money())
  sumInsured!: string;

  @Property(money())
  premium!: string;

  @Property(money())
  centralShare!: string;

  @Property(money())
  provincialShare!: string;

  @Property(money())
  countyShare!: string;

  @Property(money())
  farmerShare!: string;

  @Property(money())
  povertyFundShare!: string;

  @Property({ type: 'date' })
  startsOn!: string;

  @Property({ type: 'date' })
  endsOn!: string;

  @Enum({ items: () => PolicyholderKind })
  holderKind!: PolicyholderKind;

  @ManyToOne({ entity: () => Household, ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  household?: Ref<Household>;

  @ManyToOne({ entity: () => Enterprise, ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  enterprise?: Ref<Enterprise>;

  @Property({ type: 'integer', version: true })
  version: number = 1;
}

/** One household on a policy's insured list (分户清单). */
@Entity({ tableName: 'policy_insured_household' })
@Unique({ properties: ['policy', 'household'] })
@Check({ name: 'policy_insured_household_amounts', expression: '(quantity is null or quantity > 0) and (sum_insured is null or sum_insured >= 0) and (premium is null or premium >= 0)' })
export class PolicyInsuredHousehold extends ReportedRow {
  @ManyToOne({ entity: () => InsurancePolicy, ref: true, deleteRule: 'restrict' })
  policy!: Ref<InsurancePolicy>;

  @ManyToOne({ entity: () => Household, ref: true, index: true, deleteRule: 'restrict' })
  household!: Ref<Household>;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', index: true, deleteRule: 'restrict' })
  county!: Ref<Area>;

  @Property({ type: 'decimal', precision: 18, scale: 4, nullable: true })
  quantity?: string;

  @Property(money({ nullable: true }))
  sumInsured?: string;

  @Property(money({ nullable: true }))
  premium?: string;
}

/** A payout on a policy: loss, agreement (定损) and payment, which by law follows within 10 days. */
@Entity({ tableName: 'claim' })
@Unique({ properties: ['institution', 'ref'] })
@Check({ name: 'claim_dates', expression: '(agreed_on is null or agreed_on >= loss_on) and (paid_on is null or (agreed_on is not null and paid_on >= agreed_on))' })
@Check({ name: 'claim_amounts', expression: '(agreed_amount is null or agreed_amount >= 0) and (paid_amount is null or paid_amount >= 0)' })
@Check({ name: 'claim_agreed_complete', expression: '(agreed_on is null) = (agreed_amount is null) and (paid_on is null) = (paid_amount is null)' })
export class Claim extends ReportedRow {
  @ManyToOne({ entity: () => InsurancePolicy, ref: true, index: true, deleteRule: 'restrict' })
  policy!: Ref<InsurancePolicy>;

  @ManyToOne({ entity: () => Institution, ref: true, deleteRule: 'restrict' })
  institution!: Ref<Institution>;

  @Property(ref())
  ref!: string;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', index: true, deleteRule: 'restrict' })
  county!: Ref<Area>;

  /** For a group policy, the insured household the claim pays. */
  @ManyToOne({ entity: () => Household, ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  household?: Ref<Household>;

  @Enum({ items: () => ClaimCause })
  cause!: ClaimCause;

  @ManyToOne({ entity: 'DisasterEvent', ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  disasterEvent?: Ref<DisasterEvent>;

  @Property({ type: 'date' })
  lossOn!: string;

  @Property({ type: 'date', nullable: true })
  agreedOn?: string;

  @Property(money({ nullable: true }))
  agreedAmount?: string;

  @Property({ type: 'date', nullable: true })
  paidOn?: string;

  @Property(money({ nullable: true }))
  paidAmount?: string;

  @Property({ type: 'integer', version: true })
  version: number = 1;
}

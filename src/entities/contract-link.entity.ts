import { Check, Entity, Enum, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { ref, ReportedRow } from './base';
import { Area } from './area.entity';
import { Institution } from './institution.entity';
import { Loan } from './loan.entity';
import { InsurancePolicy } from './insurance.entity';
import { GuaranteeContract } from './guarantee.entity';
import { LinkStatus } from './enums';

/**
 * A policy or guarantee naming the loan it covers by the bank's code and the bank's own
 * loan reference. Reports arrive in any order, so the link may be PENDING until the loan
 * is reported; it is then LINKED. Only its submitter ever sees it pending.
 */
@Entity({ tableName: 'contract_link' })
@Check({ name: 'contract_link_one_contract', expression: '(policy_id is null) <> (guarantee_id is null)' })
@Check({ name: 'contract_link_status', expression: "(status = 'LINKED') = (loan_id is not null)" })
@Index({
  name: 'contract_link_policy_unique',
  expression: 'create unique index "contract_link_policy_unique" on "contract_link" ("policy_id", "bank_code", "loan_ref") where "policy_id" is not null',
})
@Index({
  name: 'contract_link_guarantee_unique',
  expression: 'create unique index "contract_link_guarantee_unique" on "contract_link" ("guarantee_id", "bank_code", "loan_ref") where "guarantee_id" is not null',
})
@Index({
  name: 'contract_link_pending_index',
  expression: `create index "contract_link_pending_index" on "contract_link" ("bank_code", "loan_ref") where "status" = 'PENDING'`,
})
export class ContractLink extends ReportedRow {
  @ManyToOne({ entity: () => InsurancePolicy, ref: true, nullable: true, deleteRule: 'restrict' })
  policy?: Ref<InsurancePolicy>;

  @ManyToOne({ entity: () => GuaranteeContract, ref: true, nullable: true, deleteRule: 'restrict' })
  guarantee?: Ref<GuaranteeContract>;

  /** The institution that named the loan (the insurer or guarantor). */
  @ManyToOne({ entity: () => Institution, ref: true, index: true, deleteRule: 'restrict' })
  submitter!: Ref<Institution>;

  @Property({ type: 'string', length: 32 })
  bankCode!: string;

  @Property(ref())
  loanRef!: string;

  @ManyToOne({ entity: () => Loan, ref: true, nullable: true, index: true, deleteRule: 'restrict' })
  loan?: Ref<Loan>;

  @Enum({ items: () => LinkStatus })
  status!: LinkStatus;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  linkedAt?: Date;

  @ManyToOne({ entity: () => Area, ref: true, fieldName: 'county_code', index: true, deleteRule: 'restrict' })
  county!: Ref<Area>;
}

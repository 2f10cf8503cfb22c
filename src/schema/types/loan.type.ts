import { Field, Int, ObjectType } from 'type-graphql';
import { AccountKind, BorrowerKind, FiveClass, GuaranteeMode, LoanClosure, LoanProduct } from '../enums';
import { DateScalar, DecimalScalar } from '../scalars';
import { NodeInterface } from './node.type';

@ObjectType('Loan', { simpleResolvers: true, implements: NodeInterface, description: 'A credit contract, identified by the lending bank’s own reference; terms of its latest version.' })
export class LoanType {
  @Field({ description: 'The bank’s own loan reference.' })
  ref!: string;

  @Field(() => LoanProduct)
  product!: LoanProduct;

  @Field(() => BorrowerKind)
  borrowerKind!: BorrowerKind;

  @Field(() => DecimalScalar, { description: 'Yuan.' })
  principal!: string;

  @Field(() => DateScalar)
  disbursedOn!: string;

  @Field(() => DateScalar)
  maturesOn!: string;

  @Field(() => DecimalScalar, { description: 'Annual interest rate, e.g. "0.043500".' })
  annualRate!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'The part of the annual rate paid by fiscal interest subsidy.' })
  subsidyRate!: string | null;

  @Field(() => GuaranteeMode)
  guaranteeMode!: GuaranteeMode;

  @Field(() => AccountKind, { description: 'The kind of account the funds were paid to.' })
  paidToAccount!: AccountKind;

  @Field(() => String, { nullable: true })
  purpose!: string | null;

  @Field(() => DateScalar, { nullable: true })
  closedOn!: string | null;

  @Field(() => LoanClosure, { nullable: true })
  closure!: LoanClosure | null;

  @Field(() => Int, { description: 'The current version of the terms.' })
  version!: number;
}

@ObjectType('LoanPosition', { simpleResolvers: true, implements: NodeInterface, description: 'A loan’s month-end position (latest version of that month).' })
export class LoanPositionType {
  @Field(() => DateScalar)
  monthEnd!: string;

  @Field(() => DecimalScalar)
  balance!: string;

  @Field(() => DecimalScalar)
  overduePrincipal!: string;

  @Field(() => Int)
  overdueDays!: number;

  @Field(() => FiveClass, { description: 'The five-category class the bank reported.' })
  fiveClass!: FiveClass;

  @Field(() => DecimalScalar, { nullable: true, description: 'Interest subsidy paid for the month, if reported.' })
  subsidyPaid!: string | null;

  @Field(() => Int)
  version!: number;
}

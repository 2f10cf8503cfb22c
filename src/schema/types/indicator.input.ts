import { Field, InputType } from 'type-graphql';
import { CombinedModel, DesignationKind, LoanProduct } from '../enums';

@InputType('AreaInput', { description: 'Exactly one of: { code } — a 2, 4, 6, 9 or 12-digit division code — or { nation: true }.' })
export class AreaInput {
  @Field(() => String, { nullable: true })
  code?: string | null;

  @Field(() => Boolean, { nullable: true })
  nation?: boolean | null;
}

@InputType('IndicatorFilter', { description: 'Narrows the rows of a breakdown. Each metric accepts only the fields that apply to it (IndicatorDefinition.filters).' })
export class IndicatorFilterInput {
  @Field(() => String, { nullable: true, description: 'Loans of this bank, policies of this insurer, guarantees of this guarantor, re-lending of this borrowing bank, service points or docking projects of this bank.' })
  institutionCode?: string | null;

  @Field(() => [LoanProduct], { nullable: true, description: 'Loan-book metrics only.' })
  products?: LoanProduct[] | null;

  @Field(() => [CombinedModel], { nullable: true, description: 'Loan-book metrics only: the loan’s model on the date.' })
  combinedModels?: CombinedModel[] | null;

  @Field(() => DesignationKind, { nullable: true, description: 'Only counties holding this designation on the date.' })
  designation?: DesignationKind | null;
}

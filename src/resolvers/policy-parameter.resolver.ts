import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { DateScalar, PolicyParameterType, SetPolicyParameterInput, SetPolicyParameterResultType, type Context } from '../schema';
import { listPolicyParameters, setPolicyParameter, type PolicyParameterRow } from '../services/admin';

@Resolver(() => PolicyParameterType)
export class PolicyParameterResolver {
  @Query(() => [PolicyParameterType], {
    description: 'Policy parameter versions (every role reads them), by key and validity; with asOf, those in force on that date; with key, that parameter’s.',
  })
  policyParameters(
    @Arg('key', () => String, { nullable: true }) key: string | null | undefined,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf: string | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<PolicyParameterRow[]> {
    return listPolicyParameters(ctx, { key, asOf });
  }

  @Mutation(() => SetPolicyParameterResultType, {
    description: 'ADMIN: adds a version of a policy parameter from validFrom on, closing the open-ended version before it at that date.',
  })
  async setPolicyParameter(@Arg('input', () => SetPolicyParameterInput) input: SetPolicyParameterInput, @Ctx() ctx: Context): Promise<SetPolicyParameterResultType> {
    const change = await setPolicyParameter(ctx, input);
    const [parameter, closed] = await Promise.all([
      ctx.loaders.policyParameterById.load(change.parameterId),
      change.closedId === null ? null : ctx.loaders.policyParameterById.load(change.closedId),
    ]);
    if (parameter === null) throw new Error(`policy parameter ${change.parameterId} vanished after it was written`);
    return { parameter, closed };
  }
}

import { Ctx, Query, Resolver } from 'type-graphql';
import { UsageType, type Context } from '../schema';
import { usageFor, type Usage } from '../services/limits';

@Resolver()
export class UsageResolver {
  @Query(() => UsageType, { description: 'The caller’s rate limit and what is left of its daily cost budget.' })
  usage(@Ctx() ctx: Context): Promise<Usage> {
    return usageFor(ctx, ctx.services);
  }
}

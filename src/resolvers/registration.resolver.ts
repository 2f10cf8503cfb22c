import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { HouseholdRegistrationType, type Context, type RegistrationStatus } from '../schema';
import { lookupRegistration } from '../services/registration';

@Resolver()
export class RegistrationResolver {
  @Query(() => HouseholdRegistrationType, {
    description:
      'A partner (BANK, INSURER, GUARANTOR, GOVERNMENT) checks one household’s registry status by its head’s national ID number before contracting. Status only; rate-limited per key and audited. The number is never stored, logged or returned.',
  })
  async householdRegistration(@Arg('idNumber') idNumber: string, @Ctx() ctx: Context): Promise<HouseholdRegistrationType> {
    const answer = await lookupRegistration(ctx, ctx.services, idNumber);
    return { status: answer.status as RegistrationStatus, asOf: answer.asOf };
  }
}

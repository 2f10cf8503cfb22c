import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { ConsentRow, HouseholdRow, InstitutionRow, ProvenanceColumns } from '../loaders';
import { ConsentResultType, ConsentType, HouseholdType, InstitutionType, ProvenanceType, RecordConsentInput, RevokeConsentInput, type ChangeOutcome, type Context } from '../schema';
import { recordConsent, revokeConsent, type ConsentChange } from '../services/consent';

@Resolver(() => ConsentType)
export class ConsentResolver {
  @Mutation(() => ConsentResultType, {
    description:
      'Records a household’s consent to share with an institution: county governments for households of their county, partners for consents given to themselves by households they see. Idempotent: an existing live consent is returned UNCHANGED.',
  })
  async recordConsent(@Arg('input', () => RecordConsentInput) input: RecordConsentInput, @Ctx() ctx: Context): Promise<ConsentResultType> {
    return result(ctx, await recordConsent(ctx, input));
  }

  @Mutation(() => ConsentResultType, {
    description:
      'Revokes a household’s live consent to an institution, from the next request on: the county government, or the institution that collected it. A consent already revoked is returned UNCHANGED.',
  })
  async revokeConsent(@Arg('input', () => RevokeConsentInput) input: RevokeConsentInput, @Ctx() ctx: Context): Promise<ConsentResultType> {
    return result(ctx, await revokeConsent(ctx, input));
  }

  @FieldResolver(() => HouseholdType, { nullable: true })
  household(@Root() consent: ConsentRow, @Ctx() ctx: Context): Promise<HouseholdRow | null> {
    return ctx.loaders.householdById.load(String(consent.householdId));
  }

  @FieldResolver(() => InstitutionType, { description: 'The institution the household consents to share with.' })
  institution(@Root() consent: ConsentRow, @Ctx() ctx: Context): Promise<InstitutionRow | null> {
    return ctx.loaders.institutionById.load(String(consent.institutionId));
  }

  @FieldResolver(() => Boolean, { description: 'True until revoked.' })
  live(@Root() consent: ConsentRow): boolean {
    return consent.revokedAt === null;
  }

  @FieldResolver(() => InstitutionType, { nullable: true, description: 'Who recorded the revocation.' })
  revokedBy(@Root() consent: ConsentRow, @Ctx() ctx: Context): Promise<InstitutionRow | null> | null {
    return consent.revokedById === null ? null : ctx.loaders.institutionById.load(String(consent.revokedById));
  }

  @FieldResolver(() => ProvenanceType, { description: 'The institution that collected the consent, its batch and when the hub received it.' })
  provenance(@Root() consent: ConsentRow): ProvenanceColumns {
    return { sourceInstitutionId: String(consent.sourceInstitutionId), batchRowId: String(consent.batchRowId), receivedAt: consent.receivedAt };
  }
}

@Resolver(() => HouseholdType)
export class HouseholdConsentsResolver {
  @FieldResolver(() => [ConsentType], {
    description: 'The household’s consents, oldest first: all of them for county governments and regulators in scope, a partner’s own for a partner.',
  })
  consents(@Root() household: HouseholdRow, @Ctx() ctx: Context): Promise<ConsentRow[]> {
    return ctx.loaders.consentsByHouseholdId.load(household.id);
  }
}

async function result(ctx: Context, change: ConsentChange): Promise<ConsentResultType> {
  const consent = await ctx.loaders.consentById.load(change.consentId);
  if (consent === null) {
    // The service acted only on a household and consent the caller sees.
    throw new Error(`consent ${change.consentId} is not visible to the principal that changed it`);
  }
  return { consent, outcome: change.outcome as ChangeOutcome };
}

import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { InstitutionRow } from '../loaders';
import {
  ApiKeyType,
  InstitutionResultType,
  InstitutionType,
  IssueApiKeyInput,
  IssuedApiKeyType,
  RotatedApiKeyType,
  UpsertInstitutionInput,
  type ChangeOutcome,
  type Context,
} from '../schema';
import { issueApiKey, listApiKeys, revokeApiKey, rotateApiKey, upsertInstitution } from '../services/admin';
import type { ApiKeySummary } from '../services/auth';

/** Administration of institutions and API keys: the ADMIN role only, every action audited. */
@Resolver(() => ApiKeyType)
export class AdminResolver {
  @Mutation(() => InstitutionResultType, { description: 'ADMIN: creates or changes an institution by code.' })
  async upsertInstitution(@Arg('input', () => UpsertInstitutionInput) input: UpsertInstitutionInput, @Ctx() ctx: Context): Promise<InstitutionResultType> {
    const change = await upsertInstitution(ctx, input);
    const institution = await ctx.loaders.institutionById.load(change.institutionId);
    if (institution === null) throw new Error(`institution ${change.institutionId} vanished after its upsert`);
    return { institution, outcome: change.outcome as ChangeOutcome };
  }

  @Query(() => [ApiKeyType], { description: 'ADMIN: every API key, or one institution’s, with its status; never a secret or hash.' })
  apiKeys(@Arg('institutionCode', () => String, { nullable: true }) institutionCode: string | null | undefined, @Ctx() ctx: Context): Promise<ApiKeySummary[]> {
    return listApiKeys(ctx, institutionCode ?? null);
  }

  @Mutation(() => IssuedApiKeyType, { description: 'ADMIN: issues an API key; the token is returned this once.' })
  issueApiKey(@Arg('input', () => IssueApiKeyInput) input: IssueApiKeyInput, @Ctx() ctx: Context): Promise<IssuedApiKeyType> {
    return issueApiKey(ctx, input);
  }

  @Mutation(() => RotatedApiKeyType, {
    description: 'ADMIN: replaces a key with a new one of the same grants; the old one keeps working graceHours (0-720) more. The new token is returned this once.',
  })
  rotateApiKey(
    @Arg('keyId') keyId: string,
    @Arg('graceHours', () => Int, { defaultValue: 0 }) graceHours: number,
    @Ctx() ctx: Context,
  ): Promise<RotatedApiKeyType> {
    return rotateApiKey(ctx, keyId, graceHours);
  }

  @Mutation(() => ApiKeyType, { description: 'ADMIN: revokes a key at once.' })
  revokeApiKey(@Arg('keyId') keyId: string, @Ctx() ctx: Context): Promise<ApiKeySummary> {
    return revokeApiKey(ctx, keyId);
  }

  @FieldResolver(() => InstitutionType, { nullable: true, description: 'The institution the key acts for.' })
  institution(@Root() key: ApiKeySummary, @Ctx() ctx: Context): Promise<InstitutionRow | null> | null {
    return key.institutionCode === null ? null : ctx.loaders.institutionByCode.load(key.institutionCode);
  }
}

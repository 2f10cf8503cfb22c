import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../schema';
import { IngestionResultType, RecordClaimsInput, RecordCompensationsInput, UpsertInsurancePoliciesInput } from '../schema/ingestion';
import { recordClaims, recordCompensations, upsertInsurancePolicies, type IngestionDependencies } from '../services/ingestion';
import { toIngestionResult } from './ingestion.resolver';

function dependencies(ctx: Context): IngestionDependencies {
  return { matchKeyring: ctx.services.matchKeyring, piiKeyring: ctx.services.piiKeyring };
}

const BATCH_RULES =
  'One transaction; all-or-nothing unless partial: true; at most 1,000 items; the same batchId and payload again returns the first answer, another payload is CONFLICT.';

/** The insurers' and guarantors' mutations beyond guarantee contracts: thin calls into `services/ingestion`. */
@Resolver()
export class IngestionCoverResolver {
  @Mutation(() => IngestionResultType, {
    description: `An insurer reports its policies, their insured households and the loans they cover (INSURER, own institution). ${BATCH_RULES}`,
  })
  async upsertInsurancePolicies(
    @Arg('input', () => UpsertInsurancePoliciesInput) input: UpsertInsurancePoliciesInput,
    @Ctx() ctx: Context,
  ): Promise<IngestionResultType> {
    return toIngestionResult(await upsertInsurancePolicies(ctx, dependencies(ctx), input));
  }

  @Mutation(() => IngestionResultType, { description: `An insurer records claims on its own policies, again as they are agreed and paid (INSURER). ${BATCH_RULES}` })
  async recordClaims(@Arg('input', () => RecordClaimsInput) input: RecordClaimsInput, @Ctx() ctx: Context): Promise<IngestionResultType> {
    return toIngestionResult(await recordClaims(ctx, dependencies(ctx), input));
  }

  @Mutation(() => IngestionResultType, {
    description: `A guarantor records its compensations on defaults of its own guarantees and the recoveries after them (GUARANTOR). ${BATCH_RULES}`,
  })
  async recordCompensations(@Arg('input', () => RecordCompensationsInput) input: RecordCompensationsInput, @Ctx() ctx: Context): Promise<IngestionResultType> {
    return toIngestionResult(await recordCompensations(ctx, dependencies(ctx), input));
  }
}

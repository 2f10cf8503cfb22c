import { typed, type Context } from '../schema';

/** A borrower or policyholder as the `Party` union: its household or enterprise, if visible. */
export async function loadParty(ctx: Context, householdId: string | null, enterpriseId: string | null): Promise<object | null> {
  if (householdId !== null) {
    const household = await ctx.loaders.householdById.load(householdId);
    return household === null ? null : typed('Household', household);
  }
  if (enterpriseId !== null) {
    const enterprise = await ctx.loaders.enterpriseById.load(enterpriseId);
    return enterprise === null ? null : typed('Enterprise', enterprise);
  }
  return null;
}

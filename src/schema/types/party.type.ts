import { createUnionType } from 'type-graphql';
import { EnterpriseType } from './enterprise.type';
import { HouseholdType } from './household.type';

/** A borrower or policyholder: a household or an enterprise. */
export const PartyUnion = createUnionType({
  name: 'Party',
  description: 'A household or an enterprise.',
  types: () => [HouseholdType, EnterpriseType] as const,
  resolveType: (value) => (value as { __typename?: string }).__typename,
});

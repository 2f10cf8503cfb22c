import { AreaResolver, CountyResolver } from './area.resolver';
import { EnterpriseResolver } from './enterprise.resolver';
import { GuaranteeContractResolver } from './guarantee.resolver';
import { HouseholdResolver, HouseholdStatusChangeResolver } from './household.resolver';
import { InstitutionResolver } from './institution.resolver';
import { ClaimResolver, InsurancePolicyResolver } from './insurance.resolver';
import { LoanPositionResolver, LoanResolver } from './loan.resolver';
import { NodeResolver } from './node.resolver';
import { ProvenanceResolver } from './provenance.resolver';

/** Every resolver class of the schema. */
export const RESOLVERS = [
  NodeResolver,
  AreaResolver,
  CountyResolver,
  InstitutionResolver,
  HouseholdResolver,
  HouseholdStatusChangeResolver,
  EnterpriseResolver,
  LoanResolver,
  LoanPositionResolver,
  InsurancePolicyResolver,
  ClaimResolver,
  GuaranteeContractResolver,
  ProvenanceResolver,
] as const;

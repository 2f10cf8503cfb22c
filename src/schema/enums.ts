/**
 * The domain's closed vocabularies, exposed under the same names and values as in
 * `src/entities/enums.ts` (and the database's CHECK constraints).
 */
import { registerEnumType } from 'type-graphql';
import {
  AccountKind,
  AreaLevel,
  BorrowerKind,
  ClaimCause,
  DesignationKind,
  EnterpriseKind,
  FiveClass,
  GuaranteeMode,
  HouseholdAttribute,
  HouseholdStatus,
  InstitutionKind,
  InsuranceLine,
  LoanClosure,
  LoanProduct,
  PolicyholderKind,
} from '../entities/enums';
import { CombinedModel } from '../services/packages';

const ENUMS: Record<string, object> = {
  AccountKind,
  AreaLevel,
  BorrowerKind,
  ClaimCause,
  CombinedModel,
  DesignationKind,
  EnterpriseKind,
  FiveClass,
  GuaranteeMode,
  HouseholdAttribute,
  HouseholdStatus,
  InstitutionKind,
  InsuranceLine,
  LoanClosure,
  LoanProduct,
  PolicyholderKind,
};

const DESCRIPTIONS: Record<string, string> = {
  CombinedModel: 'The bank–insurance–guarantee service model of a loan, derived from the policies and guarantees linked to it.',
  FiveClass: 'The five-category loan classification; NPL = SUBSTANDARD + DOUBTFUL + LOSS.',
  HouseholdStatus: 'Registry status: REGISTERED_POOR and LIFTED_OUT are registered households; OTHER is not in the registry.',
};

for (const [name, values] of Object.entries(ENUMS)) {
  registerEnumType(values, { name, description: DESCRIPTIONS[name] });
}

export {
  AccountKind,
  AreaLevel,
  BorrowerKind,
  ClaimCause,
  CombinedModel,
  DesignationKind,
  EnterpriseKind,
  FiveClass,
  GuaranteeMode,
  HouseholdAttribute,
  HouseholdStatus,
  InstitutionKind,
  InsuranceLine,
  LoanClosure,
  LoanProduct,
  PolicyholderKind,
};

import { AdminResolver } from './admin.resolver';
import { AreaResolver, CountyResolver } from './area.resolver';
import { AuditLogResolver } from './audit-log.resolver';
import { ConsentResolver, HouseholdConsentsResolver } from './consent.resolver';
import { EnterpriseResolver } from './enterprise.resolver';
import { GuaranteeContractResolver } from './guarantee.resolver';
import { HouseholdResolver, HouseholdStatusChangeResolver } from './household.resolver';
import { IndicatorResolver } from './indicator.resolver';
import { InstitutionResolver } from './institution.resolver';
import { IngestionResolver } from './ingestion.resolver';
import { ClaimResolver, InsurancePolicyResolver } from './insurance.resolver';
import { LoanPositionResolver, LoanResolver } from './loan.resolver';
import { NodeResolver } from './node.resolver';
import { PolicyParameterResolver } from './policy-parameter.resolver';
import { ProvenanceResolver } from './provenance.resolver';
import { CompensationResolver, PolicyInsuredHouseholdResolver } from './cover.resolver';
import { DisasterAreaResolver, DisasterEventResolver } from './disaster.resolver';
import { DockingEventResolver, DockingProjectResolver } from './docking.resolver';
import { RelendingFacilityResolver, RiskCompensationFundResolver } from './funding.resolver';
import { LoanModificationResolver, LoanVersionResolver, RepaymentResolver } from './loan-event.resolver';
import { AlertResolver, FindingResolver, RectificationStepResolver } from './oversight.resolver';
import { ServicePointResolver } from './service-point.resolver';
import { RegistrationResolver } from './registration.resolver';
import { UsageResolver } from './usage.resolver';

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
  ConsentResolver,
  HouseholdConsentsResolver,
  RegistrationResolver,
  AdminResolver,
  PolicyParameterResolver,
  UsageResolver,
  AuditLogResolver,
  ServicePointResolver,
  RelendingFacilityResolver,
  RiskCompensationFundResolver,
  LoanModificationResolver,
  RepaymentResolver,
  LoanVersionResolver,
  PolicyInsuredHouseholdResolver,
  CompensationResolver,
  DisasterEventResolver,
  DisasterAreaResolver,
  DockingEventResolver,
  DockingProjectResolver,
  FindingResolver,
  RectificationStepResolver,
  AlertResolver,
  IngestionResolver,
  IndicatorResolver,
] as const;

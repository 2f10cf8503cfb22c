import { AdminResolver } from './admin.resolver';
import { AlertLifecycleResolver, AlertRuleResolver } from './alert-lifecycle.resolver';
import { AreaResolver, CountyResolver } from './area.resolver';
import { AuditLogResolver } from './audit-log.resolver';
import { ConsentResolver, HouseholdConsentsResolver } from './consent.resolver';
import { EnterpriseResolver } from './enterprise.resolver';
import { GuaranteeContractResolver } from './guarantee.resolver';
import { HouseholdResolver, HouseholdStatusChangeResolver } from './household.resolver';
import { IndicatorResolver } from './indicator.resolver';
import { InstitutionResolver } from './institution.resolver';
import { IngestionResolver } from './ingestion.resolver';
import { IngestionCoverResolver } from './ingestion-cover.resolver';
import { ReportingCompletenessResolver } from './reporting-completeness.resolver';
import { FindingStateResolver, OversightIngestionResolver } from './ingestion-oversight.resolver';
import { IngestionRegistryResolver } from './ingestion-registry.resolver';
import { ClaimResolver, InsurancePolicyResolver } from './insurance.resolver';
import { LoanPositionResolver, LoanResolver } from './loan.resolver';
import { NodeResolver } from './node.resolver';
import { PolicyParameterResolver } from './policy-parameter.resolver';
import { ProvenanceResolver } from './provenance.resolver';
import { CompensationResolver, PolicyInsuredHouseholdResolver } from './cover.resolver';
import { DisasterAreaResolver, DisasterEventResolver } from './disaster.resolver';
import {
  CompensationRecoveriesResolver,
  CompensationRecoveryResolver,
  FundAgreementResolver,
  FundDetailResolver,
  FundMovementResolver,
  ServicePointActivityResolver,
} from './detail.resolver';
import { DockingEventResolver, DockingProjectResolver } from './docking.resolver';
import { RelendingFacilityResolver, RiskCompensationFundResolver } from './funding.resolver';
import { LoanModificationResolver, LoanVersionResolver, RepaymentResolver } from './loan-event.resolver';
import { AlertResolver, FindingResolver, RectificationStepResolver } from './oversight.resolver';
import { ServicePointResolver } from './service-point.resolver';
import { SubscriptionResolver } from './subscription.resolver';
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
  CompensationRecoveriesResolver,
  CompensationRecoveryResolver,
  FundDetailResolver,
  FundAgreementResolver,
  FundMovementResolver,
  ServicePointActivityResolver,
  DisasterEventResolver,
  DisasterAreaResolver,
  DockingEventResolver,
  DockingProjectResolver,
  FindingResolver,
  RectificationStepResolver,
  AlertResolver,
  AlertLifecycleResolver,
  AlertRuleResolver,
  IngestionResolver,
  IngestionCoverResolver,
  ReportingCompletenessResolver,
  OversightIngestionResolver,
  FindingStateResolver,
  IngestionRegistryResolver,
  IndicatorResolver,
  SubscriptionResolver,
] as const;

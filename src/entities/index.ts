export * from './enums';
export * from './base';
export * from './area.entity';
export * from './institution.entity';
export * from './ingest-batch.entity';
export * from './household.entity';
export * from './enterprise.entity';
export * from './service-point.entity';
export * from './funding.entity';
export * from './loan.entity';
export * from './insurance.entity';
export * from './guarantee.entity';
export * from './contract-link.entity';
export * from './disaster.entity';
export * from './docking.entity';
export * from './policy-parameter.entity';
export * from './alert.entity';
export * from './finding.entity';
export * from './audit-log.entity';
export * from './record-version.entity';
export * from './api-key.entity';
export * from './change-event.entity';

import { Area, AreaDesignation } from './area.entity';
import { Institution } from './institution.entity';
import { IngestBatch } from './ingest-batch.entity';
import { Consent, Household, HouseholdIdentity, HouseholdStatusChange } from './household.entity';
import { Enterprise, EnterpriseLinkage } from './enterprise.entity';
import { ServicePoint, ServicePointActivity } from './service-point.entity';
import { FundBankAgreement, FundMovement, RelendingFacility, RiskCompensationFund } from './funding.entity';
import { Loan, LoanModification, LoanPosition, Repayment } from './loan.entity';
import { Claim, InsurancePolicy, PolicyInsuredHousehold } from './insurance.entity';
import { Compensation, CompensationRecovery, GuaranteeContract } from './guarantee.entity';
import { ContractLink } from './contract-link.entity';
import { DisasterArea, DisasterEvent } from './disaster.entity';
import { DockingEvent, DockingProject, DockingProjectLoan } from './docking.entity';
import { PolicyParameter } from './policy-parameter.entity';
import { Alert, AlertEvent, AlertRule, AlertRuleVersion } from './alert.entity';
import { Finding, RectificationStep } from './finding.entity';
import { AuditLog } from './audit-log.entity';
import { RecordVersion } from './record-version.entity';
import { ApiKey, PersistedOperation, UsageCounter } from './api-key.entity';
import { ChangeEvent, FeedConsumer } from './change-event.entity';

/** Every entity, for MikroORM discovery. */
export const ENTITIES = [
  Area, AreaDesignation, Institution, IngestBatch,
  Household, HouseholdIdentity, HouseholdStatusChange, Consent,
  Enterprise, EnterpriseLinkage, ServicePoint, ServicePointActivity,
  RelendingFacility, RiskCompensationFund, FundBankAgreement, FundMovement,
  Loan, LoanPosition, LoanModification, Repayment,
  InsurancePolicy, PolicyInsuredHousehold, Claim,
  GuaranteeContract, Compensation, CompensationRecovery, ContractLink,
  DisasterEvent, DisasterArea, DockingEvent, DockingProject, DockingProjectLoan,
  PolicyParameter, AlertRule, AlertRuleVersion, Alert, AlertEvent,
  Finding, RectificationStep, AuditLog, RecordVersion,
  ApiKey, UsageCounter, PersistedOperation,
  ChangeEvent, FeedConsumer,
];

/**
 * The connection types of every listed record (`<Type>Connection`, `<Type>Edge`).
 */
import { connectionType } from '../connection';
import { CountyType } from './area.type';
import { CompensationType, PolicyInsuredHouseholdType } from './cover.type';
import { DisasterAreaType, DisasterEventType } from './disaster.type';
import { DockingEventType, DockingProjectType } from './docking.type';
import { EnterpriseType } from './enterprise.type';
import { GuaranteeContractType } from './guarantee.type';
import { HouseholdType } from './household.type';
import { InstitutionType } from './institution.type';
import { ClaimType, InsurancePolicyType } from './insurance.type';
import { LoanModificationType, LoanVersionType, RepaymentType } from './loan-event.type';
import { LoanPositionType, LoanType } from './loan.type';
import { AlertType, FindingType } from './oversight.type';
import { ServicePointType } from './service-point.type';

export const HouseholdConnection = connectionType('Household', HouseholdType);
export const CountyConnection = connectionType('County', CountyType);
export const InstitutionConnection = connectionType('Institution', InstitutionType);
export const EnterpriseConnection = connectionType('Enterprise', EnterpriseType);
export const LoanConnection = connectionType('Loan', LoanType);
export const LoanPositionConnection = connectionType('LoanPosition', LoanPositionType);
export const LoanVersionConnection = connectionType('LoanVersion', LoanVersionType);
export const LoanModificationConnection = connectionType('LoanModification', LoanModificationType);
export const RepaymentConnection = connectionType('Repayment', RepaymentType);
export const InsurancePolicyConnection = connectionType('InsurancePolicy', InsurancePolicyType);
export const ClaimConnection = connectionType('Claim', ClaimType);
export const PolicyInsuredHouseholdConnection = connectionType('PolicyInsuredHousehold', PolicyInsuredHouseholdType);
export const GuaranteeContractConnection = connectionType('GuaranteeContract', GuaranteeContractType);
export const CompensationConnection = connectionType('Compensation', CompensationType);
export const ServicePointConnection = connectionType('ServicePoint', ServicePointType);
export const DisasterEventConnection = connectionType('DisasterEvent', DisasterEventType);
export const DisasterAreaConnection = connectionType('DisasterArea', DisasterAreaType);
export const DockingEventConnection = connectionType('DockingEvent', DockingEventType);
export const DockingProjectConnection = connectionType('DockingProject', DockingProjectType);
export const FindingConnection = connectionType('Finding', FindingType);
export const AlertConnection = connectionType('Alert', AlertType);

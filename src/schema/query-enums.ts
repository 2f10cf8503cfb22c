/**
 * The enums of the query surface: the domain vocabularies of the records it adds (same
 * names and values as `src/entities/enums.ts`) and each connection's order fields.
 */
import { registerEnumType } from 'type-graphql';
import {
  AlertRuleKind,
  AlertStatus,
  DisasterKind,
  FindingSource,
  FindingStatus,
  LinkageMode,
  ModificationKind,
  ServicePointKind,
  Severity,
} from '../entities/enums';
import {
  AlertOrderField,
  ClaimOrderField,
  CompensationOrderField,
  CountyOrderField,
  DisasterAreaOrderField,
  DisasterEventOrderField,
  DockingEventOrderField,
  DockingProjectOrderField,
  EnterpriseOrderField,
  FindingOrderField,
  Funding,
  GuaranteeOrderField,
  HouseholdOrderField,
  InstitutionOrderField,
  InsuredHouseholdOrderField,
  LoanOrderField,
  ModificationOrderField,
  PolicyOrderField,
  PositionOrderField,
  RepaymentOrderField,
  ServicePointOrderField,
  VersionOrderField,
} from '../loaders';

const DOMAIN: Record<string, [object, string?]> = {
  AlertRuleKind: [AlertRuleKind, 'The kind of check an alert rule runs (implemented in code; parameters are versioned data).'],
  AlertStatus: [AlertStatus, 'OPEN → ACKNOWLEDGED → RESOLVED, or FALSE_POSITIVE.'],
  DisasterKind: [DisasterKind],
  FindingSource: [FindingSource],
  FindingStatus: [FindingStatus, 'A finding closes only when every rectification step is verified by a regulator.'],
  LinkageMode: [LinkageMode, 'How an enterprise is linked to registered households.'],
  ModificationKind: [ModificationKind],
  ServicePointKind: [ServicePointKind],
  Severity: [Severity],
  Funding: [Funding, 'How a loan is funded: by central-bank poverty re-lending, or otherwise.'],
};

/** Each connection's order fields, named `<node type>OrderField` like its `<node type>Order` input. */
const ORDERS: Record<string, object> = {
  AlertOrderField,
  ClaimOrderField,
  CompensationOrderField,
  CountyOrderField,
  DisasterAreaOrderField,
  DisasterEventOrderField,
  DockingEventOrderField,
  DockingProjectOrderField,
  EnterpriseOrderField,
  FindingOrderField,
  GuaranteeContractOrderField: GuaranteeOrderField,
  HouseholdOrderField,
  InstitutionOrderField,
  PolicyInsuredHouseholdOrderField: InsuredHouseholdOrderField,
  LoanOrderField,
  LoanModificationOrderField: ModificationOrderField,
  InsurancePolicyOrderField: PolicyOrderField,
  LoanPositionOrderField: PositionOrderField,
  RepaymentOrderField,
  ServicePointOrderField,
  LoanVersionOrderField: VersionOrderField,
};

for (const [name, [values, description]] of Object.entries(DOMAIN)) {
  registerEnumType(values, { name, description });
}
for (const [name, values] of Object.entries(ORDERS)) {
  registerEnumType(values, { name, description: 'A sort key; every order ends with the record id, so equal keys keep a stable order.' });
}

export {
  AlertOrderField,
  AlertRuleKind,
  AlertStatus,
  ClaimOrderField,
  CompensationOrderField,
  CountyOrderField,
  DisasterAreaOrderField,
  DisasterEventOrderField,
  DisasterKind,
  DockingEventOrderField,
  DockingProjectOrderField,
  EnterpriseOrderField,
  FindingOrderField,
  FindingSource,
  FindingStatus,
  Funding,
  GuaranteeOrderField,
  HouseholdOrderField,
  InstitutionOrderField,
  InsuredHouseholdOrderField,
  LinkageMode,
  LoanOrderField,
  ModificationKind,
  ModificationOrderField,
  PolicyOrderField,
  PositionOrderField,
  RepaymentOrderField,
  ServicePointKind,
  ServicePointOrderField,
  Severity,
  VersionOrderField,
};

/**
 * What `npm run import -- --kind NAME` can import: one entry per kind, naming the
 * ingestion service that applies it (the same function the mutation calls, so a file
 * obeys exactly the mutation's rules) and the columns a flat file row may have.
 *
 * To add a kind, add one entry: its service, its columns (the service's item fields, by
 * path; `required` for the non-null fields of the GraphQL input; `integer` / `boolean` for
 * non-string scalars; `x[].y` for a list of objects, or `x` with type `json`) and how its
 * reference is formed (for the error report of rows that never reach the service).
 */
import type { ServiceScope } from '../common';
import {
  recordClaims,
  recordCompensations,
  recordDockingEvents,
  recordFundMovements,
  recordLoanModifications,
  recordRepayments,
  reportLoanPositions,
  reportServicePointActivity,
  upsertEnterprises,
  upsertGuaranteeContracts,
  upsertHouseholds,
  upsertInsurancePolicies,
  upsertLoans,
  upsertRiskCompensationFunds,
  upsertServicePoints,
  type BatchInput,
  type BatchResult,
  type IngestionDependencies,
} from '../ingestion';
import { recordDisasterEvents, reportRectificationSteps, upsertFindings, upsertRelendingFacilities, verifyRectificationSteps } from '../oversight';
import type { ColumnModel, ColumnSpec } from './row-mapping';

/** An ingestion service as the importer calls it. */
export type IngestionService = (scope: ServiceScope, deps: IngestionDependencies, input: BatchInput<any>) => Promise<BatchResult>;

export interface ImportKind extends ColumnModel {
  /** The `--kind` value. */
  name: string;
  /** Other accepted `--kind` values (the mutation's name). */
  aliases: readonly string[];
  /** What one row is, for the documentation and usage text. */
  description: string;
  service: IngestionService;
  /** The item's own reference as the service names it in results (best effort on malformed rows). */
  refOf(item: Record<string, unknown>): string;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const byRef = (item: Record<string, unknown>): string => text(item.ref);

/** A borrower or guaranteed party: one of a household by ID number, a household the caller sees, an enterprise. */
function partyColumns(prefix: string): ColumnSpec[] {
  return [
    { path: `${prefix}.household.headIdNumber` },
    { path: `${prefix}.household.villageCode` },
    { path: `${prefix}.household.headName` },
    { path: `${prefix}.household.headPhone` },
    { path: `${prefix}.householdRef` },
    { path: `${prefix}.enterprise.creditCode` },
    { path: `${prefix}.enterprise.name` },
    { path: `${prefix}.enterprise.kind` },
    { path: `${prefix}.enterprise.villageCode` },
  ];
}

/** A household named by its head's ID number (no `householdRef` or enterprise alternative). */
function householdColumns(prefix: string): ColumnSpec[] {
  return optional(`${prefix}.headIdNumber`, `${prefix}.villageCode`, `${prefix}.headName`, `${prefix}.headPhone`);
}

/** `operatorCode/` before a reference when an operator is named (service points). */
const operatorPrefix = (item: Record<string, unknown>): string => (text(item.operatorCode) === '' ? '' : `${text(item.operatorCode)}/`);

/** A rectification step: `authority/finding#seq`. */
const stepRef = (item: Record<string, unknown>): string => `${text(item.authorityCode)}/${text(item.findingRef)}#${String(item.seq ?? '')}`;

const required = (...paths: string[]): ColumnSpec[] => paths.map((path) => ({ path, required: true }));
const optional = (...paths: string[]): ColumnSpec[] => paths.map((path) => ({ path }));

export const IMPORT_KINDS: readonly ImportKind[] = [
  {
    name: 'loans',
    aliases: ['upsertLoans'],
    description: 'a bank’s loan contract (upsertLoans, BANK)',
    service: upsertLoans,
    refOf: byRef,
    maxListEntries: 0,
    columns: [
      ...required('ref', 'countyCode', 'product'),
      ...partyColumns('borrower'),
      ...required('principal', 'disbursedOn', 'maturesOn', 'annualRate'),
      ...optional('subsidyRate'),
      ...required('guaranteeMode', 'paidToAccount'),
      ...optional('relendingFacilityRef', 'riskCompensationFundRef', 'purpose', 'closedOn', 'closure'),
      { path: 'version', type: 'integer' },
    ],
  },
  {
    name: 'positions',
    aliases: ['reportLoanPositions'],
    description: 'a loan’s month-end position (reportLoanPositions, BANK)',
    service: reportLoanPositions,
    refOf: (item) => `${text(item.loanRef)}@${text(item.monthEnd)}`,
    maxListEntries: 0,
    columns: [
      ...required('loanRef', 'monthEnd', 'balance', 'overduePrincipal'),
      { path: 'overdueDays', type: 'integer', required: true },
      ...required('fiveClass'),
      ...optional('subsidyPaid'),
      { path: 'version', type: 'integer' },
    ],
  },
  {
    name: 'repayments',
    aliases: ['recordRepayments'],
    description: 'a repayment of a loan (recordRepayments, BANK)',
    service: recordRepayments,
    refOf: byRef,
    maxListEntries: 0,
    columns: required('ref', 'loanRef', 'paidOn', 'principal', 'interest'),
  },
  {
    name: 'modifications',
    aliases: ['recordLoanModifications'],
    description: 'an extension, renewal or deferral of a loan (recordLoanModifications, BANK)',
    service: recordLoanModifications,
    refOf: byRef,
    maxListEntries: 0,
    columns: [
      ...required('ref', 'loanRef', 'kind', 'effectiveOn', 'previousMaturesOn', 'newMaturesOn'),
      ...optional('disasterEventRef'),
      { path: 'classificationRelief', type: 'boolean' },
    ],
  },
  {
    name: 'guarantees',
    aliases: ['upsertGuaranteeContracts'],
    description: 'a guarantee contract and the loans it covers (upsertGuaranteeContracts, GUARANTOR)',
    service: upsertGuaranteeContracts,
    refOf: byRef,
    maxListEntries: 20,
    columns: [
      ...required('ref', 'countyCode'),
      ...partyColumns('borrower'),
      ...required('guaranteedAmount', 'feeRate', 'guarantorShare', 'bankShare', 'governmentShare', 'reguaranteeShare', 'startsOn', 'endsOn'),
      ...optional('releasedOn'),
      ...optional('loans[].bankCode', 'loans[].loanRef'),
      { path: 'loans', type: 'json' },
      { path: 'version', type: 'integer' },
    ],
  },
  {
    name: 'compensations',
    aliases: ['recordCompensations'],
    description: 'a guarantor’s payment on a default, with later recoveries (recordCompensations, GUARANTOR)',
    service: recordCompensations,
    refOf: byRef,
    maxListEntries: 20,
    columns: [
      ...required('ref', 'guaranteeRef', 'amount', 'paidOn'),
      ...optional('recoveries[].ref', 'recoveries[].amount', 'recoveries[].recoveredOn'),
      { path: 'recoveries', type: 'json' },
    ],
  },
  {
    name: 'policies',
    aliases: ['upsertInsurancePolicies', 'insurance-policies'],
    description: 'an insurance policy, its insured households and the loans it covers (upsertInsurancePolicies, INSURER)',
    service: upsertInsurancePolicies,
    refOf: byRef,
    maxListEntries: 20,
    columns: [
      ...required('ref', 'countyCode', 'line', 'subject', 'quantity', 'unit', 'sumInsured', 'premium'),
      ...required('centralShare', 'provincialShare', 'countyShare', 'farmerShare', 'povertyFundShare', 'startsOn', 'endsOn'),
      ...partyColumns('holder'),
      ...householdColumns('insured[].household'),
      ...optional('insured[].quantity', 'insured[].sumInsured', 'insured[].premium'),
      { path: 'insured', type: 'json' },
      ...optional('loans[].bankCode', 'loans[].loanRef'),
      { path: 'loans', type: 'json' },
      { path: 'version', type: 'integer' },
    ],
  },
  {
    name: 'claims',
    aliases: ['recordClaims'],
    description: 'a claim on a policy (recordClaims, INSURER)',
    service: recordClaims,
    refOf: byRef,
    maxListEntries: 0,
    columns: [
      ...required('ref', 'policyRef', 'cause'),
      ...householdColumns('insured'),
      ...optional('disasterEventRef'),
      ...required('lossOn'),
      ...optional('agreedOn', 'agreedAmount', 'paidOn', 'paidAmount'),
      { path: 'version', type: 'integer' },
    ],
  },
  {
    name: 'households',
    aliases: ['upsertHouseholds'],
    description: 'a registered household and its status (upsertHouseholds, GOVERNMENT)',
    service: upsertHouseholds,
    refOf: byRef,
    maxListEntries: 0,
    columns: [
      ...required('ref', 'headIdNumber', 'villageCode'),
      ...optional('headName', 'headPhone'),
      ...required('status', 'statusSince'),
      { path: 'exitYear', type: 'integer' },
      ...optional('registeredOn', 'attribute'),
      { path: 'size', type: 'integer' },
      ...optional('statusReason'),
      { path: 'version', type: 'integer' },
    ],
  },
  {
    name: 'enterprises',
    aliases: ['upsertEnterprises'],
    description: 'an enterprise and its employment of registered households (upsertEnterprises, GOVERNMENT)',
    service: upsertEnterprises,
    refOf: (item) => text(item.creditCode),
    maxListEntries: 20,
    columns: [
      ...required('creditCode', 'name', 'kind', 'countyCode'),
      ...optional('villageCode'),
      { path: 'povertyDriving', type: 'boolean', required: true },
      { path: 'linkages[].mode' },
      { path: 'linkages[].households', type: 'integer' },
      { path: 'linkages[].asOf' },
      { path: 'linkages', type: 'json' },
      { path: 'version', type: 'integer' },
    ],
  },
  {
    name: 'service-points',
    aliases: ['upsertServicePoints'],
    description: 'a village service point (upsertServicePoints, BANK or GOVERNMENT)',
    service: upsertServicePoints,
    refOf: (item) => `${operatorPrefix(item)}${text(item.ref)}`,
    maxListEntries: 0,
    columns: [
      ...required('ref'),
      ...optional('operatorCode'),
      ...required('kind', 'name', 'villageCode', 'openedOn'),
      ...optional('closedOn'),
      { path: 'version', type: 'integer' },
    ],
  },
  {
    name: 'service-point-activity',
    aliases: ['reportServicePointActivity'],
    description: 'a service point’s monthly transaction count and amount (reportServicePointActivity, BANK or GOVERNMENT)',
    service: reportServicePointActivity,
    refOf: (item) => `${operatorPrefix(item)}${text(item.servicePointRef)}@${text(item.month)}`,
    maxListEntries: 0,
    columns: [
      ...required('servicePointRef'),
      ...optional('operatorCode'),
      ...required('month'),
      { path: 'transactions', type: 'integer', required: true },
      ...optional('amount'),
    ],
  },
  {
    name: 'funds',
    aliases: ['upsertRiskCompensationFunds'],
    description: 'a county risk compensation fund and its bank agreements (upsertRiskCompensationFunds, GOVERNMENT)',
    service: upsertRiskCompensationFunds,
    refOf: byRef,
    maxListEntries: 20,
    columns: [
      ...required('ref', 'name', 'countyCode', 'capital', 'leverageCap', 'establishedOn'),
      ...optional('agreements[].bankCode', 'agreements[].fundShare', 'agreements[].bankShare', 'agreements[].leverageCap', 'agreements[].validFrom', 'agreements[].validTo'),
      { path: 'agreements', type: 'json' },
      { path: 'version', type: 'integer' },
    ],
  },
  {
    name: 'fund-movements',
    aliases: ['recordFundMovements'],
    description: 'a top-up, payout, recovery or withdrawal of a fund (recordFundMovements, GOVERNMENT)',
    service: recordFundMovements,
    refOf: (item) => `${text(item.fundRef)}/${text(item.ref)}`,
    maxListEntries: 0,
    columns: [...required('fundRef', 'ref', 'kind', 'amount', 'occurredOn'), ...optional('loan.bankCode', 'loan.loanRef')],
  },
  {
    name: 'docking-events',
    aliases: ['recordDockingEvents'],
    description: 'a financing docking event and its matched projects (recordDockingEvents, GOVERNMENT)',
    service: recordDockingEvents,
    refOf: byRef,
    maxListEntries: 20,
    columns: [
      ...required('ref', 'name', 'countyCode', 'heldOn'),
      ...optional('projects[].ref', 'projects[].enterpriseCreditCode', 'projects[].bankCode', 'projects[].requested', 'projects[].signed', 'projects[].disbursed'),
      { path: 'projects[].loans', type: 'json' },
      { path: 'projects', type: 'json' },
      { path: 'version', type: 'integer' },
    ],
  },
  {
    name: 'relending-facilities',
    aliases: ['upsertRelendingFacilities'],
    description: 'a re-lending draw lent to a local bank (upsertRelendingFacilities, REGULATOR of a CENTRAL_BANK)',
    service: upsertRelendingFacilities,
    refOf: byRef,
    maxListEntries: 0,
    columns: [
      ...required('ref', 'borrowerCode'),
      ...optional('countyCode'),
      ...required('amount', 'annualRate', 'drawnOn', 'dueOn'),
      { path: 'rollovers', type: 'integer' },
      ...optional('repaidOn'),
      { path: 'version', type: 'integer' },
    ],
  },
  {
    name: 'disasters',
    aliases: ['recordDisasterEvents'],
    description: 'a disaster event over areas (recordDisasterEvents, REGULATOR)',
    service: recordDisasterEvents,
    refOf: byRef,
    maxListEntries: 0,
    columns: [...required('ref', 'kind', 'name', 'startsOn'), ...optional('endsOn'), { path: 'areaCodes', type: 'json', required: true }],
  },
  {
    name: 'findings',
    aliases: ['upsertFindings'],
    description: 'an inspection or audit finding and its rectification steps (upsertFindings, REGULATOR)',
    service: upsertFindings,
    refOf: byRef,
    maxListEntries: 20,
    columns: [
      ...required('ref', 'source', 'countyCode'),
      ...optional('institutionCode'),
      ...required('text', 'foundOn', 'dueOn'),
      ...optional('steps[].description'),
      { path: 'steps', type: 'json', required: true },
      { path: 'version', type: 'integer' },
    ],
  },
  {
    name: 'rectification-steps',
    aliases: ['reportRectificationSteps'],
    description: 'an institution reports a rectification step done (reportRectificationSteps, BANK, INSURER, GUARANTOR or GOVERNMENT)',
    service: reportRectificationSteps,
    refOf: stepRef,
    maxListEntries: 0,
    columns: [...required('authorityCode', 'findingRef'), { path: 'seq', type: 'integer', required: true }, ...required('doneOn', 'evidence')],
  },
  {
    name: 'rectification-verifications',
    aliases: ['verifyRectificationSteps'],
    description: 'a regulator verifies a reported rectification step (verifyRectificationSteps, REGULATOR)',
    service: verifyRectificationSteps,
    refOf: stepRef,
    maxListEntries: 0,
    columns: [...required('authorityCode', 'findingRef'), { path: 'seq', type: 'integer', required: true }],
  },
];

/** The kind named by `--kind` (its name or its mutation's name), or null. */
export function findImportKind(name: string): ImportKind | null {
  return IMPORT_KINDS.find((kind) => kind.name === name || kind.aliases.includes(name)) ?? null;
}

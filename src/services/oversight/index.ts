export * from './oversight.service';
export * from './findings';
export { MAX_STEPS_PER_FINDING } from './finding.ingestion';
export { MAX_DISASTER_AREAS } from './disaster.ingestion';
export type { RelendingItemInput } from './relending.ingestion';
export type { DisasterItemInput } from './disaster.ingestion';
export type { FindingItemInput } from './finding.ingestion';
export type { StepNameInput, StepReportItemInput, StepVerifyItemInput } from './rectification.ingestion';

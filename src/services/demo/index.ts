export { seedDemo, DEMO_DEFAULT_HOUSEHOLDS, DemoSeedError, type DemoSummary, type SeedDemoOptions } from './seed';
export { demoContentHash } from './content-hash';
export { demoHeadNationalId, MAX_DEMO_HOUSEHOLDS } from './households';
export { syntheticCreditCode, syntheticName, syntheticPhone } from './names';
export { DEMO_SUFFIX, OPERATOR_CODE } from './institutions';
export { canonicalJson, sha256Hex } from './canonical';
export { TABLE_ORDER as DEMO_TABLES, type TableName as DemoTable } from './tables';

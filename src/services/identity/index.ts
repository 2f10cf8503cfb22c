export * from './national-id';
export * from './match-hash';
export * from './pii-cipher';
export * from './masking';
export * from './household-ref';

export * from './harness-env';
export * from './test-database';
export * from './statements';

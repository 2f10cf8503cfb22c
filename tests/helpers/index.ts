export * from './harness-env';
export * from './test-database';

export * from './alert-rules';
export * from './alert-sweep';

export * from './alert-rules';
export * from './alert-sweep';
export * from './alert-evaluator';
export * from './alert-lifecycle';
export * from './alert-rule-admin';

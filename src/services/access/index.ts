export * from './principal';
export * from './principal-check';
export * from './row-scope';
export * from './pii';
export * from './dev-principal';

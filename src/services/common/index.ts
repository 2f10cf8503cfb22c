export * from './service.errors';
export * from './service-scope';
export * from './transactions';

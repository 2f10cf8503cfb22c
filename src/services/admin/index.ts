export * from './api-key-admin.service';
export * from './institution-admin.service';
export * from './policy-parameter.service';

export * from './combined-model';

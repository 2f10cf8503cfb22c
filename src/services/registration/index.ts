export * from './registration.service';

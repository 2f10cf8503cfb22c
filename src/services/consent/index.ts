export * from './consent.service';

export * from './scalars';
export * from './errors';
export * from './global-id';
export * from './enums';
export * from './context';
export * from './args';
export * from './types';

export * from './csv-parser';
export * from './file-source';
export * from './row-mapping';
export * from './kinds';
export * from './import-principal';
export * from './import-runner';

export * from './input-kit';
export * from './contract.inputs';
export * from './party.inputs';

export * from './national-id.scalar';
export * from './ingestion-result.type';
export * from './ingestion.input';
export * from './registry.input';
export * from './oversight.input';
export * from './insurance.input';
export * from './compensation.input';
export * from './completeness.type';

export * from './national-id.scalar';
export * from './ingestion-result.type';
export * from './ingestion.input';

import { BigIntType, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import type { Institution } from './institution.entity';
import type { IngestBatch } from './ingest-batch.entity';

type ColumnOptions = { nullable?: boolean };

/*
 * Column shapes used across the model. They are functions because MikroORM writes into
 * the options object it is given, so one shared object would leak between properties.
 */

/** Money: numeric(18,2) yuan, a decimal string in JS and GraphQL — never a float. */
export const money = (o: ColumnOptions = {}) => ({ type: 'decimal', precision: 18, scale: 2, ...o }) as const;
/** Rates and ratios: numeric(9,6), e.g. an annual rate of 0.0435. */
export const rate = (o: ColumnOptions = {}) => ({ type: 'decimal', precision: 9, scale: 6, ...o }) as const;
/** Shares of one whole (risk shares, loss shares) that must sum to 1. */
export const share = (o: ColumnOptions = {}) => ({ type: 'decimal', precision: 7, scale: 6, ...o }) as const;
/** Partners' own references: up to 64 characters. */
export const ref = (o: ColumnOptions = {}) => ({ type: 'string', length: 64, ...o }) as const;

/** Every table has a bigint surrogate key, read as a string so it never loses precision. */
export abstract class Row {
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;
}

/**
 * A row reported by a partner carries its provenance: which institution sent it, in which
 * batch and when the hub received it (DESIGN.md §7). Nothing reported is anonymous.
 */
export abstract class ReportedRow extends Row {
  @ManyToOne({ entity: 'Institution', ref: true, fieldName: 'source_institution_id', index: true, deleteRule: 'restrict' })
  sourceInstitution!: Ref<Institution>;

  @ManyToOne({ entity: 'IngestBatch', ref: true, fieldName: 'batch_id', index: true, deleteRule: 'restrict' })
  batch!: Ref<IngestBatch>;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  receivedAt: Date = new Date();
}

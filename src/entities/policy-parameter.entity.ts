import { Check, Entity, Property, Unique } from '@mikro-orm/core';
import { Row } from './base';

/**
 * A versioned policy value: micro-credit caps, guarantee fee caps, classification floors
 * by overdue days … valid on [validFrom, validTo), with the document it rests on. Rules
 * read these, never constants in code.
 */
@Entity({ tableName: 'policy_parameter' })
@Unique({ properties: ['key', 'validFrom'] })
@Check({ name: 'policy_parameter_valid_range', expression: 'valid_to is null or valid_to > valid_from' })
export class PolicyParameter extends Row {
  @Property({ type: 'string', length: 100 })
  key!: string;

  @Property({ type: 'decimal', precision: 20, scale: 6 })
  value!: string;

  /** YUAN, MONTHS, DAYS, RATE, RATIO … */
  @Property({ type: 'string', length: 16 })
  unit!: string;

  @Property({ type: 'date' })
  validFrom!: string;

  @Property({ type: 'date', nullable: true })
  validTo?: string;

  @Property({ type: 'text' })
  basis!: string;

  @Property({ type: 'text', nullable: true })
  description?: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  /** Who entered it: a principal description, never a person's PII. */
  @Property({ type: 'string', length: 100 })
  createdBy!: string;
}

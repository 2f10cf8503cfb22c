/**
 * The one shape of every ingestion mutation's input (DESIGN.md §2): an optional batch id,
 * `partial`, and 1 to 1,000 items of the mutation's own item type. Each mutation names
 * its input type with `batchInput('UpsertLoansInput', LoanInput)`.
 */
import { Field, InputType, type ClassType } from 'type-graphql';

export interface BatchInputShape<TItem> {
  batchId?: string | null;
  partial: boolean;
  items: TItem[];
}

export function batchInput<TItem extends object>(name: string, item: ClassType<TItem>): ClassType<BatchInputShape<TItem>> {
  @InputType(name)
  class BatchInput implements BatchInputShape<TItem> {
    @Field(() => String, {
      nullable: true,
      description: 'Your id for this batch: the same id and payload again returns the first answer; another payload is CONFLICT.',
    })
    batchId?: string | null;

    @Field({ defaultValue: false, description: 'Apply the valid items and report the rejected ones; by default one rejection rejects the batch.' })
    partial!: boolean;

    @Field(() => [item], { description: 'At most 1,000 items.' })
    items!: TItem[];
  }
  return BatchInput;
}

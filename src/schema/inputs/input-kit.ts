/**
 * Factories of the inputs every connection shares in shape: `<Type>Order` and the
 * connection arguments (page, filter, orderBy, asOf).
 */
import { ArgsType, Field, InputType, type ClassType } from 'type-graphql';
import { OrderDirection, PageArgs, type ListArgs } from '../connection';
import { DateScalar } from '../scalars';

/** `<name>Order { field: <name>OrderField!, direction: OrderDirection = ASC }`. */
export function orderInput(name: string, fields: object): ClassType {
  @InputType(`${name}Order`, { description: `A sort key of ${name} lists and its direction.` })
  class Order {
    @Field(() => fields)
    field!: string;

    @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC })
    direction!: OrderDirection;
  }
  return Order;
}

export interface ConnectionArgsOptions {
  filter?: ClassType;
  order: ClassType;
  /** What `asOf` means for this list; no `asOf` argument without it. */
  asOf?: string;
}

/** The arguments of a connection: page, and the list's filter, orderBy and asOf. */
export function connectionArgs(options: ConnectionArgsOptions): ClassType<ListArgs> {
  @ArgsType()
  class Args extends PageArgs {
    filter?: ListArgs['filter'];

    @Field(() => [options.order], {
      nullable: true,
      description: 'Sort keys, most significant first (at most 3); the record id breaks ties, so the order is total and stable.',
    })
    orderBy?: ListArgs['orderBy'];

    asOf?: string | null;
  }
  if (options.filter !== undefined) {
    const filter = options.filter;
    Field(() => filter, { nullable: true, description: 'Only the items that match; all conditions of one object must hold.' })(Args.prototype, 'filter');
  }
  if (options.asOf !== undefined) {
    Field(() => DateScalar, { nullable: true, description: options.asOf })(Args.prototype, 'asOf');
  }
  return Args;
}

import { Field, ID, InterfaceType } from 'type-graphql';

/** A value returned where the schema expects an abstract type, tagged with its concrete type. */
export type Typed<T> = T & { __typename: string };

/** Tags a row with the GraphQL type it is, for `node(id)` and unions. */
export function typed<T extends object>(typename: string, row: T): Typed<T> {
  return { ...row, __typename: typename };
}

@InterfaceType('Node', {
  description: 'An object with a global id, fetchable with `node(id)`.',
  resolveType: (value: { __typename?: string }) => value.__typename,
})
export abstract class NodeInterface {
  @Field(() => ID, { description: 'Opaque global id (base64url of `<TypeName>:<key>`).' })
  id!: string;
}

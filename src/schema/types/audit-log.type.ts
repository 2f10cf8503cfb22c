import { GraphQLJSONObject, GraphQLSafeInt } from 'graphql-scalars';
import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../scalars';
import { NodeInterface } from './node.type';
import { PageInfoType } from './page-info.type';

@ObjectType('AuditLogEntry', {
  implements: NodeInterface,
  description: 'One audited event: a read of household PII, a registration lookup, an admin or consent action. Ids and field names only, never PII values.',
})
export class AuditLogEntryType {
  @Field(() => DateTimeScalar)
  at!: string;

  @Field({ description: 'The request that caused it (the `x-request-id` response header).' })
  requestId!: string;

  @Field()
  actorRole!: string;

  @Field(() => String, { nullable: true, description: 'The API key id or token subject that acted.' })
  actorKey!: string | null;

  @Field({ description: 'PII_READ, REGISTRATION_LOOKUP, KEY_ISSUED, PARAMETER_CHANGED, CONSENT_RECORDED …' })
  action!: string;

  @Field(() => String, { nullable: true, description: 'The GraphQL operation or mutation, or CLI command.' })
  operation!: string | null;

  @Field(() => [String], { nullable: true, description: 'Names of the PII fields read (PII_READ).' })
  fields!: string[] | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Non-personal context: a key id, a parameter key, a result.' })
  details!: Record<string, unknown> | null;

  @Field(() => GraphQLSafeInt, { nullable: true, description: 'Position in the hash chain; null until the chainer links the entry.' })
  chainSeq!: number | null;

  @Field(() => String, { nullable: true, description: 'SHA-256 (hex) of the previous hash and this entry; null until linked.' })
  hash!: string | null;
}

@ObjectType('AuditLogEdge')
export class AuditLogEdgeType {
  @Field()
  cursor!: string;

  @Field(() => AuditLogEntryType)
  node!: object;
}

@ObjectType('AuditLogConnection')
export class AuditLogConnectionType {
  @Field(() => [AuditLogEdgeType])
  edges!: object[];

  @Field(() => [AuditLogEntryType], { description: 'The nodes of `edges`, for clients that need no cursors.' })
  nodes!: object[];

  @Field(() => PageInfoType)
  pageInfo!: PageInfoType;

  @Field(() => Int, { description: 'Entries matching the filter in the caller’s scope.' })
  totalCount!: number;
}

@InputType('AuditLogFilter')
export class AuditLogFilterInput {
  @Field(() => String, { nullable: true })
  action?: string | null;

  @Field(() => String, { nullable: true, description: 'Entries about this household (one the caller may see).' })
  householdRef?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'At or after this instant.' })
  from?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Before this instant.' })
  to?: Date | null;
}

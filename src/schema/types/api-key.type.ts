import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Role } from '../../entities/enums';
import { DateTimeScalar } from '../scalars';

export enum ApiKeyStatus {
  ACTIVE = 'ACTIVE',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
}

registerEnumType(Role, { name: 'Role', description: 'The role a principal acts in (DESIGN.md §3).' });
registerEnumType(ApiKeyStatus, { name: 'ApiKeyStatus' });

export { Role };

@ObjectType('ApiKey', { description: 'A partner system’s API key as administrators see it: never its secret or the secret’s hash.' })
export class ApiKeyType {
  @Field({ description: 'The public half of the key, naming it in logs and the audit trail.' })
  keyId!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => [String], { description: 'Area code prefixes the key may see; empty means the whole nation.' })
  areaCodes!: string[];

  @Field({ description: 'A regulator key granted full household PII.' })
  piiGranted!: boolean;

  @Field()
  label!: string;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  expiresAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  revokedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'The key this one replaced by rotation.' })
  rotatedFromKeyId!: string | null;

  @Field({ description: 'Who issued it: `cli:<user>`, `api:<key id>` or `demo`.' })
  createdBy!: string;

  @Field(() => ApiKeyStatus)
  status!: ApiKeyStatus;
}

@ObjectType('IssuedApiKey')
export class IssuedApiKeyType {
  @Field({ description: 'The full token `tpd_<keyId>_<secret>`: shown this once, stored nowhere.' })
  token!: string;

  @Field(() => ApiKeyType)
  key!: object;
}

@ObjectType('RotatedApiKey')
export class RotatedApiKeyType {
  @Field({ description: 'The new key’s full token: shown this once, stored nowhere.' })
  token!: string;

  @Field(() => ApiKeyType)
  key!: object;

  @Field(() => ApiKeyType, { description: 'The replaced key, with its shortened expiry.' })
  previous!: object;
}

@InputType('IssueApiKeyInput')
export class IssueApiKeyInput {
  @Field(() => Role)
  role!: Role;

  @Field(() => String, { nullable: true, description: 'The institution the key acts for; omitted only for ANALYST and ADMIN keys.' })
  institutionCode?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Area code prefixes (2/4/6/9/12 digits); omitted means the whole nation (a GOVERNMENT key: its home county).',
  })
  areaCodes?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Full household PII; REGULATOR keys only.' })
  piiGranted?: boolean | null;

  @Field(() => String, { nullable: true, description: 'The system that uses the key; defaults to role and institution.' })
  label?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the key stops working; never when omitted.' })
  expiresAt?: Date | null;
}

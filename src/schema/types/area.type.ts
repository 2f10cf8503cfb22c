import { Field, ObjectType } from 'type-graphql';
import { AreaLevel, DesignationKind } from '../enums';
import { DateScalar } from '../scalars';
import { NodeInterface } from './node.type';

@ObjectType('Area', {
  simpleResolvers: true,
  implements: NodeInterface,
  description: 'A statistical division (2023 codes): province (2 digits), prefecture (4), county (6), township (9) or village (12).',
})
export class AreaType {
  @Field()
  code!: string;

  @Field()
  name!: string;

  @Field(() => AreaLevel)
  level!: AreaLevel;

  @Field({ description: 'A statistics-only county-level unit (development zone), not a GB/T 2260 county.' })
  statisticalOnly!: boolean;

  @Field(() => DateScalar, { nullable: true })
  validFrom!: string | null;

  @Field(() => DateScalar, { nullable: true })
  validTo!: string | null;
}

@ObjectType('AreaDesignation', { simpleResolvers: true, implements: NodeInterface, description: 'A dated designation of an area, valid on [validFrom, validTo).' })
export class AreaDesignationType {
  @Field(() => DesignationKind)
  kind!: DesignationKind;

  @Field(() => DateScalar)
  validFrom!: string;

  @Field(() => DateScalar, { nullable: true })
  validTo!: string | null;

  @Field({ description: 'The policy document or data file the designation comes from.' })
  basis!: string;

  @Field({ description: 'A synthetic designation of the demo data set.' })
  demoOnly!: boolean;
}

@ObjectType('County', { simpleResolvers: true, implements: NodeInterface, description: 'The county view of a county-level area.' })
export class CountyType {
  @Field()
  code!: string;

  @Field()
  name!: string;

  @Field()
  statisticalOnly!: boolean;
}

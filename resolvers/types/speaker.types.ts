import { ArgsType, Field, InputType, ObjectType } from 'type-graphql';
import { Speaker } from '../../entities';
import { Connection, ConnectionArgs } from './connection';
import { OrderDirection, SpeakerOrderField } from './order';

@ObjectType({ simpleResolvers: true })
export class SpeakerConnection extends Connection(Speaker, 'Speaker') {}

@InputType({ description: 'Default: NAME ASC.' })
export class SpeakerOrder {
  @Field(() => SpeakerOrderField)
  field!: SpeakerOrderField;

  @Field(() => OrderDirection)
  direction!: OrderDirection;
}

@InputType({ description: 'All given conditions must hold.' })
export class SpeakerFilter {
  @Field(() => String, { nullable: true, description: 'Topic slug: speakers with a talk on it.' })
  topic?: string | null;

  @Field(() => String, { nullable: true, description: 'Exact affiliation.' })
  affiliation?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Case-insensitive substring of name, headline, affiliation or bio.',
  })
  search?: string | null;
}

@ArgsType()
export class SpeakersArgs extends ConnectionArgs {
  @Field(() => SpeakerFilter, { nullable: true })
  filter?: SpeakerFilter | null;

  @Field(() => SpeakerOrder, { nullable: true })
  orderBy?: SpeakerOrder | null;
}

@InputType()
export class CreateSpeakerInput {
  @Field(() => String)
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Generated from the name (pinyin for Chinese) when absent.',
  })
  slug?: string | null;

  @Field(() => String, { nullable: true })
  headline?: string | null;

  @Field(() => String, { nullable: true })
  affiliation?: string | null;

  @Field(() => String, { nullable: true })
  bio?: string | null;
}

@InputType({ description: 'Only the fields given change.' })
export class UpdateSpeakerInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  slug?: string | null;

  @Field(() => String, { nullable: true })
  headline?: string | null;

  @Field(() => String, { nullable: true })
  affiliation?: string | null;

  @Field(() => String, { nullable: true })
  bio?: string | null;
}

import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Talk } from '../../entities';
import { Connection, ConnectionArgs } from './connection';
import { OrderDirection, TalkOrderField } from './order';

@ObjectType({ simpleResolvers: true })
export class TalkConnection extends Connection(Talk, 'Talk') {}

@InputType({
  description: 'Default: STARTS_AT DESC (a talk without its own start uses its event’s).',
})
export class TalkOrder {
  @Field(() => TalkOrderField)
  field!: TalkOrderField;

  @Field(() => OrderDirection)
  direction!: OrderDirection;
}

@InputType({ description: 'All given conditions must hold. Event, topic and speaker are slugs.' })
export class TalkFilter {
  @Field(() => String, { nullable: true })
  event?: string | null;

  @Field(() => String, { nullable: true })
  topic?: string | null;

  @Field(() => String, { nullable: true })
  speaker?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Case-insensitive substring of title or abstract.',
  })
  search?: string | null;
}

@ArgsType()
export class TalksArgs extends ConnectionArgs {
  @Field(() => TalkFilter, { nullable: true })
  filter?: TalkFilter | null;

  @Field(() => TalkOrder, { nullable: true })
  orderBy?: TalkOrder | null;
}

@ArgsType()
export class TopicTalksArgs extends ConnectionArgs {
  @Field(() => TalkOrder, { nullable: true })
  orderBy?: TalkOrder | null;
}

@InputType()
export class CreateTalkInput {
  @Field(() => ID)
  eventId!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String, { nullable: true, description: 'Generated from the title when absent.' })
  slug?: string | null;

  @Field(() => String, { nullable: true })
  abstract?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Agenda place; after the last talk when absent.',
  })
  position?: number | null;

  @Field(() => Date, { nullable: true })
  startsAt?: Date | null;

  @Field(() => Int, { nullable: true })
  durationMinutes?: number | null;

  @Field(() => [ID], { description: 'At least one, in billing order.' })
  speakerIds!: string[];

  @Field(() => [ID], { nullable: true })
  topicIds?: string[] | null;
}

@InputType({ description: 'Only the fields given change; a list given replaces the old one.' })
export class UpdateTalkInput {
  @Field(() => ID, { nullable: true })
  eventId?: string | null;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true })
  slug?: string | null;

  @Field(() => String, { nullable: true })
  abstract?: string | null;

  @Field(() => Int, { nullable: true })
  position?: number | null;

  @Field(() => Date, { nullable: true })
  startsAt?: Date | null;

  @Field(() => Int, { nullable: true })
  durationMinutes?: number | null;

  @Field(() => [ID], { nullable: true })
  speakerIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  topicIds?: string[] | null;
}

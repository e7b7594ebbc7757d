import { ArgsType, Field, InputType, Int, ObjectType } from 'type-graphql';
import { Event } from '../../entities';
import { Connection, ConnectionArgs } from './connection';
import { EventOrderField, OrderDirection } from './order';

@ObjectType({ simpleResolvers: true })
export class EventConnection extends Connection(Event, 'Event') {}

@InputType({ description: 'Default: STARTS_AT DESC.' })
export class EventOrder {
  @Field(() => EventOrderField)
  field!: EventOrderField;

  @Field(() => OrderDirection)
  direction!: OrderDirection;
}

@InputType({ description: 'All given conditions must hold. Slugs for topic and speaker.' })
export class EventFilter {
  @Field(() => String, { nullable: true, description: 'Exact series name.' })
  series?: string | null;

  @Field(() => String, { nullable: true, description: 'Exact city name.' })
  city?: string | null;

  @Field(() => String, { nullable: true, description: 'Topic slug: events with a talk on it.' })
  topic?: string | null;

  @Field(() => String, { nullable: true, description: 'Speaker slug: events where they spoke.' })
  speaker?: string | null;

  @Field(() => Date, { nullable: true })
  startsAfter?: Date | null;

  @Field(() => Date, { nullable: true })
  startsBefore?: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'Case-insensitive substring of title or summary.',
  })
  search?: string | null;
}

@ArgsType()
export class EventsArgs extends ConnectionArgs {
  @Field(() => EventFilter, { nullable: true })
  filter?: EventFilter | null;

  @Field(() => EventOrder, { nullable: true })
  orderBy?: EventOrder | null;
}

@InputType()
export class CreateEventInput {
  @Field(() => String)
  title!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Generated from series and edition, or the title, when absent.',
  })
  slug?: string | null;

  @Field(() => String, { nullable: true })
  summary?: string | null;

  @Field(() => String, { nullable: true })
  series?: string | null;

  @Field(() => Int, { nullable: true })
  edition?: number | null;

  @Field(() => Date)
  startsAt!: Date;

  @Field(() => Date, { nullable: true })
  endsAt?: Date | null;

  @Field(() => String, { nullable: true })
  city?: string | null;

  @Field(() => String, { nullable: true })
  venue?: string | null;

  @Field(() => String, { nullable: true })
  organizer?: string | null;
}

@InputType({ description: 'Only the fields given change.' })
export class UpdateEventInput {
  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true })
  slug?: string | null;

  @Field(() => String, { nullable: true })
  summary?: string | null;

  @Field(() => String, { nullable: true })
  series?: string | null;

  @Field(() => Int, { nullable: true })
  edition?: number | null;

  @Field(() => Date, { nullable: true })
  startsAt?: Date | null;

  @Field(() => Date, { nullable: true })
  endsAt?: Date | null;

  @Field(() => String, { nullable: true })
  city?: string | null;

  @Field(() => String, { nullable: true })
  venue?: string | null;

  @Field(() => String, { nullable: true })
  organizer?: string | null;
}

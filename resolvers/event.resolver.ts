import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Event, Speaker, Talk, Topic } from '../entities';
import { requireAdmin } from '../src/auth';
import type { Context } from '../src/context';
import { toPageRequest } from '../src/lib/pagination';
import { distinctByFrequency, distinctInOrder } from '../src/lib/ranking';
import { loadByIdOrSlug } from './lookup';
import { CountableFields } from './node-fields';
import {
  CreateEventInput,
  EventConnection,
  EventsArgs,
  UpdateEventInput,
} from './types/event.types';
import { EventOrderField, OrderDirection, orderName } from './types/order';

@Resolver(() => Event)
export class EventResolver extends CountableFields(Event, 'Event') {
  @Query(() => Event, { nullable: true, description: 'By id or slug: exactly one of the two.' })
  event(
    @Arg('id', () => ID, { nullable: true }) id: string | null,
    @Arg('slug', () => String, { nullable: true }) slug: string | null,
    @Ctx() ctx: Context,
  ): Promise<Event | null> {
    return loadByIdOrSlug(ctx, 'Event', id, slug, (s) => ctx.loaders.eventBySlug.load(s));
  }

  @Query(() => EventConnection)
  async events(
    @Args(() => EventsArgs) args: EventsArgs,
    @Ctx() ctx: Context,
  ): Promise<EventConnection> {
    const { field, direction } = args.orderBy ?? {
      field: EventOrderField.STARTS_AT,
      direction: OrderDirection.DESC,
    };
    const page = toPageRequest(args, orderName('Event', field, direction));
    const filter = args.filter ?? {};
    const rows = await ctx.services.lists.events(
      filter,
      field,
      direction === OrderDirection.DESC,
      page,
    );
    return new EventConnection(rows, page, () => ctx.services.lists.countEvents(filter));
  }

  @FieldResolver(() => [Talk], { description: 'In agenda order.' })
  talks(@Root() event: Event, @Ctx() ctx: Context): Promise<Talk[]> {
    return ctx.loaders.talksByEventId.load(event.id);
  }

  @FieldResolver(() => [Speaker], { description: 'Distinct, in talk order.' })
  async speakers(@Root() event: Event, @Ctx() ctx: Context): Promise<Speaker[]> {
    const talks = await ctx.loaders.talksByEventId.load(event.id);
    const lists = await Promise.all(
      talks.map((talk) => ctx.loaders.speakersByTalkId.load(talk.id)),
    );
    return distinctInOrder(lists, (speaker) => speaker.id);
  }

  @FieldResolver(() => [Topic], { description: 'Distinct, most-used first.' })
  async topics(@Root() event: Event, @Ctx() ctx: Context): Promise<Topic[]> {
    const talks = await ctx.loaders.talksByEventId.load(event.id);
    const lists = await Promise.all(talks.map((talk) => ctx.loaders.topicsByTalkId.load(talk.id)));
    return distinctByFrequency(lists, (topic) => topic.id);
  }

  @Mutation(() => Event, { description: 'Admin only.' })
  createEvent(
    @Arg('input', () => CreateEventInput) input: CreateEventInput,
    @Ctx() ctx: Context,
  ): Promise<Event> {
    requireAdmin(ctx.viewer);
    ctx.resetLoaders();
    return ctx.services.events.create(input);
  }

  @Mutation(() => Event, { description: 'Admin only.' })
  updateEvent(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateEventInput) input: UpdateEventInput,
    @Ctx() ctx: Context,
  ): Promise<Event> {
    requireAdmin(ctx.viewer);
    ctx.resetLoaders();
    return ctx.services.events.update(id, input);
  }

  @Mutation(() => ID, { description: 'Admin only. Deletes the event’s talks too.' })
  deleteEvent(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    requireAdmin(ctx.viewer);
    ctx.resetLoaders();
    return ctx.services.events.delete(id);
  }
}

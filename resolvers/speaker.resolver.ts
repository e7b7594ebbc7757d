import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Event, Speaker, Talk, Topic } from '../entities';
import { requireAdmin } from '../src/auth';
import type { Context } from '../src/context';
import { toPageRequest } from '../src/lib/pagination';
import { distinctByFrequency } from '../src/lib/ranking';
import { loadByIdOrSlug } from './lookup';
import { NodeFields } from './node-fields';
import { OrderDirection, SpeakerOrderField, orderName } from './types/order';
import {
  CreateSpeakerInput,
  SpeakerConnection,
  SpeakersArgs,
  UpdateSpeakerInput,
} from './types/speaker.types';

@Resolver(() => Speaker)
export class SpeakerResolver extends NodeFields(Speaker, 'Speaker') {
  @Query(() => Speaker, { nullable: true, description: 'By id or slug: exactly one of the two.' })
  speaker(
    @Arg('id', () => ID, { nullable: true }) id: string | null,
    @Arg('slug', () => String, { nullable: true }) slug: string | null,
    @Ctx() ctx: Context,
  ): Promise<Speaker | null> {
    return loadByIdOrSlug(ctx, 'Speaker', id, slug, (s) => ctx.loaders.speakerBySlug.load(s));
  }

  @Query(() => SpeakerConnection)
  async speakers(
    @Args(() => SpeakersArgs) args: SpeakersArgs,
    @Ctx() ctx: Context,
  ): Promise<SpeakerConnection> {
    const { field, direction } = args.orderBy ?? {
      field: SpeakerOrderField.NAME,
      direction: OrderDirection.ASC,
    };
    const page = toPageRequest(args, orderName('Speaker', field, direction));
    const filter = args.filter ?? {};
    const rows = await ctx.services.lists.speakers(
      filter,
      field,
      direction === OrderDirection.DESC,
      page,
    );
    return new SpeakerConnection(rows, page, () => ctx.services.lists.countSpeakers(filter));
  }

  @FieldResolver(() => [Talk], { description: 'Newest event first.' })
  talks(@Root() speaker: Speaker, @Ctx() ctx: Context): Promise<Talk[]> {
    return ctx.loaders.talksBySpeakerId.load(speaker.id);
  }

  @FieldResolver(() => [Event], { description: 'Distinct, newest first.' })
  async events(@Root() speaker: Speaker, @Ctx() ctx: Context): Promise<Event[]> {
    const talks = await ctx.loaders.talksBySpeakerId.load(speaker.id);
    const eventIds = [...new Set(talks.map((talk) => talk.eventId))];
    const events = await ctx.loaders.eventById.loadMany(eventIds);
    return events.filter((event): event is Event => event instanceof Event);
  }

  @FieldResolver(() => [Topic], { description: 'Distinct, most-used first.' })
  async topics(@Root() speaker: Speaker, @Ctx() ctx: Context): Promise<Topic[]> {
    const talks = await ctx.loaders.talksBySpeakerId.load(speaker.id);
    const lists = await Promise.all(talks.map((talk) => ctx.loaders.topicsByTalkId.load(talk.id)));
    return distinctByFrequency(lists, (topic) => topic.id);
  }

  @Mutation(() => Speaker, { description: 'Admin only.' })
  createSpeaker(
    @Arg('input', () => CreateSpeakerInput) input: CreateSpeakerInput,
    @Ctx() ctx: Context,
  ): Promise<Speaker> {
    requireAdmin(ctx.viewer);
    ctx.resetLoaders();
    return ctx.services.speakers.create(input);
  }

  @Mutation(() => Speaker, { description: 'Admin only.' })
  updateSpeaker(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateSpeakerInput) input: UpdateSpeakerInput,
    @Ctx() ctx: Context,
  ): Promise<Speaker> {
    requireAdmin(ctx.viewer);
    ctx.resetLoaders();
    return ctx.services.speakers.update(id, input);
  }

  @Mutation(() => ID, { description: 'Admin only. CONFLICT while the speaker still has talks.' })
  deleteSpeaker(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    requireAdmin(ctx.viewer);
    ctx.resetLoaders();
    return ctx.services.speakers.delete(id);
  }
}

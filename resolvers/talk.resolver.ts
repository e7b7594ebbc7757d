import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Event, Speaker, Talk, Topic } from '../entities';
import { requireAdmin } from '../src/auth';
import type { Context } from '../src/context';
import { toPageRequest } from '../src/lib/pagination';
import { loadByIdOrSlug } from './lookup';
import { CountableFields } from './node-fields';
import { OrderDirection, TalkOrderField, orderName } from './types/order';
import { CreateTalkInput, TalkConnection, TalksArgs, UpdateTalkInput } from './types/talk.types';

@Resolver(() => Talk)
export class TalkResolver extends CountableFields(Talk, 'Talk') {
  @Query(() => Talk, { nullable: true, description: 'By id or slug: exactly one of the two.' })
  talk(
    @Arg('id', () => ID, { nullable: true }) id: string | null,
    @Arg('slug', () => String, { nullable: true }) slug: string | null,
    @Ctx() ctx: Context,
  ): Promise<Talk | null> {
    return loadByIdOrSlug(ctx, 'Talk', id, slug, (s) => ctx.loaders.talkBySlug.load(s));
  }

  @Query(() => TalkConnection)
  async talks(
    @Args(() => TalksArgs) args: TalksArgs,
    @Ctx() ctx: Context,
  ): Promise<TalkConnection> {
    const { field, direction } = args.orderBy ?? {
      field: TalkOrderField.STARTS_AT,
      direction: OrderDirection.DESC,
    };
    const page = toPageRequest(args, orderName('Talk', field, direction));
    const filter = args.filter ?? {};
    const rows = await ctx.services.lists.talks(
      filter,
      field,
      direction === OrderDirection.DESC,
      page,
    );
    return new TalkConnection(rows, page, () => ctx.services.lists.countTalks(filter));
  }

  @FieldResolver(() => Event)
  async event(@Root() talk: Talk, @Ctx() ctx: Context): Promise<Event> {
    // The foreign key guarantees the row; null here would mean it was deleted mid-request.
    return (await ctx.loaders.eventById.load(talk.eventId))!;
  }

  @FieldResolver(() => [Speaker], { description: 'In billing order.' })
  speakers(@Root() talk: Talk, @Ctx() ctx: Context): Promise<Speaker[]> {
    return ctx.loaders.speakersByTalkId.load(talk.id);
  }

  @FieldResolver(() => [Topic])
  topics(@Root() talk: Talk, @Ctx() ctx: Context): Promise<Topic[]> {
    return ctx.loaders.topicsByTalkId.load(talk.id);
  }

  @Mutation(() => Talk, { description: 'Admin only.' })
  createTalk(
    @Arg('input', () => CreateTalkInput) input: CreateTalkInput,
    @Ctx() ctx: Context,
  ): Promise<Talk> {
    requireAdmin(ctx.viewer);
    ctx.resetLoaders();
    return ctx.services.talks.create(input);
  }

  @Mutation(() => Talk, { description: 'Admin only.' })
  updateTalk(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateTalkInput) input: UpdateTalkInput,
    @Ctx() ctx: Context,
  ): Promise<Talk> {
    requireAdmin(ctx.viewer);
    ctx.resetLoaders();
    return ctx.services.talks.update(id, input);
  }

  @Mutation(() => ID, { description: 'Admin only.' })
  deleteTalk(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    requireAdmin(ctx.viewer);
    ctx.resetLoaders();
    return ctx.services.talks.delete(id);
  }
}

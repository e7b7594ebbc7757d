import {
  Arg,
  Args,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { Topic } from '../entities';
import { requireAdmin } from '../src/auth';
import type { Context } from '../src/context';
import { toPageRequest } from '../src/lib/pagination';
import { ConnectionArgs } from './types/connection';
import { loadByIdOrSlug } from './lookup';
import { NodeFields } from './node-fields';
import { OrderDirection, TalkOrderField, orderName } from './types/order';
import { SpeakerConnection } from './types/speaker.types';
import { TalkConnection, TopicTalksArgs } from './types/talk.types';
import { CreateTopicInput, TopicConnection, UpdateTopicInput } from './types/topic.types';

@Resolver(() => Topic)
export class TopicResolver extends NodeFields(Topic, 'Topic') {
  @Query(() => Topic, { nullable: true, description: 'By id or slug: exactly one of the two.' })
  topic(
    @Arg('id', () => ID, { nullable: true }) id: string | null,
    @Arg('slug', () => String, { nullable: true }) slug: string | null,
    @Ctx() ctx: Context,
  ): Promise<Topic | null> {
    return loadByIdOrSlug(ctx, 'Topic', id, slug, (s) => ctx.loaders.topicBySlug.load(s));
  }

  @Query(() => TopicConnection, { description: 'By name, A to Z.' })
  async topics(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: Context,
  ): Promise<TopicConnection> {
    const page = toPageRequest(args, orderName('Topic', 'NAME', OrderDirection.ASC));
    const rows = await ctx.services.lists.topics(page);
    return new TopicConnection(rows, page, () => ctx.services.lists.countTopics());
  }

  @FieldResolver(() => Int, { description: 'Talks tagged with this topic.' })
  talkCount(@Root() topic: Topic, @Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.talkCountByTopicId.load(topic.id);
  }

  @FieldResolver(() => TalkConnection)
  async talks(
    @Root() topic: Topic,
    @Args(() => TopicTalksArgs) args: TopicTalksArgs,
    @Ctx() ctx: Context,
  ): Promise<TalkConnection> {
    const { field, direction } = args.orderBy ?? {
      field: TalkOrderField.STARTS_AT,
      direction: OrderDirection.DESC,
    };
    const page = toPageRequest(args, orderName('Talk', field, direction));
    const loader = ctx.loaders.talkPagesByTopicId(field, direction === OrderDirection.DESC, page);
    return new TalkConnection(await loader.load(topic.id), page, () =>
      ctx.loaders.talkCountByTopicId.load(topic.id),
    );
  }

  @FieldResolver(() => SpeakerConnection, {
    description: 'Distinct speakers of its talks, by name.',
  })
  async speakers(
    @Root() topic: Topic,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: Context,
  ): Promise<SpeakerConnection> {
    const page = toPageRequest(args, orderName('Speaker', 'NAME', OrderDirection.ASC));
    const loader = ctx.loaders.speakerPagesByTopicId(page);
    return new SpeakerConnection(await loader.load(topic.id), page, () =>
      ctx.loaders.speakerCountByTopicId.load(topic.id),
    );
  }

  @Mutation(() => Topic, { description: 'Admin only.' })
  createTopic(
    @Arg('input', () => CreateTopicInput) input: CreateTopicInput,
    @Ctx() ctx: Context,
  ): Promise<Topic> {
    requireAdmin(ctx.viewer);
    ctx.resetLoaders();
    return ctx.services.topics.create(input);
  }

  @Mutation(() => Topic, { description: 'Admin only.' })
  updateTopic(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateTopicInput) input: UpdateTopicInput,
    @Ctx() ctx: Context,
  ): Promise<Topic> {
    requireAdmin(ctx.viewer);
    ctx.resetLoaders();
    return ctx.services.topics.update(id, input);
  }

  @Mutation(() => ID, { description: 'Admin only. Untags its talks.' })
  deleteTopic(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    requireAdmin(ctx.viewer);
    ctx.resetLoaders();
    return ctx.services.topics.delete(id);
  }
}

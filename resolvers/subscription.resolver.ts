import { GraphQLError } from 'graphql';
import {
  Arg,
  Ctx,
  ID,
  Resolver,
  Root,
  type SubscribeResolverData,
  Subscription,
} from 'type-graphql';
import type { Context } from '../src/context';
import { type Subject, subjectKey } from '../src/counters/counter-store';
import { BadUserInputError } from '../src/errors';
import { fromGlobalId } from '../src/lib/global-id';
import type { CounterResult } from '../src/services';
import type { SubscriptionContext } from '../src/subscriptions';
import { CounterPayload } from './types/counter.types';

export const MAX_WATCHED_IDS = 100;

interface CounterUpdatedArgs {
  ids: string[];
}

@Resolver()
export class SubscriptionResolver {
  @Subscription(() => CounterPayload, {
    description:
      'Counters of the given Events and Talks (1 to 100 ids) whenever they change: at most one push per id per 250 ms, the last one always carrying the latest counts.',
    subscribe: async ({
      args,
      context: ctx,
    }: SubscribeResolverData<unknown, CounterUpdatedArgs, SubscriptionContext>) => {
      const subjects = await watchedSubjects(ctx, args.ids);
      const viewerId = ctx.viewer?.id ?? null;
      return ctx.watchCounters(subjects, (subject) =>
        ctx.services.counters.current(subject, viewerId),
      );
    },
  })
  counterUpdated(
    @Root() update: CounterResult | undefined,
    @Arg('ids', () => [ID]) _ids: string[],
    @Ctx() ctx: Context,
  ): CounterPayload {
    // Apollo runs a subscription sent over HTTP as if it were a query: no event to show.
    if (!update) {
      throw new GraphQLError('Subscriptions are served over WebSocket (graphql-ws) at /graphql', {
        extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
      });
    }
    // Each push is a new execution on the subscription's one context: nothing read for an
    // earlier push may answer this one.
    ctx.resetLoaders();
    ctx.showCounters(update.counted, update.state);
    return Object.assign(new CounterPayload(), { subject: update.subject, ...update.state });
  }
}

/** The Events and Talks behind `ids`, each once; any id that is not one is BAD_USER_INPUT. */
async function watchedSubjects(ctx: Context, ids: readonly string[]): Promise<Subject[]> {
  if (ids.length === 0 || ids.length > MAX_WATCHED_IDS) {
    throw new BadUserInputError('ids', `pass between 1 and ${MAX_WATCHED_IDS} ids`);
  }
  const subjects = ids.map((id, index): Subject => {
    const ref = fromGlobalId(id);
    if (!ref || (ref.type !== 'Event' && ref.type !== 'Talk')) {
      throw new BadUserInputError(
        `ids[${index}]`,
        `${JSON.stringify(id)} is not the id of an Event or a Talk`,
      );
    }
    return { type: ref.type, id: ref.id };
  });
  const rows = await Promise.all(
    subjects.map((subject) =>
      subject.type === 'Event'
        ? ctx.loaders.eventById.load(subject.id)
        : ctx.loaders.talkById.load(subject.id),
    ),
  );
  const missing = rows.indexOf(null);
  if (missing >= 0) {
    throw new BadUserInputError(
      `ids[${missing}]`,
      `no ${subjects[missing]!.type} with id ${JSON.stringify(ids[missing])}`,
    );
  }
  const unique = new Map(subjects.map((subject) => [subjectKey(subject), subject]));
  return [...unique.values()];
}

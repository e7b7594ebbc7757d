import 'reflect-metadata';
import { DateTimeScalar } from './lib/date-time-scalar';
import { lexicographicSortSchema, type GraphQLSchema, printSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { bindLeanFieldResolvers } from './lean-field-resolvers';
import { CounterResolver } from '../resolvers/counter.resolver';
import { EventResolver } from '../resolvers/event.resolver';
import { NodeResolver } from '../resolvers/node.resolver';
import { SpeakerResolver } from '../resolvers/speaker.resolver';
import {
  LeaderboardResolver,
  SpeakerStatsFieldResolver,
  SpeakerStatsResolver,
  TalkStatsResolver,
} from '../resolvers/stats.resolver';
import { SubscriptionResolver } from '../resolvers/subscription.resolver';
import { TalkResolver } from '../resolvers/talk.resolver';
import { TopicResolver } from '../resolvers/topic.resolver';

let built: Promise<GraphQLSchema> | undefined;
let leanFields: readonly string[] = [];

/**
 * type-graphql insists on a PubSub once there is a subscription, but ours bring their own
 * `subscribe` (CounterEvents behind it): topics are never used.
 */
const noTopics: PubSub = {
  publish() {
    throw new Error('Subscriptions use CounterEvents, not type-graphql topics');
  },
  subscribe() {
    throw new Error('Subscriptions use CounterEvents, not type-graphql topics');
  },
};

const RESOLVERS = [
  NodeResolver,
  EventResolver,
  TalkResolver,
  SpeakerResolver,
  TopicResolver,
  CounterResolver,
  SubscriptionResolver,
  SpeakerStatsFieldResolver,
  SpeakerStatsResolver,
  TalkStatsResolver,
  LeaderboardResolver,
] as const;

/** The executable schema. Built once per process: type-graphql metadata is global. */
export function createSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: RESOLVERS,
    pubSub: noTopics,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    // Inputs are checked in services, where the rules live next to the writes.
    validate: false,
  }).then((schema) => {
    leanFields = bindLeanFieldResolvers(schema, RESOLVERS);
    return schema;
  });
  return built;
}

/** The fields createSchema bound straight to their methods (`Type.field`), for tests. */
export function leanFieldNames(): readonly string[] {
  return leanFields;
}

/** The SDL we commit as schema/schema.graphql: sorted, so diffs show real changes only. */
export function printSortedSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

import 'reflect-metadata';
import { DateTimeResolver } from 'graphql-scalars';
import { lexicographicSortSchema, type GraphQLSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { CounterResolver } from '../resolvers/counter.resolver';
import { EventResolver } from '../resolvers/event.resolver';
import { NodeResolver } from '../resolvers/node.resolver';
import { SpeakerResolver } from '../resolvers/speaker.resolver';
import { TalkResolver } from '../resolvers/talk.resolver';
import { TopicResolver } from '../resolvers/topic.resolver';

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema. Built once per process: type-graphql metadata is global. */
export function createSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [
      NodeResolver,
      EventResolver,
      TalkResolver,
      SpeakerResolver,
      TopicResolver,
      CounterResolver,
    ],
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    // Inputs are checked in services, where the rules live next to the writes.
    validate: false,
  });
  return built;
}

/** The SDL we commit as schema/schema.graphql: sorted, so diffs show real changes only. */
export function printSortedSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

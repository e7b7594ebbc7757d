import { createUnionType, Field, Int, ObjectType } from 'type-graphql';
import { Countable, Event, Speaker, Talk, Topic } from '../../entities';

@ObjectType({
  simpleResolvers: true,
  description: 'Counters of one Event or Talk right after a change.',
})
export class CounterPayload {
  @Field(() => Countable)
  subject!: Event | Talk;

  @Field(() => Int)
  viewCount!: number;

  @Field(() => Int)
  likeCount!: number;

  @Field(() => Boolean)
  viewerHasLiked!: boolean;
}

// Resolved by instanceof, synchronously (see entities/node.interface.ts).
export const SearchResult = createUnionType({
  name: 'SearchResult',
  types: () => [Event, Talk, Speaker, Topic] as const,
});

import { Field, ID, InterfaceType, Int } from 'type-graphql';

/**
 * GraphQL-only interfaces. Object types are entity class instances, so type-graphql's own
 * resolveType (an instanceof check) finds the type. No custom resolveType: type-graphql
 * wraps one in an async function, and graphql-jit (src/compiled-execution.ts) resolves
 * abstract types synchronously.
 */
@InterfaceType({
  description: 'An object with an opaque id, unique across all types.',
})
export abstract class Node {
  @Field(() => ID, { description: 'Opaque global id; pass it to `node` or mutations.' })
  id!: string;
}

@InterfaceType({
  description: 'Something people view and like: an Event or a Talk.',
})
export abstract class Countable {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: 'Views, including those not yet flushed to the database.' })
  viewCount!: number;

  @Field(() => Int)
  likeCount!: number;

  @Field(() => Boolean, { description: 'False for anonymous requests.' })
  viewerHasLiked!: boolean;
}

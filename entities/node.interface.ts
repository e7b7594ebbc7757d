import { Field, ID, InterfaceType, Int } from 'type-graphql';

/**
 * GraphQL-only interfaces. Object types are entity class instances, so the class name is
 * the GraphQL type name.
 */
@InterfaceType({
  description: 'An object with an opaque id, unique across all types.',
  resolveType: (value: object) => value.constructor.name,
})
export abstract class Node {
  @Field(() => ID, { description: 'Opaque global id; pass it to `node` or mutations.' })
  id!: string;
}

@InterfaceType({
  description: 'Something people view and like: an Event or a Talk.',
  resolveType: (value: object) => value.constructor.name,
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

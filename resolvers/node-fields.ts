import { type ClassType, Ctx, FieldResolver, ID, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../src/context';
import { countedSubject, type SubjectType } from '../src/counters/counter-store';
import { type NodeType, toGlobalId } from '../src/lib/global-id';

/** `id` for a node type: the opaque global id of the row. */
export function NodeFields<T extends { id: number }>(objectType: ClassType<T>, type: NodeType) {
  @Resolver(() => objectType)
  abstract class NodeFieldsResolver {
    @FieldResolver(() => ID)
    id(@Root() row: T): string {
      return toGlobalId(type, row.id);
    }
  }
  return NodeFieldsResolver;
}

/** `id` plus the Countable counters, each read through the request's counter loader. */
export function CountableFields<
  T extends { id: number; storedViewCount: number; storedLikeCount: number; viewFlushSeq: number },
>(objectType: ClassType<T>, type: SubjectType) {
  @Resolver(() => objectType)
  abstract class CountableFieldsResolver extends NodeFields(objectType, type) {
    @FieldResolver(() => Int)
    async viewCount(@Root() row: T, @Ctx() ctx: Context): Promise<number> {
      return (await ctx.loaders.counterBySubject.load(countedSubject(type, row))).viewCount;
    }

    @FieldResolver(() => Int)
    async likeCount(@Root() row: T, @Ctx() ctx: Context): Promise<number> {
      return (await ctx.loaders.counterBySubject.load(countedSubject(type, row))).likeCount;
    }

    @FieldResolver(() => Boolean)
    async viewerHasLiked(@Root() row: T, @Ctx() ctx: Context): Promise<boolean> {
      if (!ctx.viewer) return false;
      return (await ctx.loaders.counterBySubject.load(countedSubject(type, row))).viewerHasLiked;
    }
  }
  return CountableFieldsResolver;
}

import { type ClassType, Ctx, FieldResolver, ID, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../src/context';
import {
  type CountedRow,
  type CounterState,
  countedSubjectOfRow,
  type SubjectType,
} from '../src/counters/counter-store';
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
export function CountableFields<T extends CountedRow>(objectType: ClassType<T>, type: SubjectType) {
  @Resolver(() => objectType)
  abstract class CountableFieldsResolver extends NodeFields(objectType, type) {
    // Plain .then, not async/await: a page has two or three of these per row, and each
    // await would cost another promise.
    @FieldResolver(() => Int)
    viewCount(@Root() row: T, @Ctx() ctx: Context): Promise<number> {
      return countersOf(ctx, type, row).then(viewCountOf);
    }

    @FieldResolver(() => Int)
    likeCount(@Root() row: T, @Ctx() ctx: Context): Promise<number> {
      return countersOf(ctx, type, row).then(likeCountOf);
    }

    @FieldResolver(() => Boolean)
    viewerHasLiked(@Root() row: T, @Ctx() ctx: Context): boolean | Promise<boolean> {
      if (!ctx.viewer) return false;
      return countersOf(ctx, type, row).then(viewerHasLikedOf);
    }
  }
  return CountableFieldsResolver;
}

function countersOf(ctx: Context, type: SubjectType, row: CountedRow): Promise<CounterState> {
  return ctx.loaders.counterBySubject.load(countedSubjectOfRow(type, row));
}

const viewCountOf = (state: CounterState) => state.viewCount;
const likeCountOf = (state: CounterState) => state.likeCount;
const viewerHasLikedOf = (state: CounterState) => state.viewerHasLiked;

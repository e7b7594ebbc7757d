import 'reflect-metadata';
import { graphql, type GraphQLSchema } from 'graphql';
import {
  Arg,
  buildSchema,
  Ctx,
  Field,
  FieldResolver,
  Info,
  Int,
  ObjectType,
  Query,
  Resolver,
  Root,
  UseMiddleware,
} from 'type-graphql';
import { bindLeanFieldResolvers } from '../../src/lean-field-resolvers';
import { createSchema, leanFieldNames } from '../../src/schema';

@ObjectType()
class Box {
  @Field(() => Int)
  size!: number;
}

interface Seen {
  calls: string[];
}

@Resolver(() => Box)
abstract class BoxBase {
  @FieldResolver(() => Int)
  doubled(@Root() box: Box): number {
    return box.size * 2;
  }
}

@Resolver(() => Box)
class BoxResolver extends BoxBase {
  @Query(() => [Box])
  boxes(): Box[] {
    // One real Box and one plain object: type-graphql turns the second into a Box first.
    return [Object.assign(new Box(), { size: 1 }), { size: 2 } as Box];
  }

  @FieldResolver(() => String)
  described(@Ctx() seen: Seen, @Info() info: { fieldName: string }, @Root() box: Box): string {
    seen.calls.push(`${info.fieldName}:${box instanceof Box}`);
    return `box of ${box.size}`;
  }

  @FieldResolver(() => Int)
  scaled(@Root() box: Box, @Arg('by', () => Int) by: number): number {
    return box.size * by;
  }

  @FieldResolver(() => Int)
  @UseMiddleware(async (_data, next) => ((await next()) as number) + 1000)
  guarded(@Root() box: Box): number {
    return box.size;
  }
}

const QUERY = '{ boxes { size doubled described scaled(by: 3) guarded } }';

async function run(schema: GraphQLSchema) {
  const seen: Seen = { calls: [] };
  const result = await graphql({ schema, source: QUERY, contextValue: seen });
  return { result, calls: seen.calls };
}

describe('lean field resolvers', () => {
  let typeGraphQL: GraphQLSchema;
  let lean: GraphQLSchema;
  let bound: string[];

  beforeAll(async () => {
    const options = { resolvers: [BoxResolver] as const, validate: false };
    typeGraphQL = await buildSchema(options);
    lean = await buildSchema(options);
    bound = bindLeanFieldResolvers(lean, [BoxResolver]);
  });

  it('binds fields that take only root, context and info, inherited ones too', () => {
    expect(bound.sort()).toEqual(['Box.described', 'Box.doubled']);
  });

  it('answers exactly as type-graphql does, converting roots the same way', async () => {
    const [before, after] = [await run(typeGraphQL), await run(lean)];
    expect(after.result).toEqual(before.result);
    expect(after.result.errors).toBeUndefined();
    expect(after.result.data).toEqual({
      boxes: [
        { size: 1, doubled: 2, described: 'box of 1', scaled: 3, guarded: 1001 },
        { size: 2, doubled: 4, described: 'box of 2', scaled: 6, guarded: 1002 },
      ],
    });
    // The plain-object root went through type-graphql, which made it a Box.
    expect(after.calls).toEqual(['described:true', 'described:true']);
  });

  it('covers the hot fields of the gateway schema', async () => {
    await createSchema();
    expect(leanFieldNames()).toEqual(
      expect.arrayContaining([
        'Event.id',
        'Event.viewCount',
        'Event.likeCount',
        'Event.talks',
        'Talk.id',
        'Talk.viewCount',
        'Talk.likeCount',
        'Talk.viewerHasLiked',
        'Talk.speakers',
        'Talk.topics',
        'Speaker.id',
        'Topic.id',
      ]),
    );
    // Fields with arguments keep type-graphql's resolver (it converts and checks them).
    expect(leanFieldNames()).not.toContain('Topic.talks');
  });
});

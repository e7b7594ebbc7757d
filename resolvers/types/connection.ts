import { ArgsType, type ClassType, Field, Int, ObjectType } from 'type-graphql';
import type { Keyed } from '../../src/repositories';
import { toPage, type PageRequest } from '../../src/lib/pagination';

@ObjectType({ simpleResolvers: true, description: 'Where a page sits in its list (Relay).' })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean)
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, {
    nullable: true,
    description: 'Page size from the start, 0 to 100 (default 20).',
  })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: 'Page size from the end, 0 to 100.' })
  last?: number | null;

  @Field(() => String, { nullable: true })
  before?: string | null;
}

export interface ConnectionShape<TNode> {
  edges: { cursor: string; node: TNode }[];
  nodes: TNode[];
  pageInfo: PageInfo;
  totalCount(): Promise<number>;
}

/**
 * `<Name>Connection` and `<Name>Edge` for a node type, the shape API.md gives for all four.
 * `totalCount` runs its COUNT only when a client selects it.
 */
export function Connection<TNode extends object>(NodeClass: ClassType<TNode>, name: string) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class Edge {
    @Field(() => String)
    cursor!: string;

    @Field(() => NodeClass)
    node!: TNode;
  }

  @ObjectType(`${name}Connection`, { simpleResolvers: true })
  class ConnectionType implements ConnectionShape<TNode> {
    @Field(() => [Edge])
    edges: Edge[];

    @Field(() => [NodeClass], {
      description: 'The nodes of `edges`, for clients that need no cursors.',
    })
    nodes: TNode[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    constructor(
      fetched: Keyed<TNode & { id: number }>[],
      request: PageRequest,
      private readonly countTotal: () => Promise<number>,
    ) {
      const page = toPage(fetched, request);
      this.edges = page.rows.map(({ row, cursor }) =>
        Object.assign(new Edge(), { cursor, node: row }),
      );
      this.nodes = page.rows.map(({ row }) => row);
      this.pageInfo = {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: page.hasPreviousPage,
        startCursor: page.rows[0]?.cursor ?? null,
        endCursor: page.rows.at(-1)?.cursor ?? null,
      };
    }

    @Field(() => Int, { description: 'All items matching the filter, ignoring the page.' })
    totalCount(): Promise<number> {
      return this.countTotal();
    }
  }
  return ConnectionType;
}

import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import {
  buildSchema,
  execute,
  type ExecutionResult,
  GraphQLError,
  type GraphQLInterfaceType,
  getOperationAST,
  parse,
} from 'graphql';
import { CompiledExecution } from '../../src/compiled-execution';

/** A schema with what our resolvers do: promises, errors with and without codes, an interface. */
const schema = buildSchema(`
  interface Node { id: ID! }
  type Talk implements Node { id: ID! title: String! views: Int! }
  type Speaker implements Node { id: ID! name: String }
  type Query {
    talk(id: ID!): Talk
    talks(first: Int = 2): [Talk!]!
    node(id: ID!): Node
    failing: String
    coded: String
    nonNull: String!
  }
  type Mutation { view(id: ID!): Talk! }
`);

const talks = [
  { __kind: 'Talk', id: '1', title: 'CodeGeeX', views: 10 },
  { __kind: 'Talk', id: '2', title: '大模型', views: 20 },
  { __kind: 'Talk', id: '3', title: 'Agents', views: 30 },
];
const speaker = { __kind: 'Speaker', id: 's1', name: '唐杰' };

function attachResolvers(): void {
  const query = schema.getQueryType()!.getFields();
  query.talk!.resolve = (_, { id }: { id: string }) =>
    Promise.resolve(talks.find((t) => t.id === id) ?? null);
  query.talks!.resolve = (_, { first }: { first: number }) => talks.slice(0, first);
  query.node!.resolve = (_, { id }: { id: string }) =>
    id === 's1' ? speaker : (talks.find((t) => t.id === id) ?? null);
  query.failing!.resolve = () => Promise.reject(new Error('connection reset'));
  query.coded!.resolve = () => {
    throw new GraphQLError('no such talk', { extensions: { code: 'NOT_FOUND' } });
  };
  query.nonNull!.resolve = () => null;
  schema.getMutationType()!.getFields().view!.resolve = (_, { id }: { id: string }) => {
    const talk = talks.find((t) => t.id === id)!;
    talk.views += 1;
    return talk;
  };
  const node = schema.getType('Node') as GraphQLInterfaceType;
  node.resolveType = (value: { __kind: string }) => value.__kind;
}
attachResolvers();

function request(query: string, variables?: Record<string, unknown>, operationName?: string) {
  const document = parse(query);
  return {
    document,
    operation: getOperationAST(document, operationName) ?? undefined,
    operationName: operationName ?? null,
    request: { query, variables, operationName },
    context: {},
  } as unknown as GatewayGraphQLRequestContext;
}

/** What a client would see of a result: errors by message, path, locations and extensions. */
function visible(result: ExecutionResult): unknown {
  return JSON.parse(
    JSON.stringify({
      data: result.data,
      errors: result.errors?.map((e) => ({
        message: e.message,
        path: e.path,
        locations: e.locations,
        extensions: e.extensions,
        isGraphQLError: e instanceof GraphQLError,
        hasExtensionsObject: typeof e.extensions === 'object',
      })),
    }),
  );
}

const CASES: [string, string, Record<string, unknown>?, string?][] = [
  ['nested list with defaults', '{ talks { id title views } }'],
  ['arguments from variables', 'query ($n: Int) { talks(first: $n) { title } }', { n: 3 }],
  ['a promise per field', 'query ($id: ID!) { talk(id: $id) { title } }', { id: '2' }],
  [
    'interface by resolveType',
    '{ a: node(id: "s1") { id ... on Speaker { name } } b: node(id: "1") { ... on Talk { title } } }',
  ],
  ['a rejected resolver, masked later by Apollo', '{ failing talks(first: 1) { id } }'],
  ['a coded error', '{ coded }'],
  ['null for a non-null field', '{ nonNull }'],
  ['a variable of the wrong type', 'query ($id: ID!) { talk(id: $id) { id } }', { id: { x: 1 } }],
  ['a missing required variable', 'query ($id: ID!) { talk(id: $id) { id } }', {}],
  ['two operations and no name', 'query A { talks { id } } query B { talks { id } }'],
  ['operationName that is not there', 'query A { talks { id } }', undefined, 'C'],
];

describe('CompiledExecution', () => {
  // Rows as objects: a short array row would hand jest's `done` callback to the test.
  it.each(
    CASES.map(([title, query, variables, operationName]) => ({
      title,
      query,
      variables,
      operationName,
    })),
  )(
    'answers $title as graphql-js does, on the first run and compiled',
    async ({ query, variables, operationName }) => {
      const executor = new CompiledExecution(schema, 2);
      const expected = visible(
        await execute({ schema, document: parse(query), variableValues: variables, operationName }),
      );
      for (let run = 1; run <= 3; run++) {
        expect(visible(await executor.run(request(query, variables, operationName)))).toEqual(
          expected,
        );
      }
    },
  );

  it('runs a mutation once per request, compiled or not', async () => {
    const executor = new CompiledExecution(schema, 1);
    const before = talks[0]!.views;
    for (let i = 0; i < 3; i++) {
      const result = await executor.run(request('mutation { view(id: "1") { views } }'));
      expect(result.data).toEqual({ view: { views: before + i + 1 } });
    }
  });

  it('gives Apollo the schema and itself as the executor', async () => {
    const gateway = new CompiledExecution(schema).asGateway();
    const seen: unknown[] = [];
    gateway.onSchemaLoadOrUpdate(({ apiSchema }) => seen.push(apiSchema));
    expect(seen).toEqual([schema]);
    const { executor } = await gateway.load({ apollo: {} });
    expect((await executor!(request('{ talks(first: 1) { id } }'))).data).toEqual({
      talks: [{ id: '1' }],
    });
  });
});

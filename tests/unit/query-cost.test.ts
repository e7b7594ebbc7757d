import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  getIntrospectionQuery,
  Kind,
  type OperationDefinitionNode,
  parse,
} from 'graphql';
import {
  coerceVariables,
  MAX_WALK_DEPTH,
  measureOperation,
  UNPAGED_LIST_SIZE,
} from '../../src/lib/query-cost';

const ROOT = join(__dirname, '..', '..');
const schema = buildSchema(readFileSync(join(ROOT, 'schema', 'schema.graphql'), 'utf8'));

/** Depth, cost and root fields of the (only or named) operation of `query`. */
function measure(query: string, variables: Record<string, unknown> = {}, operationName?: string) {
  const document = parse(query);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION &&
      (operationName === undefined || definition.name?.value === operationName),
  )!;
  return measureOperation(
    schema,
    document,
    operation,
    coerceVariables(schema, operation, variables),
  );
}

const cost = (query: string, variables?: Record<string, unknown>) => measure(query, variables).cost;
const depth = (query: string, variables?: Record<string, unknown>) =>
  measure(query, variables).depth;

describe('query depth', () => {
  it('counts nested fields, the root field being 1', () => {
    expect(depth('{ event(slug: "x") { id } }')).toBe(2);
    expect(depth('{ events { nodes { id } } }')).toBe(3);
    expect(depth('{ events { edges { node { talks { speakers { name } } } } } }')).toBe(6);
  });

  it('takes the deepest branch', () => {
    expect(
      depth('{ event(slug: "x") { id talks { id speakers { id } } } topics { totalCount } }'),
    ).toBe(4);
  });

  it('sees through fragments and inline fragments without counting them', () => {
    const query = `
      query { events { nodes { ...E } } }
      fragment E on Event { ... on Event { talks { ...T } } }
      fragment T on Talk { speakers { id } }`;
    expect(depth(query)).toBe(5);
  });

  it('ignores __typename and introspection', () => {
    expect(depth('{ __typename }')).toBe(0);
    expect(depth('{ __schema { types { fields { type { ofType { ofType { name } } } } } } }')).toBe(
      0,
    );
    const introspection = parse(getIntrospectionQuery());
    const operation = introspection.definitions[0] as OperationDefinitionNode;
    expect(measureOperation(schema, introspection, operation, {})).toMatchObject({
      depth: 0,
      cost: 0,
    });
  });

  it('skips what @skip and @include leave out', () => {
    const query = `query ($deep: Boolean!) {
      event(slug: "x") { id talks @include(if: $deep) { speakers { id } } }
    }`;
    expect(depth(query, { deep: true })).toBe(4);
    expect(depth(query, { deep: false })).toBe(2);
    expect(depth('{ event(slug: "x") { id talks @skip(if: true) { id } } }')).toBe(2);
  });

  it('stops at MAX_WALK_DEPTH levels and says so', () => {
    const nested = `{ ${'... { '.repeat(MAX_WALK_DEPTH + 10)}__typename ${'} '.repeat(MAX_WALK_DEPTH + 10)}}`;
    expect(measure(nested)).toMatchObject({ depth: MAX_WALK_DEPTH, truncated: true });
    expect(measure('{ __typename }').truncated).toBe(false);
  });
});

describe('query cost', () => {
  it('costs 1 per object, nothing for scalars', () => {
    expect(cost('{ __typename }')).toBe(0);
    expect(cost('{ event(slug: "x") { id title summary } }')).toBe(1);
    expect(cost('mutation { deleteEvent(id: "x") }')).toBe(0);
  });

  it('costs a connection by its page: first, last, else 20', () => {
    // The connection, plus one per node on the page.
    expect(cost('{ events { nodes { id } } }')).toBe(1 + 20);
    expect(cost('{ events(first: 5) { nodes { id } } }')).toBe(1 + 5);
    expect(cost('{ events(last: 7) { nodes { id } } }')).toBe(1 + 7);
    expect(cost('{ events(first: 0) { totalCount } }')).toBe(1);
    // edges and nodes are both resolved: both count.
    expect(
      cost('{ events(first: 10) { edges { node { id } } nodes { id } pageInfo { hasNextPage } } }'),
    ).toBe(1 + 10 * 2 + 10 + 1);
  });

  it('reads the page size from variables, with their defaults', () => {
    const query = 'query ($n: Int = 3) { talks(first: $n) { nodes { id } } }';
    expect(cost(query)).toBe(1 + 3);
    expect(cost(query, { n: 50 })).toBe(1 + 50);
    expect(cost(query, { n: null })).toBe(1 + 20);
  });

  it('clamps page sizes to what resolvers accept, leaving the refusal to them', () => {
    expect(cost('{ events(first: 5000) { nodes { id } } }')).toBe(1 + 100);
    expect(cost('{ events(first: -3) { nodes { id } } }')).toBe(1);
  });

  it('uses the defaults when variables do not coerce (execution refuses them)', () => {
    expect(cost('query ($n: Int) { talks(first: $n) { nodes { id } } }', { n: 'many' })).toBe(21);
  });

  it('multiplies nested pages', () => {
    const query = `{ topics(first: 10) { nodes { talks(first: 4) { nodes { id } } } } }`;
    // topics + 10 × (topic + its talks connection + 4 talks)
    expect(cost(query)).toBe(1 + 10 * (1 + 1 + 4));
  });

  it('costs nodes(ids) by the number of ids and search(first) by first', () => {
    expect(cost('{ nodes(ids: ["a", "b", "c"]) { id } }')).toBe(3);
    expect(cost('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['a', 'b'] })).toBe(2);
    expect(cost('{ search(query: "ai") { __typename } }')).toBe(20);
    expect(cost('{ search(query: "ai", first: 4) { __typename } }')).toBe(4);
  });

  it(`costs a list without a page argument as ${UNPAGED_LIST_SIZE} items`, () => {
    expect(cost('{ event(slug: "x") { talks { id } } }')).toBe(1 + UNPAGED_LIST_SIZE);
    expect(cost('{ event(slug: "x") { talks { speakers { id } } } }')).toBe(
      1 + UNPAGED_LIST_SIZE * (1 + UNPAGED_LIST_SIZE),
    );
  });

  it('counts the costliest possible type of an interface or union', () => {
    const query = `{ search(query: "ai", first: 2) {
      ... on Event { talks { id } }
      ... on Speaker { id }
    } }`;
    expect(cost(query)).toBe(2 * (1 + UNPAGED_LIST_SIZE));
    const onInterface = `{ node(id: "x") { id ... on Event { talks { id } } ... on Talk { speakers { id } topics { id } } } }`;
    expect(cost(onInterface)).toBe(1 + 2 * UNPAGED_LIST_SIZE);
  });

  it('counts each alias, since each runs', () => {
    const one = cost('{ event(slug: "x") { talks { id } } }');
    expect(
      cost('{ a: event(slug: "x") { talks { id } } b: event(slug: "y") { talks { id } } }'),
    ).toBe(2 * one);
  });

  it('counts a fragment spread twice in one selection once, as execution does', () => {
    const query = `{ event(slug: "x") { ...T ...T } } fragment T on Event { talks { id } }`;
    expect(cost(query)).toBe(1 + UNPAGED_LIST_SIZE);
  });

  it('measures a fragment bomb in linear time', () => {
    // F0 is spread in F1 at two places, F1 in F2 at two… 2^40 paths, 40 fragments.
    const fragments = Array.from(
      { length: 40 },
      (_, i) =>
        `fragment F${i + 1} on Talk { event { talks { ...F${i} } } speakers { talks { ...F${i} } } }`,
    ).join('\n');
    const query = `{ talk(slug: "x") { ...F40 } } fragment F0 on Talk { id } ${fragments}`;
    const started = performance.now();
    const result = measure(query);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(result.cost).toBe(Number.MAX_SAFE_INTEGER);
    expect(result.depth).toBe(1 + 40 * 2 + 1);
  });

  it('survives fragment cycles (validation refuses them first)', () => {
    const query = `{ talk(slug: "x") { ...A } }
      fragment A on Talk { event { talks { ...B } } }
      fragment B on Talk { speakers { talks { ...A } } }`;
    expect(measure(query)).toMatchObject({ truncated: false });
  });
});

describe('root fields', () => {
  const names = (query: string, variables?: Record<string, unknown>) =>
    measure(query, variables).rootFields.map((field) => `${field.responseKey}:${field.name}`);

  it('lists each response key once, aliases included', () => {
    expect(
      names(`mutation {
        a: recordView(id: "1") { viewCount }
        b: recordView(id: "2") { viewCount }
        like(id: "1") { likeCount }
        like(id: "1") { viewCount }
      }`),
    ).toEqual(['a:recordView', 'b:recordView', 'like:like']);
  });

  it('follows fragments on the root type and honours @skip', () => {
    const query = `mutation ($skip: Boolean!) {
        ...Views
        ... on Mutation { c: unlike(id: "1") { likeCount } }
        d: recordView(id: "4") @skip(if: $skip) { viewCount }
      }
      fragment Views on Mutation { a: recordView(id: "1") { viewCount } ...Views2 }
      fragment Views2 on Mutation { b: recordView(id: "2") { viewCount } }`;
    expect(names(query, { skip: true })).toEqual(['a:recordView', 'b:recordView', 'c:unlike']);
    expect(names(query, { skip: false })).toHaveLength(4);
  });
});

describe("the app's own operations", () => {
  const operations = readdirSync(join(ROOT, 'schema', 'operations'))
    .filter((file) => file.endsWith('.graphql'))
    .map((file) => readFileSync(join(ROOT, 'schema', 'operations', file), 'utf8'))
    .join('\n');
  const document = parse(operations);
  const definitions = document.definitions.filter(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION,
  );

  it.each(definitions.map((definition) => [definition.name!.value, definition] as const))(
    '%s passes the default limits (depth 12, cost 10,000)',
    (_name, operation) => {
      const result = measureOperation(
        schema,
        document,
        operation,
        coerceVariables(schema, operation, {}),
      );
      expect(result.depth).toBeLessThanOrEqual(12);
      expect(result.cost).toBeLessThanOrEqual(10_000);
    },
  );

  it('passes the home page (NestedEvents) at its largest page, as batching.test runs it', () => {
    const operation = definitions.find((definition) => definition.name?.value === 'NestedEvents')!;
    const result = measureOperation(
      schema,
      document,
      operation,
      coerceVariables(schema, operation, { first: 100 }),
    );
    // 100 events × (edge + event + 5 talks × (talk + 5 speakers + 5 topics)), plus pageInfo.
    expect(result.cost).toBe(1 + 1 + 100 * (2 + UNPAGED_LIST_SIZE * (1 + 2 * UNPAGED_LIST_SIZE)));
    expect(result.cost).toBeLessThanOrEqual(10_000);
  });
});

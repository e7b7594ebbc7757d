import { connect } from 'node:net';
import { getIntrospectionQuery, print } from 'graphql';
import {
  CountersDocument,
  CreateTalkDocument,
  EventDetailDocument,
  SearchDocument,
  SpeakerLeaderboardDocument,
} from '../__generated__/graphql';
import { MAX_ALIASES, MAX_DIRECTIVES, MAX_TOKENS } from '../../src/lib/validation-rules';
import { UNPAGED_LIST_SIZE } from '../../src/lib/query-cost';
import { createTestServer, describeDb, type TestServer } from '../helpers/test-server';

interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  json: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
  };
}

async function post(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: JSON.parse(text) };
}

/** A refused request: the status, one error with the code, no stack; returns the error. */
function expectRefused(result: HttpResult, status: number, code: string) {
  expect(result.status).toBe(status);
  expect(result.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
  expect(result.json.data ?? undefined).toBeUndefined();
  expect(result.json.errors).toHaveLength(1);
  const [error] = result.json.errors!;
  expect(error!.extensions?.code).toBe(code);
  expect(result.text).not.toContain('stacktrace');
  return error!;
}

/** `{ talk { event { talks { event … } } } }`, `levels` fields deep and cheap (5^5 at 12). */
function nested(levels: number): string {
  let inner = 'id';
  for (let level = levels - 1; level > 1; level--) {
    inner = `${level % 2 === 0 ? 'event' : 'talks'} { ${inner} }`;
  }
  return `{ talk(slug: "no-such-talk") { ${inner} } }`;
}

/** topics × talks: 1 + topics × (1 + 1 + talks). */
const wide = (topics: number, talks: number) =>
  `{ topics(first: ${topics}) { nodes { talks(first: ${talks}) { nodes { id } } } } }`;

describeDb('query limits (defaults: depth 12, cost 10,000)', () => {
  let t: TestServer;
  let url: string;

  beforeAll(async () => {
    t = await createTestServer();
    url = await t.listen();
  });
  afterAll(() => t?.stop());

  const viewCountOf = async (id: string) => {
    const { data } = await t.exec(CountersDocument, { id });
    return (data!.node as { viewCount: number }).viewCount;
  };
  const firstTalkId = async () => {
    const { data } = await t.exec(EventDetailDocument, { slug: 'jue-li-ji-hua-21' });
    return data!.event!.talks[0]!.id;
  };

  describe('depth (MAX_DEPTH)', () => {
    it('answers a query at the limit', async () => {
      const result = await post(url, nested(12));
      expect(result.status).toBe(200);
      expect(result.json.errors).toBeUndefined();
    });

    it('refuses one level more with 400 QUERY_TOO_DEEP naming the depth and the limit', async () => {
      const error = expectRefused(await post(url, nested(13)), 400, 'QUERY_TOO_DEEP');
      expect(error.message).toBe('Query depth 13 exceeds the limit of 12');
      expect(error.extensions).toMatchObject({ depth: 13, limit: 12 });
    });

    it('counts fields inside fragments', async () => {
      const query = `{ event(slug: "jue-li-ji-hua-21") { ...A } }
        fragment A on Event { talks { ...B } }
        fragment B on Talk { speakers { talks { speakers { talks { speakers { talks { speakers { talks { speakers { talks { id } } } } } } } } } } }`;
      expectRefused(await post(url, query), 400, 'QUERY_TOO_DEEP');
    });

    it('is checked before cost: a query both too deep and too complex is QUERY_TOO_DEEP', async () => {
      const query = `{ topics(first: 100) { nodes { talks(first: 100) { nodes { speakers { talks { speakers { talks { speakers { talks { speakers { talks { id } } } } } } } } } } } } }`;
      expectRefused(await post(url, query), 400, 'QUERY_TOO_DEEP');
    });
  });

  describe('cost (MAX_COMPLEXITY)', () => {
    it('answers a query at the limit', async () => {
      // 1 + 100 × (1 + 1 + 98) = 10,001 is one over; 97 talks per topic is 9,901.
      const result = await post(url, wide(100, 97));
      expect(result.json.errors).toBeUndefined();
      expect(result.status).toBe(200);
    });

    it('refuses a costlier one with 400 QUERY_TOO_COMPLEX naming the cost and the limit', async () => {
      const error = expectRefused(await post(url, wide(100, 98)), 400, 'QUERY_TOO_COMPLEX');
      expect(error.message).toBe('Query cost 10001 exceeds the limit of 10000');
      expect(error.extensions).toMatchObject({ cost: 10_001, limit: 10_000 });
    });

    it('takes page sizes from variables', async () => {
      const query = `query ($n: Int, $m: Int) { topics(first: $n) { nodes { talks(first: $m) { nodes { id } } } } }`;
      expectRefused(await post(url, query, { n: 100, m: 100 }), 400, 'QUERY_TOO_COMPLEX');
      expect((await post(url, query, { n: 5, m: 5 })).status).toBe(200);
      // The same document again: its measure is never kept from an earlier request.
      expectRefused(await post(url, query, { n: 100, m: 100 }), 400, 'QUERY_TOO_COMPLEX');
    });

    it('takes skipped and included fields from variables', async () => {
      const query = `query ($wide: Boolean!, $id: ID!) {
        node(id: $id) { id }
        topics(first: 100) { nodes { talks(first: 100) @include(if: $wide) { nodes { id } } } }
      }`;
      expect((await post(url, query, { wide: false, id: 'x' })).status).toBe(200);
      expectRefused(await post(url, query, { wide: true, id: 'x' }), 400, 'QUERY_TOO_COMPLEX');
      expect((await post(url, query, { wide: false, id: 'y' })).status).toBe(200);
    });

    it('costs a connection without first as 20', async () => {
      // topics (20) × talks (20) × speakers (5) × talks (5) × speakers (5): far over.
      const query = `{ topics { nodes { talks { nodes { speakers { talks { speakers { id } } } } } } } }`;
      const error = expectRefused(await post(url, query), 400, 'QUERY_TOO_COMPLEX');
      const expected =
        1 +
        20 *
          (1 +
            1 +
            20 * (1 + UNPAGED_LIST_SIZE * (1 + UNPAGED_LIST_SIZE * (1 + UNPAGED_LIST_SIZE))));
      expect(error.extensions?.cost).toBe(expected);
    });

    it('runs nothing of a refused mutation: no view is counted', async () => {
      const id = await firstTalkId();
      const before = await viewCountOf(id);
      // 50 views, each asking for far more than it may.
      const heavy = `subject { ... on Talk { speakers { talks { speakers { talks { speakers { id } } } } } } }`;
      const query = `mutation { ${Array.from(
        { length: 25 },
        (_, i) => `v${i}: recordView(id: "${id}") { ${heavy} }`,
      ).join(' ')} }`;
      expectRefused(await post(url, query), 400, 'QUERY_TOO_COMPLEX');
      expect(await viewCountOf(id)).toBe(before);
    });
  });

  describe('per-document limits', () => {
    it(`refuses more than ${MAX_ALIASES} aliases as GRAPHQL_VALIDATION_FAILED`, async () => {
      const aliases = (n: number) =>
        `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }`;
      expect((await post(url, aliases(MAX_ALIASES))).status).toBe(200);
      const error = expectRefused(
        await post(url, aliases(MAX_ALIASES + 1)),
        400,
        'GRAPHQL_VALIDATION_FAILED',
      );
      expect(error.message).toBe(
        `The document has ${MAX_ALIASES + 1} aliases; the limit is ${MAX_ALIASES}`,
      );
    });

    it(`refuses more than ${MAX_DIRECTIVES} directives as GRAPHQL_VALIDATION_FAILED`, async () => {
      const query = `{ ${'__typename @include(if: true) '.repeat(MAX_DIRECTIVES + 1)} }`;
      const result = await post(url, query);
      expect(result.status).toBe(400);
      const messages = result.json.errors!.map((error) => error.message);
      expect(messages).toContain(
        `The document has ${MAX_DIRECTIVES + 1} directives; the limit is ${MAX_DIRECTIVES}`,
      );
      expect(new Set(result.json.errors!.map((e) => e.extensions?.code))).toEqual(
        new Set(['GRAPHQL_VALIDATION_FAILED']),
      );
    });

    it(`stops parsing after ${MAX_TOKENS} tokens with GRAPHQL_PARSE_FAILED`, async () => {
      const query = `{ ${'__typename '.repeat(MAX_TOKENS)}}`;
      const error = expectRefused(await post(url, query), 400, 'GRAPHQL_PARSE_FAILED');
      expect(error.message).toMatch(new RegExp(`more tha[nt] ${MAX_TOKENS} tokens`));
    });
  });

  describe('introspection (on by default outside production)', () => {
    it('answers the standard introspection query within the default limits', async () => {
      const result = await post(url, getIntrospectionQuery());
      expect(result.status).toBe(200);
      expect(result.json.errors).toBeUndefined();
      expect(result.json.data).toHaveProperty('__schema.queryType.name', 'Query');
    });

    it('refuses an introspection bomb as GRAPHQL_VALIDATION_FAILED', async () => {
      const query = `{ __schema { types { fields { type { fields { type { fields { type { name } } } } } } } } }`;
      const error = expectRefused(await post(url, query), 400, 'GRAPHQL_VALIDATION_FAILED');
      expect(error.message).toMatch(/introspection depth/i);
    });
  });

  describe('list arguments are capped at 100', () => {
    it.each([
      ['search(first)', print(SearchDocument), { query: 'AI', first: 101 }, 'first'],
      ['speakerLeaderboard(first)', print(SpeakerLeaderboardDocument), { first: 101 }, 'first'],
    ])('%s: 101 is BAD_USER_INPUT naming the argument', async (_label, query, variables, field) => {
      const result = await post(url, query, variables);
      expect(result.json.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    });

    it('createTalk(speakerIds): 101 ids are BAD_USER_INPUT, nothing written', async () => {
      const token = await t.token('admin', 'admin');
      const { data } = await t.exec(EventDetailDocument, { slug: 'jue-li-ji-hua-21' });
      const speakerId = data!.event!.speakers[0]!.id;
      const result = await post(
        url,
        print(CreateTalkDocument),
        {
          input: {
            eventId: data!.event!.id,
            title: 'Too many speakers',
            speakerIds: Array.from({ length: 101 }, () => speakerId),
          },
        },
        { authorization: `Bearer ${token}` },
      );
      expect(result.json.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.speakerIds',
      });
      const after = await t.exec(EventDetailDocument, { slug: 'jue-li-ji-hua-21' });
      expect(after.data!.event!.talks).toHaveLength(data!.event!.talks.length);
    });
  });
});

describeDb('configured limits', () => {
  let t: TestServer;
  let url: string;

  beforeAll(async () => {
    t = await createTestServer({
      env: {
        MAX_DEPTH: '3',
        MAX_COMPLEXITY: '50',
        INTROSPECTION: 'false',
        REQUEST_TIMEOUT_MS: '300',
      },
    });
    url = await t.listen();
  });
  afterAll(() => t?.stop());

  it('MAX_DEPTH and MAX_COMPLEXITY replace the defaults', async () => {
    expect((await post(url, nested(3))).status).toBe(200);
    expect(expectRefused(await post(url, nested(4)), 400, 'QUERY_TOO_DEEP').message).toBe(
      'Query depth 4 exceeds the limit of 3',
    );
    expect((await post(url, '{ events(first: 49) { nodes { id } } }')).status).toBe(200);
    expectRefused(
      await post(url, '{ events(first: 50) { nodes { id } } }'),
      400,
      'QUERY_TOO_COMPLEX',
    );
  });

  it('INTROSPECTION=false refuses __schema and __type, not __typename', async () => {
    for (const query of [
      '{ __schema { queryType { name } } }',
      '{ __type(name: "Event") { name } }',
    ]) {
      const error = expectRefused(await post(url, query), 400, 'GRAPHQL_VALIDATION_FAILED');
      expect(error.message).toMatch(/introspection/i);
    }
    expect((await post(url, '{ __typename }')).json).toEqual({ data: { __typename: 'Query' } });
  });

  it('answers 503 INTERNAL_SERVER_ERROR "Request timed out" past REQUEST_TIMEOUT_MS, then serves on', async () => {
    const search = t.server.repos.search;
    const original = search.search.bind(search);
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    search.search = async (...args) => {
      await stalled;
      return original(...args);
    };
    try {
      const result = await post(url, print(SearchDocument), { query: 'AI', first: 1 });
      expect(result.status).toBe(503);
      expect(result.json).toEqual({
        errors: [{ message: 'Request timed out', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
      });
    } finally {
      release();
      search.search = original;
    }
    const after = await post(url, print(SearchDocument), { query: 'AI', first: 1 });
    expect(after.status).toBe(200);
    expect(after.json.errors).toBeUndefined();
  });

  it('closes the connection of a client that does not finish its request (408)', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const { port } = new URL(url);
      const socket = connect(Number(port), '127.0.0.1');
      let received = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (received += chunk));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
      // Headers promise 100 bytes of body; two arrive, then nothing.
      socket.write(
        'POST /graphql HTTP/1.1\r\nHost: localhost\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"',
      );
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    const after = await post(url, '{ __typename }');
    expect(after.json).toEqual({ data: { __typename: 'Query' } });
  });
});

import { print } from 'graphql';
import {
  CreateTalkDocument,
  EventDetailDocument,
  EventPageDocument,
  NestedEventsDocument,
  RecordViewDocument,
  SearchDocument,
  SpeakerLeaderboardDocument,
  TopicsWithTalksDocument,
} from '../__generated__/graphql';
import { toGlobalId } from '../../src/lib/global-id';
import { createTestServer, describeDb, type TestServer } from '../helpers/test-server';

/**
 * A few hundred malformed requests, generated from a fixed seed, sent over real HTTP.
 * Every answer must be a clean client error: JSON, HTTP status below 500, only the codes
 * API.md lists (never INTERNAL_SERVER_ERROR: bad input is not our failure), no stack,
 * SQL or driver wording. Between batches, and at the end, a real query must still work.
 */

/** API.md's codes, less INTERNAL_SERVER_ERROR. */
const CLIENT_CODES = new Set([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COMPLEX',
  'RATE_LIMITED',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

interface Case {
  label: string;
  method?: 'GET' | 'POST';
  /** Appended to /graphql (GET). */
  search?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/** mulberry32: small, fast and the same on every machine. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  return { next, int, pick: <T>(items: readonly T[]): T => items[int(items.length)]! };
}

const TALK = toGlobalId('Talk', 1);
const EVENT = toGlobalId('Event', 1);
const JSON_HEADERS = { 'content-type': 'application/json' };
const json = (payload: unknown): Case['body'] => JSON.stringify(payload);

const DOCUMENTS = [
  EventDetailDocument,
  EventPageDocument,
  NestedEventsDocument,
  RecordViewDocument,
  SearchDocument,
  SpeakerLeaderboardDocument,
  TopicsWithTalksDocument,
  CreateTalkDocument,
].map((document) => print(document));

const TOKENS = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ':',
  '$',
  '@',
  '...',
  '!',
  '=',
  '|',
  '&',
  ',',
  '#',
  'query',
  'mutation',
  'subscription',
  'fragment',
  'on',
  'true',
  'null',
  'schema',
  'events',
  'event',
  'talks',
  'nodes',
  'node',
  'id',
  'first',
  'recordView',
  'search',
  '__typename',
  '__schema',
  '__type',
  'Event',
  'Int',
  'String',
  'ID',
  'include',
  'skip',
  '"',
  '"""',
  '"abc"',
  '"\\u0000"',
  '"\\ud800"',
  '"\\x"',
  '0',
  '-1',
  '1.5e999',
  '99999999999999999999',
  '0x10',
  '\u0000',
  '\u00a0',
  '😀',
  '掘力计划',
  '\\',
  '\ufeff',
];

/** Values that are wrong for some variable or other, by type, size or encoding. */
const WEIRD_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  2 ** 31,
  -(2 ** 31) - 1,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER,
  '',
  ' ',
  'x',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff\ud800',
  '😀'.repeat(1000),
  '掘'.repeat(50_000),
  'x'.repeat(200_000),
  '9'.repeat(400),
  '2024-13-45T99:99:99Z',
  '0000-00-00',
  // Valid RFC 3339, but year 0 (1 BC) has no PostgreSQL spelling.
  '0000-12-31T00:00:00Z',
  '0001-01-01T00:00:00+01:00',
  'NaN',
  'Infinity',
  '<script>',
  "'; DROP TABLE events; --",
  '%_%',
  '\\',
  TALK,
  EVENT,
  `${TALK}\u0000`,
  [],
  [null],
  [[[]]],
  Array(1000).fill('x'),
  {},
  { field: 'TITLE' },
  { field: 'NOPE', direction: 'ASC' },
  { search: '\u0000' },
  { city: 'x'.repeat(200_000) },
  { __proto__: { polluted: true } },
  { constructor: { prototype: { polluted: true } } },
];

const VARIABLE_NAMES = [
  'id',
  'slug',
  'first',
  'after',
  'last',
  'before',
  'filter',
  'orderBy',
  'query',
  'metric',
  'since',
  'topic',
  'input',
  'talksFirst',
  'speakersFirst',
  'nope',
  '__proto__',
  '',
];

/** Random edits of a valid document: it may stay valid, mostly it does not. */
function mutate(random: ReturnType<typeof prng>, text: string): string {
  let result = text;
  for (let edits = 1 + random.int(3); edits > 0; edits--) {
    const at = random.int(result.length + 1);
    const span = 1 + random.int(20);
    switch (random.int(5)) {
      case 0:
        result = result.slice(0, at) + result.slice(at + span);
        break;
      case 1:
        result = result.slice(0, at) + random.pick(TOKENS) + result.slice(at);
        break;
      case 2:
        result =
          result.slice(0, at) +
          result.slice(at, at + span).repeat(2 + random.int(5)) +
          result.slice(at);
        break;
      case 3:
        result = result.slice(0, at);
        break;
      default:
        result =
          result.slice(0, at) + String.fromCharCode(random.int(0x3000)) + result.slice(at + 1);
    }
  }
  return result;
}

function generatedCases(seed: number): Case[] {
  const random = prng(seed);
  const cases: Case[] = [];
  for (let i = 0; i < 120; i++) {
    const query = Array.from({ length: 1 + random.int(60) }, () => random.pick(TOKENS)).join(
      random.pick([' ', '', '\n', ',']),
    );
    cases.push({
      label: `token soup #${i}: ${JSON.stringify(query).slice(0, 120)}`,
      body: json({ query }),
    });
  }
  for (let i = 0; i < 100; i++) {
    const query = mutate(random, random.pick(DOCUMENTS));
    cases.push({
      label: `mutated document #${i}`,
      body: json({ query, variables: { id: TALK, slug: 'jue-li-ji-hua-21' } }),
    });
  }
  for (let i = 0; i < 80; i++) {
    const variables: Record<string, unknown> = {};
    for (let n = 1 + random.int(3); n > 0; n--)
      variables[random.pick(VARIABLE_NAMES)] = random.pick(WEIRD_VALUES);
    cases.push({
      label: `wrong variables #${i}: ${JSON.stringify(variables).slice(0, 120)}`,
      body: json({ query: random.pick(DOCUMENTS), variables }),
    });
  }
  for (let i = 0; i < 30; i++) {
    const body = json({ query: random.pick(DOCUMENTS), variables: { id: TALK } }) as string;
    cases.push({
      label: `truncated JSON #${i}`,
      body: body.slice(0, 1 + random.int(body.length - 1)),
    });
  }
  for (let i = 0; i < 20; i++) {
    const bytes = Buffer.from(
      json({ query: '{ event(slug: "jue") { id } }', variables: { slug: 'x' } }) as string,
    );
    const garbage = Buffer.from(
      Array.from({ length: 1 + random.int(8) }, () => 0x80 + random.int(0x80)),
    );
    const at = random.int(bytes.length);
    cases.push({
      label: `invalid UTF-8 #${i} at byte ${at}`,
      body: Buffer.concat([bytes.subarray(0, at), garbage, bytes.subarray(at)]),
    });
  }
  return cases;
}

/** Hand-written nasties: sizes, nesting, bombs and odd shapes of the request itself. */
function fixedCases(): Case[] {
  const aliases = (n: number, field = '__typename') =>
    `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
  const fragmentBomb = `{ talk(slug: "x") { ...F30 } } fragment F0 on Talk { id } ${Array.from(
    { length: 30 },
    (_, i) =>
      `fragment F${i + 1} on Talk { event { talks { ...F${i} } } speakers { talks { ...F${i} } } }`,
  ).join(' ')}`;
  return [
    {
      label: '200 KB string literal',
      body: json({ query: `{ event(slug: "${'a'.repeat(200_000)}") { id } }` }),
    },
    {
      label: '200 KB search',
      body: json({ query: print(SearchDocument), variables: { query: '掘'.repeat(70_000) } }),
    },
    { label: '200 KB comment', body: json({ query: `{ __typename } #${'c'.repeat(200_000)}` }) },
    {
      label: '5,000-deep selection',
      body: json({ query: `{${'events {'.repeat(5000)} id ${'}'.repeat(5001)}` }),
    },
    {
      label: '5,000-deep list literal',
      body: json({ query: `{ nodes(ids: ${'['.repeat(5000)}"x"${']'.repeat(5000)}) { id } }` }),
    },
    {
      label: '5,000-deep object literal',
      body: json({
        query: `{ events(filter: ${'{ search: '.repeat(5000)}"x"${' }'.repeat(5000)}) { totalCount } }`,
      }),
    },
    {
      label: '5,000-deep inline fragments',
      body: json({ query: `{${'... on Query {'.repeat(5000)} __typename ${'}'.repeat(5001)}` }),
    },
    {
      label: '10,000-deep JSON variable',
      body: `{"query":${JSON.stringify(print(RecordViewDocument))},"variables":{"id":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`,
    },
    { label: '10,000-deep JSON body', body: `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}` },
    { label: 'alias bomb (1,500 aliases)', body: json({ query: aliases(1500) }) },
    {
      label: 'alias bomb on a list',
      body: json({ query: aliases(200, 'events(first: 100) { nodes { id } }') }),
    },
    {
      label: 'field duplication bomb',
      body: json({ query: `{ events { ${'nodes { id } '.repeat(1200)}} }` }),
    },
    { label: 'fragment bomb', body: json({ query: fragmentBomb }) },
    {
      label: 'fragment cycle',
      body: json({
        query:
          '{ talk(slug: "x") { ...A } } fragment A on Talk { event { talks { ...B } } } fragment B on Talk { ...A }',
      }),
    },
    {
      label: 'self-spreading fragment',
      body: json({ query: '{ ...Q } fragment Q on Query { ...Q }' }),
    },
    {
      label: 'directive spam',
      body: json({ query: `{ __typename ${'@include(if: true) '.repeat(500)}}` }),
    },
    {
      label: 'unknown directive spam',
      body: json({ query: `{ __typename ${'@x '.repeat(1000)}}` }),
    },
    {
      label: 'huge integer literal',
      body: json({ query: '{ events(first: 99999999999999999999999) { totalCount } }' }),
    },
    {
      label: 'huge integer variable',
      body: json({ query: print(EventPageDocument), variables: { first: 1e300 } }),
    },
    {
      label: 'negative zero and fractions',
      body: json({ query: print(EventPageDocument), variables: { first: 0.5 } }),
    },
    { label: 'raw NUL in the document', body: json({ query: '{ __typename \u0000 }' }) },
    {
      label: 'escaped NUL in a literal',
      body: json({ query: '{ event(slug: "a\\u0000") { id } }' }),
    },
    {
      label: 'NUL in a String variable',
      body: json({ query: print(EventDetailDocument), variables: { slug: 'a\u0000' } }),
    },
    {
      label: 'NUL in a nested String input',
      body: json({ query: print(EventPageDocument), variables: { filter: { city: '\u0000' } } }),
    },
    {
      label: 'NUL in search',
      body: json({ query: print(SearchDocument), variables: { query: 'AI\u0000' } }),
    },
    {
      label: 'NUL in an id',
      body: json({ query: print(RecordViewDocument), variables: { id: `${TALK}\u0000` } }),
    },
    {
      label: 'lone surrogates',
      body: json({ query: print(EventDetailDocument), variables: { slug: '\ud800\udbff' } }),
    },
    {
      label: 'introspection bomb',
      body: json({
        query: '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }',
      }),
    },
    {
      label: 'two operations, no name',
      body: json({ query: 'query A { __typename } query B { __typename }' }),
    },
    {
      label: 'operationName not in the document',
      body: json({ query: '{ __typename }', operationName: 'Nope' }),
    },
    {
      label: 'subscription over HTTP',
      body: json({ query: `subscription { counterUpdated(ids: ["${TALK}"]) { viewCount } }` }),
    },
    {
      label: 'a mutation over GET',
      method: 'GET',
      search: `?query=${encodeURIComponent(`mutation { recordView(id: "${TALK}") { viewCount } }`)}`,
      headers: { 'apollo-require-preflight': 'true' },
    },
    {
      label: 'GET with broken percent-encoding',
      method: 'GET',
      search: '?query=%FF%FE%7B',
      headers: { 'apollo-require-preflight': 'true' },
    },
    {
      label: 'GET with unparseable variables',
      method: 'GET',
      search: '?query=%7B__typename%7D&variables=%7Bnope',
      headers: { 'apollo-require-preflight': 'true' },
    },
    {
      label: 'GET without a query',
      method: 'GET',
      search: '?variables=%7B%7D',
      headers: { 'apollo-require-preflight': 'true' },
    },
    { label: 'JSON number', body: '42' },
    { label: 'JSON array of junk', body: '[1, "two", null]' },
    { label: 'JSON true', body: 'true' },
    { label: 'query is a number', body: json({ query: 42 }) },
    { label: 'query is an object', body: json({ query: { kind: 'Document' } }) },
    { label: 'query is empty', body: json({ query: '' }) },
    { label: 'variables is a string', body: json({ query: '{ __typename }', variables: 'id=1' }) },
    { label: 'variables is an array', body: json({ query: '{ __typename }', variables: [1, 2] }) },
    {
      label: 'operationName is an object',
      body: json({ query: '{ __typename }', operationName: { a: 1 } }),
    },
    { label: 'extensions is junk', body: json({ query: '{ __typename }', extensions: 'junk' }) },
    {
      label: 'persisted query of junk',
      body: json({ extensions: { persistedQuery: { version: 1, sha256Hash: 'nope' } } }),
    },
    { label: 'BOM before the JSON', body: `\ufeff${json({ query: '{ __typename }' }) as string}` },
    {
      label: 'text/plain (CSRF)',
      headers: { 'content-type': 'text/plain' },
      body: json({ query: '{ __typename }' }),
    },
    {
      label: 'form-encoded',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=%7B__typename%7D',
    },
    {
      label: 'application/graphql',
      headers: { 'content-type': 'application/graphql' },
      body: '{ __typename }',
    },
    {
      label: 'JSON claiming latin1',
      headers: { 'content-type': 'application/json; charset=latin1' },
      body: json({ query: '{ __typename }' }),
    },
    {
      label: 'a bad bearer token',
      headers: { ...JSON_HEADERS, authorization: 'Bearer not.a.jwt' },
      body: json({ query: '{ __typename }' }),
    },
    {
      label: 'a non-bearer authorization',
      headers: { ...JSON_HEADERS, authorization: `Basic ${'A'.repeat(5000)}` },
      body: json({ query: '{ __typename }' }),
    },
    {
      label: 'admin mutation without a token',
      body: json({
        query: print(CreateTalkDocument),
        variables: { input: { eventId: EVENT, title: 'x', speakerIds: [] } },
      }),
    },
    {
      label: 'unknown mutation id',
      body: json({ query: print(RecordViewDocument), variables: { id: 'nope' } }),
    },
  ];
}

describeDb('bad input: a few hundred malformed requests, each a clean error', () => {
  let t: TestServer;
  let url: string;

  beforeAll(async () => {
    t = await createTestServer();
    url = await t.listen();
  });
  afterAll(() => t?.stop());

  /** What is wrong with the answer to `request`; empty when it is clean. */
  async function problemsWith(request: Case): Promise<string[]> {
    const response = await fetch(`${url}/graphql${request.search ?? ''}`, {
      method: request.method ?? 'POST',
      headers: request.headers ?? JSON_HEADERS,
      body: request.method === 'GET' ? undefined : request.body,
    });
    const text = await response.text();
    const problems: string[] = [];
    if (response.status >= 500) problems.push(`status ${response.status}`);
    if (!/^application\/(graphql-response\+)?json/.test(response.headers.get('content-type') ?? ''))
      problems.push(`content-type ${response.headers.get('content-type')}`);
    let body: { data?: unknown; errors?: { extensions?: { code?: unknown } }[] } | undefined;
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      problems.push('body is not JSON');
    }
    if (body && body.errors === undefined && body.data === undefined)
      problems.push('neither data nor errors');
    if (body && response.status !== 200 && !body.errors?.length)
      problems.push('refused without an error');
    for (const error of body?.errors ?? []) {
      const code = error.extensions?.code;
      if (typeof code !== 'string' || !CLIENT_CODES.has(code))
        problems.push(`code ${String(code)}`);
    }
    if (/stacktrace|\s+at .+:\d+:\d+|node_modules/.test(text)) problems.push('stack trace');
    if (
      /\b(SELECT|INSERT|UPDATE|DELETE) .*\b(FROM|INTO|SET)\b|SQLITE_|QueryFailedError|syntax error at or near/.test(
        text,
      )
    )
      problems.push('SQL or driver wording');
    return problems.map((problem) => `${request.label}: ${problem} — ${text.slice(0, 200)}`);
  }

  async function expectStillServing(): Promise<void> {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({
        query: print(EventDetailDocument),
        variables: { slug: 'jue-li-ji-hua-21' },
      }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ data: { event: { slug: 'jue-li-ji-hua-21' } } });
  }

  async function run(cases: Case[]): Promise<void> {
    const problems: string[] = [];
    for (const [i, request] of cases.entries()) {
      problems.push(...(await problemsWith(request)));
      if (i % 50 === 49) await expectStillServing();
    }
    expect(problems).toEqual([]);
    await expectStillServing();
  }

  it('answers 350 generated malformed requests (seed 20240812) cleanly', async () => {
    const cases = generatedCases(20240812);
    expect(cases.length).toBe(350);
    await run(cases);
  });

  it('answers the hand-written nasties cleanly', async () => {
    await run(fixedCases());
  });

  // Known issue, outside this suite's files: Apollo raises these two without a code (HTTP
  // 400), and formatError masks a codeless error as INTERNAL_SERVER_ERROR. The fix belongs
  // in src/format-error.ts (a GraphQLError whose extensions.http.status is 4xx is a request
  // error: BAD_REQUEST). When it lands this test fails: make it a plain `it`.
  it('answers malformed persisted-query extensions with a client code', async () => {
    await run([
      {
        label: 'persisted query version 2',
        body: json({
          query: '{ __typename }',
          extensions: { persistedQuery: { version: 2, sha256Hash: 'x' } },
        }),
      },
      {
        label: 'persisted query hash that does not match the query',
        body: json({
          query: '{ __typename }',
          extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } },
        }),
      },
    ]);
  });

  it('answers a burst of them in parallel, and serves on', async () => {
    const cases = [...generatedCases(7).slice(0, 60), ...fixedCases().slice(0, 20)];
    const problems = (await Promise.all(cases.map(problemsWith))).flat();
    expect(problems).toEqual([]);
    await expectStillServing();
  });
});

import { print, type GraphQLFormattedError } from 'graphql';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  CountersDocument,
  type CounterUpdatedSubscription,
  CounterUpdatedDocument,
  LikeDocument,
  RecordViewDocument,
} from '../__generated__/graphql';
import { RedisCounterEvents } from '../../src/counters/redis-counter-events';
import { toGlobalId } from '../../src/lib/global-id';
import {
  deleteKeys,
  describeRedis,
  PrivateRedis,
  requireRedis,
  SHARED_REDIS_URL,
  uniquePrefix,
} from '../helpers/redis-server';
import { createTestServer, describeDb, type TestServer } from '../helpers/test-server';

type Push = CounterUpdatedSubscription['counterUpdated'];

const TALK_1 = toGlobalId('Talk', 1);
const TALK_2 = toGlobalId('Talk', 2);
const EVENT_1 = toGlobalId('Event', 1);

/** Longer than one throttle interval (250 ms) plus a read: time enough for a trailing push. */
const SETTLE_MS = 600;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(what: string, condition: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(10);
  }
}

/** A graphql-ws client that gives up at the first close, so refusals surface at once. */
function connect(baseUrl: string, token?: string, authorization?: string): Client {
  return createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams:
      authorization !== undefined
        ? { authorization }
        : token
          ? { authorization: `Bearer ${token}` }
          : undefined,
  });
}

interface Watch {
  pushes: Push[];
  /** What the `error` message (or a refused socket) carried, if anything. */
  error: unknown;
  completed: boolean;
  /** The pushes for one id. */
  of(id: string): Push[];
  unsubscribe(): void;
}

/** A counterUpdated subscription whose Talk subject selects `inner`, closing `open` braces. */
function nestedSubscription(inner: string, open: number): string {
  return `subscription { counterUpdated(ids: ["${TALK_1}"]) { subject { ... on Talk { ${inner} ${'}'.repeat(open)} } } } }`;
}

function watch(client: Client, ids: string[], query = print(CounterUpdatedDocument)): Watch {
  const w: Watch = {
    pushes: [],
    error: undefined,
    completed: false,
    of: (id) => w.pushes.filter((push) => push.subject.id === id),
    unsubscribe: () => undefined,
  };
  w.unsubscribe = client.subscribe<CounterUpdatedSubscription>(
    { query, variables: { ids } },
    {
      next: (result) => {
        if (result.errors) w.error = result.errors;
        else w.pushes.push(result.data!.counterUpdated);
      },
      error: (error) => (w.error = error),
      complete: () => (w.completed = true),
    },
  );
  return w;
}

/** Subscribes and waits until the server holds `listeners` change listeners. */
async function watching(t: TestServer, client: Client, ids: string[], listeners = 1) {
  const w = watch(client, ids);
  await waitUntil(`${listeners} listener(s) are subscribed`, () => {
    if (w.error) throw new Error(`subscription refused: ${JSON.stringify(w.error)}`);
    return t.server.counterEvents.listenerCount >= listeners;
  });
  return w;
}

async function readCounts(t: TestServer, id: string, token?: string) {
  const { data, errors } = await t.exec(CountersDocument, { id }, { token });
  expect(errors).toBeUndefined();
  return data!.node as { viewCount: number; likeCount: number; viewerHasLiked: boolean };
}

async function view(t: TestServer, id: string) {
  const { errors } = await t.exec(RecordViewDocument, { id });
  expect(errors).toBeUndefined();
}

describeDb('counterUpdated over graphql-ws', () => {
  let t: TestServer;
  let baseUrl: string;
  let alice: string;
  let bob: string;
  const clients: Client[] = [];
  const client = (token?: string, authorization?: string) => {
    const c = connect(baseUrl, token, authorization);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    // No dedup: every view counts, so each one is a change to push.
    t = await createTestServer({ env: { VIEW_DEDUP_SECONDS: '0' } });
    baseUrl = await t.listen();
    [alice, bob] = await Promise.all([t.token('alice'), t.token('bob')]);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await waitUntil('every listener is gone', () => t.server.counterEvents.listenerCount === 0);
  });
  afterAll(() => t?.stop());

  it('pushes the counters of a subscribed talk after a view, as a fresh read shows them', async () => {
    const w = await watching(t, client(), [TALK_1]);
    await view(t, TALK_1);
    await waitUntil('a push arrives', () => w.pushes.length === 1);
    const fresh = await readCounts(t, TALK_1);
    expect(w.pushes[0]).toEqual({
      viewCount: fresh.viewCount,
      likeCount: fresh.likeCount,
      viewerHasLiked: false,
      subject: { __typename: 'Talk', id: TALK_1, ...fresh, viewerHasLiked: false },
    });
    expect(w.error).toBeUndefined();
  });

  it('pushes an event’s counters too, and nothing for ids it was not asked for', async () => {
    const w = await watching(t, client(), [EVENT_1]);
    await view(t, TALK_2);
    await view(t, EVENT_1);
    await waitUntil('a push arrives', () => w.pushes.length === 1);
    await sleep(SETTLE_MS);
    expect(w.pushes.map((push) => push.subject.id)).toEqual([EVENT_1]);
    expect(w.pushes[0]!.viewCount).toBe((await readCounts(t, EVENT_1)).viewCount);
  });

  it('shows viewerHasLiked for each subscriber’s own token', async () => {
    const talk = toGlobalId('Talk', 3);
    const asAlice = await watching(t, client(alice), [talk], 1);
    const asBob = await watching(t, client(bob), [talk], 2);
    const anonymous = await watching(t, client(), [talk], 3);
    const { errors } = await t.exec(LikeDocument, { id: talk }, { token: bob });
    expect(errors).toBeUndefined();
    const all = [asAlice, asBob, anonymous];
    await waitUntil('everyone has a push', () => all.every((w) => w.pushes.length === 1));
    const likes = (await readCounts(t, talk)).likeCount;
    expect(all.map((w) => [w.pushes[0]!.likeCount, w.pushes[0]!.viewerHasLiked])).toEqual([
      [likes, false],
      [likes, true],
      [likes, false],
    ]);
    expect(asBob.pushes[0]!.subject.viewerHasLiked).toBe(true);
  });

  it.each([
    ['the bare token', (token: string) => ({ authorization: token })],
    ['an Authorization key', (token: string) => ({ Authorization: `Bearer ${token}` })],
  ])('knows the viewer from %s', async (_label, params) => {
    const talk = toGlobalId('Talk', 4);
    const asBob = createClient({
      url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: params(bob),
    });
    clients.push(asBob);
    const w = await watching(t, asBob, [talk]);
    const { errors } = await t.exec(LikeDocument, { id: talk }, { token: bob });
    expect(errors).toBeUndefined();
    await waitUntil('the like is pushed', () => w.pushes.length > 0);
    expect(w.pushes.at(-1)!.viewerHasLiked).toBe(true);
  });

  it('pushes 20 rapid views at most twice, the last push carrying the final count', async () => {
    const w = await watching(t, client(), [TALK_1]);
    const started = Date.now();
    await Promise.all(Array.from({ length: 20 }, () => view(t, TALK_1)));
    const elapsed = Date.now() - started;
    const final = (await readCounts(t, TALK_1)).viewCount;
    await waitUntil('the final count arrives', () => w.pushes.at(-1)?.viewCount === final);
    await sleep(SETTLE_MS);
    // One leading push, one per interval the burst outlasted, and one trailing push: two
    // when the 20 views took under 250 ms, as they normally do.
    expect(w.pushes.length).toBeLessThanOrEqual(2 + Math.floor(elapsed / 250));
    expect(w.pushes.at(-1)!.viewCount).toBe(final);
    const counts = w.pushes.map((push) => push.viewCount);
    expect([...counts].sort((a, b) => a - b)).toEqual(counts);
  });

  it('throttles each subscribed id on its own', async () => {
    const w = await watching(t, client(), [TALK_1, TALK_2]);
    const started = Date.now();
    await Promise.all(Array.from({ length: 10 }, () => [view(t, TALK_1), view(t, TALK_2)]).flat());
    const elapsed = Date.now() - started;
    const [final1, final2] = [
      (await readCounts(t, TALK_1)).viewCount,
      (await readCounts(t, TALK_2)).viewCount,
    ];
    await waitUntil(
      'both final counts arrive',
      () => w.of(TALK_1).at(-1)?.viewCount === final1 && w.of(TALK_2).at(-1)?.viewCount === final2,
    );
    await sleep(SETTLE_MS);
    for (const id of [TALK_1, TALK_2]) {
      expect(w.of(id).length).toBeLessThanOrEqual(2 + Math.floor(elapsed / 250));
    }
    expect(w.of(TALK_1).at(-1)!.viewCount).toBe(final1);
    expect(w.of(TALK_2).at(-1)!.viewCount).toBe(final2);
  });

  it.each([
    ['an invalid token', 'Bearer not-a-jwt'],
    [
      'a token signed with another secret',
      'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
    ],
    ['a header without Bearer', 'Token abc'],
  ])(
    'refuses a connection with %s: 4403, reason UNAUTHENTICATED',
    async (_label, authorization) => {
      const w = watch(client(undefined, authorization), [TALK_1]);
      await waitUntil('the connection is refused', () => w.error !== undefined);
      expect(w.error).toMatchObject({
        code: 4403,
        reason: expect.stringMatching(/^UNAUTHENTICATED: /),
      });
      expect(w.pushes).toEqual([]);
      expect(t.server.counterEvents.listenerCount).toBe(0);
    },
  );

  it.each([
    ['no ids', [], 'ids'],
    ['101 ids', Array.from({ length: 101 }, () => TALK_1), 'ids'],
    ['a malformed id', [TALK_1, 'not-an-id'], 'ids[1]'],
    ['a speaker id', [toGlobalId('Speaker', 1)], 'ids[0]'],
    ['an unknown talk', [TALK_1, EVENT_1, toGlobalId('Talk', 99_999)], 'ids[2]'],
    ['an unknown event', [toGlobalId('Event', 99_999)], 'ids[0]'],
  ])('refuses %s with a BAD_USER_INPUT error message', async (_label, ids, field) => {
    const w = watch(client(), ids);
    await waitUntil('the subscription is refused', () => w.error !== undefined);
    const errors = w.error as GraphQLFormattedError[];
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      path: ['counterUpdated'],
      extensions: { code: 'BAD_USER_INPUT', field },
    });
    expect(w.pushes).toEqual([]);
    expect(w.completed).toBe(false);
    expect(t.server.counterEvents.listenerCount).toBe(0);
  });

  it('answers request errors with the codes HTTP clients see, keeping the socket open', async () => {
    const c = client();
    const cases: [string, Record<string, unknown>, string][] = [
      ['subscription {', {}, 'GRAPHQL_PARSE_FAILED'],
      ['subscription { counterUpdated(ids: []) { nope } }', {}, 'GRAPHQL_VALIDATION_FAILED'],
      [print(CounterUpdatedDocument), { ids: 'x'.repeat(3) }, 'BAD_USER_INPUT'],
      [print(CounterUpdatedDocument), {}, 'BAD_USER_INPUT'],
      ['query { node(id: "x") { id } }', {}, 'BAD_REQUEST'],
      ['mutation { recordView(id: "x") { viewCount } }', {}, 'BAD_REQUEST'],
      // Every push re-runs the selection, so the HTTP limits hold here too.
      [nestedSubscription('event { talks { '.repeat(5) + 'event { id', 11), {}, 'QUERY_TOO_DEEP'],
      [
        nestedSubscription('speakers { talks { '.repeat(3) + 'speakers { id', 7),
        {},
        'QUERY_TOO_COMPLEX',
      ],
    ];
    const open = await watching(t, c, [TALK_1]);
    for (const [query, variables, code] of cases) {
      const refused: { error?: unknown } = {};
      c.subscribe(
        { query, variables },
        {
          next: () => undefined,
          error: (error) => (refused.error = error),
          complete: () => undefined,
        },
      );
      await waitUntil(`${code} arrives`, () => refused.error !== undefined);
      expect((refused.error as GraphQLFormattedError[])[0]?.extensions?.code).toBe(code);
    }
    // The refusals cost the other subscription nothing.
    await view(t, TALK_1);
    await waitUntil('a push arrives', () => open.pushes.length === 1);
  });

  it('refuses the subscription over HTTP with BAD_REQUEST', async () => {
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: print(CounterUpdatedDocument), variables: { ids: [TALK_1] } }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: GraphQLFormattedError[] };
    expect(body.errors.map((error) => error.extensions?.code)).toEqual(['BAD_REQUEST']);
  });

  it('lets go of listeners when a client unsubscribes or disconnects', async () => {
    const c = client(alice);
    const first = await watching(t, c, [TALK_1, TALK_2], 1);
    await watching(t, c, [TALK_1], 2);
    const other = client();
    await watching(t, other, [EVENT_1], 3);
    // Mid-interval state: a push was just sent, so a timer is running.
    await view(t, TALK_1);
    await waitUntil('a push arrives', () => first.pushes.length === 1);

    first.unsubscribe();
    await waitUntil('one subscription is gone', () => t.server.counterEvents.listenerCount === 2);
    await c.dispose();
    await waitUntil('the socket’s subscriptions are gone', () => {
      return t.server.counterEvents.listenerCount === 1;
    });
    await other.dispose();
    await waitUntil('none are left', () => t.server.counterEvents.listenerCount === 0);
  });

  it('says goodbye (1001) to connected clients on stop, and stops promptly', async () => {
    const own = await createTestServer({ env: { VIEW_DEDUP_SECONDS: '0' } });
    try {
      const ownUrl = await own.listen();
      const closed: { code?: number } = {};
      const c = createClient({
        url: `${ownUrl.replace(/^http/, 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        on: { closed: (event) => (closed.code = (event as { code: number }).code) },
      });
      clients.push(c);
      await watching(own, c, [TALK_1]);
      await own.stop();
      await waitUntil('the client saw the close', () => closed.code !== undefined);
      expect(closed.code).toBe(1001);
      expect(own.server.counterEvents.listenerCount).toBe(0);
    } finally {
      await own.stop();
    }
  });
});

describeDb('counterUpdated across instances', () => {
  describeRedis('two gateways sharing one database and one Redis', () => {
    let a: TestServer;
    let b: TestServer;
    let aUrl: string;
    const prefix = uniquePrefix();
    const clients: Client[] = [];

    beforeAll(async () => {
      requireRedis();
      const env = {
        REDIS_URL: SHARED_REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
        VIEW_DEDUP_SECONDS: '0',
      };
      a = await createTestServer({ env });
      b = await createTestServer({ env, shareWith: a });
      aUrl = await a.listen();
    });
    afterEach(async () => {
      await Promise.all(clients.splice(0).map((c) => c.dispose()));
    });
    afterAll(async () => {
      await b?.stop();
      await a?.stop();
      await deleteKeys(prefix);
    });

    it('uses Redis for the change events', () => {
      for (const t of [a, b]) {
        expect(t.server.counterEvents).toBeInstanceOf(RedisCounterEvents);
        expect((t.server.counterEvents as RedisCounterEvents).live()).toBe(true);
      }
    });

    it('pushes a view sent to instance B to a subscriber on instance A, once', async () => {
      const c = connect(aUrl);
      clients.push(c);
      const w = await watching(a, c, [TALK_2]);
      await view(b, TALK_2);
      const final = (await readCounts(b, TALK_2)).viewCount;
      await waitUntil('the push from B arrives', () => w.pushes.length === 1);
      await sleep(SETTLE_MS);
      expect(w.pushes.map((push) => push.viewCount)).toEqual([final]);
    });

    it('delivers an instance’s own change once, to its subscribers and to the other’s', async () => {
      const onA = connect(aUrl);
      const onB = connect(await b.listen());
      clients.push(onA, onB);
      const wa = await watching(a, onA, [EVENT_1]);
      const wb = await watching(b, onB, [EVENT_1]);
      await view(a, EVENT_1);
      const final = (await readCounts(a, EVENT_1)).viewCount;
      await waitUntil('both have a push', () => wa.pushes.length === 1 && wb.pushes.length === 1);
      // A second delivery of the same publish would show up as a trailing push.
      await sleep(SETTLE_MS);
      expect(wa.pushes.map((push) => push.viewCount)).toEqual([final]);
      expect(wb.pushes.map((push) => push.viewCount)).toEqual([final]);
    });
  });

  describeRedis('when Redis goes away and comes back', () => {
    let redis: PrivateRedis;
    let a: TestServer;
    let b: TestServer;
    const clients: Client[] = [];

    beforeAll(async () => {
      requireRedis();
      redis = await PrivateRedis.start();
      const env = { REDIS_URL: redis.url, VIEW_DEDUP_SECONDS: '0' };
      a = await createTestServer({ env });
      b = await createTestServer({ env, shareWith: a });
    });
    afterAll(async () => {
      await Promise.all(clients.splice(0).map((c) => c.dispose()));
      await b?.stop();
      await a?.stop();
      await redis?.destroy();
    });

    it('keeps counting and pushing locally while it is down, and pushes across again after', async () => {
      const onA = connect(await a.listen());
      clients.push(onA);
      const w = await watching(a, onA, [TALK_1]);
      const events = a.server.counterEvents as RedisCounterEvents;

      await redis.kill();
      await waitUntil('instance A notices', () => !events.live());
      // The write succeeds and A's own subscriber still hears of it.
      await view(a, TALK_1);
      await waitUntil('the local push arrives', () => w.pushes.length === 1);
      expect(w.pushes[0]!.viewCount).toBe((await readCounts(a, TALK_1)).viewCount);

      await redis.restart();
      await waitUntil(
        'both instances are back on Redis',
        () => [a, b].every((t) => (t.server.counterEvents as RedisCounterEvents).live()),
        // node-redis reconnects with a backoff of up to 2 s between attempts.
        10_000,
      );
      await sleep(SETTLE_MS);
      await view(b, TALK_1);
      const final = (await readCounts(b, TALK_1)).viewCount;
      await waitUntil('B’s change reaches A', () => w.pushes.at(-1)?.viewCount === final);
      expect(w.pushes).toHaveLength(2);
    });
  });
});

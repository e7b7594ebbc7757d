import { createClient } from 'redis';
import { CountersDocument } from '../__generated__/graphql';
import { WINDOW_MS } from '../../src/counters/rate-limiter';
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

const TALK = toGlobalId('Talk', 1);
const RECORD_VIEW = 'mutation ($id: ID!) { recordView(id: $id) { viewCount } }';

interface HttpResult {
  status: number;
  headers: Headers;
  json: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
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
  const json = (await response.json()) as HttpResult['json'];
  return { status: response.status, headers: response.headers, json };
}

/** `count` views of TALK in one request, as aliases. */
const aliasedViews = (count: number) =>
  `mutation { ${Array.from({ length: count }, (_, i) => `v${i}: recordView(id: "${TALK}") { viewCount }`).join(' ')} }`;

/** 1 + 100 × (1 + 1 + 33) = 3,501: an expensive query, 4 units. */
const EXPENSIVE = `{ topics(first: 100) { nodes { talks(first: 33) { nodes { id } } } } }`;

function expectAdmitted(result: HttpResult): void {
  expect(result.json.errors).toBeUndefined();
  expect(result.status).toBe(200);
}

/** 429, RATE_LIMITED, and the same retry hint in the header and the error; no data. */
function expectRateLimited(result: HttpResult): number {
  expect(result.status).toBe(429);
  expect(result.json.data ?? undefined).toBeUndefined();
  expect(result.json.errors).toHaveLength(1);
  const error = result.json.errors![0]!;
  expect(error.extensions?.code).toBe('RATE_LIMITED');
  const retryAfter = Number(result.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(error.extensions?.retryAfter).toBe(retryAfter);
  return retryAfter;
}

/**
 * Budgets live in clock-minute windows. A test that began in the last seconds of one could
 * see its budget renewed halfway: start it in a fresh window instead.
 */
async function awayFromWindowEdge(): Promise<void> {
  const left = WINDOW_MS - (Date.now() % WINDOW_MS);
  if (left < 10_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

describeDb('rate limits kept in process (no Redis)', () => {
  let t: TestServer;
  let url: string;
  let clients = 0;

  beforeAll(async () => {
    // One trusted proxy: each test gets a client address of its own through X-Forwarded-For.
    t = await createTestServer({ env: { RATE_LIMIT_PER_MINUTE: '5', TRUST_PROXY: '1' } });
    url = await t.listen();
  });
  afterAll(() => t?.stop());
  beforeEach(awayFromWindowEdge);

  const newClient = () => ({ 'x-forwarded-for': `198.51.100.${++clients}` });
  const viewCount = async (): Promise<number> => {
    const { data } = await t.exec(CountersDocument, { id: TALK });
    return (data!.node as { viewCount: number }).viewCount;
  };

  it('refuses the counter mutation past the budget with 429 and a retry hint; nothing counted', async () => {
    const client = newClient();
    const before = await viewCount();
    for (let i = 0; i < 5; i++) expectAdmitted(await post(url, RECORD_VIEW, { id: TALK }, client));
    const refused = await post(url, RECORD_VIEW, { id: TALK }, client);
    expectRateLimited(refused);
    expect(refused.json.errors![0]!.message).toMatch(
      /Rate limit of 5 per minute reached; retry in \d+ s/,
    );
    expect(await viewCount()).toBe(before + 5);
  });

  it('counts every alias: a batch over the budget is refused whole', async () => {
    const client = newClient();
    const before = await viewCount();
    const tooMany = await post(url, aliasedViews(6), {}, client);
    expectRateLimited(tooMany);
    expect(tooMany.json.errors![0]!.message).toMatch(/needs 6 units, more than the 5 allowed/);
    expect(await viewCount()).toBe(before);
    expectAdmitted(await post(url, aliasedViews(4), {}, client));
    expectRateLimited(await post(url, aliasedViews(2), {}, client));
    expect(await viewCount()).toBe(before + 4);
  });

  it('counts like and unlike too, per signed-in viewer whatever their address', async () => {
    const alice = { authorization: `Bearer ${await t.token('rl-alice')}` };
    const bob = { authorization: `Bearer ${await t.token('rl-bob')}` };
    const like = (headers: Record<string, string>, field = 'like') =>
      post(url, `mutation ($id: ID!) { ${field}(id: $id) { likeCount } }`, { id: TALK }, headers);
    for (let i = 0; i < 5; i++) {
      expectAdmitted(await like({ ...alice, ...newClient() }, i % 2 ? 'unlike' : 'like'));
    }
    expectRateLimited(await like({ ...alice, ...newClient() }));
    // Bob's budget, and the address's anonymous budget, are untouched.
    const client = newClient();
    expectAdmitted(await like({ ...bob, ...client }));
    expectAdmitted(await post(url, RECORD_VIEW, { id: TALK }, client));
  });

  it('leaves cheap queries alone, and lets expensive ones draw on the same budget', async () => {
    const client = newClient();
    for (let i = 0; i < 5; i++) expectAdmitted(await post(url, RECORD_VIEW, { id: TALK }, client));
    expectRateLimited(await post(url, RECORD_VIEW, { id: TALK }, client));
    // Cheap reads go on.
    const read = await post(url, '{ events(first: 100) { nodes { id title } } }', {}, client);
    expectAdmitted(read);

    const other = newClient();
    expectAdmitted(await post(url, EXPENSIVE, {}, other)); // 4 of 5
    expectRateLimited(await post(url, EXPENSIVE, {}, other));
    expectAdmitted(await post(url, RECORD_VIEW, { id: TALK }, other)); // 5 of 5
    expectRateLimited(await post(url, RECORD_VIEW, { id: TALK }, other));
  });

  it('takes nothing for an operation the depth or cost limit refuses', async () => {
    const client = newClient();
    const tooComplex = `mutation { recordView(id: "${TALK}") { subject { ... on Talk { speakers { talks { speakers { talks { speakers { talks { speakers { id } } } } } } } } } } }`;
    for (let i = 0; i < 8; i++) {
      const result = await post(url, tooComplex, {}, client);
      expect(result.json.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    }
    for (let i = 0; i < 5; i++) expectAdmitted(await post(url, RECORD_VIEW, { id: TALK }, client));
  });
});

describeDb('rate limit configuration', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });
  beforeEach(awayFromWindowEdge);

  it('RATE_LIMIT_PER_MINUTE=0 turns the limit off', async () => {
    t = await createTestServer({ env: { RATE_LIMIT_PER_MINUTE: '0' } });
    const url = await t.listen();
    for (let i = 0; i < 30; i++) expectAdmitted(await post(url, aliasedViews(25)));
  });

  it('ignores X-Forwarded-For without TRUST_PROXY: a forged header buys no fresh budget', async () => {
    t = await createTestServer({ env: { RATE_LIMIT_PER_MINUTE: '3' } });
    const url = await t.listen();
    for (let i = 0; i < 3; i++) {
      expectAdmitted(
        await post(url, RECORD_VIEW, { id: TALK }, { 'x-forwarded-for': `203.0.113.${i}` }),
      );
    }
    expectRateLimited(
      await post(url, RECORD_VIEW, { id: TALK }, { 'x-forwarded-for': '203.0.113.99' }),
    );
  });
});

describeDb('rate limits kept in Redis', () => {
  describeRedis('shared by every gateway on one Redis', () => {
    const prefix = uniquePrefix();
    let a: TestServer;
    let b: TestServer;
    let urls: string[];

    beforeAll(async () => {
      requireRedis();
      const env = {
        REDIS_URL: SHARED_REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
        RATE_LIMIT_PER_MINUTE: '5',
      };
      a = await createTestServer({ env });
      b = await createTestServer({ env, shareWith: a });
      urls = [await a.listen(), await b.listen()];
    });
    afterAll(async () => {
      await b?.stop();
      await a?.stop();
      await deleteKeys(prefix);
    });
    beforeEach(awayFromWindowEdge);

    it('counts a client once across gateways, in one expiring key per window', async () => {
      for (let i = 0; i < 5; i++)
        expectAdmitted(await post(urls[i % 2]!, RECORD_VIEW, { id: TALK }));
      expectRateLimited(await post(urls[0]!, RECORD_VIEW, { id: TALK }));
      expectRateLimited(await post(urls[1]!, RECORD_VIEW, { id: TALK }));

      const redis = createClient({ url: SHARED_REDIS_URL });
      await redis.connect();
      try {
        const keys = await redis.keys(`${prefix}rl:*`);
        const window = Math.floor(Date.now() / WINDOW_MS);
        expect(keys).toEqual([`${prefix}rl:{address:127.0.0.1}:${window}`]);
        expect(await redis.get(keys[0]!)).toBe('5');
        const ttl = await redis.pTTL(keys[0]!);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(WINDOW_MS + 1_000);
      } finally {
        redis.destroy();
      }
    });
  });

  describeRedis('when Redis goes away', () => {
    let redis: PrivateRedis;
    let t: TestServer;
    let url: string;

    beforeAll(async () => {
      redis = await PrivateRedis.start();
      t = await createTestServer({ env: { REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: '3' } });
      url = await t.listen();
    });
    afterAll(async () => {
      await t?.stop();
      await redis?.destroy();
    });

    const waitForRedis = async (state: 'ok' | 'unreachable'): Promise<void> => {
      for (let attempt = 0; attempt < 100; attempt++) {
        const body = (await (await fetch(`${url}/readyz`)).json()) as { redis: string };
        if (body.redis === state) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`Redis never became ${state}`);
    };

    it('keeps limiting in process, and goes back to Redis when it returns', async () => {
      await awayFromWindowEdge();
      await redis.kill();
      await waitForRedis('unreachable');
      for (let i = 0; i < 3; i++) expectAdmitted(await post(url, RECORD_VIEW, { id: TALK }));
      expectRateLimited(await post(url, RECORD_VIEW, { id: TALK }));

      // Back on Redis, which restarted empty: the budget there is whole again.
      await redis.restart();
      await waitForRedis('ok');
      expectAdmitted(await post(url, RECORD_VIEW, { id: TALK }));
    });
  });
});

import { createClient, createCluster } from 'redis';
import {
  CountersDocument,
  NestedEventsDocument,
  RecordViewDocument,
} from '../__generated__/graphql';
import { toGlobalId } from '../../src/lib/global-id';
import { LocalRedisCluster } from '../helpers/redis-cluster';
import {
  deleteKeys,
  describeRedis,
  requireRedis,
  SHARED_REDIS_URL,
  uniquePrefix,
} from '../helpers/redis-server';
import { createTestServer, describeDb, type TestServer } from '../helpers/test-server';
import { seedSynthetic } from '../../src/db/seed/synthetic';
import { toInt } from '../../src/db/database';
import type { RedisCounterStore } from '../../src/counters/redis-counter-store';

const TALK = toGlobalId('Talk', 1);

/** Flush interval long enough that only the test's own flush() calls write to the database. */
const MANUAL_FLUSH = '3600000';

async function storedViews(t: TestServer, table: 'talks' | 'events', id: number): Promise<number> {
  const [row] = await t.server.db.query(`SELECT view_count FROM ${table} WHERE id = :id`, { id });
  return toInt(row?.view_count);
}

async function dailyViews(t: TestServer, talkId: number): Promise<number> {
  const [row] = await t.server.db.query(
    `SELECT COALESCE(SUM(views), 0) AS n FROM talk_daily_views WHERE talk_id = :talkId`,
    { talkId },
  );
  return toInt(row?.n);
}

async function liveViews(t: TestServer, id: string): Promise<number> {
  const { data } = await t.exec(CountersDocument, { id });
  const node = data?.node;
  return node && 'viewCount' in node ? node.viewCount : NaN;
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

type DirectRedis = Pick<
  ReturnType<typeof createClient>,
  'hSet' | 'hDel' | 'hGetAll' | 'sAdd' | 'exists' | 'sIsMember' | 'sCard' | 'zAdd' | 'zScore'
>;

/** One tick of the server's flusher, as its timer would run it. */
function flushTick(t: TestServer): Promise<number> {
  return (t.server.counters as RedisCounterStore).flusher.flushOnce();
}

interface ContractSetup {
  env: Record<string, string>;
  redis: DirectRedis;
  teardown(): Promise<void>;
}

/**
 * The counter contract, run against one Redis and against a 3-master cluster. Every
 * script touches one subject's hash tag, so the cluster must behave exactly the same.
 */
function counterContract(name: string, setup: () => Promise<ContractSetup>): void {
  describeRedis(name, () => {
    let t: TestServer;
    let redis: DirectRedis;
    let teardown: () => Promise<void>;
    let prefix: string;

    beforeAll(async () => {
      requireRedis();
      const ready = await setup();
      redis = ready.redis;
      teardown = ready.teardown;
      prefix = ready.env.REDIS_KEY_PREFIX!;
      t = await createTestServer({ env: { ...ready.env, COUNTER_FLUSH_MS: MANUAL_FLUSH } });
    }, 60_000);
    afterAll(async () => {
      await t?.stop();
      await teardown?.();
    });

    it('shows a view at once and writes it to the database on flush, counted once', async () => {
      const before = await storedViews(t, 'talks', 1);
      const result = await t.exec(RecordViewDocument, { id: TALK });
      expect(result.data?.recordView.viewCount).toBe(before + 1);
      expect(await storedViews(t, 'talks', 1)).toBe(before);
      expect(await liveViews(t, TALK)).toBe(before + 1);

      await t.server.counters.flush();
      expect(await storedViews(t, 'talks', 1)).toBe(before + 1);
      expect(await dailyViews(t, 1)).toBe(before + 1);
      // The applied batch lingers in Redis for late readers; it must not be added again.
      expect(await liveViews(t, TALK)).toBe(before + 1);
      await t.server.counters.flush();
      expect(await storedViews(t, 'talks', 1)).toBe(before + 1);
    });

    it('applies a batch a crashed flusher handed over but never committed', async () => {
      const before = await storedViews(t, 'talks', 2);
      // What a flusher leaves when it dies between hand-over and commit.
      const seq = Date.now();
      await redis.hSet(`${prefix}c:{Talk:2}`, `b:${seq}:2026-11-28`, '7');
      await redis.sAdd(`${prefix}dirty`, 'Talk:2');
      expect(await liveViews(t, toGlobalId('Talk', 2))).toBe(before + 7);
      await t.server.counters.flush();
      expect(await storedViews(t, 'talks', 2)).toBe(before + 7);
      await t.server.counters.flush();
      expect(await storedViews(t, 'talks', 2)).toBe(before + 7);
    });

    it('does not re-apply a batch whose commit happened before the crash', async () => {
      const before = await storedViews(t, 'talks', 3);
      const seq = Date.now() - 10 * 60_000;
      // Committed (the row records seq) but the flusher died before cleaning Redis up.
      await t.server.db.query(
        `UPDATE talks SET view_count = view_count + 4, view_flush_seq = :seq WHERE id = 3`,
        { seq },
      );
      await redis.hSet(`${prefix}c:{Talk:3}`, `b:${seq}:2026-11-28`, '4');
      await redis.sAdd(`${prefix}dirty`, 'Talk:3');
      expect(await liveViews(t, toGlobalId('Talk', 3))).toBe(before + 4);
      await t.server.counters.flush();
      expect(await storedViews(t, 'talks', 3)).toBe(before + 4);
      expect(await redis.exists(`${prefix}c:{Talk:3}`)).toBe(0);
      expect(await redis.sIsMember(`${prefix}dirty`, 'Talk:3')).toBe(0);
    });

    it('cleans a whole round up: finished subjects leave Redis, recent ones stay for late readers', async () => {
      await seedSynthetic(t.server.db, { events: 2, seed: 11 });
      const newest = await t.server.db.query('SELECT id FROM talks ORDER BY id DESC LIMIT 4');
      const [recent, ...ids] = newest.map((row) => Number(row.id)) as [number, ...number[]];
      const before = await Promise.all(ids.map((id) => storedViews(t, 'talks', id)));
      const seq = Date.now() - 10 * 60_000;
      for (const id of ids) {
        // Applied long ago, then the flusher died before cleaning Redis up.
        await t.server.db.query(
          `UPDATE talks SET view_count = view_count + 2, view_flush_seq = :seq WHERE id = :id`,
          { seq, id },
        );
        await redis.hSet(`${prefix}c:{Talk:${id}}`, `b:${seq}:2026-11-28`, '2');
        await redis.sAdd(`${prefix}dirty`, `Talk:${id}`);
      }
      const fresh = await storedViews(t, 'talks', recent);
      await t.exec(RecordViewDocument, { id: toGlobalId('Talk', recent) });

      await t.server.counters.flush();
      for (const [i, id] of ids.entries()) {
        expect(await storedViews(t, 'talks', id)).toBe(before[i]! + 2);
        expect(await redis.exists(`${prefix}c:{Talk:${id}}`)).toBe(0);
        expect(await redis.sIsMember(`${prefix}dirty`, `Talk:${id}`)).toBe(0);
      }
      // Just applied: kept until no reader holding an older row can need it, due for a later
      // tick in the handed set, no longer dirty.
      expect(await storedViews(t, 'talks', recent)).toBe(fresh + 1);
      expect(await redis.exists(`${prefix}c:{Talk:${recent}}`)).toBe(1);
      expect(await redis.sIsMember(`${prefix}dirty`, `Talk:${recent}`)).toBe(0);
      expect(await redis.zScore(`${prefix}handed`, `Talk:${recent}`)).toBeGreaterThan(Date.now());
      expect(await liveViews(t, toGlobalId('Talk', recent))).toBe(fresh + 1);
    });

    it('drops a batch once its grace is over, in a later tick and without the database', async () => {
      const before = await storedViews(t, 'talks', 5);
      await t.exec(RecordViewDocument, { id: toGlobalId('Talk', 5) });
      await flushTick(t);
      const hash = `${prefix}c:{Talk:5}`;
      const [field, views] = Object.entries(await redis.hGetAll(hash)).find(([name]) =>
        name.startsWith('b:'),
      )!;
      // The same batch, handed over long ago: its grace is over and it is due.
      const [, seq, day] = field.split(':');
      await redis.hDel(hash, field);
      await redis.hSet(hash, `b:${Number(seq) - 60_000}:${day}`, views);
      await redis.zAdd(`${prefix}handed`, { score: 0, value: 'Talk:5' });
      t.sql.length = 0;
      await flushTick(t);
      expect(t.sql).toEqual([]);
      expect(await redis.exists(hash)).toBe(0);
      expect(await redis.zScore(`${prefix}handed`, 'Talk:5')).toBeNull();
      expect(await storedViews(t, 'talks', 5)).toBe(before + 1);
      expect(await liveViews(t, toGlobalId('Talk', 5))).toBe(before + 1);
    });

    it('drops a set member no subject can have instead of picking it every round', async () => {
      await redis.sAdd(`${prefix}dirty`, 'Speaker:1');
      await redis.zAdd(`${prefix}handed`, { score: 0, value: 'Talk:x' });
      await flushTick(t);
      expect(await redis.sIsMember(`${prefix}dirty`, 'Speaker:1')).toBe(0);
      expect(await redis.zScore(`${prefix}handed`, 'Talk:x')).toBeNull();
    });

    it('writes views of more subjects than a round holds in one tick', async () => {
      await seedSynthetic(t.server.db, { events: 300, seed: 23 });
      const rows = await t.server.db.query('SELECT id FROM talks ORDER BY id DESC LIMIT 1200');
      const ids = rows.map((row) => Number(row.id));
      const total = async () =>
        toInt(
          (
            await t.server.db.query(
              'SELECT SUM(view_count) AS n FROM talks WHERE id IN (:...ids)',
              {
                ids,
              },
            )
          )[0]?.n,
        );
      const before = await total();
      // Through the service: the per-client rate limit is not what this is about.
      const { services } = await t.server.contextFor();
      await Promise.all(
        ids.map((id) => services.counters.recordView(toGlobalId('Talk', id), null)),
      );
      expect(await flushTick(t)).toBe(ids.length);
      expect(await total()).toBe(before + ids.length);
      expect(await redis.sCard(`${prefix}dirty`)).toBe(0);
    }, 60_000);

    it('keeps a batch in Redis while the database is unreachable and applies it once after', async () => {
      const before = await storedViews(t, 'talks', 4);
      for (let i = 0; i < 5; i++) await t.exec(RecordViewDocument, { id: toGlobalId('Talk', 4) });
      // The talks table disappearing is the database failing mid-flush, on either database.
      await t.server.db.query('ALTER TABLE talks RENAME TO talks_away');
      await t.server.counters.flush();
      await t.server.db.query('ALTER TABLE talks_away RENAME TO talks');
      expect(await storedViews(t, 'talks', 4)).toBe(before);
      await t.server.counters.flush();
      expect(await storedViews(t, 'talks', 4)).toBe(before + 5);
      expect(await liveViews(t, toGlobalId('Talk', 4))).toBe(before + 5);
    });

    it('counts a signed-in viewer’s repeat views once, across the dedup window', async () => {
      const token = await t.token('dedup-viewer');
      const event = toGlobalId('Event', 1);
      const before = await liveViews(t, event);
      for (let i = 0; i < 3; i++) await t.exec(RecordViewDocument, { id: event }, { token });
      for (let i = 0; i < 2; i++) await t.exec(RecordViewDocument, { id: event });
      expect(await liveViews(t, event)).toBe(before + 3);
    });
  });
}

describeDb('Redis counter store', () => {
  counterContract('on one Redis', async () => {
    const prefix = uniquePrefix();
    const client = createClient({ url: SHARED_REDIS_URL });
    await client.connect();
    return {
      env: { REDIS_URL: SHARED_REDIS_URL, REDIS_KEY_PREFIX: prefix },
      redis: client,
      teardown: async () => {
        client.destroy();
        await deleteKeys(prefix);
      },
    };
  });

  counterContract('on a 3-master Redis Cluster', async () => {
    const cluster = await LocalRedisCluster.start();
    const client = createCluster({
      rootNodes: cluster.ports.map((port) => ({ url: `redis://127.0.0.1:${port}` })),
    });
    await client.connect();
    return {
      env: { REDIS_CLUSTER_NODES: cluster.nodes, REDIS_KEY_PREFIX: 'tg:' },
      redis: client,
      teardown: async () => {
        client.destroy();
        await cluster.stop();
      },
    };
  });

  describeRedis('round trips', () => {
    let t: TestServer;
    const prefix = uniquePrefix();
    beforeAll(async () => {
      requireRedis();
      t = await createTestServer({
        env: {
          REDIS_URL: SHARED_REDIS_URL,
          REDIS_KEY_PREFIX: prefix,
          COUNTER_FLUSH_MS: MANUAL_FLUSH,
        },
      });
      await seedSynthetic(t.server.db, { events: 60, seed: 3 });
    });
    afterAll(async () => {
      await t?.stop();
      await deleteKeys(prefix);
    });

    it('reads the counters of a whole nested page in at most 2 Redis round trips', async () => {
      for (const first of [5, 50]) {
        t.redis.roundTrips = 0;
        t.sql.length = 0;
        const result = await t.exec(NestedEventsDocument, { first });
        expect(result.errors).toBeUndefined();
        expect(t.redis.roundTrips).toBe(2);
        expect(t.sql).toHaveLength(4);
      }
    });

    it('counts the views of one turn in one Redis round trip, each answered with its own count', async () => {
      const id = toGlobalId('Talk', 7);
      const before = await liveViews(t, id);
      t.redis.roundTrips = 0;
      const results = await Promise.all(
        Array.from({ length: 5 }, () => t.exec(RecordViewDocument, { id })),
      );
      expect(t.redis.roundTrips).toBe(1);
      const counts = results.map((result) => result.data?.recordView.viewCount);
      expect(counts.sort()).toEqual([1, 2, 3, 4, 5].map((n) => before + n));
      expect(await liveViews(t, id)).toBe(before + 5);
    });

    it('announces the views of one turn from the script that counts them: no PUBLISH of its own', async () => {
      const [first, second] = [toGlobalId('Talk', 11), toGlobalId('Talk', 12)];
      const monitor = createClient({ url: SHARED_REDIS_URL });
      const listener = createClient({ url: SHARED_REDIS_URL });
      await Promise.all([monitor.connect(), listener.connect()]);
      const commands: string[] = [];
      const messages: string[] = [];
      try {
        await listener.subscribe(`${prefix}counter-updates`, (message) => messages.push(message));
        // MONITOR shows every command Redis runs; those a script runs are marked "lua".
        // Counters and their events only (the rate limiter has keys under the prefix too).
        await monitor.monitor((line) => {
          if (line.includes(`${prefix}c:`) || line.includes(`${prefix}counter-updates`)) {
            commands.push(line);
          }
        });
        const results = await Promise.all(
          [first, second, first].map((id) => t.exec(RecordViewDocument, { id })),
        );
        expect(results.map((result) => result.errors)).toEqual([undefined, undefined, undefined]);
        await waitFor(() => messages.length > 0);
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(messages).toEqual(['Talk:11 Talk:12']);
        const sent = commands.filter((line) => !line.includes('[0 lua]'));
        expect(sent).toHaveLength(1);
        expect(sent[0]).toMatch(/"evalsha"|"eval"/i);
        expect(commands.filter((line) => /\[0 lua\] "publish"/i.test(line))).toHaveLength(1);
      } finally {
        monitor.destroy();
        listener.destroy();
      }
    });
  });
});

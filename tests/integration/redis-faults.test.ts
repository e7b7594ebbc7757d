import { CountersDocument, RecordViewDocument } from '../__generated__/graphql';
import { toInt } from '../../src/db/database';
import { toGlobalId } from '../../src/lib/global-id';
import { describeRedis, PrivateRedis } from '../helpers/redis-server';
import { createTestServer, describeDb, type TestServer } from '../helpers/test-server';

const TALK = toGlobalId('Talk', 1);

describeDb('counters when Redis fails', () => {
  describeRedis('on a private Redis that the test stops and restarts', () => {
    let redis: PrivateRedis;
    let t: TestServer;
    let url: string;

    beforeAll(async () => {
      redis = await PrivateRedis.start();
      t = await createTestServer({
        env: { REDIS_URL: redis.url, COUNTER_FLUSH_MS: '3600000', VIEW_DEDUP_SECONDS: '0' },
      });
      url = await t.listen();
    });
    afterAll(async () => {
      await t?.stop();
      await redis?.destroy();
    });

    const stored = async (): Promise<number> => {
      const [row] = await t.server.db.query('SELECT view_count FROM talks WHERE id = 1');
      return toInt(row?.view_count);
    };
    const live = async (): Promise<number> => {
      const { data, errors } = await t.exec(CountersDocument, { id: TALK });
      expect(errors).toBeUndefined();
      return data?.node && 'viewCount' in data.node ? data.node.viewCount : NaN;
    };
    const views = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        const { errors } = await t.exec(RecordViewDocument, { id: TALK });
        expect(errors).toBeUndefined();
      }
    };
    const readiness = async (): Promise<{ status: number; body: Record<string, unknown> }> => {
      const response = await fetch(`${url}/readyz`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const waitFor = async (redisState: 'ok' | 'unreachable'): Promise<void> => {
      for (let attempt = 0; attempt < 100; attempt++) {
        if ((await readiness()).body.redis === redisState) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`Redis never became ${redisState}`);
    };

    it('answers from the database while Redis is down, writes through, and doubles nothing when Redis returns', async () => {
      const base = await stored();
      await views(3);
      await t.server.counters.flush();
      expect(await stored()).toBe(base + 3);
      await views(2);
      expect(await live()).toBe(base + 5);

      await redis.stopSaving();
      await waitFor('unreachable');
      expect(await readiness()).toEqual({
        status: 200,
        body: expect.objectContaining({ status: 'degraded', database: 'ok', redis: 'unreachable' }),
      });
      // The two views waiting in Redis are out of reach, not lost.
      expect(await live()).toBe(base + 3);
      t.redis.fallbacks = 0;
      await views(4);
      expect(t.redis.fallbacks).toBeGreaterThan(0);
      expect(await stored()).toBe(base + 7);
      await t.server.counters.flush();
      expect(await stored()).toBe(base + 7);

      await redis.restart();
      await waitFor('ok');
      expect((await readiness()).body.status).toBe('ok');
      expect(await live()).toBe(base + 9);
      await views(1);
      await t.server.counters.flush();
      expect(await stored()).toBe(base + 10);
      expect(await live()).toBe(base + 10);
    });

    it('loses at most the unflushed views when Redis restarts empty, and heals from the database', async () => {
      const base = await stored();
      await views(3);
      await t.server.counters.flush();
      await views(2);
      expect(await live()).toBe(base + 5);

      await redis.kill();
      await waitFor('unreachable');
      await redis.restart();
      await waitFor('ok');
      // The documented bound: what had not been flushed (two views) is gone; totals heal.
      expect(await live()).toBe(base + 3);
      await views(1);
      await t.server.counters.flush();
      expect(await stored()).toBe(base + 4);
      expect(await live()).toBe(base + 4);
    });
  });
});

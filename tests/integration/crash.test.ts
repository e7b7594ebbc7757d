import { toInt } from '../../src/db/database';
import { toGlobalId } from '../../src/lib/global-id';
import { buildGateway, freePort, GatewayProcess } from '../helpers/gateway-process';
import {
  deleteKeys,
  describeRedis,
  requireRedis,
  SHARED_REDIS_URL,
  uniquePrefix,
} from '../helpers/redis-server';
import {
  createTestServer,
  describeDb,
  TEST_JWT_SECRET,
  type TestServer,
  usingPostgres,
} from '../helpers/test-server';

const SUBJECTS = [1, 2, 3, 4].map((id) => toGlobalId('Talk', id)).concat(toGlobalId('Event', 1));
const RECORD_VIEW = 'mutation ($id: ID!) { recordView(id: $id) { viewCount } }';

/** Sends `count` views spread over the subjects with `workers` in parallel; returns how many were acknowledged. */
async function sendViews(targets: () => string[], count: number, workers = 8): Promise<number> {
  let next = 0;
  let acknowledged = 0;
  const worker = async (w: number): Promise<void> => {
    while (next < count) {
      const i = next++;
      const pool = targets();
      const response = await fetch(`${pool[(i + w) % pool.length]}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: RECORD_VIEW,
          variables: { id: SUBJECTS[i % SUBJECTS.length] },
        }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: unknown };
      if (response.ok && body.data && !body.errors) acknowledged++;
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  return acknowledged;
}

// Two real gateway processes on one PostgreSQL and one Redis; SQLite is a single-process store.
(usingPostgres ? describeDb : describe.skip)(
  'two gateway processes, one killed with SIGKILL mid-run',
  () => {
    describeRedis('write-behind survives the kill', () => {
      let t: TestServer;
      let build: ReturnType<typeof buildGateway>;
      const prefix = uniquePrefix();

      beforeAll(async () => {
        requireRedis();
        build = buildGateway();
        t = await createTestServer();
      }, 120_000);
      afterAll(async () => {
        await t?.stop();
        await deleteKeys(prefix);
        build?.clean();
      });

      it('ends with exactly as many views in the database as were acknowledged', async () => {
        const database = t.config.database;
        if (database.kind !== 'postgres') throw new Error('unreachable');
        const env = {
          DATABASE_URL: database.url,
          REDIS_URL: SHARED_REDIS_URL,
          REDIS_KEY_PREFIX: prefix,
          // Flushing all the time makes the kill likely to land inside a flush.
          COUNTER_FLUSH_MS: '20',
          VIEW_DEDUP_SECONDS: '0',
          JWT_SECRET: TEST_JWT_SECRET,
          LOG_LEVEL: 'error',
          NODE_ENV: 'production',
          // A load test from one address: the per-client limit would refuse most of it.
          RATE_LIMIT_PER_MINUTE: '0',
        };
        const a = new GatewayProcess(build.mainJs, await freePort(), env);
        const b = new GatewayProcess(build.mainJs, await freePort(), env);
        await Promise.all([a.start(), b.start()]);
        const total = async (): Promise<number> => {
          const [row] = await t.server.db.query(
            `SELECT (SELECT SUM(view_count) FROM talks) + (SELECT view_count FROM events WHERE id = 1) AS n`,
          );
          return toInt(row?.n);
        };
        const buckets = async (): Promise<number> => {
          const [row] = await t.server.db.query(
            `SELECT (SELECT COALESCE(SUM(views), 0) FROM talk_daily_views) +
                  (SELECT COALESCE(SUM(views), 0) FROM event_daily_views) AS n`,
          );
          return toInt(row?.n);
        };
        const before = await total();

        let acknowledged = await sendViews(() => [a.url, b.url], 1500);
        // B is killed while its flusher works through what both took; no request is in flight to it.
        const onlyA = sendViews(() => [a.url], 600);
        await new Promise((resolve) => setTimeout(resolve, 150));
        expect(await b.stop('SIGKILL')).toBeNull();
        acknowledged += await onlyA;
        await b.start();
        acknowledged += await sendViews(() => [a.url, b.url], 900);

        expect(await Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')])).toEqual([0, 0]);
        expect(acknowledged).toBe(3000);
        expect(await total()).toBe(before + acknowledged);
        expect(await buckets()).toBe(acknowledged);
      }, 180_000);

      it('writes every pending view to the database on SIGTERM', async () => {
        const database = t.config.database;
        if (database.kind !== 'postgres') throw new Error('unreachable');
        const gateway = new GatewayProcess(build.mainJs, await freePort(), {
          DATABASE_URL: database.url,
          REDIS_URL: SHARED_REDIS_URL,
          REDIS_KEY_PREFIX: prefix,
          // No timed flush during the test: only the shutdown drain can write these views.
          COUNTER_FLUSH_MS: '3600000',
          JWT_SECRET: TEST_JWT_SECRET,
          LOG_LEVEL: 'error',
          RATE_LIMIT_PER_MINUTE: '0',
        });
        await gateway.start();
        const [before] = await t.server.db.query('SELECT view_count FROM talks WHERE id = 2');
        const acknowledged = await sendViews(() => [gateway.url], 200);
        const [during] = await t.server.db.query('SELECT view_count FROM talks WHERE id = 2');
        expect(toInt(during?.view_count)).toBe(toInt(before?.view_count));
        expect(await gateway.stop('SIGTERM')).toBe(0);
        const [after] = await t.server.db.query('SELECT view_count FROM talks WHERE id = 2');
        // Every fifth view went to talk 2 (SUBJECTS has five entries).
        expect(toInt(after?.view_count) - toInt(before?.view_count)).toBe(acknowledged / 5);
      }, 120_000);
    });
  },
);

import { print } from 'graphql';
import {
  CreateTopicDocument,
  EventDetailDocument,
  TopicPageDocument,
  TotalsDocument,
} from '../__generated__/graphql';
import { createTestServer, describeDb, type TestServer } from '../helpers/test-server';

const MASKED = { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
/** Over HTTP a masked error also carries the request id, which the client can quote. */
const MASKED_HTTP = {
  ...MASKED,
  extensions: { ...MASKED.extensions, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
};

/** What must never reach a client: SQL, driver wording, table names, stack frames. */
function expectNothingLeaked(body: string): void {
  expect(body).not.toMatch(/\b(SELECT|INSERT|UPDATE|DELETE)\b/);
  expect(body).not.toMatch(/no such table|does not exist|relation|SQLITE|QueryFailedError/i);
  expect(body).not.toContain('topics_moved_away');
  expect(body).not.toContain('stacktrace');
  expect(body).not.toMatch(/\s+at .+:\d+:\d+/);
}

async function postQuery(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return {
    status: response.status,
    text,
    json: JSON.parse(text) as { data?: unknown; errors?: unknown[] },
  };
}

describeDb('unexpected errors are masked', () => {
  describe('a statement that fails in the database', () => {
    let t: TestServer;
    let url: string;
    beforeAll(async () => {
      t = await createTestServer();
      url = await t.listen();
      // A table gone from under the gateway: every statement naming it fails in the driver.
      await t.server.db.query('ALTER TABLE topics RENAME TO topics_moved_away');
    });
    afterAll(async () => {
      await t?.server.db.query('ALTER TABLE topics_moved_away RENAME TO topics');
      await t?.stop();
    });

    it('a query answers INTERNAL_SERVER_ERROR "Internal server error", no SQL', async () => {
      const result = await t.exec(TopicPageDocument, { first: 5 });
      expect(result.data).toBeNull();
      expect(result.errors).toEqual([{ ...MASKED, path: ['topics'] }]);
      expectNothingLeaked(JSON.stringify(result));

      const overHttp = await postQuery(url, print(TopicPageDocument), { first: 5 });
      expect(overHttp.json.errors).toEqual([{ ...MASKED_HTTP, path: ['topics'] }]);
      expectNothingLeaked(overHttp.text);
    });

    it('a failure deep in a nested answer is masked the same way', async () => {
      const result = await t.exec(EventDetailDocument, { slug: 'jue-li-ji-hua-21' });
      // `topics` is non-null, so its failure nulls the event, but the error is still masked.
      expect(result.errors?.length).toBeGreaterThan(0);
      for (const error of result.errors!) expect(error).toMatchObject(MASKED);
      expectNothingLeaked(JSON.stringify(result));
    });

    it('a write that fails is masked and leaves nothing behind', async () => {
      const token = await t.token('alice', 'admin');
      const before = await t.server.db.query('SELECT COUNT(*) AS n FROM events');
      const result = await t.exec(CreateTopicDocument, { input: { name: 'Orphan' } }, { token });
      expect(result.errors).toEqual([{ ...MASKED, path: ['createTopic'] }]);
      expectNothingLeaked(JSON.stringify(result));
      expect(await t.server.db.query('SELECT COUNT(*) AS n FROM events')).toEqual(before);
      const orphans = await t.server.db.query(
        "SELECT COUNT(*) AS n FROM topics_moved_away WHERE name = 'Orphan'",
      );
      expect(Number(orphans[0]!.n)).toBe(0);
    });
  });

  describe('a database that is gone (production mode)', () => {
    let t: TestServer;
    let url: string;
    beforeAll(async () => {
      t = await createTestServer({ env: { NODE_ENV: 'production' } });
      url = await t.listen();
      await t.server.db.dataSource.destroy();
    });
    afterAll(async () => {
      // stop() destroys the data source itself, so it must be open again.
      if (t && !t.server.db.dataSource.isInitialized) await t.server.db.dataSource.initialize();
      await t?.stop();
    });

    it('queries answer a bare INTERNAL_SERVER_ERROR', async () => {
      const result = await postQuery(url, print(TotalsDocument));
      expect(result.status).toBe(200);
      expect(result.json.data).toBeNull();
      expect(result.json.errors).toEqual(
        expect.arrayContaining([expect.objectContaining(MASKED_HTTP)]),
      );
      for (const error of result.json.errors!) expect(error).toMatchObject(MASKED);
      expectNothingLeaked(result.text);
    });

    it('/readyz turns 503 naming the database, /healthz stays 200', async () => {
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(503);
      const body = await ready.text();
      expect(JSON.parse(body)).toEqual({
        status: 'unavailable',
        database: 'unreachable',
        redis: 'not configured',
      });
      expectNothingLeaked(body);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    });

    it('answers again once the database is back', async () => {
      await t.server.db.dataSource.initialize();
      const result = await postQuery(url, print(TotalsDocument));
      expect(result.json.errors).toBeUndefined();
      expect(result.json.data).toMatchObject({ events: { totalCount: 1 } });
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
    });
  });
});

import { type DocumentNode, print } from 'graphql';
import { pino } from 'pino';
import {
  EventDetailDocument,
  RecordViewDocument,
  TopicPageDocument,
} from '../__generated__/graphql';
import { toGlobalId } from '../../src/lib/global-id';
import {
  deleteKeys,
  describeRedis,
  requireRedis,
  SHARED_REDIS_URL,
  uniquePrefix,
} from '../helpers/redis-server';
import { createTestServer, describeDb, type TestServer } from '../helpers/test-server';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SLUG = 'jue-li-ji-hua-21';
const TALK = toGlobalId('Talk', 1);

type LogLine = Record<string, unknown> & { level: number; msg: string };

/** A pino logger writing JSON lines into memory, as production writes them to stdout. */
function memoryLogger(level = 'debug') {
  const lines: string[] = [];
  const logger = pino(
    { level, base: { service: 'talkgraph' } },
    { write: (line) => lines.push(line) },
  );
  return {
    logger,
    text: () => lines.join(''),
    records: (): LogLine[] => lines.map((line) => JSON.parse(line) as LogLine),
  };
}

interface Posted {
  status: number;
  headers: Headers;
  json: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function post(
  url: string,
  document: DocumentNode | string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Posted> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({
      query: typeof document === 'string' ? document : print(document),
      variables,
    }),
  });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Posted['json'],
  };
}

/** The value of one series in Prometheus text, or undefined when it is absent. */
function sample(metrics: string, series: string): number | undefined {
  const line = metrics.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function scrape(url: string): Promise<string> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

describeDb('observability', () => {
  describe('request ids, logs and metrics', () => {
    let t: TestServer;
    let url: string;
    const log = memoryLogger();

    beforeAll(async () => {
      // As deployed: production masks the same way, and this is where it must hold.
      t = await createTestServer({ logger: log.logger, env: { NODE_ENV: 'production' } });
      url = await t.listen();
    });
    afterAll(() => t?.stop());

    it('echoes a well-formed x-request-id and generates one otherwise', async () => {
      const given = await post(
        url,
        EventDetailDocument,
        { slug: SLUG },
        { 'x-request-id': 'lb-7f.3_A' },
      );
      expect(given.headers.get('x-request-id')).toBe('lb-7f.3_A');

      const generated = await post(url, EventDetailDocument, { slug: SLUG });
      expect(generated.headers.get('x-request-id')).toMatch(UUID);

      for (const bad of ['has space', 'x'.repeat(65), 'a/b', 'quote"d', '']) {
        const result = await post(
          url,
          EventDetailDocument,
          { slug: SLUG },
          { 'x-request-id': bad },
        );
        expect(result.headers.get('x-request-id')).toMatch(UUID);
      }
    });

    it('returns the request id on every response, refusals and plain routes too', async () => {
      const responses = [
        await fetch(`${url}/healthz`),
        await fetch(`${url}/readyz`),
        await fetch(`${url}/metrics`),
        await fetch(`${url}/nope`),
        await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"query": ',
        }),
        await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: '{}',
        }),
        await fetch(`${url}/graphql`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        }),
      ];
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 404, 400, 400, 405]);
      for (const response of responses) {
        expect(response.headers.get('x-request-id')).toMatch(UUID);
        await response.arrayBuffer();
      }
      const id = (await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'probe-1' } }))
        .headers;
      expect(id.get('x-request-id')).toBe('probe-1');
    });

    it('logs one line per request with id, operation, status, duration and codes; never tokens or variables', async () => {
      const token = await t.token('alice');
      const before = log.records().length;
      await post(
        url,
        EventDetailDocument,
        { slug: SLUG },
        {
          authorization: `Bearer ${token}`,
          'x-request-id': 'trace-log-1',
        },
      );
      await post(
        url,
        '{ events { nodes { id password } } }',
        {},
        { 'x-request-id': 'trace-log-2' },
      );

      const lines = log.records().slice(before);
      const requestLines = lines.filter((line) => line.msg === 'graphql request');
      expect(requestLines).toHaveLength(2);
      expect(requestLines[0]).toMatchObject({
        level: 30,
        service: 'talkgraph',
        requestId: 'trace-log-1',
        operationName: 'EventDetail',
        operationType: 'query',
        status: 200,
      });
      expect(requestLines[0]!.durationMs).toEqual(expect.any(Number));
      expect(requestLines[0]).not.toHaveProperty('errorCodes');
      expect(requestLines[1]).toMatchObject({
        requestId: 'trace-log-2',
        operationName: null,
        operationType: null,
        status: 400,
        errorCodes: ['GRAPHQL_VALIDATION_FAILED'],
      });
      // At debug, the query text under the same id; never the variables.
      const queryLine = lines.find(
        (line) => line.msg === 'graphql query' && line.requestId === 'trace-log-1',
      );
      expect(queryLine?.query).toContain('query EventDetail');
      expect(queryLine?.level).toBe(20);
      expect(log.text()).not.toContain(token);
      expect(log.text()).not.toContain(SLUG);
      expect(log.text()).not.toMatch(/authorization/i);
    });

    it('logs requests refused before execution in one line too', async () => {
      const before = log.records().length;
      await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'refused-1' },
        body: '[1, 2',
      });
      const lines = log
        .records()
        .slice(before)
        .filter((line) => line.requestId === 'refused-1');
      expect(lines).toEqual([
        expect.objectContaining({ level: 30, msg: 'http request', route: '/graphql', status: 400 }),
      ]);
    });

    it('puts the request id into masked errors, and the full error into the log under it', async () => {
      await t.server.db.query('ALTER TABLE topics RENAME TO topics_moved_away');
      let result: Posted;
      try {
        result = await post(url, TopicPageDocument, { first: 5 }, { 'x-request-id': 'masked-1' });
      } finally {
        await t.server.db.query('ALTER TABLE topics_moved_away RENAME TO topics');
      }
      expect(result.headers.get('x-request-id')).toBe('masked-1');
      expect(result.json.errors).toEqual([
        {
          message: 'Internal server error',
          path: ['topics'],
          extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'masked-1' },
        },
      ]);
      const body = JSON.stringify(result.json);
      expect(body).not.toContain(process.cwd());
      expect(body).not.toMatch(/SELECT|topics_moved_away|\.ts:\d+/);
      expect(body).not.toContain(t.config.jwtSecret);

      const lines = log.records().filter((line) => line.requestId === 'masked-1');
      const failure = lines.find((line) => line.level === 50);
      const err = failure?.err as { message: string; stack: string } | undefined;
      expect(failure).toMatchObject({
        msg: 'unexpected error while serving a request',
        path: ['topics'],
      });
      expect(err?.message).toMatch(/topics/);
      expect(err?.stack).toMatch(/\n\s+at .+:\d+:\d+/);
      expect(lines.find((line) => line.msg === 'graphql request')).toMatchObject({
        operationName: 'TopicPage',
        errorCodes: ['INTERNAL_SERVER_ERROR'],
      });
    });

    it('an id generated for the request is the one in the masked error and the log', async () => {
      await t.server.db.query('ALTER TABLE topics RENAME TO topics_moved_away');
      let result: Posted;
      try {
        result = await post(url, TopicPageDocument, { first: 5 });
      } finally {
        await t.server.db.query('ALTER TABLE topics_moved_away RENAME TO topics');
      }
      const id = result.headers.get('x-request-id');
      expect(id).toMatch(UUID);
      expect(result.json.errors?.[0]?.extensions?.requestId).toBe(id);
      expect(log.records().some((line) => line.level === 50 && line.requestId === id)).toBe(true);
    });

    it('serves Prometheus metrics: operations, errors, loader batches, HTTP, process', async () => {
      for (let i = 0; i < 3; i++) await post(url, EventDetailDocument, { slug: SLUG });
      await post(url, '{ __typename }');
      await post(url, '{ events { ');
      const text = await scrape(url);

      const detail = 'operation="EventDetail",type="query"';
      expect(sample(text, `talkgraph_graphql_requests_total{${detail}}`)).toBeGreaterThanOrEqual(3);
      expect(
        sample(text, `talkgraph_graphql_request_duration_seconds_count{${detail}}`),
      ).toBeGreaterThanOrEqual(3);
      expect(
        sample(text, `talkgraph_graphql_request_duration_seconds_bucket{le="+Inf",${detail}}`),
      ).toBeGreaterThanOrEqual(3);
      expect(
        sample(text, 'talkgraph_graphql_requests_total{operation="anonymous",type="query"}'),
      ).toBe(1);
      expect(
        sample(text, 'talkgraph_graphql_requests_total{operation="unknown",type="unknown"}'),
      ).toBeGreaterThanOrEqual(2);
      expect(sample(text, 'talkgraph_graphql_errors_total{code="GRAPHQL_PARSE_FAILED"}')).toBe(1);
      expect(sample(text, 'talkgraph_graphql_errors_total{code="INTERNAL_SERVER_ERROR"}')).toBe(2);
      expect(
        sample(text, 'talkgraph_dataloader_batch_size_count{loader="talksByEventId"}'),
      ).toBeGreaterThanOrEqual(3);
      expect(
        sample(text, 'talkgraph_dataloader_batch_size_count{loader="speakersByTalkId"}'),
      ).toBeGreaterThanOrEqual(3);
      expect(
        sample(text, 'talkgraph_http_responses_total{route="/graphql",status="200"}'),
      ).toBeGreaterThan(3);
      expect(sample(text, 'talkgraph_http_responses_total{route="other",status="404"}')).toBe(1);
      // Written through without Redis: nothing waits for a flush, nothing falls back.
      expect(sample(text, 'talkgraph_counter_flush_lag_seconds')).toBe(0);
      expect(text).toContain('# TYPE talkgraph_redis_fallbacks_total counter');
      expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
      expect(text).toContain('nodejs_eventloop_lag_seconds');
      expect(text).toContain('nodejs_heap_size_used_bytes');
      // Help and type once per family: the server's and the process's registries do not overlap.
      const families = text.split('\n').filter((line) => line.startsWith('# TYPE '));
      expect(new Set(families).size).toBe(families.length);
    });

    it('/readyz names each dependency', async () => {
      const response = await fetch(`${url}/readyz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        status: 'ok',
        database: 'ok',
        migrations: 'applied',
        redis: 'not configured',
      });
    });
  });

  describeRedis('with Redis', () => {
    let t: TestServer;
    let url: string;
    let prefix: string;

    beforeAll(async () => {
      requireRedis();
      prefix = uniquePrefix();
      t = await createTestServer({
        env: {
          REDIS_URL: SHARED_REDIS_URL,
          REDIS_KEY_PREFIX: prefix,
          COUNTER_FLUSH_MS: '3600000',
          VIEW_DEDUP_SECONDS: '0',
        },
      });
      url = await t.listen();
    });
    afterAll(async () => {
      await t?.stop();
      await deleteKeys(prefix);
    });

    it('reports flush batches, flushed views and a flush lag near zero after a flush', async () => {
      for (let i = 0; i < 3; i++) await post(url, RecordViewDocument, { id: TALK });
      await post(url, RecordViewDocument, { id: toGlobalId('Event', 1) });
      await t.server.counters.flush();
      const text = await scrape(url);
      expect(sample(text, 'talkgraph_counter_flush_batch_subjects_count')).toBe(1);
      expect(sample(text, 'talkgraph_counter_flush_batch_subjects_sum')).toBe(2);
      expect(sample(text, 'talkgraph_counter_flushed_views_total')).toBe(4);
      expect(sample(text, 'talkgraph_counter_flush_failures_total')).toBe(0);
      expect(sample(text, 'talkgraph_counter_flush_lag_seconds')).toBeLessThan(5);
      expect(
        sample(text, 'talkgraph_graphql_requests_total{operation="RecordView",type="mutation"}'),
      ).toBe(4);
    });

    it('/readyz says Redis is ok', async () => {
      const response = await fetch(`${url}/readyz`);
      expect(await response.json()).toMatchObject({ status: 'ok', redis: 'ok' });
    });
  });

  describe('with an unreachable Redis', () => {
    let t: TestServer;
    let url: string;

    beforeAll(async () => {
      t = await createTestServer({
        env: { REDIS_URL: 'redis://127.0.0.1:1', COUNTER_FLUSH_MS: '3600000' },
      });
      url = await t.listen();
    });
    afterAll(() => t?.stop());

    it('counts Redis fallbacks by operation and answers /readyz degraded', async () => {
      const view = await post(url, RecordViewDocument, { id: TALK });
      expect(view.json.errors).toBeUndefined();
      await post(url, EventDetailDocument, { slug: SLUG });
      const text = await scrape(url);
      expect(sample(text, 'talkgraph_redis_fallbacks_total{operation="recordView"}')).toBe(1);
      expect(
        sample(text, 'talkgraph_redis_fallbacks_total{operation="read"}'),
      ).toBeGreaterThanOrEqual(1);

      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({
        status: 'degraded',
        database: 'ok',
        migrations: 'applied',
        redis: 'unreachable',
      });
    });
  });
});

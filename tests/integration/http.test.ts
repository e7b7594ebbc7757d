import { print } from 'graphql';
import {
  DeleteEventDocument,
  EventDetailDocument,
  TypenameDocument,
} from '../__generated__/graphql';
import { MAX_BODY_BYTES } from '../../src/http';
import { createTestServer, describeDb, type TestServer } from '../helpers/test-server';

interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body; undefined when it is not JSON. */
  json: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
    [key: string]: unknown;
  };
}

const JSON_HEADERS = { 'content-type': 'application/json' };

describeDb('the HTTP surface', () => {
  let t: TestServer;
  let url: string;
  /** Every body an error response carried, checked for leaks at the end. */
  const errorBodies: string[] = [];

  beforeAll(async () => {
    t = await createTestServer();
    url = await t.listen();
  });
  afterAll(() => t?.stop());

  const request = async (path: string, init: RequestInit = {}): Promise<HttpResult> => {
    const response = await fetch(url + path, init);
    const text = await response.text();
    let json: HttpResult['json'];
    try {
      json = JSON.parse(text) as HttpResult['json'];
    } catch {
      json = undefined as unknown as HttpResult['json'];
    }
    if (response.status >= 400 || json?.errors) errorBodies.push(text);
    return { status: response.status, headers: response.headers, text, json };
  };

  const postJson = (body: string, headers: Record<string, string> = JSON_HEADERS) =>
    request('/graphql', { method: 'POST', headers, body });

  /** A refused request: the status, a JSON body and one error with the code. */
  const expectRefused = (result: HttpResult, status: number, code: string) => {
    expect(result.status).toBe(status);
    expect(result.headers.get('content-type')).toMatch(/^application\/json/);
    expect(result.json.errors).toHaveLength(1);
    expect(result.json.errors![0]!.extensions?.code).toBe(code);
    expect(result.json.errors![0]!.extensions).not.toHaveProperty('stacktrace');
    return result.json.errors![0]!;
  };

  /** After each bad request: the gateway still answers a real query. */
  const expectStillServing = async () => {
    const result = await postJson(
      JSON.stringify({
        query: print(EventDetailDocument),
        variables: { slug: 'jue-li-ji-hua-21' },
      }),
    );
    expect(result.status).toBe(200);
    expect(result.json.data).toMatchObject({ event: { slug: 'jue-li-ji-hua-21' } });
  };

  describe('POST /graphql', () => {
    it('answers a JSON request with a JSON result', async () => {
      const result = await postJson(
        JSON.stringify({
          query: print(EventDetailDocument),
          variables: { slug: 'jue-li-ji-hua-21' },
          operationName: 'EventDetail',
        }),
      );
      expect(result.status).toBe(200);
      expect(result.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
      expect(result.json.errors).toBeUndefined();
      expect(result.json.data).toMatchObject({
        event: { slug: 'jue-li-ji-hua-21', series: '掘力计划', edition: 21 },
      });
    });

    it('refuses malformed JSON with 400 BAD_REQUEST', async () => {
      const error = expectRefused(await postJson('{"query": "{ __typename }"'), 400, 'BAD_REQUEST');
      expect(error.message).toMatch(/json/i);
      expectRefused(await postJson(''), 400, 'BAD_REQUEST');
      expectRefused(
        await postJson('[1, 2', { 'content-type': 'application/json; charset=utf-8' }),
        400,
        'BAD_REQUEST',
      );
      await expectStillServing();
    });

    it('refuses a body over 1 MB with 413 before parsing it', async () => {
      const big = JSON.stringify({ query: `{ __typename } #${'x'.repeat(MAX_BODY_BYTES)}` });
      const error = expectRefused(await postJson(big), 413, 'BAD_REQUEST');
      expect(error.message).toMatch(/1 MB/);
      await expectStillServing();
    });

    it('refuses a chunked body (no Content-Length) once it passes 1 MB', async () => {
      const chunk = new TextEncoder().encode(`#${'y'.repeat(64 * 1024 - 1)}`);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent === 0) controller.enqueue(new TextEncoder().encode('{"query":"{ __typename }'));
          if (sent > 2 * MAX_BODY_BYTES) {
            controller.enqueue(new TextEncoder().encode('"}'));
            controller.close();
            return;
          }
          controller.enqueue(chunk);
          sent += chunk.length;
        },
      });
      const result = await request('/graphql', {
        method: 'POST',
        headers: JSON_HEADERS,
        body,
        duplex: 'half',
      } as RequestInit);
      expectRefused(result, 413, 'BAD_REQUEST');
      await expectStillServing();
    });

    it('accepts a body just under 1 MB', async () => {
      const query = `{ __typename } #`;
      const padding = MAX_BODY_BYTES - JSON.stringify({ query }).length - 10;
      const result = await postJson(JSON.stringify({ query: query + 'z'.repeat(padding) }));
      expect(result.status).toBe(200);
      expect(result.json.data).toEqual({ __typename: 'Query' });
    });

    it('reports a parse error as GRAPHQL_PARSE_FAILED', async () => {
      const error = expectRefused(
        await postJson(JSON.stringify({ query: '{ events { ' })),
        400,
        'GRAPHQL_PARSE_FAILED',
      );
      expect(error.message).toMatch(/Syntax Error/);
      await expectStillServing();
    });

    it('reports an unknown field as GRAPHQL_VALIDATION_FAILED', async () => {
      const error = expectRefused(
        await postJson(JSON.stringify({ query: '{ events { nodes { id password } } }' })),
        400,
        'GRAPHQL_VALIDATION_FAILED',
      );
      expect(error.message).toContain('password');
      await expectStillServing();
    });

    it('reports a variable of the wrong type as BAD_USER_INPUT', async () => {
      const error = expectRefused(
        await postJson(
          JSON.stringify({
            query: print(EventDetailDocument),
            variables: { slug: { not: 'a string' } },
          }),
        ),
        400,
        'BAD_USER_INPUT',
      );
      expect(error.message).toContain('$slug');
      await expectStillServing();
    });

    it('refuses JSON that is not one operation with BAD_REQUEST', async () => {
      expectRefused(await postJson(JSON.stringify({ variables: {} })), 400, 'BAD_REQUEST');
      expectRefused(await postJson('null'), 400, 'BAD_REQUEST');
      expectRefused(await postJson('"{ __typename }"'), 400, 'BAD_REQUEST');
      // Batching is off: an array of operations is one bad request, not many.
      expectRefused(
        await postJson(JSON.stringify([{ query: '{ __typename }' }])),
        400,
        'BAD_REQUEST',
      );
      await expectStillServing();
    });

    it('refuses a simple cross-site POST (text/plain) as CSRF, without running it', async () => {
      const token = await t.token('alice', 'admin');
      const { data } = await t.exec(EventDetailDocument, { slug: 'jue-li-ji-hua-21' });
      const result = await postJson(
        JSON.stringify({ query: print(DeleteEventDocument), variables: { id: data!.event!.id } }),
        { 'content-type': 'text/plain', authorization: `Bearer ${token}` },
      );
      const error = expectRefused(result, 400, 'BAD_REQUEST');
      expect(error.message).toContain('Cross-Site Request Forgery');
      await expectStillServing();
    });

    it('refuses other methods with 405', async () => {
      const result = await request('/graphql', {
        method: 'PUT',
        headers: JSON_HEADERS,
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expectRefused(result, 405, 'BAD_REQUEST');
      expect(result.headers.get('allow')).toBe('GET, POST');
    });
  });

  describe('GET /graphql', () => {
    const typename = `/graphql?query=${encodeURIComponent(print(TypenameDocument))}`;

    it('runs a query when a CSRF-safe header is present', async () => {
      const safeHeaders: Record<string, string>[] = [
        { 'apollo-require-preflight': 'true' },
        { 'x-apollo-operation-name': 'Typename' },
        { 'content-type': 'application/json' },
      ];
      for (const headers of safeHeaders) {
        const result = await request(typename, { headers });
        expect(result.status).toBe(200);
        expect(result.json).toEqual({ data: { __typename: 'Query' } });
      }
      const withVariables = await request(
        `/graphql?query=${encodeURIComponent(print(EventDetailDocument))}&variables=${encodeURIComponent(
          JSON.stringify({ slug: 'jue-li-ji-hua-21' }),
        )}`,
        { headers: { 'apollo-require-preflight': 'true' } },
      );
      expect(withVariables.json.data).toMatchObject({ event: { edition: 21 } });
    });

    it('refuses a plain GET, as a browser would send cross-site, with 400 BAD_REQUEST (CSRF)', async () => {
      const error = expectRefused(await request(typename), 400, 'BAD_REQUEST');
      expect(error.message).toContain('Cross-Site Request Forgery');
      expect(error.message).toContain('apollo-require-preflight');
      await expectStillServing();
    });

    it('never runs a mutation over GET (405), so the event is still there', async () => {
      const token = await t.token('alice', 'admin');
      const { data } = await t.exec(EventDetailDocument, { slug: 'jue-li-ji-hua-21' });
      const path = `/graphql?query=${encodeURIComponent(print(DeleteEventDocument))}&variables=${encodeURIComponent(
        JSON.stringify({ id: data!.event!.id }),
      )}`;
      const result = await request(path, {
        headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${token}` },
      });
      const error = expectRefused(result, 405, 'BAD_REQUEST');
      expect(error.message).toMatch(/GET requests only support query operations/);
      await expectStillServing();
    });
  });

  describe('other routes', () => {
    it('GET /healthz is 200 while the process is up', async () => {
      const result = await request('/healthz');
      expect(result.status).toBe(200);
      expect(result.json).toEqual({ status: 'ok' });
    });

    it('GET /readyz is 200 with the database reachable and migrations applied', async () => {
      const result = await request('/readyz');
      expect(result.status).toBe(200);
      expect(result.headers.get('content-type')).toMatch(/^application\/json/);
      expect(result.json).toMatchObject({ status: 'ok', database: 'ok', migrations: 'applied' });
    });

    it('an unknown path is 404 with a JSON error', async () => {
      for (const path of ['/nope', '/graphql/extra', '/healthz/']) {
        const result = await request(path);
        expect(result.status).toBe(404);
        expect(result.headers.get('content-type')).toMatch(/^application\/json/);
        expect(result.json.errors?.[0]?.message).toBe('Not found');
        expect(result.json.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
      }
      await expectStillServing();
    });
  });

  it('never sent a stack trace or SQL in any error body above', () => {
    expect(errorBodies.length).toBeGreaterThanOrEqual(15);
    for (const body of errorBodies) {
      expect(body).not.toContain('stacktrace');
      expect(body).not.toMatch(/\bSELECT\b/i);
      expect(body).not.toMatch(/\s+at .+:\d+:\d+/);
      expect(body).not.toContain(t.config.jwtSecret);
    }
  });
});

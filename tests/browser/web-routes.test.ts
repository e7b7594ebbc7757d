import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { WEB_ASSETS_DIR } from '../../src/web/paths';
import { prefersHtml } from '../../src/web/web.handler';
import { createTestServer, type TestServer } from '../helpers/test-server';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request (fetch would normalise the path and add headers of its own). */
function get(url: string, path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(`${url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('the explorer and dashboard routes', () => {
  let t: TestServer;
  let baseUrl: string;

  beforeAll(async () => {
    t = await createTestServer({ seed: false });
    baseUrl = await t.listen();
  });

  afterAll(async () => {
    await t?.stop();
  });

  test('GET /graphql is GraphiQL for a browser and the API for everyone else, CSRF prevention intact', async () => {
    const page = await get(baseUrl, '/graphql', { accept: BROWSER_ACCEPT });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.body).toContain('<div id="graphiql"');
    expect(page.body).not.toMatch(/https?:\/\//);

    const api = await get(baseUrl, '/graphql?query=%7B__typename%7D', {
      accept: 'application/json',
      'apollo-require-preflight': '1',
    });
    expect(JSON.parse(api.body)).toEqual({ data: { __typename: 'Query' } });
    // A simple GET without a preflight header is refused as before (CSRF prevention).
    const simple = await get(baseUrl, '/graphql?query=%7B__typename%7D');
    expect(simple.status).toBe(400);
    expect(simple.body).toContain('CSRF');
  });

  test('/graphiql and /dashboard carry a policy that allows nothing but the gateway', async () => {
    for (const path of ['/graphiql', '/dashboard']) {
      const page = await get(baseUrl, path);
      expect(page.status).toBe(200);
      const policy = String(page.headers['content-security-policy']);
      expect(policy).toContain("default-src 'self'");
      expect(policy).toContain("script-src 'self';");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).not.toMatch(/https?:|\*/);
      expect(page.headers['x-content-type-options']).toBe('nosniff');
    }
    const head = await get(baseUrl, '/dashboard', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  test('assets are served with their type, cached for good, gzipped when asked', async () => {
    const script = readdirSync(WEB_ASSETS_DIR).find((name) => /^dashboard-\w+\.js$/.test(name))!;
    const plain = await get(baseUrl, `/assets/${script}`);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const gzipped = await get(baseUrl, `/assets/${script}`, { 'accept-encoding': 'gzip, br' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(Number(gzipped.headers['content-length'])).toBeLessThan(plain.body.length);
  });

  test.each([
    '/assets/../graphiql.html',
    '/assets/..%2Fgraphiql.html',
    '/assets/%2e%2e/manifest.json',
    '/assets/.',
    '/assets/',
    '/assets/nothing-here.js',
    '/assets/graphiql.html',
  ])('%s is not found', async (path) => {
    const answer = await get(baseUrl, path);
    expect(answer.status).toBe(404);
    expect(answer.body).not.toContain('<!doctype html>');
  });

  test('prefersHtml reads Accept as browsers and API clients send it', () => {
    expect(prefersHtml(BROWSER_ACCEPT)).toBe(true);
    expect(prefersHtml('text/html')).toBe(true);
    expect(prefersHtml(undefined)).toBe(false);
    expect(prefersHtml('*/*')).toBe(false);
    expect(prefersHtml('application/json')).toBe(false);
    expect(prefersHtml('application/graphql-response+json, application/json;q=0.9')).toBe(false);
    expect(prefersHtml('application/json, text/html;q=0.5')).toBe(false);
  });
});

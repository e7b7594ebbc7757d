import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { WEB_ASSETS_DIR, WEB_OUT_DIR } from './paths';

/** Answers the request and returns true when it is for a page or an asset; else false. */
export type WebHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

type Page = 'graphiql' | 'dashboard';

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** One path segment, no dot first: `..`, `/`, `\` and %-escapes can never match. */
const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** esbuild's `[name]-[hash]`: such a file never changes, so browsers may keep it for good. */
const HASHED = /-[A-Z0-9]{8}\./;

/**
 * The explorer (GraphiQL at `GET /graphql` for browsers, and `/graphiql`), the dashboard
 * (`/dashboard`) and their bundles under `/assets/`, as built by `npm run build:web` into
 * dist/web. Each page carries a Content-Security-Policy allowing only the gateway itself,
 * so the browser enforces that nothing is loaded from anywhere else.
 */
export function createWebHandler(dir = WEB_OUT_DIR, assetsDir = WEB_ASSETS_DIR): WebHandler {
  return async (req, res, url) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const page = pageFor(url.pathname, req.headers.accept);
    if (page) {
      await sendPage(req, res, join(dir, `${page}.html`), page);
      return true;
    }
    if (url.pathname.startsWith('/assets/')) {
      await sendAsset(req, res, assetsDir, url.pathname.slice('/assets/'.length));
      return true;
    }
    return false;
  };
}

function pageFor(path: string, accept: string | undefined): Page | null {
  if (path === '/graphiql' || path === '/graphiql/') return 'graphiql';
  if (path === '/dashboard' || path === '/dashboard/') return 'dashboard';
  // API clients (Accept: application/json, or none) still reach Apollo on GET /graphql.
  if (path === '/graphql' && prefersHtml(accept)) return 'graphiql';
  return null;
}

/** True when Accept ranks text/html at least as high as any JSON type, as a browser's does. */
export function prefersHtml(accept: string | undefined): boolean {
  let html = 0;
  let json = 0;
  for (const range of (accept ?? '').toLowerCase().split(',')) {
    const [type = '', ...params] = range.split(';').map((part) => part.trim());
    const q = params.find((param) => param.startsWith('q='));
    const quality = q ? Number(q.slice(2)) || 0 : 1;
    if (type === 'text/html') html = Math.max(html, quality);
    if (type === 'application/json' || type === 'application/graphql-response+json') {
      json = Math.max(json, quality);
    }
  }
  return html > 0 && html >= json;
}

function contentSecurityPolicy(page: Page, host: string | undefined): string {
  // 'self' covers ws: and wss: in CSP 3; the explicit origins are for older browsers.
  const sockets = host && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Monaco positions its widgets with inline style elements; the dashboard needs none.
    page === 'graphiql' ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${sockets}`,
    page === 'graphiql' ? "worker-src 'self' blob:" : "worker-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

async function sendPage(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  page: Page,
): Promise<void> {
  const file = await pick(req, path);
  if (!file) {
    const text = `The ${page} page is not built: run \`npm run build:web\`.\n`;
    res.writeHead(503, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : text);
    return;
  }
  const body = await readFile(file.path);
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': body.length,
    ...(file.gzip ? { 'content-encoding': 'gzip' } : {}),
    // The page names the current hashed bundles: always ask whether it changed.
    'cache-control': 'no-cache',
    vary: 'accept, accept-encoding',
    'content-security-policy': contentSecurityPolicy(page, req.headers.host),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

async function sendAsset(
  req: IncomingMessage,
  res: ServerResponse,
  dir: string,
  name: string,
): Promise<void> {
  const type = CONTENT_TYPES[extname(name)];
  const file = type && ASSET_NAME.test(name) ? await pick(req, join(dir, name)) : null;
  if (!file) {
    const text = 'Not found\n';
    res.writeHead(404, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': text.length,
    });
    res.end(req.method === 'HEAD' ? undefined : text);
    return;
  }
  res.writeHead(200, {
    'content-type': type!,
    'content-length': file.size,
    ...(file.gzip ? { 'content-encoding': 'gzip' } : {}),
    'cache-control': HASHED.test(name) ? 'public, max-age=31536000, immutable' : 'no-cache',
    vary: 'accept-encoding',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(createReadStream(file.path), res);
}

/** The gzip copy the build left beside `path` when the client takes gzip, else `path`; null if absent. */
async function pick(
  req: IncomingMessage,
  path: string,
): Promise<{ path: string; size: number; gzip: boolean } | null> {
  if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    const size = await fileSize(`${path}.gz`);
    if (size !== null) return { path: `${path}.gz`, size, gzip: true };
  }
  const size = await fileSize(path);
  return size === null ? null : { path, size, gzip: false };
}

async function fileSize(path: string): Promise<number | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}

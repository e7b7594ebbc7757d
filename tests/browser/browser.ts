import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { PACKAGE_ROOT } from '../../src/web/paths';
import { CHROMIUM } from './chromium';

/** `describe`, or `describe.skip` when Chromium is knowingly absent (see web-global-setup). */
export const describeBrowser: jest.Describe = process.env.TALKGRAPH_SKIP_BROWSER
  ? describe.skip
  : describe;

/** Screenshots the suites leave behind (artifacts/ is git-ignored). */
export const ARTIFACTS_DIR = join(PACKAGE_ROOT, 'artifacts', 'browser');

/** Flags that keep Chromium from calling home: every request it makes is the page's. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface BrowserSession {
  page: Page;
  /** Every URL the pages and their workers asked for (HTTP and WebSocket), in order. */
  requests: string[];
  /** The ones that went anywhere but loopback: must stay empty. */
  offLoopback: string[];
  /** Uncaught page errors and Content-Security-Policy violations: must stay empty. */
  problems: string[];
  /** Saves a PNG under artifacts/browser and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Headless Debian Chromium on a fresh profile, watching every request its pages make. */
export async function openBrowser(): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'talkgraph-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const requests: string[] = [];
  const offLoopback: string[] = [];
  const problems: string[] = [];
  const record = (url: string): void => {
    requests.push(url);
    if (!isLoopback(url)) offLoopback.push(url);
  };
  // Context-wide, so requests from web workers count too.
  context.on('request', (request) => record(request.url()));
  context.on('weberror', (error) => problems.push(`page error: ${error.error().message}`));
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('websocket', (socket) => record(socket.url()));
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) {
      problems.push(`CSP: ${message.text()}`);
    }
  });
  return {
    page,
    requests,
    offLoopback,
    problems,
    async screenshot(name) {
      mkdirSync(ARTIFACTS_DIR, { recursive: true });
      const path = join(ARTIFACTS_DIR, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Loopback addresses, and the schemes that never touch the network (data:, blob:, about:). */
export function isLoopback(raw: string): boolean {
  const url = new URL(raw);
  if (['data:', 'blob:', 'about:'].includes(url.protocol)) return true;
  const host = url.hostname;
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** POSTs a typed document to the gateway as any client would, and returns `data`. */
export async function post<TData, TVariables>(
  baseUrl: string,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  token?: string,
): Promise<TData> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data?: TData; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

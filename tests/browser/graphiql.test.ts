import type { Page } from 'playwright-core';
import {
  DashboardEventsDocument,
  LikeDocument,
  RecordViewDocument,
} from '../__generated__/graphql';
import { createTestServer, type TestServer } from '../helpers/test-server';
import { type BrowserSession, describeBrowser, openBrowser, post } from './browser';

/** The text of the response pane (Monaco renders spaces as U+00A0). */
async function responseText(page: Page): Promise<string> {
  const text = await page.locator('.result-window').innerText();
  return text.replace(/\u00a0/g, ' ');
}

/** Waits until the response pane shows `needle`, ignoring whitespace (the pane wraps lines). */
async function waitForResponse(page: Page, needle: string): Promise<void> {
  try {
    await page.waitForFunction(
      (wanted) => {
        const text = document.querySelector('.result-window')?.textContent ?? '';
        return text.replace(/[\s\u00a0]+/g, '').includes(wanted.replace(/\s+/g, ''));
      },
      needle,
      { timeout: 20_000 },
    );
  } catch (error) {
    const text = await responseText(page);
    throw new Error(`${needle} never showed; the response pane reads:\n${text}`, { cause: error });
  }
}

/** Opens an example from our picker (a new tab) and waits for its text in the editor. */
async function openExample(page: Page, name: string): Promise<void> {
  const show = page.getByRole('button', { name: 'Show Examples' });
  if (await show.isVisible()) await show.click();
  const picker = page.locator(`[data-example="${name}"]`);
  if (!(await picker.isVisible())) {
    await page.locator('.talkgraph-examples details', { has: picker }).locator('summary').click();
  }
  await picker.click();
  await page.waitForFunction(
    (wanted) =>
      (document.querySelector('.graphiql-query-editor')?.textContent ?? '').includes(wanted),
    name,
  );
}

/** Replaces the contents of the variables or headers editor by pasting, as a person would. */
async function pasteIntoEditorTool(page: Page, tool: 'Variables' | 'Headers', text: string) {
  await page.locator('.graphiql-editor-tools').getByRole('button', { name: tool }).click();
  await page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .view-lines').click();
  await page.evaluate((value) => navigator.clipboard.writeText(value), text);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+V');
}

describeBrowser('GraphiQL, served by the gateway itself', () => {
  let t: TestServer;
  let baseUrl: string;
  let browser: BrowserSession;
  let talkIds: string[];

  beforeAll(async () => {
    t = await createTestServer();
    baseUrl = await t.listen();
    browser = await openBrowser();
    await browser.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: baseUrl,
    });
    const { events } = await post(baseUrl, DashboardEventsDocument, { first: 1 });
    talkIds = events.nodes[0]!.talks.map((talk) => talk.id);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  afterEach(() => {
    expect(browser.offLoopback).toEqual([]);
    expect(browser.problems).toEqual([]);
  });

  test('GET /graphql from a browser opens GraphiQL; the nested event query runs and shows its result', async () => {
    const { page } = browser;
    await page.goto(`${baseUrl}/graphql`);
    // The first visit opens the example tabs; the schema arrives by introspection.
    await page.getByRole('tab', { name: 'NestedEvents' }).waitFor();
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).click();
    await page.locator('.graphiql-doc-explorer').getByText('speakerLeaderboard').first().waitFor();

    await openExample(page, 'NestedEvents');
    const answered = page.waitForResponse(
      (response) =>
        response.url().endsWith('/graphql') &&
        (response.request().postData() ?? '').includes('NestedEvents'),
    );
    await page.locator('.graphiql-execute-button').click();
    const body = (await (await answered).json()) as {
      data: { events: { edges: { node: { title: string; talks: unknown[] } }[] } };
    };
    expect(body.data.events.edges[0]!.node.title).toBe('大模型的崛起：解析大语言模型的训练和应用');
    expect(body.data.events.edges[0]!.node.talks).toHaveLength(4);
    await waitForResponse(page, '"title": "大模型的崛起：解析大语言模型的训练和应用"');
    await browser.screenshot('graphiql-nested-events');

    // Everything came from the gateway: its page, bundles, workers and the API.
    const origin = new URL(baseUrl).origin;
    expect(browser.requests.length).toBeGreaterThan(3);
    for (const url of browser.requests) {
      if (!url.startsWith('data:')) expect(new URL(url).origin.replace(/^ws/, 'http')).toBe(origin);
    }
  });

  test('a bearer token pasted into the header editor signs in the mutation and the subscription', async () => {
    const { page } = browser;
    const token = await t.token('graphiql-user');

    await openExample(page, 'Like');
    await pasteIntoEditorTool(
      page,
      'Headers',
      JSON.stringify({ Authorization: `Bearer ${token}` }),
    );
    await pasteIntoEditorTool(page, 'Variables', JSON.stringify({ id: talkIds[0] }));
    await page.locator('.graphiql-execute-button').click();
    await waitForResponse(page, '"viewerHasLiked": true');

    // The picker carries the headers over to the new tab; the socket gets the token.
    await openExample(page, 'CounterUpdated');
    await pasteIntoEditorTool(page, 'Variables', JSON.stringify({ ids: [talkIds[1]] }));
    await page.locator('.graphiql-execute-button').click();
    await page.waitForFunction(() =>
      document
        .querySelector('.graphiql-execute-button')
        ?.getAttribute('aria-label')
        ?.match(/stop/i),
    );
    // A like made before the socket has subscribed would pass unseen, and likes are
    // idempotent: record anonymous views until one is pushed, then like.
    for (let attempt = 0; attempt < 40; attempt++) {
      await post(baseUrl, RecordViewDocument, { id: talkIds[1]! });
      if ((await responseText(page)).includes('"subject"')) break;
      await page.waitForTimeout(250);
    }
    await waitForResponse(page, '"viewerHasLiked": false');
    await post(baseUrl, LikeDocument, { id: talkIds[1]! }, token);
    await waitForResponse(page, '"likeCount": 1');
    // Signed in as the same viewer as the like: only an authenticated socket sees this.
    await waitForResponse(page, '"viewerHasLiked": true');
    await browser.screenshot('graphiql-subscription');
  });
});

import type { Page } from 'playwright-core';
import {
  DashboardEventsDocument,
  LikeDocument,
  RecordViewDocument,
} from '../__generated__/graphql';
import { createTestServer, type TestServer } from '../helpers/test-server';
import { type BrowserSession, describeBrowser, openBrowser, post } from './browser';

const SEEDED_SPEAKERS = ['薛宇飞', '宋顾杨', 'Michael Yuan', '林辉'];

/** The names in the leaderboard, top first. */
async function leaderboardNames(page: Page): Promise<string[]> {
  return page.locator('#leaderboard tbody .name').allInnerTexts();
}

/** A talk's counter on the page, as a number. */
async function counter(page: Page, id: string, kind: 'views' | 'likes'): Promise<number> {
  const text = await page
    .locator(`[data-counters-for="${id}"] [data-kind="${kind}"] b`)
    .innerText();
  return Number(text.replace(/,/g, ''));
}

async function waitForCounter(page: Page, id: string, kind: 'views' | 'likes', value: number) {
  await page.waitForFunction(
    ([selector, wanted]) =>
      document.querySelector(selector)?.textContent?.replace(/,/g, '') === wanted,
    [`[data-counters-for="${id}"] [data-kind="${kind}"] b`, String(value)] as const,
    { timeout: 20_000 },
  );
}

describeBrowser('the dashboard', () => {
  let t: TestServer;
  let baseUrl: string;
  let browser: BrowserSession;

  beforeAll(async () => {
    t = await createTestServer();
    baseUrl = await t.listen();
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  afterEach(() => {
    expect(browser.offLoopback).toEqual([]);
    expect(browser.problems).toEqual([]);
  });

  test('shows the leaderboard of the seeded speakers, by metric and by topic, with a view chart', async () => {
    const { events } = await post(baseUrl, DashboardEventsDocument, { first: 1 });
    const [codegeex, ray] = events.nodes[0]!.talks;
    // Views put 宋顾杨 (Ray) first and 薛宇飞 (CodeGeeX) second, and give the chart a shape.
    for (let view = 0; view < 3; view++) await post(baseUrl, RecordViewDocument, { id: ray!.id });
    await post(baseUrl, RecordViewDocument, { id: codegeex!.id });

    const { page } = browser;
    await page.goto(`${baseUrl}/dashboard`);
    await page.locator('#leaderboard tbody tr').nth(3).waitFor();
    expect((await leaderboardNames(page)).sort()).toEqual([...SEEDED_SPEAKERS].sort());
    expect((await leaderboardNames(page)).slice(0, 2)).toEqual(['宋顾杨', '薛宇飞']);
    await page.locator('#history .uplot canvas').waitFor();
    await page.locator('#history h2', { hasText: '宋顾杨' }).waitFor();

    await page.locator('[data-metric="TALKS"]').click();
    await page.locator('#leaderboard th.metric', { hasText: 'Talks' }).waitFor();
    expect(page.url()).toMatch(/#metric=talks$/);

    await page.locator('#leaderboard select').selectOption('ray');
    await page.waitForFunction(
      () => document.querySelectorAll('#leaderboard tbody tr').length === 1,
    );
    expect(await leaderboardNames(page)).toEqual(['宋顾杨']);
    await page.locator('#leaderboard select').selectOption('');
    await page.locator('[data-metric="VIEWS"]').click();
    await page.locator('#leaderboard tbody tr').nth(3).waitFor();

    const origin = new URL(baseUrl).origin;
    for (const url of browser.requests) {
      if (!url.startsWith('data:')) expect(new URL(url).origin.replace(/^ws/, 'http')).toBe(origin);
    }
    await browser.screenshot('dashboard-leaderboard');
  });

  test('a like made through the API changes its counter on the page, without a reload', async () => {
    const { page } = browser;
    const { events } = await post(baseUrl, DashboardEventsDocument, { first: 1 });
    const talk = events.nodes[0]!.talks[2]!;
    await page.goto(`${baseUrl}/dashboard`);
    await page.locator('.live[data-state="connected"]').waitFor();
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    // A change made before the socket has subscribed is not pushed: view until one shows.
    const views = await counter(page, talk.id, 'views');
    for (let attempt = 0; attempt < 40; attempt++) {
      await post(baseUrl, RecordViewDocument, { id: talk.id });
      if ((await counter(page, talk.id, 'views')) > views) break;
      await page.waitForTimeout(250);
    }
    expect(await counter(page, talk.id, 'views')).toBeGreaterThan(views);

    const likes = await counter(page, talk.id, 'likes');
    const liked = await post(baseUrl, LikeDocument, { id: talk.id }, await t.token('fan'));
    expect(liked.like.likeCount).toBe(likes + 1);
    await waitForCounter(page, talk.id, 'likes', likes + 1);
    expect(
      await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
    ).toBe(true);
    await browser.screenshot('dashboard-live-counter');
  });
});

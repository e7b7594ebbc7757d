import type { Repositories } from '../../src/repositories';
import { createStatsLoaders, NO_TALKS } from '../../src/stats-loaders';

type Calls = { method: string; ids: readonly number[]; from?: string; to?: string }[];

/** A stand-in for the stats repository: answers from fixed maps and records each call. */
function stubRepos(calls: Calls): Repositories {
  const stats = {
    findTotalsBySpeakerIds: async (ids: readonly number[]) => {
      calls.push({ method: 'totals', ids });
      return new Map([[2, { ...NO_TALKS, talkCount: 3 }]]);
    },
    findTopicCountsBySpeakerIds: async (ids: readonly number[]) => {
      calls.push({ method: 'topics', ids });
      return new Map([[1, [{ topicId: 9, talkCount: 2 }]]]);
    },
    findDailyViewsByTalkIds: async (ids: readonly number[], from: string, to: string) => {
      calls.push({ method: 'talkDays', ids, from, to });
      return new Map([[7, new Map([['2024-03-01', 4]])]]);
    },
    findDailyViewsBySpeakerIds: async (ids: readonly number[], from: string, to: string) => {
      calls.push({ method: 'speakerDays', ids, from, to });
      return new Map([[1, new Map([['2024-02-29', 1]])]]);
    },
  };
  return { stats } as unknown as Repositories;
}

describe('createStatsLoaders', () => {
  it('answers in key order with defaults for keys without rows, in one call per batch', async () => {
    const calls: Calls = [];
    const loaders = createStatsLoaders(stubRepos(calls), '2024-03-01');
    const [a, b] = await Promise.all([
      loaders.totalsBySpeakerId.load(1),
      loaders.totalsBySpeakerId.load(2),
    ]);
    expect(a).toEqual(NO_TALKS);
    expect(b.talkCount).toBe(3);
    const topics = await loaders.topicCountsBySpeakerId.loadMany([3, 1]);
    expect(topics).toEqual([[], [{ topicId: 9, talkCount: 2 }]]);
    expect(calls.map((c) => [c.method, c.ids])).toEqual([
      ['totals', [1, 2]],
      ['topics', [3, 1]],
    ]);
  });

  it('batches histories per `days`, with windows ending on the request’s day', async () => {
    const calls: Calls = [];
    const loaders = createStatsLoaders(stubRepos(calls), '2024-03-01');
    const [seven, other, three] = await Promise.all([
      loaders.viewHistoryByTalkId(2).load(7),
      loaders.viewHistoryByTalkId(2).load(8),
      loaders.viewHistoryByTalkId(3).load(7),
    ]);
    expect(seven).toEqual([
      { day: '2024-02-29', count: 0 },
      { day: '2024-03-01', count: 4 },
    ]);
    expect(other).toEqual([
      { day: '2024-02-29', count: 0 },
      { day: '2024-03-01', count: 0 },
    ]);
    expect(three.map((d) => d.day)).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(calls).toEqual([
      { method: 'talkDays', ids: [7, 8], from: '2024-02-29', to: '2024-03-01' },
      { method: 'talkDays', ids: [7], from: '2024-02-28', to: '2024-03-01' },
    ]);
  });

  it('zero-fills speaker histories too', async () => {
    const calls: Calls = [];
    const loaders = createStatsLoaders(stubRepos(calls), '2024-03-01');
    const [one, none] = await loaders.viewHistoryBySpeakerId(3).loadMany([1, 5]);
    expect(one).toEqual([
      { day: '2024-02-28', count: 0 },
      { day: '2024-02-29', count: 1 },
      { day: '2024-03-01', count: 0 },
    ]);
    expect(none).toEqual([
      { day: '2024-02-28', count: 0 },
      { day: '2024-02-29', count: 0 },
      { day: '2024-03-01', count: 0 },
    ]);
  });
});

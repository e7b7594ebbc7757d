import DataLoader from 'dataloader';
import { type DailyCount, type Day, daysEndingOn, fillDays, utcDay } from './lib/days';
import type { Repositories, SpeakerTotals, TopicTalkCount } from './repositories';

/** What a speaker without talks reports. */
export const NO_TALKS: SpeakerTotals = {
  talkCount: 0,
  eventCount: 0,
  viewCount: 0,
  likeCount: 0,
  firstTalkAt: null,
  lastTalkAt: null,
};

type DailyViews = (
  ids: readonly number[],
  from: Day,
  to: Day,
) => Promise<Map<number, Map<Day, number>>>;

/**
 * The per-request loaders behind `Speaker.stats` and the view histories: one SQL
 * statement per batch, whatever the page size. Results are in key order, with a default
 * (zeros, `[]`, a zero-filled history) for keys without rows.
 *
 * @param today the last day of every history: fixed once per request, so all histories
 *   of one response end on the same day even across midnight (UTC)
 */
export function createStatsLoaders(repos: Repositories, today: Day = utcDay(new Date())) {
  /** One loader per `days`: every owner asking for the same window shares one batch. */
  const historiesByDays = (find: DailyViews) => {
    const loaders = new Map<number, DataLoader<number, DailyCount[]>>();
    return (days: number): DataLoader<number, DailyCount[]> => {
      let loader = loaders.get(days);
      if (!loader) {
        const window = daysEndingOn(today, days);
        loader = new DataLoader(async (ids) => {
          const views = await find(ids, window[0]!, today);
          return ids.map((id) => fillDays(window, views.get(id) ?? new Map()));
        });
        loaders.set(days, loader);
      }
      return loader;
    };
  };

  return {
    /** Counts and flushed view/like totals over the speaker's talks. */
    totalsBySpeakerId: new DataLoader<number, SpeakerTotals>(async (speakerIds) => {
      const totals = await repos.stats.findTotalsBySpeakerIds(speakerIds);
      return speakerIds.map((id) => totals.get(id) ?? NO_TALKS);
    }),

    /** Topics of the speaker's talks with how many talks each: most first, then by name. */
    topicCountsBySpeakerId: new DataLoader<number, TopicTalkCount[]>(async (speakerIds) => {
      const counts = await repos.stats.findTopicCountsBySpeakerIds(speakerIds);
      return speakerIds.map((id) => counts.get(id) ?? []);
    }),

    /** `viewHistoryByTalkId(days).load(talkId)`: `days` entries ending today, oldest first. */
    viewHistoryByTalkId: historiesByDays((ids, from, to) =>
      repos.stats.findDailyViewsByTalkIds(ids, from, to),
    ),

    /** Like `viewHistoryByTalkId`, summed over the speaker's talks. */
    viewHistoryBySpeakerId: historiesByDays((ids, from, to) =>
      repos.stats.findDailyViewsBySpeakerIds(ids, from, to),
    ),
  };
}

export type { SpeakerTotals };
export type StatsLoaders = ReturnType<typeof createStatsLoaders>;

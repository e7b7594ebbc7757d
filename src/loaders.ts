import DataLoader from 'dataloader';
import type { Event, Speaker, Talk, Topic } from '../entities';
import type { CountedSubject, CounterState, CounterStore } from './counters/counter-store';
import { cachedSubjectKey } from './counters/counter-store';
import type { PageRequest } from './lib/pagination';
import type { Keyed, Repositories, TalkOrderField } from './repositories';

/** Rows in the order of `keys`, `null` where a key has no row. */
export function orderByKeys<K, V>(
  keys: readonly K[],
  rows: readonly V[],
  keyOf: (row: V) => K,
): (V | null)[] {
  const byKey = new Map<K, V>();
  for (const row of rows) byKey.set(keyOf(row), row);
  return keys.map((key) => byKey.get(key) ?? null);
}

/** Items grouped under each of `keys`, in the order they arrive; `[]` for a key with none. */
export function groupByKeys<K, I, V>(
  keys: readonly K[],
  items: readonly I[],
  keyOf: (item: I) => K,
  valueOf: (item: I) => V,
): V[][] {
  const groups = new Map<K, V[]>(keys.map((key) => [key, []]));
  for (const item of items) groups.get(keyOf(item))?.push(valueOf(item));
  return keys.map((key) => groups.get(key) ?? []);
}

/** Each nested-connection page shape (order + cursors + size) gets its own batch. */
function pageKey(page: PageRequest, extra = ''): string {
  return JSON.stringify([page, extra]);
}

/**
 * The per-request DataLoaders: one SQL statement (or one counter-store round trip) per
 * batch, whatever the page size. Create a new set for every request, so nothing cached
 * outlives it.
 * @param onBatch called with the loader's name and key count before each batch (metrics)
 */
export function createLoaders(
  repos: Repositories,
  counters: CounterStore,
  viewerId: string | null,
  onBatch?: (loader: string, size: number) => void,
) {
  const newLoader = <K, V, C = K>(
    name: string,
    load: DataLoader.BatchLoadFn<K, V>,
    options?: DataLoader.Options<K, V, C>,
  ) =>
    new DataLoader<K, V, C>(
      onBatch
        ? (keys) => {
            onBatch(name, keys.length);
            return load(keys);
          }
        : load,
      options,
    );

  const byId = <T extends { id: number }>(
    name: string,
    find: (ids: readonly number[]) => Promise<T[]>,
  ) =>
    newLoader<number, T | null>(name, async (ids) =>
      orderByKeys(ids, await find(ids), (row) => row.id),
    );

  const eventById = byId<Event>('eventById', (ids) => repos.events.findByIds(ids));
  const talkById = byId<Talk>('talkById', (ids) => repos.talks.findByIds(ids));
  const speakerById = byId<Speaker>('speakerById', (ids) => repos.speakers.findByIds(ids));
  const topicById = byId<Topic>('topicById', (ids) => repos.topics.findByIds(ids));

  /** Slug look-ups also fill the id cache, so a later `node(id:)` costs nothing. */
  const bySlug = <T extends { id: number; slug: string }>(
    name: string,
    find: (slugs: readonly string[]) => Promise<T[]>,
    idLoader: DataLoader<number, T | null>,
  ) =>
    newLoader<string, T | null>(name, async (slugs) => {
      const rows = await find(slugs);
      for (const row of rows) idLoader.prime(row.id, row);
      return orderByKeys(slugs, rows, (row) => row.slug);
    });

  const talkPages = new Map<string, DataLoader<number, Keyed<Talk>[]>>();
  const speakerPages = new Map<string, DataLoader<number, Keyed<Speaker>[]>>();

  return {
    eventById,
    talkById,
    speakerById,
    topicById,
    eventBySlug: bySlug<Event>(
      'eventBySlug',
      (slugs) => repos.events.findBySlugs(slugs),
      eventById,
    ),
    talkBySlug: bySlug<Talk>('talkBySlug', (slugs) => repos.talks.findBySlugs(slugs), talkById),
    speakerBySlug: bySlug<Speaker>(
      'speakerBySlug',
      (slugs) => repos.speakers.findBySlugs(slugs),
      speakerById,
    ),
    topicBySlug: bySlug<Topic>(
      'topicBySlug',
      (slugs) => repos.topics.findBySlugs(slugs),
      topicById,
    ),

    /** Agenda order. */
    talksByEventId: newLoader<number, Talk[]>('talksByEventId', async (eventIds) => {
      const talks = await repos.talks.findByEventIds(eventIds);
      for (const talk of talks) talkById.prime(talk.id, talk);
      return groupByKeys(
        eventIds,
        talks,
        (t) => t.eventId,
        (t) => t,
      );
    }),

    /** Newest event first. */
    talksBySpeakerId: newLoader<number, Talk[]>('talksBySpeakerId', async (speakerIds) => {
      const rows = await repos.talks.findBySpeakerIds(speakerIds);
      for (const { talk } of rows) talkById.prime(talk.id, talk);
      return groupByKeys(
        speakerIds,
        rows,
        (r) => r.speakerId,
        (r) => r.talk,
      );
    }),

    /** Billing order. */
    speakersByTalkId: newLoader<number, Speaker[]>('speakersByTalkId', async (talkIds) => {
      const rows = await repos.speakers.findByTalkIds(talkIds);
      for (const { speaker } of rows) speakerById.prime(speaker.id, speaker);
      return groupByKeys(
        talkIds,
        rows,
        (r) => r.talkId,
        (r) => r.speaker,
      );
    }),

    /** Tagging order. */
    topicsByTalkId: newLoader<number, Topic[]>('topicsByTalkId', async (talkIds) => {
      const rows = await repos.topics.findByTalkIds(talkIds);
      for (const { topic } of rows) topicById.prime(topic.id, topic);
      return groupByKeys(
        talkIds,
        rows,
        (r) => r.talkId,
        (r) => r.topic,
      );
    }),

    talkCountByTopicId: newLoader<number, number>('talkCountByTopicId', async (topicIds) => {
      const counts = await repos.talks.countByTopicIds(topicIds);
      return topicIds.map((id) => counts.get(id) ?? 0);
    }),

    speakerCountByTopicId: newLoader<number, number>('speakerCountByTopicId', async (topicIds) => {
      const counts = await repos.speakers.countByTopicIds(topicIds);
      return topicIds.map((id) => counts.get(id) ?? 0);
    }),

    /** The loader for one page shape of `Topic.talks`; every topic asking for it shares one batch. */
    talkPagesByTopicId(field: TalkOrderField, descending: boolean, page: PageRequest) {
      const key = pageKey(page, `${field}:${descending}`);
      let loader = talkPages.get(key);
      if (!loader) {
        loader = newLoader('talkPagesByTopicId', async (topicIds: readonly number[]) => {
          const pages = await repos.talks.findPagesByTopicIds(topicIds, field, descending, page);
          return topicIds.map((id) => pages.get(id) ?? []);
        });
        talkPages.set(key, loader);
      }
      return loader;
    },

    speakerPagesByTopicId(page: PageRequest) {
      const key = pageKey(page);
      let loader = speakerPages.get(key);
      if (!loader) {
        loader = newLoader('speakerPagesByTopicId', async (topicIds: readonly number[]) => {
          const pages = await repos.speakers.findPagesByTopicIds(topicIds, page);
          return topicIds.map((id) => pages.get(id) ?? []);
        });
        speakerPages.set(key, loader);
      }
      return loader;
    },

    /**
     * Live counters and the viewer's like, keyed by the rows already read: one store round
     * trip per batch and no SQL for anonymous readers.
     */
    counterBySubject: newLoader<CountedSubject, CounterState, string>(
      'counterBySubject',
      (subjects) => counters.read(subjects, viewerId),
      {
        cacheKeyFn: cachedSubjectKey,
      },
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

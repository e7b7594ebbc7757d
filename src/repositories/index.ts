import type { Database } from '../db/database';
import { EventRepository } from './event.repository';
import { SearchRepository } from './search.repository';
import { SpeakerRepository } from './speaker.repository';
import { StatsRepository } from './stats.repository';
import { TalkRepository } from './talk.repository';
import { TopicRepository } from './topic.repository';

export interface Repositories {
  events: EventRepository;
  talks: TalkRepository;
  speakers: SpeakerRepository;
  topics: TopicRepository;
  search: SearchRepository;
  stats: StatsRepository;
}

export function createRepositories(db: Database): Repositories {
  return {
    events: new EventRepository(db),
    talks: new TalkRepository(db),
    speakers: new SpeakerRepository(db),
    topics: new TopicRepository(db),
    search: new SearchRepository(db),
    stats: new StatsRepository(db),
  };
}

/**
 * `repos` whose node reads leave the long text columns (summary, abstract, bio, description)
 * out: for the loaders of an operation that shows none of them (see namesLongText).
 */
export function withoutLongText(repos: Repositories, db: Database): Repositories {
  return {
    ...repos,
    events: new EventRepository(db, false),
    talks: new TalkRepository(db, false),
    speakers: new SpeakerRepository(db, false),
    topics: new TopicRepository(db, false),
  };
}

export type { EventFilter, EventOrderField, EventValues } from './event.repository';
export type { TalkFilter, TalkOrderField, TalkValues } from './talk.repository';
export type { SpeakerFilter, SpeakerOrderField, SpeakerValues } from './speaker.repository';
export type { TopicValues } from './topic.repository';
export type {
  LeaderboardQuery,
  LeaderboardRow,
  SpeakerMetricName,
  SpeakerTotals,
  TopicTalkCount,
} from './stats.repository';
export type { Keyed } from './paging';

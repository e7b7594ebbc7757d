import type { CounterEvents } from '../counters/counter-events';
import type { CounterStore } from '../counters/counter-store';
import type { Database } from '../db/database';
import type { Repositories } from '../repositories';
import { CounterService } from './counter.service';
import { EventService } from './event.service';
import { ListService } from './list.service';
import { SpeakerService } from './speaker.service';
import { StatsService } from './stats.service';
import { TalkService } from './talk.service';
import { TopicService } from './topic.service';

export interface Services {
  counters: CounterService;
  events: EventService;
  lists: ListService;
  talks: TalkService;
  speakers: SpeakerService;
  topics: TopicService;
  stats: StatsService;
}

export function createServices(
  db: Database,
  repos: Repositories,
  store: CounterStore,
  events: CounterEvents,
): Services {
  return {
    counters: new CounterService(repos, store, events),
    events: new EventService(db, repos),
    lists: new ListService(repos),
    talks: new TalkService(db, repos),
    speakers: new SpeakerService(db, repos),
    topics: new TopicService(db, repos),
    stats: new StatsService(repos),
  };
}

/**
 * `services` whose top-level lists read through `reposWithoutLongText` (see withoutLongText);
 * writes, counters and look-ups stay as they are.
 */
export function withListsWithoutLongText(
  services: Services,
  reposWithoutLongText: Repositories,
): Services {
  return { ...services, lists: new ListService(reposWithoutLongText) };
}

export type { EventInput } from './event.service';
export type { TalkInput } from './talk.service';
export type { SpeakerInput } from './speaker.service';
export type { TopicInput } from './topic.service';
export type { CounterResult } from './counter.service';

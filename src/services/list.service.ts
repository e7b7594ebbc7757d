import { BadUserInputError } from '../errors';
import type { NodeRef } from '../lib/global-id';
import { MAX_PAGE_SIZE, type PageRequest } from '../lib/pagination';
import { MAX_NAME_LENGTH } from '../lib/validation';
import type {
  EventFilter,
  EventOrderField,
  Keyed,
  Repositories,
  SpeakerFilter,
  SpeakerOrderField,
  TalkFilter,
  TalkOrderField,
} from '../repositories';
import type { Event, Speaker, Talk, Topic } from '../../entities';

/** Top-level lists and search: one statement per page, one per count (only when asked). */
export class ListService {
  constructor(private readonly repos: Repositories) {}

  events(
    filter: EventFilter,
    field: EventOrderField,
    descending: boolean,
    page: PageRequest,
  ): Promise<Keyed<Event>[]> {
    return this.repos.events.findPage(checkSearch(filter), field, descending, page);
  }

  countEvents(filter: EventFilter): Promise<number> {
    return this.repos.events.count(filter);
  }

  talks(
    filter: TalkFilter,
    field: TalkOrderField,
    descending: boolean,
    page: PageRequest,
  ): Promise<Keyed<Talk>[]> {
    return this.repos.talks.findPage(checkSearch(filter), field, descending, page);
  }

  countTalks(filter: TalkFilter): Promise<number> {
    return this.repos.talks.count(filter);
  }

  speakers(
    filter: SpeakerFilter,
    field: SpeakerOrderField,
    descending: boolean,
    page: PageRequest,
  ): Promise<Keyed<Speaker>[]> {
    return this.repos.speakers.findPage(checkSearch(filter), field, descending, page);
  }

  countSpeakers(filter: SpeakerFilter): Promise<number> {
    return this.repos.speakers.count(filter);
  }

  topics(page: PageRequest): Promise<Keyed<Topic>[]> {
    return this.repos.topics.findPage(page);
  }

  countTopics(): Promise<number> {
    return this.repos.topics.count();
  }

  /** Best match first; see SearchRepository.search. */
  search(query: string, first: number): Promise<NodeRef[]> {
    const trimmed = query.trim();
    if (trimmed === '') throw new BadUserInputError('query', 'must not be empty');
    if ([...trimmed].length > MAX_NAME_LENGTH) {
      throw new BadUserInputError('query', `must be at most ${MAX_NAME_LENGTH} characters`);
    }
    if (first < 0 || first > MAX_PAGE_SIZE)
      throw new BadUserInputError('first', `must be between 0 and ${MAX_PAGE_SIZE}`);
    return first === 0 ? Promise.resolve([]) : this.repos.search.search(trimmed, first);
  }
}

function checkSearch<F extends { search?: string | null }>(filter: F): F {
  if (filter.search != null && [...filter.search].length > MAX_NAME_LENGTH) {
    throw new BadUserInputError('filter.search', `must be at most ${MAX_NAME_LENGTH} characters`);
  }
  return filter;
}

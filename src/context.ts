import { randomUUID } from 'node:crypto';
import type { Viewer } from './auth';
import { createLoaders, type Loaders } from './loaders';
import type { CountedSubject, CounterState, CounterStore } from './counters/counter-store';
import type { Repositories } from './repositories';
import type { RequestScope } from './request-scope';
import type { Services } from './services';
import { createStatsLoaders, type StatsLoaders } from './stats-loaders';

/** Who sent the request, for per-client limits when no viewer is signed in. */
export interface ClientInfo {
  /** The peer address (or, behind TRUST_PROXY proxies, the one they forwarded). */
  address: string;
}

/** Operations run through `executeOperation` (tests, tools) rather than a socket. */
export const IN_PROCESS_CLIENT: ClientInfo = { address: 'in-process' };

export interface Context {
  /** The id logs and masked errors carry (the `x-request-id` header of the request). */
  requestId: string;
  /** The HTTP request being served; undefined in-process and over WebSocket. */
  scope?: RequestScope;
  viewer: Viewer | null;
  client: ClientInfo;
  readonly loaders: Loaders;
  readonly stats: StatsLoaders;
  readonly services: Services;
  /**
   * Drops every cached read of this request. Admin writes call it first: mutations run
   * one after another, so nothing resolved before the write can read a stale row after it.
   */
  resetLoaders(): void;
  /**
   * The counters of `subject` as just written: its counter fields in the rest of this
   * request show them, not an earlier or a fresh read.
   */
  showCounters(subject: CountedSubject, state: CounterState): void;
  /**
   * The operation shows no long text field (see namesLongText): loaders made from now on
   * leave those columns out.
   */
  skipLongText(): void;
}

export interface ContextDeps {
  repos: Repositories;
  /**
   * What reads of an operation that shows no long text field go through: repositories
   * without those columns (withoutLongText) and services whose lists use them. When absent,
   * every read includes them.
   */
  withoutLongText?: { repos: Repositories; services: Services };
  counters: CounterStore;
  readonly services: Services;
  /** Observes every DataLoader batch (metrics). */
  onLoaderBatch?: (loader: string, size: number) => void;
}

export function createContext(
  deps: ContextDeps,
  viewer: Viewer | null,
  scope?: RequestScope,
  client: ClientInfo = IN_PROCESS_CLIENT,
): Context {
  return new RequestContext(deps, viewer, scope, client);
}

/**
 * Most requests touch neither loader set (`{ __typename }`, `recordView`) or only one: each
 * set is made on first use, and made again after a reset. The getters live on the prototype
 * because Apollo copies the context's own properties into a clone for every operation
 * (Object.assign), which would call own getters, and private `#` fields, which the clone
 * would lack.
 */
class RequestContext implements Context {
  readonly requestId: string;
  private madeLoaders: Loaders | undefined;
  private madeStats: StatsLoaders | undefined;
  /** Counters written before the loaders were made: a payload whose subject is never resolved makes none. */
  private written: [CountedSubject, CounterState][] | undefined;
  private readsLongText = true;

  constructor(
    private readonly deps: ContextDeps,
    readonly viewer: Viewer | null,
    readonly scope: RequestScope | undefined,
    readonly client: ClientInfo,
  ) {
    this.requestId = scope?.requestId ?? randomUUID();
  }

  get services(): Services {
    return this.variant.services;
  }

  private get variant(): { repos: Repositories; services: Services } {
    return (!this.readsLongText && this.deps.withoutLongText) || this.deps;
  }

  get loaders(): Loaders {
    if (!this.madeLoaders) {
      this.madeLoaders = createLoaders(
        this.variant.repos,
        this.deps.counters,
        this.viewer?.id ?? null,
        this.deps.onLoaderBatch,
      );
      for (const [subject, state] of this.written ?? []) this.showCounters(subject, state);
      this.written = undefined;
    }
    return this.madeLoaders;
  }

  get stats(): StatsLoaders {
    return (this.madeStats ??= createStatsLoaders(this.deps.repos));
  }

  resetLoaders(): void {
    this.madeLoaders = undefined;
    this.madeStats = undefined;
    this.written = undefined;
  }

  skipLongText(): void {
    this.readsLongText = false;
  }

  showCounters(subject: CountedSubject, state: CounterState): void {
    if (this.madeLoaders) this.madeLoaders.counterBySubject.clear(subject).prime(subject, state);
    else (this.written ??= []).push([subject, state]);
  }
}

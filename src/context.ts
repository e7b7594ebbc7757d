import { randomUUID } from 'node:crypto';
import type { Viewer } from './auth';
import { createLoaders, type Loaders } from './loaders';
import type { CounterStore } from './counters/counter-store';
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
  loaders: Loaders;
  stats: StatsLoaders;
  services: Services;
  /**
   * Drops every cached read of this request. Admin writes call it first: mutations run
   * one after another, so nothing resolved before the write can read a stale row after it.
   */
  resetLoaders(): void;
}

export interface ContextDeps {
  repos: Repositories;
  counters: CounterStore;
  services: Services;
  /** Observes every DataLoader batch (metrics). */
  onLoaderBatch?: (loader: string, size: number) => void;
}

export function createContext(
  deps: ContextDeps,
  viewer: Viewer | null,
  scope?: RequestScope,
  client: ClientInfo = IN_PROCESS_CLIENT,
): Context {
  const context: Context = {
    requestId: scope?.requestId ?? randomUUID(),
    scope,
    viewer,
    client,
    loaders: createLoaders(deps.repos, deps.counters, viewer?.id ?? null, deps.onLoaderBatch),
    stats: createStatsLoaders(deps.repos),
    services: deps.services,
    resetLoaders() {
      context.loaders = createLoaders(
        deps.repos,
        deps.counters,
        viewer?.id ?? null,
        deps.onLoaderBatch,
      );
      context.stats = createStatsLoaders(deps.repos);
    },
  };
  return context;
}

import type { Viewer } from './auth';
import { createLoaders, type Loaders } from './loaders';
import type { CounterStore } from './counters/counter-store';
import type { Repositories } from './repositories';
import type { Services } from './services';

export interface Context {
  viewer: Viewer | null;
  loaders: Loaders;
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
}

export function createContext(deps: ContextDeps, viewer: Viewer | null): Context {
  const context: Context = {
    viewer,
    loaders: createLoaders(deps.repos, deps.counters, viewer?.id ?? null),
    services: deps.services,
    resetLoaders() {
      context.loaders = createLoaders(deps.repos, deps.counters, viewer?.id ?? null);
    },
  };
  return context;
}

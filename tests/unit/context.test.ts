import { createContext, type ContextDeps } from '../../src/context';
import * as loadersModule from '../../src/loaders';
import * as statsLoadersModule from '../../src/stats-loaders';
import type { CounterStore } from '../../src/counters/counter-store';
import type { Repositories } from '../../src/repositories';
import type { Services } from '../../src/services';

const deps: ContextDeps = {
  repos: {} as Repositories,
  counters: {} as CounterStore,
  services: {} as Services,
};

/** How many loader sets of each kind were made while `run` ran. */
function countMade(run: () => void): { loaders: number; stats: number } {
  const loaders = jest.spyOn(loadersModule, 'createLoaders');
  const stats = jest.spyOn(statsLoadersModule, 'createStatsLoaders');
  try {
    run();
    return { loaders: loaders.mock.calls.length, stats: stats.mock.calls.length };
  } finally {
    loaders.mockRestore();
    stats.mockRestore();
  }
}

describe('request context', () => {
  it('makes no loaders for a request that never reads through them', () => {
    expect(countMade(() => createContext(deps, null))).toEqual({ loaders: 0, stats: 0 });
    expect(countMade(() => void createContext(deps, null).loaders)).toEqual({
      loaders: 1,
      stats: 0,
    });
  });

  it('keeps one loader set per request until a reset', () => {
    const context = createContext(deps, null);
    const [loaders, stats] = [context.loaders, context.stats];
    expect(context.loaders).toBe(loaders);
    expect(context.stats).toBe(stats);
    context.resetLoaders();
    expect(context.loaders).not.toBe(loaders);
    expect(context.stats).not.toBe(stats);
  });

  it('survives the shallow clone Apollo makes of it for every operation', () => {
    const original = createContext(deps, { id: 'v1', role: 'viewer' });
    let clone = original;
    const made = countMade(() => {
      clone = Object.assign(Object.create(Object.getPrototypeOf(original)), original);
    });
    expect(made).toEqual({ loaders: 0, stats: 0 });
    expect(clone.viewer?.id).toBe('v1');
    expect(clone.requestId).toBe(original.requestId);
    expect(clone.services).toBe(deps.services);
    const loaders = clone.loaders;
    expect(clone.loaders).toBe(loaders);
    clone.resetLoaders();
    expect(clone.loaders).not.toBe(loaders);
  });

  it('shows counters written before its loaders were made, without making them', async () => {
    const talk = { type: 'Talk' as const, id: 7, storedViews: 3, storedLikes: 1, flushedSeq: 0 };
    const state = { viewCount: 5, likeCount: 1, viewerHasLiked: false };
    const context = createContext(deps, null);
    const made = countMade(() => {
      context.showCounters(talk, { ...state, viewCount: 4 });
      context.showCounters(talk, state);
    });
    expect(made).toEqual({ loaders: 0, stats: 0 });
    // The store here cannot read: only the shown state can answer.
    await expect(context.loaders.counterBySubject.load(talk)).resolves.toEqual(state);
    context.resetLoaders();
    await expect(context.loaders.counterBySubject.load(talk)).rejects.toThrow(TypeError);
  });
});

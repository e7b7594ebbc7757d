import { LocalCounterEvents } from '../../src/counters/counter-events';
import { CounterFeed } from '../../src/counters/counter-feed';
import type { Subject } from '../../src/counters/counter-store';

const TALK: Subject = { type: 'Talk', id: 1 };
const OTHER_TALK: Subject = { type: 'Talk', id: 2 };
const EVENT: Subject = { type: 'Event', id: 1 };

/**
 * A feed over in-process events whose loads read a counter that the test bumps, so every
 * push shows which changes it had seen. Time is Jest's fake clock.
 */
function setup(subjects: Subject[] = [TALK, OTHER_TALK]) {
  const events = new LocalCounterEvents();
  const counts = new Map<string, number>();
  const loads: string[] = [];
  const errors: unknown[] = [];
  const key = (s: Subject) => `${s.type}:${s.id}`;
  let failNext = false;
  const feed = new CounterFeed<string>({
    events,
    subjects,
    load: async (subject) => {
      loads.push(key(subject));
      if (failNext) {
        failNext = false;
        throw new Error('database away');
      }
      return `${key(subject)}=${counts.get(key(subject)) ?? 0}`;
    },
    onLoadError: (error) => errors.push(error),
  });
  const pushes: string[] = [];
  let pulling = true;
  const consumed = (async () => {
    for await (const value of feed) {
      pushes.push(value);
      if (!pulling) break;
    }
  })();
  const change = (subject: Subject) => {
    counts.set(key(subject), (counts.get(key(subject)) ?? 0) + 1);
    events.publish(subject);
  };
  return {
    events,
    feed,
    pushes,
    loads,
    errors,
    change,
    consumed,
    failNextLoad: () => (failNext = true),
    stopPulling: () => (pulling = false),
  };
}

/** Lets pending promise callbacks (loads, the consumer) run at the current fake time. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe('CounterFeed', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('pushes the first change at once, then one trailing push with the latest value', async () => {
    const s = setup();
    s.change(TALK);
    await settle();
    expect(s.pushes).toEqual(['Talk:1=1']);

    for (let i = 0; i < 19; i++) {
      jest.advanceTimersByTime(10);
      s.change(TALK);
    }
    await settle();
    expect(s.pushes).toEqual(['Talk:1=1']);

    jest.advanceTimersByTime(250);
    await settle();
    expect(s.pushes).toEqual(['Talk:1=1', 'Talk:1=20']);
    expect(s.loads).toHaveLength(2);

    // Quiet afterwards: the interval ends without another push.
    jest.advanceTimersByTime(1000);
    await settle();
    expect(s.pushes).toHaveLength(2);
    await s.feed.return();
  });

  it('keeps pushes of one subject at least the interval apart under a steady stream', async () => {
    const s = setup();
    const pushedAt: number[] = [];
    let seen = 0;
    for (let t = 0; t < 2000; t += 20) {
      s.change(TALK);
      await settle();
      while (seen < s.pushes.length) {
        pushedAt.push(t);
        seen++;
      }
      jest.advanceTimersByTime(20);
    }
    expect(pushedAt.length).toBeGreaterThanOrEqual(7);
    expect(pushedAt.length).toBeLessThanOrEqual(9);
    for (let i = 1; i < pushedAt.length; i++) {
      expect(pushedAt[i]! - pushedAt[i - 1]!).toBeGreaterThanOrEqual(250);
    }
    jest.advanceTimersByTime(250);
    await settle();
    expect(s.pushes.at(-1)).toBe('Talk:1=100');
    await s.feed.return();
  });

  it('throttles each subject on its own', async () => {
    const s = setup();
    s.change(TALK);
    s.change(OTHER_TALK);
    await settle();
    // Both leading edges, although they came within one interval.
    expect(s.pushes).toEqual(['Talk:1=1', 'Talk:2=1']);

    s.change(TALK);
    jest.advanceTimersByTime(250);
    await settle();
    expect(s.pushes).toEqual(['Talk:1=1', 'Talk:2=1', 'Talk:1=2']);
    await s.feed.return();
  });

  it('ignores subjects it does not watch', async () => {
    const s = setup([TALK]);
    s.change(EVENT);
    s.change(OTHER_TALK);
    await settle();
    expect(s.loads).toEqual([]);
    expect(s.pushes).toEqual([]);
    await s.feed.return();
  });

  it('holds one value per subject for a consumer that does not pull, and starts the interval when it does', async () => {
    const events = new LocalCounterEvents();
    let count = 0;
    const feed = new CounterFeed<number>({
      events,
      subjects: [TALK],
      load: async () => count,
      onLoadError: () => undefined,
    });
    count = 1;
    events.publish(TALK);
    await settle();
    count = 2;
    events.publish(TALK);
    jest.advanceTimersByTime(5000);
    await settle();
    // Nothing was taken, so no interval ran: the stale value waits alone, the change is noted.
    expect(await feed.next()).toEqual({ done: false, value: 1 });
    const next = feed.next();
    jest.advanceTimersByTime(250);
    await settle();
    expect(await next).toEqual({ done: false, value: 2 });
    await feed.return();
  });

  it('reports a failed load and tries again only after a later change', async () => {
    const s = setup();
    s.failNextLoad();
    s.change(TALK);
    await settle();
    expect(s.errors).toHaveLength(1);
    expect(s.pushes).toEqual([]);

    jest.advanceTimersByTime(1000);
    await settle();
    expect(s.loads).toHaveLength(1);

    s.change(TALK);
    await settle();
    expect(s.pushes).toEqual(['Talk:1=2']);
    await s.feed.return();
  });

  it('leaves no listener, timer or waiting consumer behind when the client goes away', async () => {
    const s = setup();
    expect(s.events.listenerCount).toBe(1);
    s.change(TALK);
    s.change(OTHER_TALK);
    await settle();
    s.change(TALK);
    expect(jest.getTimerCount()).toBe(2);

    await s.feed.return();
    await s.consumed;
    expect(s.events.listenerCount).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
    expect(await s.feed.next()).toEqual({ done: true, value: undefined });

    // A change after the end loads nothing.
    s.change(TALK);
    await settle();
    expect(s.loads).toHaveLength(2);
  });

  it('drops a load that finishes after the end', async () => {
    const events = new LocalCounterEvents();
    let finish: (value: number) => void = () => undefined;
    const feed = new CounterFeed<number>({
      events,
      subjects: [TALK],
      load: () => new Promise<number>((resolve) => (finish = resolve)),
      onLoadError: () => undefined,
    });
    events.publish(TALK);
    const next = feed.next();
    await feed.return();
    finish(7);
    await settle();
    expect(await next).toEqual({ done: true, value: undefined });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('ends the stream for a consumer that breaks out of for await', async () => {
    const s = setup();
    s.stopPulling();
    s.change(TALK);
    await settle();
    await s.consumed;
    expect(s.pushes).toEqual(['Talk:1=1']);
    expect(s.events.listenerCount).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });
});

import type { Subject } from '../../src/counters/counter-store';
import { ViewDeduplicator } from '../../src/counters/view-deduplicator';

const talk1: Subject = { type: 'Talk', id: 1 };
const talk2: Subject = { type: 'Talk', id: 2 };
const event1: Subject = { type: 'Event', id: 1 };

/** A clock the test moves by hand. */
function manualClock(start = 1_700_000_000_000) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

describe('ViewDeduplicator', () => {
  const WINDOW = 30 * 60 * 1000;

  it('counts a viewer’s first view and not the repeats within the window', () => {
    const clock = manualClock();
    const dedup = new ViewDeduplicator(WINDOW, clock.now);
    expect(dedup.firstViewInWindow('alice', talk1)).toBe(true);
    expect(dedup.firstViewInWindow('alice', talk1)).toBe(false);
    clock.advance(WINDOW - 1);
    expect(dedup.firstViewInWindow('alice', talk1)).toBe(false);
  });

  it('counts again once the window has passed, and opens a new window then', () => {
    const clock = manualClock();
    const dedup = new ViewDeduplicator(WINDOW, clock.now);
    expect(dedup.firstViewInWindow('alice', talk1)).toBe(true);
    clock.advance(WINDOW);
    expect(dedup.firstViewInWindow('alice', talk1)).toBe(true);
    clock.advance(WINDOW - 1);
    expect(dedup.firstViewInWindow('alice', talk1)).toBe(false);
  });

  it('keeps viewers and subjects apart, also an Event and a Talk with the same row id', () => {
    const dedup = new ViewDeduplicator(WINDOW, manualClock().now);
    expect(dedup.firstViewInWindow('alice', talk1)).toBe(true);
    expect(dedup.firstViewInWindow('bob', talk1)).toBe(true);
    expect(dedup.firstViewInWindow('alice', talk2)).toBe(true);
    expect(dedup.firstViewInWindow('alice', event1)).toBe(true);
    expect(dedup.firstViewInWindow('alice', talk1)).toBe(false);
    expect(dedup.firstViewInWindow('bob', talk1)).toBe(false);
  });

  it('does not let a viewer id forge another viewer’s key', () => {
    const dedup = new ViewDeduplicator(WINDOW, manualClock().now);
    expect(dedup.firstViewInWindow('a', { type: 'Talk', id: 11 })).toBe(true);
    expect(dedup.firstViewInWindow('a:Talk:1', { type: 'Talk', id: 1 })).toBe(true);
  });

  it('counts every view with a window of 0', () => {
    const dedup = new ViewDeduplicator(0, manualClock().now);
    for (let i = 0; i < 5; i++) expect(dedup.firstViewInWindow('alice', talk1)).toBe(true);
  });

  it('expires old entries while remembering fresh ones', () => {
    const clock = manualClock();
    const dedup = new ViewDeduplicator(WINDOW, clock.now);
    dedup.firstViewInWindow('alice', talk1);
    clock.advance(WINDOW / 2);
    dedup.firstViewInWindow('bob', talk1);
    clock.advance(WINDOW / 2);
    // alice's entry has expired (and is swept); bob's is still live.
    expect(dedup.firstViewInWindow('bob', talk1)).toBe(false);
    expect(dedup.firstViewInWindow('alice', talk1)).toBe(true);
  });
});

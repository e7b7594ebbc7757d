import { MemoryRateLimiter, WINDOW_MS } from '../../src/counters/rate-limiter';
import { clientAddress } from '../../src/lib/client-address';
import { rateUnits } from '../../src/plugins/rate-limit.plugin';

describe('MemoryRateLimiter', () => {
  const start = 28_333_334 * WINDOW_MS + 40_000; // 40 s into a window (clock minutes)
  let now = start;
  beforeEach(() => {
    now = start;
  });

  it('admits up to the limit per window, all or nothing per request', async () => {
    const limiter = new MemoryRateLimiter(10, () => now);
    expect(await limiter.consume('a', 6)).toEqual({
      allowed: true,
      used: 6,
      retryAfterSeconds: 20,
    });
    // 6 + 5 > 10: refused whole, and nothing taken.
    expect(await limiter.consume('a', 5)).toMatchObject({ allowed: false, used: 6 });
    expect(await limiter.consume('a', 4)).toMatchObject({ allowed: true, used: 10 });
    expect(await limiter.consume('a', 1)).toMatchObject({ allowed: false, retryAfterSeconds: 20 });
    // Another client has its own budget.
    expect(await limiter.consume('b', 10)).toMatchObject({ allowed: true });
  });

  it('starts a fresh budget in the next window', async () => {
    const limiter = new MemoryRateLimiter(1, () => now);
    expect((await limiter.consume('a', 1)).allowed).toBe(true);
    now += 19_999;
    expect(await limiter.consume('a', 1)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    now += 1;
    expect(await limiter.consume('a', 1)).toMatchObject({ allowed: true, retryAfterSeconds: 60 });
  });

  it('refuses a request larger than the whole budget', async () => {
    const limiter = new MemoryRateLimiter(5, () => now);
    expect((await limiter.consume('a', 6)).allowed).toBe(false);
  });

  it('tracks a bounded number of clients, dropping finished windows first', async () => {
    const limiter = new MemoryRateLimiter(1, () => now, 3);
    for (const who of ['a', 'b', 'c']) await limiter.consume(who, 1);
    expect(limiter.tracked).toBe(3);
    now += WINDOW_MS;
    await limiter.consume('d', 1);
    expect(limiter.tracked).toBe(1);
    for (const who of ['e', 'f', 'g', 'h']) await limiter.consume(who, 1);
    expect(limiter.tracked).toBe(3);
  });
});

describe('clientAddress', () => {
  it('is the peer address, whatever X-Forwarded-For says, with no trusted proxy', () => {
    expect(clientAddress('10.0.0.7', '1.2.3.4', 0)).toBe('10.0.0.7');
    expect(clientAddress('::ffff:127.0.0.1', undefined, 0)).toBe('127.0.0.1');
    expect(clientAddress('::1', undefined, 0)).toBe('::1');
    expect(clientAddress(undefined, undefined, 0)).toBe('unknown');
  });

  it('takes the entry each trusted proxy appended, from the right', () => {
    // The client forged the first entry; our one proxy appended the real address.
    expect(clientAddress('10.0.0.2', 'forged, 203.0.113.9', 1)).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.2', ['forged', '203.0.113.9, 10.0.0.1'], 2)).toBe('203.0.113.9');
    // Fewer entries than proxies: the leftmost known.
    expect(clientAddress('10.0.0.2', undefined, 1)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', 'x'.repeat(500), 1)).toHaveLength(64);
  });
});

describe('rateUnits', () => {
  const fields = (...names: string[]) => names.map((name) => ({ name }));

  it('counts counter mutations one each and expensive operations per started thousand', () => {
    expect(rateUnits({ cost: 5, rootFields: fields('events') })).toBe(0);
    expect(rateUnits({ cost: 1_000, rootFields: fields('events') })).toBe(0);
    expect(rateUnits({ cost: 1_001, rootFields: fields('events') })).toBe(2);
    expect(rateUnits({ cost: 9_500, rootFields: fields('events') })).toBe(10);
    expect(
      rateUnits({
        cost: 100,
        rootFields: fields('recordView', 'recordView', 'like', 'createEvent'),
      }),
    ).toBe(3);
  });
});

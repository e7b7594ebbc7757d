import { viewDay } from '../../src/counters/counter-store';
import {
  addDays,
  checkHistoryDays,
  daysEndingOn,
  fillDays,
  isDay,
  MAX_HISTORY_DAYS,
  utcDay,
} from '../../src/lib/days';

describe('utcDay', () => {
  it('takes the UTC calendar day, not the local one', () => {
    // 07:30 in Beijing on the 13th is still the 12th in UTC.
    expect(utcDay(new Date('2023-08-13T07:30:00+08:00'))).toBe('2023-08-12');
    expect(utcDay(new Date('2023-08-12T23:59:59.999Z'))).toBe('2023-08-12');
    expect(utcDay(new Date('2023-08-13T00:00:00Z'))).toBe('2023-08-13');
  });
});

describe('isDay', () => {
  it.each(['2023-08-12', '2024-02-29', '2000-02-29', '1999-12-31'])('accepts %s', (text) =>
    expect(isDay(text)).toBe(true),
  );

  it.each([
    '2023-02-29', // not a leap year
    '1900-02-29', // century, not a leap year
    '2023-02-30',
    '2023-13-01',
    '2023-00-10',
    '2023-04-31',
    '2023-8-12',
    '23-08-12',
    '2023/08/12',
    '2023-08-12T00:00:00Z',
    ' 2023-08-12',
    '2023-08-12\n',
    '',
    '２０２３-08-12', // full-width digits
  ])('refuses %j', (text) => expect(isDay(text)).toBe(false));
});

describe('addDays and daysEndingOn', () => {
  it('crosses month, year and leap-day boundaries', () => {
    expect(addDays('2023-12-31', 1)).toBe('2024-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2023-03-01', -1)).toBe('2023-02-28');
    expect(addDays('2023-08-12', 0)).toBe('2023-08-12');
  });

  it('lists the window oldest first, ending on the given day', () => {
    expect(daysEndingOn('2024-03-02', 4)).toEqual([
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
      '2024-03-02',
    ]);
    expect(daysEndingOn('2024-03-02', 1)).toEqual(['2024-03-02']);
  });

  it('gives exactly one entry per day for a whole year', () => {
    const days = daysEndingOn('2024-12-31', MAX_HISTORY_DAYS);
    expect(days).toHaveLength(365);
    expect(new Set(days).size).toBe(365);
    expect(days[0]).toBe('2024-01-02');
    expect([...days].sort()).toEqual(days);
  });
});

describe('fillDays', () => {
  it('zero-fills missing days and keeps the window order', () => {
    const window = daysEndingOn('2024-01-03', 5);
    const counts = new Map([
      ['2024-01-03', 7],
      ['2023-12-31', 2],
    ]);
    expect(fillDays(window, counts)).toEqual([
      { day: '2023-12-30', count: 0 },
      { day: '2023-12-31', count: 2 },
      { day: '2024-01-01', count: 0 },
      { day: '2024-01-02', count: 0 },
      { day: '2024-01-03', count: 7 },
    ]);
  });

  it('ignores counts outside the window', () => {
    const counts = new Map([
      ['2024-01-01', 5],
      ['2024-01-04', 9],
    ]);
    expect(fillDays(['2024-01-02', '2024-01-03'], counts)).toEqual([
      { day: '2024-01-02', count: 0 },
      { day: '2024-01-03', count: 0 },
    ]);
  });
});

describe('checkHistoryDays', () => {
  it.each([1, 30, 365])('accepts %d', (days) => expect(checkHistoryDays(days)).toBe(days));

  it.each([0, -1, 366, 1.5])('refuses %d as BAD_USER_INPUT naming days', (days) => {
    expect(() => checkHistoryDays(days)).toThrow(
      expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'days' } }),
    );
  });
});

describe('viewDay', () => {
  it('names the UTC day of a moment, also when moments go back and forth across midnight', () => {
    const lastMs = Date.UTC(2023, 7, 12, 23, 59, 59, 999);
    expect(viewDay(lastMs)).toBe('2023-08-12');
    expect(viewDay(lastMs + 1)).toBe('2023-08-13');
    expect(viewDay(lastMs)).toBe('2023-08-12');
    expect(viewDay(Date.UTC(2024, 1, 29, 12))).toBe('2024-02-29');
    expect(viewDay()).toBe(new Date().toISOString().slice(0, 10));
  });
});

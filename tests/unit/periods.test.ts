import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  dateLabel,
  daysBetween,
  financialMonthIndex,
  financialYearLabel,
  financialYearOf,
  financialYearRange,
  financialYearSchema,
  financialYearStart,
  isoDateSchema,
  isoMonthSchema,
  lastDayOfMonth,
  monthLabel,
  monthOf,
  monthsOf,
  quarterOf,
  quarterRange,
} from '../../shared/common/periods';

describe('date and month schemas', () => {
  it('accepts real calendar dates only', () => {
    expect(isoDateSchema.safeParse('2021-04-01').success).toBe(true);
    expect(isoDateSchema.safeParse('2024-02-29').success).toBe(true); // leap year
    expect(isoDateSchema.safeParse('2000-02-29').success).toBe(true); // divisible by 400
    expect(isoDateSchema.safeParse('1900-02-29').success).toBe(false); // divisible by 100, not 400
    expect(isoDateSchema.safeParse('2021-02-29').success).toBe(false);
    expect(isoDateSchema.safeParse('2021-02-30').success).toBe(false);
    expect(isoDateSchema.safeParse('2021-04-31').success).toBe(false);
    expect(isoDateSchema.safeParse('2021-13-01').success).toBe(false);
    expect(isoDateSchema.safeParse('2021-00-10').success).toBe(false);
    expect(isoDateSchema.safeParse('01/04/2021').success).toBe(false);
    expect(isoDateSchema.safeParse('2021-4-1').success).toBe(false);
    expect(isoDateSchema.safeParse('2021-04-01T00:00').success).toBe(false);
  });

  it('says why a date was refused', () => {
    expect(isoDateSchema.safeParse('2021-02-30').error?.issues[0]?.message).toMatch(/real date/);
    expect(isoDateSchema.safeParse('30/02/2021').error?.issues[0]?.message).toMatch(/YYYY-MM-DD/);
  });

  it('accepts months as YYYY-MM', () => {
    expect(isoMonthSchema.safeParse('2021-04').success).toBe(true);
    expect(isoMonthSchema.safeParse('2021-13').success).toBe(false);
    expect(isoMonthSchema.safeParse('2021-4').success).toBe(false);
  });
});

describe('financial years', () => {
  it('checks the label spans two consecutive years', () => {
    expect(financialYearSchema.safeParse('2021/22').success).toBe(true);
    expect(financialYearSchema.safeParse('1999/00').success).toBe(true); // across the century
    expect(financialYearSchema.safeParse('2021/23').success).toBe(false);
    expect(financialYearSchema.safeParse('2021/21').success).toBe(false);
    expect(financialYearSchema.safeParse('2021-22').success).toBe(false);
    expect(financialYearSchema.safeParse('2021/2022').success).toBe(false);
    expect(financialYearSchema.safeParse('2021/23').error?.issues[0]?.message).toMatch(/consecutive/);
  });

  it('puts 1 April in the new year and 31 March in the old', () => {
    expect(financialYearOf('2021-04-01')).toBe('2021/22');
    expect(financialYearOf('2022-03-31')).toBe('2021/22');
    expect(financialYearOf('2022-04-01')).toBe('2022/23');
    expect(financialYearOf('2021-03-31')).toBe('2020/21');
    expect(financialYearOf('2000-01-15')).toBe('1999/00');
    expect(financialYearOf('2022-01')).toBe('2021/22'); // a month works too
    expect(() => financialYearOf('2021-02-30')).toThrow(RangeError);
  });

  it('gives the range, start and label', () => {
    expect(financialYearRange('2021/22')).toEqual({ from: '2021-04-01', to: '2022-03-31' });
    expect(financialYearStart('2021/22')).toBe(2021);
    expect(financialYearLabel(2021)).toBe('2021/22');
    expect(financialYearLabel(1999)).toBe('1999/00');
    expect(() => financialYearRange('2021/23')).toThrow(RangeError);
  });

  it('lists the twelve months April to March', () => {
    expect(monthsOf('2021/22')).toEqual([
      '2021-04',
      '2021-05',
      '2021-06',
      '2021-07',
      '2021-08',
      '2021-09',
      '2021-10',
      '2021-11',
      '2021-12',
      '2022-01',
      '2022-02',
      '2022-03',
    ]);
    expect(monthsOf('2021/22').map(financialMonthIndex)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(financialMonthIndex('2022-03-31')).toBe(11);
    expect(monthOf('2022-03-31')).toBe('2022-03');
  });
});

describe('quarters', () => {
  it('starts Q1 in April', () => {
    expect(quarterOf('2021-04-01')).toEqual({ fy: '2021/22', quarter: 1 });
    expect(quarterOf('2021-06-30')).toEqual({ fy: '2021/22', quarter: 1 });
    expect(quarterOf('2021-07-01')).toEqual({ fy: '2021/22', quarter: 2 });
    expect(quarterOf('2021-12-31')).toEqual({ fy: '2021/22', quarter: 3 });
    expect(quarterOf('2022-01-01')).toEqual({ fy: '2021/22', quarter: 4 });
    expect(quarterOf('2022-03-31')).toEqual({ fy: '2021/22', quarter: 4 });
  });

  it('gives each quarter its first and last day', () => {
    expect(quarterRange('2021/22', 1)).toEqual({ from: '2021-04-01', to: '2021-06-30' });
    expect(quarterRange('2021/22', 2)).toEqual({ from: '2021-07-01', to: '2021-09-30' });
    expect(quarterRange('2021/22', 3)).toEqual({ from: '2021-10-01', to: '2021-12-31' });
    expect(quarterRange('2021/22', 4)).toEqual({ from: '2022-01-01', to: '2022-03-31' });
  });
});

describe('labels', () => {
  it('writes months and dates the British way', () => {
    expect(monthLabel('2021-04')).toBe('Apr 2021');
    expect(monthLabel('2022-03')).toBe('Mar 2022');
    expect(dateLabel('2022-03-31')).toBe('31 Mar 2022');
    expect(dateLabel('2021-04-01')).toBe('1 Apr 2021');
    expect(() => monthLabel('2021-13')).toThrow(RangeError);
  });
});

describe('day and month arithmetic', () => {
  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2021-03-31', 1)).toBe('2021-04-01');
    expect(addDays('2021-12-31', 1)).toBe('2022-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2021-04-01', -1)).toBe('2021-03-31');
    expect(addDays('2021-04-01', 365)).toBe('2022-04-01');
    // The clocks change on 28 March 2021 and 31 October 2021; day arithmetic must not notice.
    expect(addDays('2021-03-27', 2)).toBe('2021-03-29');
    expect(addDays('2021-10-30', 2)).toBe('2021-11-01');
    expect(() => addDays('2021-04-01', 0.5)).toThrow(RangeError);
  });

  it('counts days between dates', () => {
    expect(daysBetween('2021-04-01', '2022-03-31')).toBe(364); // 2021/22 has 365 days
    expect(daysBetween('2023-04-01', '2024-03-31')).toBe(365); // 2023/24 includes 29 Feb 2024
    expect(daysBetween('2022-03-31', '2021-04-01')).toBe(-364);
    expect(daysBetween('1970-01-01', '2000-01-01')).toBe(10957); // 30 x 365 + 7 leap days
    expect(daysBetween('2021-06-01', '2021-06-01')).toBe(0);
  });

  it('agrees with UTC Date arithmetic over a long run of days', () => {
    const ms = Date.UTC(1999, 11, 25);
    for (let i = 1; i <= 3000; i += 7) {
      expect(addDays('1999-12-25', i)).toBe(new Date(ms + i * 86_400_000).toISOString().slice(0, 10));
    }
  });

  it('adds months and finds month ends', () => {
    expect(addMonths('2021-12', 1)).toBe('2022-01');
    expect(addMonths('2021-04', 11)).toBe('2022-03');
    expect(addMonths('2021-01', -1)).toBe('2020-12');
    expect(lastDayOfMonth('2024-02')).toBe('2024-02-29');
    expect(lastDayOfMonth('2021-02')).toBe('2021-02-28');
    expect(lastDayOfMonth('2021-06')).toBe('2021-06-30');
  });
});

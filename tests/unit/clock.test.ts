import { afterEach, describe, expect, it, vi } from 'vitest';

// The users are in England: run these in London time whatever the machine's zone (Node re-reads TZ when it is
// set). The first test checks that it took.
process.env.TZ = 'Europe/London';

const { localYear, thisYear, today, todayIso } = await import('../../shared/common/clock');
const { financialYearOf } = await import('../../shared/common/periods');
const { personInputSchema } = await import('../../shared/workforce/channels');

describe('the local date', () => {
  it('runs in London time', () => {
    // 12:00 UTC in July is 13:00 British Summer Time.
    expect(new Date('2026-07-01T12:00:00Z').getHours()).toBe(13);
  });

  it('is the day in England, not in UTC', () => {
    // 23:30 UTC on 31 March 2026 is 00:30 BST on 1 April: a new day and a new financial year.
    const lateMarch = new Date('2026-03-31T23:30:00Z');
    expect(todayIso(lateMarch)).toBe('2026-04-01');
    expect(lateMarch.toISOString().slice(0, 10)).toBe('2026-03-31');
    expect(financialYearOf(todayIso(lateMarch))).toBe('2026/27');
    // 23:30 UTC on 31 December is 23:30 GMT: still the old year in winter.
    expect(todayIso(new Date('2026-12-31T23:30:00Z'))).toBe('2026-12-31');
    expect(localYear(new Date('2026-12-31T23:30:00Z'))).toBe(2026);
    // 00:30 BST on 1 July is 23:30 UTC on 30 June.
    expect(todayIso(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
  });

  it('follows the clock changes', () => {
    // Clocks go forward at 01:00 UTC on 29 March 2026; back at 01:00 UTC on 25 October 2026.
    expect(todayIso(new Date('2026-03-28T23:59:00Z'))).toBe('2026-03-28'); // 23:59 GMT
    expect(todayIso(new Date('2026-03-29T23:00:00Z'))).toBe('2026-03-30'); // 00:00 BST
    expect(todayIso(new Date('2026-10-24T23:00:00Z'))).toBe('2026-10-25'); // 00:00 BST
    expect(todayIso(new Date('2026-10-25T23:00:00Z'))).toBe('2026-10-25'); // 23:00 GMT
  });

  it('pads months, days and years', () => {
    expect(todayIso(new Date(2026, 0, 5, 12))).toBe('2026-01-05');
    expect(todayIso(new Date(999, 8, 9, 12))).toBe('0999-09-09');
  });
});

describe('the machine clock, read when asked', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives today and this year at the moment of asking', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-03-31T23:30:00Z'));
    expect(today()).toBe('2026-04-01');
    expect(thisYear()).toBe(2026);
    vi.setSystemTime(new Date('2027-01-01T00:30:00Z'));
    expect(today()).toBe('2027-01-01');
    expect(thisYear()).toBe(2027);
  });

  it('checks a year of birth against the year it is now, not the year the app started', () => {
    const person = {
      yearOfBirth: 2011,
      sex: 'F',
      ethnicCategory: 'A',
      disability: 'no',
      assignments: [
        { roleId: 1, serviceId: 1, contractedHours: 37.5, startDate: '2026-05-01', endDate: null, leavingReason: '' },
      ],
    };
    vi.useFakeTimers();
    // In 2026 someone born in 2011 turns 15 at most: accepted; 2012 is refused.
    vi.setSystemTime(new Date('2026-12-31T23:30:00Z'));
    expect(personInputSchema.safeParse(person).success).toBe(true);
    const tooYoung = personInputSchema.safeParse({ ...person, yearOfBirth: 2012 });
    expect(tooYoung.success).toBe(false);
    if (!tooYoung.success)
      expect(tooYoung.error.issues[0]).toMatchObject({ path: ['yearOfBirth'], message: 'Check the year of birth' });
    // An hour later it is 2027 (GMT), and the same, already loaded schema accepts 2012.
    vi.setSystemTime(new Date('2027-01-01T00:30:00Z'));
    expect(personInputSchema.safeParse({ ...person, yearOfBirth: 2012 }).success).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { returnPeriodSchema } from '../../shared/returns/channels';
import { asAtFor, parseReturnPeriod } from '../../shared/returns/periods';
import { mainAssignment } from '../../shared/workforce/assignments';

describe('return periods', () => {
  it('a financial year runs 1 April to 31 March', () => {
    expect(parseReturnPeriod('2025/26')).toEqual({
      period: '2025/26',
      kind: 'year',
      from: '2025-04-01',
      to: '2026-03-31',
    });
    expect(parseReturnPeriod(' 2023/24 ')).toMatchObject({ from: '2023-04-01', to: '2024-03-31' });
  });

  it('quarters start in April: Q2 is July to September, Q4 January to March of the next calendar year', () => {
    expect(parseReturnPeriod('2025/26-Q1')).toEqual({
      period: '2025/26-Q1',
      kind: 'quarter',
      from: '2025-04-01',
      to: '2025-06-30',
    });
    expect(parseReturnPeriod('2025/26-Q2')).toMatchObject({ from: '2025-07-01', to: '2025-09-30' });
    expect(parseReturnPeriod('2023/24-Q4')).toMatchObject({ from: '2024-01-01', to: '2024-03-31' });
  });

  it('refuses what is not a period, saying why', () => {
    for (const bad of ['2025', '2025/27', '2025/26-Q5', '2025/26Q2', '2025-26', '', '2025/26-q2'])
      expect(parseReturnPeriod(bad), bad).toBeNull();
    const r = returnPeriodSchema.safeParse('2025/27');
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toMatch(/consecutive years/);
  });

  it('the as-at date is the last day unless a day in the period is chosen', () => {
    const q2 = parseReturnPeriod('2025/26-Q2')!;
    expect(asAtFor(q2, null)).toEqual({ asAt: '2025-09-30', error: null });
    expect(asAtFor(q2, '2025-08-31')).toEqual({ asAt: '2025-08-31', error: null });
    expect(asAtFor(q2, '2025-10-01').error).toMatch(/must be in 2025\/26-Q2/);
    expect(asAtFor(q2, '2025-06-30').error).not.toBeNull();
  });
});

describe('main assignment', () => {
  const a = (id: number, hoursCenti: number, start: string) => ({ id, hoursCenti, start });

  it('is the one with most hours', () => {
    expect(mainAssignment([a(1, 750, '2020-01-01'), a(2, 3000, '2024-01-01')])!.id).toBe(2);
  });

  it('on equal hours, the earliest start, then the one recorded first', () => {
    expect(mainAssignment([a(5, 1875, '2022-01-01'), a(9, 1875, '2019-06-01')])!.id).toBe(9);
    expect(mainAssignment([a(7, 1875, '2019-06-01'), a(3, 1875, '2019-06-01')])!.id).toBe(3);
  });

  it('none when there is nothing in post', () => {
    expect(mainAssignment([])).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { ledgerAmount } from '../../shared/funding/amounts';
import { forecastOutturn, fundingWarnings, variance } from '../../shared/funding/forecast';
import { ledgerEntryInputSchema } from '../../shared/funding/ledger';
import { DEFAULT_PLAN_CATEGORIES, byMonth, cumulative, phase, planLineInputSchema } from '../../shared/funding/plan';
import { ledgerRuleSchema, matchLedgerRow } from '../../shared/funding/rules';
import { FIRST_PHASE_CONDITIONS, firstPhaseChecklist, fundingStreamInputSchema } from '../../shared/funding/streams';
import type { LedgerRule } from '../../shared/funding/rules';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('funding stream schema', () => {
  const stream = {
    source: 'hee-pump-prime',
    name: ' Pump-prime 2021/22 ',
    financialYear: '2021/22',
    allocatedPence: 735000,
  };

  it('fills defaults and trims text', () => {
    const parsed = fundingStreamInputSchema.parse(stream);
    expect(parsed).toMatchObject({
      name: 'Pump-prime 2021/22',
      receipts: [],
      checklist: [],
      conditions: '',
      deadline: null,
      owner: '',
    });
  });

  it('rejects a negative allocation with a clear message', () => {
    const r = fundingStreamInputSchema.safeParse({ ...stream, allocatedPence: -1 });
    expect(r.error?.issues[0]?.path).toEqual(['allocatedPence']);
    expect(r.error?.issues[0]?.message).toMatch(/allocation cannot be negative/);
  });

  it('rejects fractions of a penny, unknown sources, bad years and impossible dates', () => {
    expect(fundingStreamInputSchema.safeParse({ ...stream, allocatedPence: 10.5 }).success).toBe(false);
    expect(fundingStreamInputSchema.safeParse({ ...stream, source: 'nhse' }).success).toBe(false);
    expect(fundingStreamInputSchema.safeParse({ ...stream, financialYear: '2021/23' }).success).toBe(false);
    expect(fundingStreamInputSchema.safeParse({ ...stream, deadline: '2022-02-30' }).success).toBe(false);
    expect(
      fundingStreamInputSchema.safeParse({ ...stream, receipts: [{ date: '2021-06-01', amountPence: 0 }] }).success,
    ).toBe(false);
  });

  it('ships the five first-phase requirements as an editable checklist', () => {
    expect(FIRST_PHASE_CONDITIONS.map((c) => c.code)).toEqual([
      'scope',
      'map',
      'gap-tna',
      'readiness-toolkit',
      'engagement',
    ]);
    const checklist = firstPhaseChecklist();
    expect(checklist).toHaveLength(5);
    expect(checklist.every((c) => !c.done)).toBe(true);
    expect(fundingStreamInputSchema.parse({ ...stream, checklist }).checklist[2]?.text).toMatch(
      /training needs assessment/,
    );
  });

  it('has the default plan categories', () => {
    expect(DEFAULT_PLAN_CATEGORIES.map((c) => c.label)).toEqual([
      'Backfill',
      'Project lead time',
      'Training places',
      'Apprenticeship support',
      'Equipment and resources',
      'Events and engagement',
      'Other',
    ]);
  });
});

describe('plan line schema', () => {
  const line = {
    streamId: 1,
    category: 'training-places',
    description: 'Care Certificate cohort',
    totalPence: 120000,
    profile: 'even',
  };

  it('accepts a phased line and defaults the links', () => {
    expect(planLineInputSchema.parse(line)).toMatchObject({
      aims: [],
      requirements: [],
      tnaItemId: null,
      customMonths: null,
    });
    expect(
      planLineInputSchema.safeParse({ ...line, aims: ['education', 'retention'], requirements: ['gap-tna'] }).success,
    ).toBe(true);
    expect(planLineInputSchema.safeParse({ ...line, aims: ['wellbeing'] }).success).toBe(false);
  });

  it('requires custom months to add up to the line total', () => {
    const months = [10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000, 9999];
    const r = planLineInputSchema.safeParse({ ...line, profile: 'custom', customMonths: months });
    expect(r.error?.issues[0]?.path).toEqual(['customMonths']);
    // 11 x £100.00 + £99.99 = £1,199.99, a penny short of £1,200.00.
    expect(r.error?.issues[0]?.message).toBe('The monthly amounts add up to £1,199.99 but the line total is £1,200.00');
    months[11] = 10000;
    expect(planLineInputSchema.safeParse({ ...line, profile: 'custom', customMonths: months }).success).toBe(true);
    expect(planLineInputSchema.safeParse({ ...line, profile: 'custom' }).success).toBe(false);
  });
});

describe('ledger entry schema', () => {
  it('allows negative amounts for credits and reversals', () => {
    const entry = ledgerEntryInputSchema.parse({ kind: 'actual', date: '2021-09-30', amountPence: -25000 });
    expect(entry).toMatchObject({
      amountPence: -25000,
      planLineId: null,
      description: '',
      costCentre: '',
      accountCode: '',
    });
    expect(ledgerEntryInputSchema.safeParse({ kind: 'accrual', date: '2021-09-30', amountPence: 1 }).success).toBe(
      false,
    );
  });
});

describe('phase', () => {
  it('even: £1,000.00 is 8334p in April to July and 8333p in August to March', () => {
    // 100000 / 12 = 8333 r 4; all remainders equal, so the 4 spare pence go to the first 4 months.
    expect(phase(100000, 'even')).toEqual([8334, 8334, 8334, 8334, 8333, 8333, 8333, 8333, 8333, 8333, 8333, 8333]);
  });

  it('front-loaded: weights 12..1', () => {
    // Weights sum to 78. April: 100000 x 12 / 78 = 15384 r 48; May 14102 r 44; Jun 12820 r 40; Jul 11538 r 36;
    // Aug 10256 r 32; ... Mar 1282 r 4. Floors total 99996, so the 4 largest remainders (Apr to Jul) get +1p.
    const months = phase(100000, 'front-loaded');
    expect(months).toEqual([15385, 14103, 12821, 11539, 10256, 8974, 7692, 6410, 5128, 3846, 2564, 1282]);
    expect(sum(months)).toBe(100000);
  });

  it('back-loaded: weights 1..12, the mirror image', () => {
    // Same remainders reversed: the 4 largest are now March, February, January and December.
    const months = phase(100000, 'back-loaded');
    expect(months).toEqual([1282, 2564, 3846, 5128, 6410, 7692, 8974, 10256, 11539, 12821, 14103, 15385]);
  });

  it('custom: returned as given when it adds up, refused when not', () => {
    const custom = [0, 0, 0, 50000, 0, 0, 0, 0, 0, 0, 0, 50000];
    expect(phase(100000, 'custom', custom)).toEqual(custom);
    expect(() => phase(100001, 'custom', custom)).toThrow(
      'The monthly amounts add up to £1,000.00 but the line total is £1,000.01',
    );
    expect(() => phase(100000, 'custom')).toThrow(/12 months/);
    expect(() => phase(100000, 'custom', [100000])).toThrow(/12 months/);
  });

  it('keeps a zero total at zero', () => {
    expect(phase(0, 'front-loaded')).toEqual(Array(12).fill(0));
  });
});

describe('byMonth and cumulative', () => {
  it('buckets entries into April..March and reports the rest', () => {
    const { months, outsideYearPence } = byMonth(
      [
        { date: '2021-04-01', amountPence: 5000 },
        { date: '2021-04-30', amountPence: -1000 }, // credit note
        { date: '2022-03-31', amountPence: 700 },
        { date: '2022-04-01', amountPence: 99 }, // next year
      ],
      '2021/22',
    );
    expect(months).toEqual([4000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 700]);
    expect(outsideYearPence).toBe(99);
  });

  it('gives running totals', () => {
    expect(cumulative([100, 200, -50, 0])).toEqual([100, 300, 250, 250]);
    expect(cumulative([])).toEqual([]);
  });
});

describe('forecastOutturn', () => {
  // Plan: £12,000.00 evenly = 100000p a month. Actuals April to June: £900, £1,100, £950 = 295000p.
  const planByMonth = phase(1200000, 'even');
  const actualByMonth = [90000, 110000, 95000, 0, 0, 0, 0, 0, 0, 0, 0, 0];

  it('plan method: actuals to date plus the plan still to come', () => {
    // 295000 + 9 months x 100000 = 1195000p = £11,950.00.
    expect(forecastOutturn({ planByMonth, actualByMonth, asAtMonthIndex: 2, method: 'plan' })).toEqual({
      outturnPence: 1195000,
      actualsToDatePence: 295000,
      monthsElapsed: 3,
      method: 'plan',
    });
  });

  it('run-rate method: actuals to date / months elapsed x 12', () => {
    // 295000 / 3 x 12 = 1180000p = £11,800.00.
    expect(forecastOutturn({ planByMonth, actualByMonth, asAtMonthIndex: 2, method: 'run-rate' }).outturnPence).toBe(
      1180000,
    );
  });

  it('run-rate rounds once, to the nearest penny, halves away from zero', () => {
    const zeros = Array(12).fill(0);
    // openMonth: actuals so far in the month after the closed ones (not part of the run-rate).
    const at = (actualApril: number, asAtMonthIndex: number, openMonth = 0) =>
      forecastOutturn({
        planByMonth: zeros,
        actualByMonth: zeros.map((z, i) => (i === 0 ? actualApril : i === asAtMonthIndex + 1 ? openMonth : z)),
        asAtMonthIndex,
        method: 'run-rate',
      }).outturnPence;
    expect(at(1000, 6)).toBe(1714); // 1000 x 12 / 7 = 1714.29
    expect(at(1, 7)).toBe(2); // 12 / 8 = 1.5 -> 2
    // -12 / 8 = -1.5 -> -2 (a credit of 5p so far in the open month keeps the actuals to date, -6p, below it)
    expect(at(-1, 7, -5)).toBe(-2);
    expect(at(5, 6)).toBe(9); // 60 / 7 = 8.57 -> 9
  });

  it('uses the plan before any month has closed, and says so', () => {
    // As at a day in April: April's £900 so far is the actuals to date; the forecast takes April's plan (£1,000,
    // more than the £900 so far) and the plan for May to March: £12,000.
    const r = forecastOutturn({ planByMonth, actualByMonth, asAtMonthIndex: -1, method: 'run-rate' });
    expect(r).toEqual({ outturnPence: 1200000, actualsToDatePence: 90000, monthsElapsed: 0, method: 'plan' });
  });

  it('never forecasts less than the actuals to date (issue 10, item 14)', () => {
    // As at 15 December (8 months closed): £1,000 spent each month April to November, and £5,000 already in
    // December, whose plan is £1,000. Actuals to date £8,000 + £5,000 = £13,000.
    const spent = [...Array(8).fill(100000), 500000, 0, 0, 0];
    const mid = (method: 'plan' | 'run-rate') =>
      forecastOutturn({ planByMonth, actualByMonth: spent, asAtMonthIndex: 7, method });
    // plan: £8,000 closed + December's £5,000 (more than its £1,000 plan) + 3 x £1,000 = £16,000.
    expect(mid('plan')).toMatchObject({ outturnPence: 1600000, actualsToDatePence: 1300000 });
    // run-rate: £8,000 / 8 x 12 = £12,000 is below the £13,000 already spent, so £13,000.
    expect(mid('run-rate')).toMatchObject({ outturnPence: 1300000, actualsToDatePence: 1300000 });
    // Actuals dated after the as-at day are not the caller's to pass; months after the open one are ignored.
    const withLater = [...spent.slice(0, 9), 999999, 999999, 999999];
    expect(forecastOutturn({ planByMonth, actualByMonth: withLater, asAtMonthIndex: 7, method: 'plan' })).toEqual(
      mid('plan'),
    );
  });

  it('at year end both methods give the actuals', () => {
    const full = [...actualByMonth.slice(0, 3), ...Array(9).fill(100000)];
    // 295000 + 900000 = 1195000 whichever way.
    expect(forecastOutturn({ planByMonth, actualByMonth: full, asAtMonthIndex: 11, method: 'plan' }).outturnPence).toBe(
      1195000,
    );
    expect(
      forecastOutturn({ planByMonth, actualByMonth: full, asAtMonthIndex: 11, method: 'run-rate' }).outturnPence,
    ).toBe(1195000);
  });

  it('refuses malformed input', () => {
    expect(() => forecastOutturn({ planByMonth: [1], actualByMonth, asAtMonthIndex: 0, method: 'plan' })).toThrow(
      RangeError,
    );
    expect(() => forecastOutturn({ planByMonth, actualByMonth, asAtMonthIndex: 12, method: 'plan' })).toThrow(
      RangeError,
    );
  });
});

describe('variance and warnings', () => {
  it('calls budget above outturn an underspend', () => {
    expect(variance(735000, 690000)).toEqual({ variancePence: 45000, direction: 'underspend' });
    expect(variance(735000, 800000)).toEqual({ variancePence: -65000, direction: 'overspend' });
    expect(variance(735000, 735000)).toEqual({ variancePence: 0, direction: 'on-budget' });
  });

  it('warns in plain English about money left unspent at year end', () => {
    // £7,350.00 allocated, £6,900.00 forecast: £450.00 would be left over on 31 March 2022.
    expect(fundingWarnings({ allocatedPence: 735000, forecastPence: 690000, financialYear: '2021/22' })).toEqual([
      {
        code: 'underspend',
        message: '£450.00 of the £7,350.00 allocation is forecast to be left unspent at 31 Mar 2022.',
      },
    ]);
  });

  it('warns about overspend', () => {
    expect(fundingWarnings({ allocatedPence: 735000, forecastPence: 800000, financialYear: '2021/22' })).toEqual([
      { code: 'overspend', message: 'Forecast spend of £8,000.00 is £650.00 more than the £7,350.00 allocated.' },
    ]);
  });

  it('stays quiet within the tolerance and on budget', () => {
    expect(fundingWarnings({ allocatedPence: 735000, forecastPence: 735000, financialYear: '2021/22' })).toEqual([]);
    expect(
      fundingWarnings({
        allocatedPence: 735000,
        forecastPence: 734000,
        financialYear: '2021/22',
        tolerancePence: 1000,
      }),
    ).toEqual([]);
  });

  it('adds plan, receipt and deadline warnings when those facts are given', () => {
    const codes = fundingWarnings({
      allocatedPence: 735000,
      forecastPence: 735000,
      financialYear: '2021/22',
      plannedPence: 700000,
      receivedPence: 367500,
      deadline: '2022-01-31',
      openConditions: 2,
      asAtDate: '2022-02-01',
    });
    expect(codes).toEqual([
      { code: 'under-planned', message: '£350.00 of the £7,350.00 allocation is not in the spending plan yet.' },
      { code: 'not-received', message: '£3,675.00 of the £7,350.00 allocation has not been received yet.' },
      { code: 'deadline-passed', message: 'The deadline of 31 Jan 2022 has passed with 2 conditions not yet met.' },
    ]);
    expect(
      fundingWarnings({ allocatedPence: 100, forecastPence: 100, financialYear: '2021/22', plannedPence: 150 })[0]
        ?.code,
    ).toBe('over-planned');
  });
});

describe('ledger amounts', () => {
  it('reads a signed amount column in the formats finance exports use', () => {
    expect(ledgerAmount({ amount: '£1,234.56' })).toEqual({ ok: true, pence: 123456 });
    expect(ledgerAmount({ amount: '(250.00)' })).toEqual({ ok: true, pence: -25000 });
    expect(ledgerAmount({ amount: '250.00 CR' })).toEqual({ ok: true, pence: -25000 });
    expect(ledgerAmount({ amount: '1.234,56' })).toEqual({ ok: true, pence: 123456 });
    expect(ledgerAmount({ amount: '' })).toEqual({ ok: false, message: 'blank amount' });
    expect(ledgerAmount({ amount: '1.234' }).ok).toBe(false);
  });

  it('reads separate debit and credit columns, credit as negative', () => {
    expect(ledgerAmount({ debit: '1,000.00', credit: '' })).toEqual({ ok: true, pence: 100000 });
    expect(ledgerAmount({ debit: ' ', credit: '1,000.00' })).toEqual({ ok: true, pence: -100000 });
    expect(ledgerAmount({ debit: '', credit: '' }).ok).toBe(false);
    expect(ledgerAmount({ debit: '5', credit: '5' }).ok).toBe(false);
    expect(ledgerAmount({ credit: 'n/a' }).ok).toBe(false);
  });
});

describe('matchLedgerRow', () => {
  const rules: LedgerRule[] = [
    { id: 1, priority: 30, planLineId: 101, costCentre: 'C1234', accountCode: null, descriptionContains: null },
    {
      id: 2,
      priority: 10,
      planLineId: 102,
      costCentre: null,
      accountCode: { match: 'prefix', value: '52' },
      descriptionContains: 'bank',
    },
    {
      id: 3,
      priority: 20,
      planLineId: 103,
      costCentre: null,
      accountCode: { match: 'equals', value: '5810' },
      descriptionContains: null,
    },
    {
      id: 4,
      priority: 20,
      planLineId: 104,
      costCentre: null,
      accountCode: null,
      descriptionContains: 'care certificate',
    },
  ].map((r) => ledgerRuleSchema.parse(r));
  const row = (costCentre: string, accountCode: string, description: string) => ({
    costCentre,
    accountCode,
    description,
  });

  it('uses the lowest priority number first; every condition of a rule must hold', () => {
    // Rule 2 (priority 10) needs account 52.. AND "bank": both hold, so it beats rule 1 (priority 30).
    expect(matchLedgerRow(row('C1234', '5201', 'Bank staff backfill'), rules)).toMatchObject({
      planLineId: 102,
      rule: { id: 2 },
    });
    // Account 5201 but no "bank" in the description: rule 2 fails, rule 1 matches on cost centre.
    expect(matchLedgerRow(row('C1234', '5201', 'Agency backfill'), rules)).toMatchObject({
      planLineId: 101,
      rule: { id: 1 },
    });
  });

  it('breaks equal priorities by list order', () => {
    // Rules 3 and 4 both have priority 20 and both match; rule 3 comes first in the list.
    expect(matchLedgerRow(row('X', '5810', 'Care Certificate workbooks'), rules).planLineId).toBe(103);
    expect(matchLedgerRow(row('X', '5810', 'Care Certificate workbooks'), [...rules].reverse()).planLineId).toBe(104);
  });

  it('compares trimmed and case-insensitively; equals is not prefix', () => {
    expect(matchLedgerRow(row(' c1234 ', '', ''), rules).planLineId).toBe(101);
    expect(matchLedgerRow(row('X', '58100', ''), rules).planLineId).toBeNull();
    expect(matchLedgerRow(row('X', '', 'CARE CERTIFICATE'), rules).planLineId).toBe(104);
  });

  it('returns null when nothing matches', () => {
    expect(matchLedgerRow(row('Z9', '9999', 'Stationery'), rules)).toEqual({ planLineId: null, rule: null });
    expect(matchLedgerRow(row('C1234', '', ''), [])).toEqual({ planLineId: null, rule: null });
  });

  it('refuses a rule that matches nothing in particular', () => {
    const r = ledgerRuleSchema.safeParse({ id: 9, priority: 1, planLineId: 1, costCentre: ' ' });
    expect(r.error?.issues[0]?.message).toMatch(/at least one thing to match/);
  });
});

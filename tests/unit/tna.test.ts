import { describe, expect, it } from 'vitest';
import { apprenticeshipFunding, fundingCapPence, tnaItemCost, type FundingBand } from '../../shared/training/tna';

describe('apprenticeship funding bands', () => {
  it('ships ST0216 at GBP 3,000 confirmed, and ST0217 / ST0215 as provisional', () => {
    const byStandard = Object.fromEntries(apprenticeshipFunding.bands.map((b) => [b.standard, b]));
    expect(byStandard.ST0216).toMatchObject({ maxPence: 300000, provenance: 'confirmed' });
    expect(byStandard.ST0217).toMatchObject({ maxPence: 500000, provenance: 'provisional' });
    expect(byStandard.ST0215).toMatchObject({ maxPence: 1200000, provenance: 'provisional' });
    expect(byStandard.ST0217?.source).toMatch(/^provisional: check IfATE/);
  });

  it('takes an edited copy of the bands', () => {
    const edited: FundingBand[] = apprenticeshipFunding.bands.map((b) =>
      b.standard === 'ST0217' ? { ...b, maxPence: 700000 } : b,
    );
    expect(fundingCapPence('ST0217', edited)).toBe(700000);
    expect(fundingCapPence('in-house')).toBeNull();
  });
});

describe('tnaItemCost (integer pence, rounded once per item, half-up)', () => {
  it('worked example: two band 3 staff on ST0216 with four weeks of backfill', () => {
    // Band 3 entry step from 1 April 2022: 2,173,000p a year.
    // tuition  = 300,000 x 2                                   = 600,000p
    // backfill = 2,173,000 x 1.0 x 4 / 52 x 2 = 17,384,000 / 52 = 334,307.69p  -> shown 334,308p
    // on-cost  = 334,307.69 x 25%                              =  83,576.92p
    // total    = 600,000 + 334,307.69 + 83,576.92              = 1,017,884.62p -> 1,017,885p
    // on-cost shown = 1,017,885 - 600,000 - 334,308            =  83,577p
    expect(
      tnaItemCost({
        route: 'ST0216',
        cohortSize: 2,
        tuitionPencePerPerson: 300000,
        backfillWeeks: 4,
        band: '3',
        fte: 1,
        onCostPercent: 25,
        date: '2022-06-01',
      }),
    ).toEqual({
      tuitionPence: 600000,
      backfillPence: 334308,
      onCostPence: 83577,
      totalPence: 1017885,
      annualPayPence: 2173000,
      fundingCapPence: 300000,
      levyFundablePence: 600000,
      tuitionAboveCapPence: 0,
    });
  });

  it('rounds the item once, not each part', () => {
    // Band 3 entry 2021/22: 2,033,000p. One week of backfill for two people, on-cost 20%.
    // backfill = 2,033,000 x 1 / 52 x 2 = 4,066,000 / 52 = 78,192.31p -> 78,192p
    // on-cost  = 78,192.31 x 20%                       = 15,638.46p (rounding it alone would give 15,638p)
    // total    = 93,830.77p -> 93,831p; on-cost shown = 93,831 - 78,192 = 15,639p
    const cost = tnaItemCost({
      route: 'in-house',
      cohortSize: 2,
      tuitionPencePerPerson: 0,
      backfillWeeks: 1,
      band: '3',
      fte: 1,
      onCostPercent: 20,
      date: '2021-09-01',
    });
    expect(cost).toMatchObject({
      backfillPence: 78192,
      onCostPence: 15639,
      totalPence: 93831,
      fundingCapPence: null,
      levyFundablePence: null,
    });
  });

  it('rounds exactly half a penny up', () => {
    // A test pay point of 1,300,026p: one week = 1,300,026 / 52 = 25,000.5p -> 25,001p (not banker's 25,000p).
    const payPoints = [{ effectiveFrom: '2021-04-01', band: '2' as const, step: 'entry', annualPence: 1300026 }];
    const cost = tnaItemCost(
      {
        route: 'in-house',
        cohortSize: 1,
        tuitionPencePerPerson: 0,
        backfillWeeks: 1,
        band: '2',
        fte: 1,
        onCostPercent: 0,
        date: '2021-04-01',
      },
      { payPoints },
    );
    expect(cost).toMatchObject({ backfillPence: 25001, onCostPence: 0, totalPence: 25001 });
  });

  it('handles part-time FTE, part weeks and a decimal on-cost', () => {
    // Band 4 top step 2022/23: 2,628,200p. FTE 0.6, 2.5 weeks, three people, on-cost 27.35%.
    // backfill = 2,628,200 x 0.6 x 2.5 / 52 x 3 = 11,826,900 / 52 = 227,440.38p -> 227,440p
    // total    = 227,440.38 x 1.2735 = 289,645.33p -> 289,645p; on-cost = 289,645 - 227,440 = 62,205p
    const cost = tnaItemCost({
      route: 'in-house',
      cohortSize: 3,
      tuitionPencePerPerson: 0,
      backfillWeeks: 2.5,
      band: '4',
      fte: 0.6,
      onCostPercent: 27.35,
      date: '2023-01-15',
      step: 'top',
    });
    expect(cost).toMatchObject({
      annualPayPence: 2628200,
      backfillPence: 227440,
      onCostPence: 62205,
      totalPence: 289645,
    });
  });

  it('splits apprenticeship tuition at the funding band maximum', () => {
    // ST0215 cap 1,200,000p; tuition 1,350,000p each for 2: fundable 2,400,000p, above the cap 300,000p.
    const cost = tnaItemCost({
      route: 'ST0215',
      cohortSize: 2,
      tuitionPencePerPerson: 1350000,
      backfillWeeks: 0,
      band: '4',
      fte: 1,
      onCostPercent: 25,
      date: '2019-01-01',
    });
    expect(cost).toMatchObject({
      tuitionPence: 2700000,
      backfillPence: 0,
      totalPence: 2700000,
      annualPayPence: null,
      levyFundablePence: 2400000,
      tuitionAboveCapPence: 300000,
    });
  });

  it('refuses bad input and missing pay points', () => {
    const base = {
      route: 'in-house' as const,
      cohortSize: 1,
      tuitionPencePerPerson: 0,
      backfillWeeks: 1,
      band: '3' as const,
      fte: 1,
      onCostPercent: 20,
      date: '2022-06-01',
    };
    expect(() => tnaItemCost({ ...base, tuitionPencePerPerson: 10.5 })).toThrow();
    expect(() => tnaItemCost({ ...base, fte: 0.53333 })).toThrow(/4 decimal places/);
    expect(() => tnaItemCost({ ...base, cohortSize: -1 })).toThrow();
    expect(() => tnaItemCost({ ...base, date: '2020-01-01' })).toThrow(/No Agenda for Change pay point/);
    expect(() => tnaItemCost({ ...base, band: '6' })).toThrow(/band 6/);
  });
});

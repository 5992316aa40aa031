import { describe, expect, it } from 'vitest';
import {
  ageBand,
  bmeShare,
  describeVacancyCoverage,
  formatRate,
  isSmallCount,
  leaverRate,
  roundForDisplay,
  stabilityIndex,
  vacancyOver,
  vacancyRate,
} from '../../shared/picture/metrics';

describe('leaver rate', () => {
  it('worked example', () => {
    // 6 leavers; headcount 50 at start and 70 at end; average (50 + 70) / 2 = 60; 6 / 60 x 100 = 10.0
    expect(leaverRate(6, 50, 70)).toBe(10);
    expect(formatRate(leaverRate(6, 50, 70))).toBe('10.0');
  });
  it('awkward fraction', () => {
    // 5 leavers; headcount 40 and 44; average 42; 5 / 42 x 100 = 11.904... -> 11.9
    expect(roundForDisplay(leaverRate(5, 40, 44))).toBe(11.9);
  });
  it('no staff at either end gives no rate, not 0%', () => {
    expect(leaverRate(0, 0, 0)).toBeNull();
    expect(formatRate(leaverRate(0, 0, 0))).toBe('—');
  });
  it('refuses negative counts', () => {
    expect(() => leaverRate(-1, 10, 10)).toThrow(RangeError);
  });
});

describe('stability index', () => {
  it('worked example', () => {
    // 40 staff in post a year ago; 34 of today's staff have a year or more of service; 34 / 40 x 100 = 85.0
    expect(stabilityIndex(34, 40)).toBe(85);
    // 2 / 3 x 100 = 66.666... -> 66.7
    expect(roundForDisplay(stabilityIndex(2, 3))).toBe(66.7);
    expect(stabilityIndex(0, 0)).toBeNull();
  });
});

describe('vacancy rate', () => {
  it('worked example', () => {
    // establishment 25.0 FTE, 21.4 FTE in post; (25 - 21.4) / 25 x 100 = 3.6 / 25 x 100 = 14.4
    expect(roundForDisplay(vacancyRate(25, 21.4))).toBe(14.4);
    // over establishment: 10 funded, 10.5 in post; -0.5 / 10 x 100 = -5.0
    expect(roundForDisplay(vacancyRate(10, 10.5))).toBe(-5);
    expect(vacancyRate(0, 3)).toBeNull();
  });
});

describe('vacancy over roles: only roles with an establishment count', () => {
  /** A role: establishment in FTE, and contracted hours in post a week (37.5 h = 1.0 FTE). */
  const role = (establishmentFte: number, hours: number) => ({
    establishmentCenti: Math.round(establishmentFte * 100),
    hoursCenti: Math.round(hours * 100),
  });

  it('worked example: two roles with an establishment, one without', () => {
    // A: 5.0 FTE funded, 150 h in post = 4.0 FTE.  B: 3.0 FTE funded, 93.75 h = 2.5 FTE.
    // C: no establishment, 75 h = 2.0 FTE in post: left out of both sides.
    // Establishment 5 + 3 = 8.0; in post in A and B 4 + 2.5 = 6.5; vacancy 8 - 6.5 = 1.5 FTE; 1.5 / 8 x 100 = 18.75
    // -> 18.8%. (Counting C's 2.0 FTE against nobody's establishment would have given (8 - 8.5) / 8 = -6.3%.)
    // Coverage: 6.5 of 8.5 FTE in post = 76.47...% -> 76.5%.
    expect(vacancyOver([role(5, 150), role(3, 93.75), role(0, 75)])).toEqual({
      establishmentFte: 8,
      inPostFte: 6.5,
      vacancyFte: 1.5,
      vacancyRate: 18.8,
      coverage: { roles: 3, rolesWithEstablishment: 2, inPostFte: 6.5, allInPostFte: 8.5, percent: 76.5 },
    });
  });

  it("the issue's case: 5 of 564 roles given 25 FTE", () => {
    // Five roles of 5.0 FTE each with 24.0 FTE in post between them (900 h); 559 roles without an establishment
    // hold the other 1,131.3 FTE (42,423.75 h), 1,155.3 FTE in all. Before: (25 - 1,155.3) / 25 x 100 = -4,521.2%.
    // Now: (25 - 24) / 25 x 100 = 4.0%, covering 24 / 1,155.3 = 2.077...% -> 2.1% of the FTE in post.
    const covered = [180, 180, 180, 180, 180].map((h) => role(5, h));
    const others = Array.from({ length: 559 }, (_, i) => role(0, i === 0 ? 42_423.75 - 558 * 75 : 75));
    const v = vacancyOver([...covered, ...others]);
    expect(v).toMatchObject({ establishmentFte: 25, inPostFte: 24, vacancyFte: 1, vacancyRate: 4 });
    expect(v.coverage).toEqual({
      roles: 564,
      rolesWithEstablishment: 5,
      inPostFte: 24,
      allInPostFte: 1155.3,
      percent: 2.1,
    });
    expect(describeVacancyCoverage(v.coverage)).toBe(
      'Vacancy covers the 5 of 564 post lines with an establishment set: 24.00 of 1,155.30 FTE in post (2.1%).',
    );
  });

  it('a role with no establishment has no vacancy, not a negative one', () => {
    expect(vacancyOver([role(0, 37.5)])).toMatchObject({ vacancyFte: null, vacancyRate: null });
    // Over establishment is still negative: 2.0 funded, 2.5 in post -> -0.5 FTE, -25.0%.
    expect(vacancyOver([role(2, 93.75)])).toMatchObject({ vacancyFte: -0.5, vacancyRate: -25 });
    // An establishment with nobody in post is fully vacant; coverage has no share to give.
    expect(vacancyOver([role(4, 0)])).toMatchObject({
      vacancyFte: 4,
      vacancyRate: 100,
      coverage: { inPostFte: 0, allInPostFte: 0, percent: null },
    });
  });

  it('says what it covers in every case', () => {
    expect(describeVacancyCoverage(vacancyOver([]).coverage)).toBe(
      'There are no post lines (roles in services), so there is no vacancy to work out.',
    );
    expect(describeVacancyCoverage(vacancyOver([role(0, 37.5), role(0, 18.75)]).coverage)).toBe(
      'No post line has an establishment set, so there is no vacancy to work out (2 post lines, 1.50 FTE in post).',
    );
    expect(describeVacancyCoverage(vacancyOver([role(2, 37.5), role(1, 18.75)]).coverage)).toBe(
      'Vacancy covers all 2 post lines, each with an establishment set: 1.50 FTE in post.',
    );
    expect(describeVacancyCoverage(vacancyOver([role(2, 37.5)]).coverage)).toBe(
      'Vacancy covers the one post line, which has an establishment set: 1.00 FTE in post.',
    );
    expect(describeVacancyCoverage(vacancyOver([role(2, 0), role(0, 0)]).coverage)).toBe(
      'Vacancy covers the 1 of 2 post lines with an establishment set: nobody is in post.',
    );
  });

  it('refuses negative hours or establishment', () => {
    expect(() => vacancyOver([role(-1, 0)])).toThrow(RangeError);
    expect(() => vacancyOver([role(1, -1)])).toThrow(RangeError);
  });
});

describe('rounding for display', () => {
  it('rounds half away from zero without binary artefacts', () => {
    expect(roundForDisplay(10.05)).toBe(10.1);
    expect(roundForDisplay(-10.05)).toBe(-10.1);
    expect(roundForDisplay(0.25)).toBe(0.3);
    expect(roundForDisplay(1.005, 2)).toBe(1.01);
    expect(roundForDisplay(12.34)).toBe(12.3);
    expect(roundForDisplay(-0.04)).toBe(0);
    expect(roundForDisplay(1e-9)).toBe(0);
    expect(roundForDisplay(null)).toBeNull();
    expect(formatRate(7)).toBe('7.0');
  });
});

describe('age bands', () => {
  it('uses the as-at year minus the year of birth', () => {
    // as at 2022-03-31: born 2003 -> 19 -> under 20; 2002 -> 20; 1998 -> 24; 1997 -> 25; 1958 -> 64; 1957 -> 65
    expect(ageBand(2003, '2022-03-31')).toBe('under-20');
    expect(ageBand(2002, '2022-03-31')).toBe('20-24');
    expect(ageBand(1998, '2022-03-31')).toBe('20-24');
    expect(ageBand(1997, '2022-03-31')).toBe('25-29');
    expect(ageBand(1958, '2022-03-31')).toBe('60-64');
    expect(ageBand(1957, '2022-03-31')).toBe('65-plus');
    expect(ageBand(null, '2022-03-31')).toBe('unknown');
    expect(ageBand(2030, '2022-03-31')).toBe('unknown');
  });
});

describe('BME share', () => {
  it('leaves not stated and not known out of the denominator', () => {
    // BME: H 3 + N 2 = 5; white: A 12 + C 3 = 15; not stated Z 4 and not known 99 1 excluded; 5 / 20 x 100 = 25.0
    const share = bmeShare({ A: 12, C: 3, H: 3, N: 2, Z: 4, '99': 1 });
    expect(share).toEqual({ bme: 5, white: 15, notStatedOrKnown: 5, unrecognised: 0, percent: 25 });
  });
  it('gives no share when nobody has a known category', () => {
    expect(bmeShare({ Z: 3 }).percent).toBeNull();
    expect(bmeShare({ Q: 2 }).unrecognised).toBe(2);
  });
});

describe('small counts', () => {
  it('marks 1 to 7 by default, never 0', () => {
    expect([0, 1, 7, 8].map((n) => isSmallCount(n))).toEqual([false, true, true, false]);
    expect(isSmallCount(9, 10)).toBe(true);
  });
});

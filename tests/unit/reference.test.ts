import { describe, expect, it } from 'vitest';
import {
  afcPay,
  afcPayDatasetSchema,
  bandsWithPay,
  describeOccupationCode,
  ethnicCategories,
  payPointOn,
  payYearNote,
  professions,
} from '../../shared/common/reference';

describe('reference data', () => {
  it('ships the 14 AHPs plus other', () => {
    expect(professions.items).toHaveLength(16);
    expect(professions.items.map((p) => p.code)).toContain('OTH');
  });

  it('reads occupation codes by group and area', () => {
    expect(describeOccupationCode('s5e')).toMatchObject({ supportRole: 'assistant-practitioner', profession: 'PHY' });
    expect(describeOccupationCode('H2J')).toMatchObject({ supportRole: 'support-worker', profession: 'PHY' });
    expect(describeOccupationCode('H2E')).toBeNull(); // E is not an AHP area for H codes
    expect(describeOccupationCode('S9H')?.professionChoices).toEqual(['ART', 'MUS', 'DRA']);
    expect(describeOccupationCode('N0A')).toBeNull();
  });

  it('finds the pay point in force on a date', () => {
    expect(payPointOn('2021-06-30', '3', 'entry')?.annualPence).toBe(2033000);
    expect(payPointOn('2022-04-01', '3', 'entry')?.annualPence).toBe(2173000);
    expect(payPointOn('2020-04-01', '3', 'entry')).toBeNull();
  });

  it('ships Agenda for Change pay for every year from 2021/22 to 2025/26, bands 2 to 4, entry and top, each with a source', () => {
    expect(afcPay.years.map((y) => [y.year, y.effectiveFrom])).toEqual([
      ['2021/22', '2021-04-01'],
      ['2022/23', '2022-04-01'],
      ['2023/24', '2023-04-01'],
      ['2024/25', '2024-04-01'],
      ['2025/26', '2025-04-01'],
    ]);
    for (const y of afcPay.years) {
      expect(y.source).toContain(`Agenda for Change pay scales ${y.year}`);
      expect(y.payPoints.map((p) => `${p.band}/${p.step}`)).toEqual([
        '2/entry',
        '2/top',
        '3/entry',
        '3/top',
        '4/entry',
        '4/top',
      ]);
      for (const band of ['2', '3', '4']) {
        const [entry, top] = ['entry', 'top'].map(
          (step) => y.payPoints.find((p) => p.band === band && p.step === step)!.annualPence,
        );
        expect(entry).toBeLessThanOrEqual(top!);
      }
    }
    // Figures from shared/DOMAIN.md, in pounds.
    const pounds = (date: string, band: '2' | '3' | '4', step: string) =>
      payPointOn(date, band, step)!.annualPence / 100;
    expect(pounds('2023-04-01', '2', 'entry')).toBe(22383);
    expect(pounds('2023-04-01', '2', 'top')).toBe(22383); // one pay point in band 2 from 2023/24
    expect([pounds('2024-06-30', '3', 'entry'), pounds('2024-06-30', '3', 'top')]).toEqual([24071, 25674]);
    expect([pounds('2025-04-01', '4', 'entry'), pounds('2025-04-01', '4', 'top')]).toEqual([27485, 30162]);
    expect(bandsWithPay()).toEqual(['2', '3', '4']);
  });

  it('uses the latest year for later dates, and says so', () => {
    const point = payPointOn('2026-07-01', '3', 'entry')!;
    expect(point).toMatchObject({ effectiveFrom: '2025-04-01', annualPence: 2493700 });
    expect(payYearNote('2026-07-01', point)).toBe('2025/26 pay used for 2026/27: no later pay scale entered');
    expect(payYearNote('2025-07-01', point)).toBeNull();
  });

  it('refuses a pay year that does not start on 1 April of its first year', () => {
    const bad = {
      dataset: 'afc-pay',
      version: 'x',
      source: 's',
      years: [{ ...afcPay.years[0]!, effectiveFrom: '2021-05-01' }],
    };
    expect(afcPayDatasetSchema.safeParse(bad).success).toBe(false);
  });

  it('marks not stated and not known as neither BME nor white', () => {
    expect(ethnicCategories.items.filter((e) => e.bme === null).map((e) => e.code)).toEqual(['Z', '99']);
  });
});

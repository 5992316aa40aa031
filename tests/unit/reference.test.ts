import { describe, expect, it } from 'vitest';
import { describeOccupationCode, payPointOn, professions, ethnicCategories } from '../../shared/common/reference';

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

  it('marks not stated and not known as neither BME nor white', () => {
    expect(ethnicCategories.items.filter((e) => e.bme === null).map((e) => e.code)).toEqual(['Z', '99']);
  });
});

import { describe, expect, it } from 'vitest';
import {
  fteFromHoursCenti,
  personInputSchema,
  postInputSchema,
  roleInputSchema,
  toCenti,
} from '../../shared/workforce/channels';
import { organisationSchema } from '../../shared/settings/channels';
import { combineChannels, channel } from '../../shared/common/api';
import { z } from 'zod';

describe('FTE from contracted hours (37.5 h = 1.0 FTE)', () => {
  it.each([
    [3750, 1], // 37.5 h
    [1875, 0.5], // 18.75 h
    [750, 0.2], // 7.5 h
    [2250, 0.6], // 22.5 h
    [1000, 0.27], // 10 h = 0.2666.. -> 0.27
    [0, 0],
  ])('%i hundredths of an hour is %f FTE', (hours, fte) => expect(fteFromHoursCenti(hours)).toBe(fte));

  it('sums exactly: three people on 0.1 FTE make 0.3, not 0.30000000000000004', () => {
    // 3.75 h each = 375 hundredths; summed as integers first: 1125 / 37.5 = 30 hundredths of FTE.
    expect(fteFromHoursCenti(375 + 375 + 375)).toBe(0.3);
    expect(toCenti(0.1 + 0.2)).toBe(30);
  });
});

describe('workforce schemas', () => {
  it('normalises an ODS code and explains a bad one', () => {
    expect(organisationSchema.parse({ name: ' Trust ', odsCode: 'rx9', ics: 'ICS', ahpFaculty: 'F' })).toEqual({
      name: 'Trust',
      odsCode: 'RX9',
      ics: 'ICS',
      ahpFaculty: 'F',
    });
    const bad = organisationSchema.safeParse({ name: 'T', odsCode: 'R X 9!', ics: 'I', ahpFaculty: 'F' });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(bad.error.issues[0]!.message).toMatch(/ODS code/);
  });

  it('accepts FTE to 2 decimal places only', () => {
    const base = { roleId: 1, serviceId: 1 };
    expect(postInputSchema.safeParse({ ...base, establishmentFte: 2.25 }).success).toBe(true);
    expect(postInputSchema.safeParse({ ...base, establishmentFte: 2.255 }).success).toBe(false);
    expect(postInputSchema.safeParse({ ...base, establishmentFte: -1 }).success).toBe(false);
    expect(postInputSchema.parse({ ...base, establishmentFte: 1 }).budgetPence).toBeNull();
    expect(roleInputSchema.safeParse({ title: 'T', profession: 'PHY', band: '3' }).success).toBe(true);
  });

  it('needs an end date on or after the start date', () => {
    const person = {
      yearOfBirth: 1990,
      sex: 'F',
      ethnicCategory: 'A',
      disability: 'no',
      assignments: [
        {
          roleId: 1,
          serviceId: 1,
          contractedHours: 37.5,
          startDate: '2024-05-01',
          endDate: '2024-04-30',
          leavingReason: '',
        },
      ],
    };
    const r = personInputSchema.safeParse(person);
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues[0]!.path).toEqual(['assignments', 0, 'endDate']);
  });
});

describe('combining capability channels', () => {
  it('refuses a channel name declared twice', () => {
    const a = { 'x/y': channel(z.object({}), z.null(), 'one') };
    const b = { 'x/y': channel(z.object({}), z.null(), 'two') };
    expect(() => combineChannels(a, b)).toThrow('Channel x/y is declared twice');
  });
});

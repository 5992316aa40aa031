import { describe, expect, it } from 'vitest';
import { guessDateFormat, normaliseDate, type Cell, type Normalised } from '../../shared/common/cells';
import {
  applyProfile,
  guessMapping,
  importProfileSchema,
  missingRequiredFields,
  profileColumns,
} from '../../shared/import/fields';
import {
  normaliseBand,
  normaliseDisability,
  normaliseEthnicCategory,
  normaliseFte,
  normaliseHours,
  normaliseSex,
  normaliseYearOfBirth,
} from '../../shared/import/cells';
import { normaliseRow } from '../../shared/import/rows';

const value = <T>(r: Normalised<T>): T => {
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

const ESR = [
  'Employee Number',
  'Assignment Number',
  'Position Title',
  'Occupation Code',
  'Pay Band',
  'Contracted Hours',
  'FTE',
  'Hire Date',
  'Termination Date',
  'Leaving Reason',
  'Date of Birth',
  'Gender',
  'Ethnic Origin',
  'Disability',
  'Org L3',
  'Service',
];

describe('guessMapping', () => {
  it('maps ESR headers whatever the case, spacing and punctuation', () => {
    const headers = ESR.map((h) => ` ${h.toUpperCase().replace(/ /g, '_')} `);
    const mapping = guessMapping(headers);
    expect(mapping).toEqual({
      employeeNumber: 0,
      assignmentNumber: 1,
      positionTitle: 2,
      occupationCode: 3,
      band: 4,
      contractedHours: 5,
      fte: 6,
      startDate: 7,
      endDate: 8,
      leavingReason: 9,
      dateOfBirth: 10,
      sex: 11,
      ethnicCategory: 12,
      disability: 13,
      costCentre: 14,
      service: 15,
    });
  });

  it('uses looser keyword rules and never maps one column twice', () => {
    const mapping = guessMapping([
      'Grade',
      'Staff Number',
      'Ethnicity (2001 census)',
      'WTE',
      'Latest Hire Date',
      'Cost Centre',
      'Gender',
      'Sex',
    ]);
    expect(mapping.band).toBe(0);
    expect(mapping.employeeNumber).toBe(1);
    expect(mapping.ethnicCategory).toBe(2);
    expect(mapping.fte).toBe(3);
    expect(mapping.startDate).toBe(4);
    expect(mapping.costCentre).toBe(5);
    expect(mapping.sex).toBe(6);
    expect(mapping.contractedHours).toBeNull();
    const used = Object.values(mapping).filter((v) => v !== null);
    expect(new Set(used).size).toBe(used.length);
  });

  it('names missing required columns in plain English', () => {
    expect(missingRequiredFields(guessMapping(ESR))).toEqual([]);
    expect(missingRequiredFields(guessMapping(['Employee Number', 'Occupation Code', 'Position Title']))).toEqual([
      'Pay band (Agenda for Change)',
      'Start date',
      'Contracted hours or FTE (at least one)',
    ]);
  });

  it('saves a mapping as a profile and re-applies it to a reordered file', () => {
    const mapping = guessMapping(ESR);
    const profile = importProfileSchema.parse({ name: 'ESR monthly', columns: profileColumns(mapping, ESR) });
    expect(profile.dateOrder).toBe('dmy');
    expect(missingRequiredFields(profile.columns)).toEqual([]);
    const reordered = [...ESR].reverse().filter((h) => h !== 'Service');
    const applied = applyProfile(profile, reordered);
    expect(applied.missingHeaders).toEqual(['Service']);
    expect(reordered[applied.mapping.band!]).toBe('Pay Band');
  });
});

describe('normalisers', () => {
  it('bands', () => {
    for (const [raw, band] of [
      ['Band 3', '3'],
      ['AfC Band 3', '3'],
      ['3', '3'],
      ['Band 8a', '8a'],
      ['8A', '8a'],
      ['Band 8 - Range B', '8b'],
      [4, '4'],
    ] as const) {
      expect(value(normaliseBand(raw))).toBe(band);
    }
    expect(normaliseBand('Medical Consultant')).toMatchObject({ ok: false });
    expect(normaliseBand('Band 8e')).toMatchObject({ ok: false });
  });

  it('dates in the shapes extracts use', () => {
    const cases: [Cell, string][] = [
      ['03/04/2021', '2021-04-03'],
      ['3/4/21', '2021-04-03'],
      ['2021-04-03', '2021-04-03'],
      ['2021-04-03T00:00:00', '2021-04-03'],
      ['3-Apr-21', '2021-04-03'],
      ['03 April 2021', '2021-04-03'],
      ['03.04.2021', '2021-04-03'],
      [44289, '2021-04-03'], // Excel serial: 44289 days after 1899-12-30
      ['44289', '2021-04-03'],
      [new Date(Date.UTC(2021, 3, 3)), '2021-04-03'],
      ['1/1/65', '1965-01-01'],
      ['31/03/30', '2030-03-31'],
    ];
    for (const [raw, iso] of cases) expect(value(normaliseDate(raw, { referenceYear: 2024 }))).toBe(iso);
    expect(value(normaliseDate('04/03/2021', { order: 'mdy' }))).toBe('2021-04-03');
    expect(normaliseDate('31/02/2021')).toMatchObject({ ok: false });
    expect(normaliseDate('next Tuesday')).toMatchObject({ ok: false });
  });

  it('guesses dd/mm against mm/dd, defaulting to the UK order', () => {
    expect(guessDateFormat(['01/02/2021', '25/12/2020'])).toMatchObject({ order: 'dmy', certain: true });
    expect(guessDateFormat(['01/02/2021', '12/25/2020'])).toMatchObject({ order: 'mdy', certain: true });
    expect(guessDateFormat(['01/02/2021', '03/04/2020'])).toMatchObject({ order: 'dmy', certain: false });
    expect(guessDateFormat(['2021-02-01'])).toMatchObject({ order: 'ymd', certain: true });
  });

  it('hours in hundredths and FTE', () => {
    expect(value(normaliseHours('37.5'))).toBe(3750);
    expect(value(normaliseHours('18,75'))).toBe(1875);
    expect(value(normaliseHours(22.5))).toBe(2250);
    expect(normaliseHours('-1')).toMatchObject({ ok: false, message: expect.stringMatching(/negative/) });
    expect(normaliseHours('full time')).toMatchObject({ ok: false });
    expect(normaliseHours('60')).toMatchObject({ ok: true, value: 6000, warning: expect.stringMatching(/1.5 FTE/) });
    expect(value(normaliseFte('0.8'))).toBe(0.8);
    expect(value(normaliseFte('80%'))).toBe(0.8);
    expect(normaliseFte('1.6')).toMatchObject({ ok: true, warning: expect.stringMatching(/above 1.5/) });
    expect(normaliseFte('-0.5')).toMatchObject({ ok: false });
  });

  it('ethnic category by code, ESR value or label', () => {
    const cases: [string, string][] = [
      ['A', 'A'],
      ['99', '99'],
      ['A White - British', 'A'],
      ['White - British', 'A'],
      ['British', 'A'],
      ['Indian', 'H'],
      ['Asian or Asian British - Pakistani', 'J'],
      ['Z Not Stated', 'Z'],
      ['Not stated', 'Z'],
      ['CP White Polish', 'C'],
      ['I do not wish to disclose my ethnic origin', 'Z'],
      ['Chinese', 'R'],
    ];
    for (const [raw, code] of cases) expect(value(normaliseEthnicCategory(raw))).toBe(code);
    expect(normaliseEthnicCategory('Martian')).toMatchObject({ ok: false });
  });

  it('sex, disability and year of birth (never the date)', () => {
    expect(['M', 'f', 'Female', 'Male', 'Unknown', 'X'].map((s) => value(normaliseSex(s)))).toEqual([
      'M',
      'F',
      'F',
      'M',
      'U',
      'X',
    ]);
    expect(['Yes', 'N', 'Not Declared', 'Prefer not to say'].map((s) => value(normaliseDisability(s)))).toEqual([
      'yes',
      'no',
      'not-declared',
      'not-declared',
    ]);
    expect(value(normaliseYearOfBirth('14/07/1985', { referenceYear: 2024 }))).toBe(1985);
    expect(value(normaliseYearOfBirth('1985', { referenceYear: 2024 }))).toBe(1985);
    expect(normaliseYearOfBirth('01/01/2030', { referenceYear: 2024 })).toMatchObject({ ok: false });
  });
});

describe('normaliseRow', () => {
  const mapping = guessMapping(ESR);
  const row = (overrides: Record<number, Cell> = {}): Cell[] => {
    const cells: Cell[] = [
      '10000001',
      '',
      'Physiotherapy Assistant',
      's9e',
      'Band 3',
      '30',
      '',
      '01/04/2019',
      '',
      '',
      '14/07/1985',
      'F',
      'A',
      'No',
      'Therapies',
      'MSK',
    ];
    for (const [i, v] of Object.entries(overrides)) cells[Number(i)] = v;
    return cells;
  };

  it('derives FTE, assignment number, profession and support role', () => {
    const result = normaliseRow(row(), mapping, { headers: ESR, referenceYear: 2024 });
    expect(result.errors).toEqual([]);
    expect(result.value).toMatchObject({
      employeeNumber: '10000001',
      assignmentNumber: '10000001-1',
      occupationCode: 'S9E',
      band: '3',
      contractedHoursHundredths: 3000,
      fte: 0.8, // 30 / 37.5
      startDate: '2019-04-01',
      yearOfBirth: 1985,
      profession: 'PHY',
      supportRole: 'assistant',
      isAhpSupport: true,
    });
    expect(result.value).not.toHaveProperty('dateOfBirth');
  });

  it('derives hours from FTE', () => {
    const result = normaliseRow(row({ 5: '', 6: '0.6' }), mapping);
    expect(result.value?.contractedHoursHundredths).toBe(2250); // 0.6 x 37.5 = 22.5 h
  });

  it('flags a code outside AHP support without refusing the row', () => {
    const result = normaliseRow(row({ 3: 'N9A' }), mapping, { headers: ESR });
    expect(result.value).toMatchObject({ profession: null, supportRole: null, isAhpSupport: false });
    expect(result.warnings).toEqual([expect.objectContaining({ column: 'Occupation Code' })]);
  });

  it('collects every error, naming the file column', () => {
    const result = normaliseRow(row({ 0: '', 4: 'Grade Z', 5: '-3', 7: '31/02/2020' }), mapping, { headers: ESR });
    expect(result.value).toBeUndefined();
    expect(result.errors.map((e) => e.column)).toEqual([
      'Employee Number',
      'Pay Band',
      'Hire Date',
      'Contracted Hours',
    ]);
  });

  it('refuses a leaving date before the start date and rows with no hours or FTE', () => {
    expect(normaliseRow(row({ 8: '01/01/2019' }), mapping).errors[0]?.message).toMatch(/before start date/);
    expect(normaliseRow(row({ 5: '' }), mapping).errors[0]?.message).toMatch(/both blank/);
  });

  it('keeps formula-looking text exactly as data', () => {
    const result = normaliseRow(row({ 2: '=HYPERLINK("http://evil","x")', 14: '+44 cost', 15: '@team' }), mapping);
    expect(result.value).toMatchObject({
      positionTitle: '=HYPERLINK("http://evil","x")',
      costCentre: '+44 cost',
      service: '@team',
    });
  });

  it('keeps spreadsheet numbers as identifiers without decimals', () => {
    expect(normaliseRow(row({ 0: 10000001 }), mapping).value?.employeeNumber).toBe('10000001');
  });

  it('warns when hours and FTE disagree', () => {
    const result = normaliseRow(row({ 6: '1.0' }), mapping);
    expect(result.warnings.map((w) => w.field)).toEqual(['fte']);
  });
});

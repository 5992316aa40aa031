import { describe, expect, it } from 'vitest';
import { normaliseTitle, sameTitleReason, suggestRoleGroups, titleKey } from '../../shared/workforce/titles';

describe('normaliseTitle', () => {
  it('ignores case, spacing and punctuation', () => {
    expect(normaliseTitle('Therapy Assistant')).toBe('therapy assistant');
    expect(normaliseTitle('  therapy   ASSISTANT ')).toBe('therapy assistant');
    expect(normaliseTitle('Therapy-Assistant.')).toBe('therapy assistant');
    expect(normaliseTitle('Dietetic & Nutrition Assistant')).toBe('dietetic and nutrition assistant');
  });

  it('drops a trailing setting (after a dash, colon or in brackets), repeatedly, but not other suffixes', () => {
    expect(normaliseTitle('Therapy Assistant - Acute')).toBe('therapy assistant');
    expect(normaliseTitle('Therapy Assistant – Community')).toBe('therapy assistant'); // en dash
    expect(normaliseTitle('Therapy  Assistant (Community)')).toBe('therapy assistant');
    expect(normaliseTitle('Therapy Assistant (Acute & Community) - MSK')).toBe('therapy assistant');
    expect(normaliseTitle('Therapy Assistant: Inpatients')).toBe('therapy assistant');
    // A site or a specialty is kept: it may be a different job, and the lead can still merge it by hand.
    expect(normaliseTitle("Therapy Assistant - St Mary's")).toBe('therapy assistant st mary s');
    expect(normaliseTitle('Therapy Assistant - Paediatrics')).toBe('therapy assistant paediatrics');
    // A setting word that is the job itself, not a suffix, stays.
    expect(normaliseTitle('Community Therapy Assistant')).toBe('community therapy assistant');
  });

  it('drops band text, which the band field already holds', () => {
    expect(normaliseTitle('Therapy Assistant Band 3')).toBe('therapy assistant');
    expect(normaliseTitle('Therapy Assistant (AfC Band 4)')).toBe('therapy assistant');
    expect(normaliseTitle('B3 Therapy Assistant')).toBe('therapy assistant');
    expect(titleKey('Therapy Assistant - Band 3 - Acute').dropped).toEqual(["'Band 3'", "' - Acute'"]);
  });

  it('reads the common abbreviations in full, and says so', () => {
    expect(normaliseTitle('OT Asst')).toBe('occupational therapy assistant');
    expect(normaliseTitle('Occupational Therapy Assistant')).toBe('occupational therapy assistant');
    expect(normaliseTitle('Physio Support Worker')).toBe(normaliseTitle('Physiotherapy SW'));
    expect(normaliseTitle('SALT Assistant')).toBe(normaliseTitle('SLT assistant'));
    expect(titleKey('OT Asst').expanded).toEqual(["'OT' for 'occupational therapy'", "'Asst' for 'assistant'"]);
    // Words that merely start like an abbreviation are left alone.
    expect(normaliseTitle('Otology Assistant')).toBe('otology assistant');
  });
});

describe('sameTitleReason', () => {
  it('names each kind of difference', () => {
    expect(sameTitleReason(['Therapy Assistant - Acute', 'therapy assistant'])).toBe(
      "Same title apart from case and ' - Acute'",
    );
    expect(sameTitleReason(['Therapy Assistant', 'Therapy  Assistant (Community)'])).toBe(
      "Same title apart from spacing and ' (Community)'",
    );
    expect(sameTitleReason(['Rehab Assistant', 'Rehab-Assistant'])).toBe('Same title apart from punctuation');
    expect(sameTitleReason(['OT Assistant', 'Occupational Therapy Assistant'])).toBe(
      "Same title apart from 'OT' for 'occupational therapy'",
    );
    expect(sameTitleReason(['Therapy Assistant', 'therapy assistant.', 'Therapy Assistant Band 3'])).toBe(
      "Same title apart from case, punctuation and 'Band 3'",
    );
  });
});

describe('suggestRoleGroups', () => {
  const roles = [
    { id: 1, title: 'Therapy Assistant', band: '3', headcount: 4 },
    { id: 2, title: 'Therapy Assistant - Acute', band: '3', headcount: 10 },
    { id: 3, title: 'therapy  assistant (Community)', band: '3', headcount: 2 },
    { id: 4, title: 'Therapy Assistant', band: '4', headcount: 5 }, // another band: another job
    { id: 5, title: 'OT Assistant', band: '4', headcount: 1 },
    { id: 6, title: 'Occupational Therapy Assistant', band: '4', headcount: 1 },
    { id: 7, title: 'Dietetic Assistant', band: '3', headcount: 9 }, // alone: no group
  ];

  it('groups roles of one band whose titles match, the one with most staff first, largest group first', () => {
    expect(suggestRoleGroups(roles)).toEqual([
      {
        roleIds: [2, 1, 3], // 10 staff, then 4, then 2
        titles: ['Therapy Assistant - Acute', 'Therapy Assistant', 'therapy  assistant (Community)'],
        band: '3',
        reason: "Same title apart from case, spacing, ' - Acute' and ' (Community)'",
        staff: 16,
      },
      {
        roleIds: [5, 6], // equal staff: the older role first
        titles: ['OT Assistant', 'Occupational Therapy Assistant'],
        band: '4',
        reason: "Same title apart from 'OT' for 'occupational therapy'",
        staff: 2,
      },
    ]);
  });

  it('suggests nothing when every title is its own job', () => {
    expect(suggestRoleGroups(roles.filter((r) => r.id === 1 || r.id === 4 || r.id === 7))).toEqual([]);
  });
});

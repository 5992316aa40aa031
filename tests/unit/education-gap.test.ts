import { describe, expect, it } from 'vitest';
import {
  EDUCATION_REQUIREMENTS,
  educationGap,
  nextStage,
  qualificationSchema,
  type GapStatus,
  type Qualification,
} from '../../shared/training/education';
import { STAGE_IDS, type StageId } from '../../shared/framework/index';

const q = (raw: unknown): Qualification => qualificationSchema.parse(raw);
const fsEnglish = q({ kind: 'functional-skills-english', level: '2' });
const fsMaths = q({ kind: 'functional-skills-maths', level: '2' });
const fs2 = [fsEnglish, fsMaths];
const fsEnglish1 = q({ kind: 'functional-skills-english', level: '1' });
const fsMathsEntry3 = q({ kind: 'functional-skills-maths', level: 'entry-3' });
const rqf = (level: number, status = 'completed') =>
  q({ kind: 'rqf', level, title: `Diploma at RQF level ${level}`, status });
const app = (standard: string, status = 'completed') =>
  q({ kind: 'apprenticeship', standard, status, startDate: '2022-09-01', endDate: null });
const fd = (status = 'completed') => q({ kind: 'foundation-degree', title: 'FdSc Health and Social Care', status });
const other = (level: number | null) => q({ kind: 'other', title: 'Other course', level });
const careCert = (n: number) =>
  q({ kind: 'care-certificate', standardsCompleted: Array.from({ length: n }, (_, i) => i + 1) });

describe('qualification records', () => {
  it('validates each kind', () => {
    expect(rqf(3).kind).toBe('rqf');
    expect(() =>
      q({ kind: 'apprenticeship', standard: 'ST9999', status: 'completed', startDate: null, endDate: null }),
    ).toThrow();
    expect(() => q({ kind: 'care-certificate', standardsCompleted: [1, 1] })).toThrow(/twice/);
    expect(() => q({ kind: 'care-certificate', standardsCompleted: [16] })).toThrow();
    expect(fd()).toMatchObject({ status: 'completed' });
  });

  it('orders stages', () => {
    expect(nextStage('entry')).toBe('intermediate');
    expect(nextStage('intermediate')).toBe('assistant-practitioner');
    expect(nextStage('assistant-practitioner')).toBeNull();
  });
});

describe('the requirement table: two kinds of level', () => {
  it('puts each stage at its career framework level and asks for a qualification at its RQF level', () => {
    expect(
      STAGE_IDS.map((s) => [s, EDUCATION_REQUIREMENTS[s].careerFrameworkLevel, EDUCATION_REQUIREMENTS[s].rqfLevel]),
    ).toEqual([
      ['entry', 2, 2],
      ['intermediate', 3, 3],
      // Career framework level 4, but an RQF level 5 qualification.
      ['assistant-practitioner', 4, 5],
    ]);
  });
  it('asks for the Care Certificate on top of item 1.1 only at the assistant practitioner stage', () => {
    expect(STAGE_IDS.map((s) => EDUCATION_REQUIREMENTS[s].plus.map((p) => p.need))).toEqual([
      [],
      [],
      ['Care Certificate (all 15 standards)'],
    ]);
  });
});

/**
 * Every kind of record on its own, and the usual complete sets, against every stage. Columns: entry,
 * intermediate, assistant practitioner.
 */
const CASES: [string, Qualification[], GapStatus, GapStatus, GapStatus][] = [
  ['nothing recorded', [], 'unknown', 'unknown', 'unknown'],
  // Care Certificate: asked for only at AP, on top of the qualification; alone it counts towards no stage.
  ['Care Certificate, all 15 standards', [careCert(15)], 'does-not', 'does-not', 'does-not'],
  ['Care Certificate, 3 of 15 standards', [careCert(3)], 'does-not', 'does-not', 'does-not'],
  // Functional Skills: level 2 in English and maths is part of the qualifications route at every stage.
  ['Functional Skills English level 2', [fsEnglish], 'partly', 'partly', 'partly'],
  ['Functional Skills maths level 2', [fsMaths], 'partly', 'partly', 'partly'],
  ['Functional Skills English level 1', [fsEnglish1], 'does-not', 'does-not', 'does-not'],
  ['Functional Skills maths entry level 3', [fsMathsEntry3], 'does-not', 'does-not', 'does-not'],
  ['Functional Skills English and maths level 2', [fsEnglish, fsMaths], 'partly', 'partly', 'partly'],
  // RQF qualifications: count at their level and every stage asking for a lower one.
  ['RQF level 1, completed', [rqf(1)], 'does-not', 'does-not', 'does-not'],
  ['RQF level 2, completed', [rqf(2)], 'partly', 'does-not', 'does-not'],
  ['RQF level 3, completed', [rqf(3)], 'partly', 'partly', 'does-not'],
  ['RQF level 4, completed', [rqf(4)], 'partly', 'partly', 'does-not'],
  ['RQF level 5, completed', [rqf(5)], 'partly', 'partly', 'partly'],
  ['RQF level 2, in progress', [rqf(2, 'enrolled')], 'partly', 'does-not', 'does-not'],
  ['RQF level 3, in progress', [rqf(3, 'enrolled')], 'partly', 'partly', 'does-not'],
  ['RQF level 5, in progress', [rqf(5, 'enrolled')], 'partly', 'partly', 'partly'],
  ['RQF level 5, withdrawn', [rqf(5, 'withdrawn')], 'does-not', 'does-not', 'does-not'],
  // Foundation degree: an RQF level 5 qualification.
  ['Foundation degree, completed', [fd()], 'partly', 'partly', 'partly'],
  ['Foundation degree, in progress', [fd('enrolled')], 'partly', 'partly', 'partly'],
  ['Foundation degree, withdrawn', [fd('withdrawn')], 'does-not', 'does-not', 'does-not'],
  // Other qualifications count at their RQF level when it is known.
  ['Other qualification at RQF level 3', [other(3)], 'partly', 'partly', 'does-not'],
  ['Other qualification at RQF level 5', [other(5)], 'partly', 'partly', 'partly'],
  ['Other qualification, level not known', [other(null)], 'does-not', 'does-not', 'does-not'],
  // Apprenticeships: one meets its own stage and every lower one.
  ['ST0216 (RQF level 2), completed', [app('ST0216')], 'meets', 'does-not', 'does-not'],
  ['ST0216 (RQF level 2), in progress', [app('ST0216', 'enrolled')], 'partly', 'does-not', 'does-not'],
  ['ST0216 (RQF level 2), withdrawn', [app('ST0216', 'withdrawn')], 'does-not', 'does-not', 'does-not'],
  ['ST0217 (RQF level 3), completed', [app('ST0217')], 'meets', 'meets', 'does-not'],
  ['ST0217 (RQF level 3), in progress', [app('ST0217', 'enrolled')], 'partly', 'partly', 'does-not'],
  ['ST0217 (RQF level 3), withdrawn', [app('ST0217', 'withdrawn')], 'does-not', 'does-not', 'does-not'],
  ['ST0215 (RQF level 5), completed', [app('ST0215')], 'meets', 'meets', 'partly'],
  ['ST0215 (RQF level 5), in progress', [app('ST0215', 'enrolled')], 'partly', 'partly', 'partly'],
  ['ST0215 (RQF level 5), withdrawn', [app('ST0215', 'withdrawn')], 'does-not', 'does-not', 'does-not'],
  // Complete sets (FS: Functional Skills English and maths level 2; CC: Care Certificate, 15 standards).
  ['RQF 2 + FS', [rqf(2), ...fs2], 'meets', 'partly', 'partly'],
  ['RQF 3 + FS', [rqf(3), ...fs2], 'meets', 'meets', 'partly'],
  ['RQF 3 in progress + FS', [rqf(3, 'enrolled'), ...fs2], 'partly', 'partly', 'partly'],
  ['RQF 3 + FS + CC', [rqf(3), ...fs2, careCert(15)], 'meets', 'meets', 'partly'],
  ['RQF 5 + FS', [rqf(5), ...fs2], 'meets', 'meets', 'partly'],
  ['RQF 5 + FS + CC', [rqf(5), ...fs2, careCert(15)], 'meets', 'meets', 'meets'],
  ['Foundation degree + FS + CC', [fd(), ...fs2, careCert(15)], 'meets', 'meets', 'meets'],
  ['ST0215 + CC', [app('ST0215'), careCert(15)], 'meets', 'meets', 'meets'],
  ['ST0215 + 12 of 15 CC standards', [app('ST0215'), careCert(12)], 'meets', 'meets', 'partly'],
  ['ST0216 + RQF 3 in progress', [app('ST0216'), rqf(3, 'enrolled')], 'meets', 'partly', 'does-not'],
];

describe('educationGap: every kind of record against every stage', () => {
  for (const [name, records, ...expected] of CASES) {
    STAGE_IDS.forEach((stage, i) => {
      it(`${name}: ${stage} ${expected[i]}`, () => {
        expect(educationGap(records, stage).status).toBe(expected[i]);
      });
    });
  }
});

const RANK: Record<GapStatus, number> = { unknown: -1, 'does-not': 0, partly: 1, meets: 2 };

describe('educationGap: consistent across stages', () => {
  // Whatever counts towards a higher stage counts at least as much towards a lower one: any two of the
  // records above together never rank a stage below the stage above it.
  it('never ranks a lower stage below a higher one, for any pair of the cases above', () => {
    const sets = CASES.map(([, records]) => records);
    let checked = 0;
    for (const a of sets) {
      for (const b of sets) {
        const records = [...a, ...b];
        const ranks = STAGE_IDS.map((s) => RANK[educationGap(records, s).status]);
        for (let i = 1; i < ranks.length; i++) {
          if (ranks[i]! > ranks[i - 1]!) {
            throw new Error(`${JSON.stringify(records)}: ${STAGE_IDS[i]} ranks above ${STAGE_IDS[i - 1]}`);
          }
        }
        checked += 1;
      }
    }
    expect(checked).toBe(CASES.length ** 2);
  });
  it('the issue: a full Care Certificate alone no longer "partly meets" AP while "not meeting" intermediate', () => {
    const gaps = STAGE_IDS.map((s) => educationGap([careCert(15)], s));
    expect(gaps.map((g) => g.status)).toEqual(['does-not', 'does-not', 'does-not']);
    // The Care Certificate is still listed as held at AP, and not asked for again.
    expect(gaps[2]!.met).toEqual(['Care Certificate (all 15 standards)']);
    expect(gaps[2]!.missing).not.toContain('Care Certificate (all 15 standards)');
  });
});

describe('educationGap: what is still needed and the training suggested', () => {
  const gap = (records: Qualification[], stage: StageId) => educationGap(records, stage);

  it('unknown when nothing is recorded', () => {
    expect(gap([], 'entry')).toEqual({
      stage: 'entry',
      status: 'unknown',
      met: [],
      missing: ['No qualifications are recorded for this person yet.'],
      routes: [],
    });
  });
  it('entry: Functional Skills maths missing', () => {
    expect(gap([rqf(2), fsEnglish], 'entry')).toEqual({
      stage: 'entry',
      status: 'partly',
      met: ['Qualification at RQF level 2', 'Functional Skills English level 2'],
      missing: ['Functional Skills maths level 2'],
      routes: ['functional-skills'],
    });
  });
  it('entry: nothing that counts (level 1 Functional Skills) offers the apprenticeship in place of the qualification', () => {
    expect(gap([fsEnglish1], 'entry')).toEqual({
      stage: 'entry',
      status: 'does-not',
      met: [],
      missing: [
        'An RQF level 2 qualification (for example GCSE grade 4/C), or the Healthcare Support Worker apprenticeship (ST0216)',
        'Functional Skills English level 2',
        'Functional Skills maths level 2',
      ],
      routes: ['ST0216', 'functional-skills'],
    });
  });
  it('entry: an apprenticeship in progress is the route followed; only its completion is asked for', () => {
    expect(gap([app('ST0216', 'enrolled')], 'entry')).toEqual({
      stage: 'entry',
      status: 'partly',
      met: ['Healthcare Support Worker apprenticeship (ST0216) in progress'],
      missing: ['the Healthcare Support Worker apprenticeship (ST0216) (in progress)'],
      routes: [],
    });
  });
  it('intermediate: RQF 3 in progress with Functional Skills ("shown ability to achieve it")', () => {
    expect(gap([rqf(2), rqf(3, 'enrolled'), fsEnglish, fsMaths], 'intermediate')).toEqual({
      stage: 'intermediate',
      status: 'partly',
      met: [
        'Qualification at RQF level 3 in progress',
        'Functional Skills English level 2',
        'Functional Skills maths level 2',
      ],
      missing: ['An RQF level 3 qualification (in progress)'],
      routes: [],
    });
  });
  it('intermediate: ST0216 does not count, and ST0217 is suggested', () => {
    expect(gap([app('ST0216')], 'intermediate')).toMatchObject({
      status: 'does-not',
      routes: ['ST0217', 'functional-skills'],
    });
  });
  it('assistant practitioner: ST0215 without the whole Care Certificate', () => {
    expect(gap([app('ST0215'), careCert(12)], 'assistant-practitioner')).toEqual({
      stage: 'assistant-practitioner',
      status: 'partly',
      met: [
        'Assistant Practitioner (Health) apprenticeship (ST0215) completed',
        'Care Certificate: 12 of 15 standards',
      ],
      missing: ['Care Certificate: 3 of 15 standards still to complete'],
      routes: ['care-certificate'],
    });
  });
  it('assistant practitioner: RQF 3 and Functional Skills, suggesting ST0215 or a foundation degree, and the Care Certificate', () => {
    expect(gap([rqf(3), fsEnglish, fsMaths], 'assistant-practitioner')).toEqual({
      stage: 'assistant-practitioner',
      status: 'partly',
      met: ['Functional Skills English level 2', 'Functional Skills maths level 2'],
      missing: [
        'A foundation degree or another RQF level 5 qualification, or the Assistant Practitioner (Health) apprenticeship (ST0215)',
        'Care Certificate (all 15 standards)',
      ],
      routes: ['ST0215', 'foundation-degree', 'care-certificate'],
    });
  });
  it('assistant practitioner: meets with a foundation degree, Functional Skills and the Care Certificate', () => {
    expect(gap([fd(), fsEnglish, fsMaths, careCert(15)], 'assistant-practitioner')).toEqual({
      stage: 'assistant-practitioner',
      status: 'meets',
      met: [
        'Foundation degree at RQF level 5',
        'Functional Skills English level 2',
        'Functional Skills maths level 2',
        'Care Certificate (all 15 standards)',
      ],
      missing: [],
      routes: [],
    });
  });
});

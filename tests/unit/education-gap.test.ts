import { describe, expect, it } from 'vitest';
import { educationGap, nextStage, qualificationSchema, type Qualification } from '../../shared/training/education';

const q = (raw: unknown): Qualification => qualificationSchema.parse(raw);
const fsEnglish = q({ kind: 'functional-skills-english', level: '2' });
const fsMaths = q({ kind: 'functional-skills-maths', level: '2' });
const rqf = (level: number, status = 'completed') => q({ kind: 'rqf', level, title: `Level ${level} diploma`, status });
const app = (standard: string, status: string) =>
  q({ kind: 'apprenticeship', standard, status, startDate: '2022-09-01', endDate: null });
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
    expect(q({ kind: 'foundation-degree', title: 'FdSc Health and Social Care' })).toMatchObject({
      status: 'completed',
    });
  });

  it('orders stages', () => {
    expect(nextStage('entry')).toBe('intermediate');
    expect(nextStage('intermediate')).toBe('assistant-practitioner');
    expect(nextStage('assistant-practitioner')).toBeNull();
  });
});

describe('educationGap: unknown', () => {
  it('is unknown when nothing is recorded, at every stage', () => {
    for (const stage of ['entry', 'intermediate', 'assistant-practitioner'] as const) {
      expect(educationGap([], stage)).toMatchObject({ status: 'unknown', met: [], routes: [] });
    }
  });
});

describe('educationGap: entry', () => {
  it('meets with RQF 2 and Functional Skills level 2 in English and maths', () => {
    expect(educationGap([rqf(2), fsEnglish, fsMaths], 'entry')).toMatchObject({ status: 'meets', missing: [] });
  });
  it('meets with ST0216 completed, or a higher apprenticeship', () => {
    expect(educationGap([app('ST0216', 'completed')], 'entry').status).toBe('meets');
    expect(educationGap([app('ST0217', 'completed')], 'entry').status).toBe('meets');
  });
  it('is partly met when Functional Skills maths is missing', () => {
    expect(educationGap([rqf(2), fsEnglish], 'entry')).toEqual({
      stage: 'entry',
      status: 'partly',
      met: ['Qualification at level 2', 'Functional Skills English level 2'],
      missing: ['Functional Skills maths level 2'],
      routes: ['functional-skills'],
    });
  });
  it('does not meet when nothing recorded counts (level 1 Functional Skills only)', () => {
    const gap = educationGap([q({ kind: 'functional-skills-english', level: '1' })], 'entry');
    expect(gap.status).toBe('does-not');
    expect(gap.routes).toEqual(['ST0216', 'functional-skills']);
  });
  it('is partly met while ST0216 is in progress; a withdrawn one does not count', () => {
    expect(educationGap([app('ST0216', 'enrolled')], 'entry')).toMatchObject({
      status: 'partly',
      missing: ['Complete the Healthcare Support Worker apprenticeship (ST0216)'],
    });
    expect(educationGap([app('ST0216', 'withdrawn')], 'entry').status).toBe('does-not');
  });
});

describe('educationGap: intermediate', () => {
  it('meets with RQF 3 and Functional Skills level 2', () => {
    expect(educationGap([rqf(3), fsEnglish, fsMaths], 'intermediate').status).toBe('meets');
  });
  it('is partly met when RQF 3 is only in progress ("shown ability to achieve it")', () => {
    const gap = educationGap([rqf(2), rqf(3, 'enrolled'), fsEnglish, fsMaths], 'intermediate');
    expect(gap.status).toBe('partly');
    expect(gap.missing).toEqual(['An RQF level 3 qualification (in progress)']);
    expect(gap.routes).toEqual([]);
  });
  it('does not count ST0216 towards intermediate, and suggests ST0217', () => {
    const gap = educationGap([app('ST0216', 'completed')], 'intermediate');
    expect(gap.status).toBe('does-not');
    expect(gap.routes).toEqual(['ST0217', 'functional-skills']);
  });
  it('meets with ST0217 completed', () => {
    expect(educationGap([app('ST0217', 'completed')], 'intermediate').status).toBe('meets');
  });
});

describe('educationGap: assistant practitioner', () => {
  it('meets with a foundation degree, Functional Skills level 2 and the full Care Certificate', () => {
    const fd = q({ kind: 'foundation-degree', title: 'FdSc Health and Social Care' });
    expect(educationGap([fd, fsEnglish, fsMaths, careCert(15)], 'assistant-practitioner').status).toBe('meets');
    expect(educationGap([rqf(5), fsEnglish, fsMaths, careCert(15)], 'assistant-practitioner').status).toBe('meets');
  });
  it('needs the Care Certificate even after ST0215', () => {
    expect(educationGap([app('ST0215', 'completed'), careCert(15)], 'assistant-practitioner').status).toBe('meets');
    expect(educationGap([app('ST0215', 'completed'), careCert(12)], 'assistant-practitioner')).toEqual({
      stage: 'assistant-practitioner',
      status: 'partly',
      met: ['Assistant Practitioner (Health) apprenticeship (ST0215) completed'],
      missing: ['Care Certificate: 3 of 15 standards still to complete'],
      routes: ['care-certificate'],
    });
  });
  it('is partly met with RQF 3 and Functional Skills, suggesting ST0215 or a foundation degree', () => {
    const gap = educationGap([rqf(3), fsEnglish, fsMaths], 'assistant-practitioner');
    expect(gap.status).toBe('partly');
    expect(gap.missing).toEqual([
      'Care Certificate',
      'A foundation degree or another level 5 qualification, or the Assistant Practitioner (Health) apprenticeship (ST0215)',
    ]);
    expect(gap.routes).toEqual(['care-certificate', 'ST0215', 'foundation-degree']);
  });
  it('counts a started Care Certificate as partly', () => {
    expect(educationGap([careCert(3)], 'assistant-practitioner').status).toBe('partly');
    expect(educationGap([rqf(1)], 'assistant-practitioner').status).toBe('does-not');
  });
});

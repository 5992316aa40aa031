import { describe, expect, it } from 'vitest';
import {
  buildQualification,
  courseKey,
  courseTargetLabel,
  defaultCourseTarget,
  effectiveStatus,
  parseLevel,
  parseStatus,
  sourceKey,
  type TrainingRecord,
} from '../../shared/training/courses';
import {
  applyRecordColumns,
  guessRecordMapping,
  missingRecordFields,
  recordColumns,
} from '../../shared/training/record-fields';
import { recordReader } from '../../shared/training/record-rows';
import { educationGap } from '../../shared/training/education';

describe('course names to the app’s kinds of qualification (default rules)', () => {
  it.each([
    ['Care Certificate', { kind: 'care-certificate', standard: null }],
    ['The Care Certificate (15 standards)', { kind: 'care-certificate', standard: null }],
    ['Care Certificate Standard 3: Duty of Care', { kind: 'care-certificate', standard: 3 }],
    ['Functional Skills Maths Level 2', { kind: 'functional-skills-maths', level: '2' }],
    ['Functional Skills English L1', { kind: 'functional-skills-english', level: '1' }],
    ['Functional Skill English Entry Level 3', { kind: 'functional-skills-english', level: 'entry-3' }],
    ['Functional Skills Numeracy', { kind: 'functional-skills-maths', level: null }],
    ['Level 3 Diploma in Healthcare Support', { kind: 'rqf', level: 3 }],
    ['NVQ 2 Health and Social Care', { kind: 'rqf', level: 2 }],
    ['Level 2 Certificate in the Principles of Dementia Care', { kind: 'rqf', level: 2 }],
    ['GCSE English Language', { kind: 'rqf', level: 2 }],
    ['BSc (Hons) Sport Science', { kind: 'rqf', level: 6 }],
    ['Senior Healthcare Support Worker apprenticeship', { kind: 'apprenticeship', standard: 'ST0217' }],
    ['Healthcare Support Worker Apprenticeship', { kind: 'apprenticeship', standard: 'ST0216' }],
    ['Assistant Practitioner (Health) apprenticeship', { kind: 'apprenticeship', standard: 'ST0215' }],
    ['ST0217 Senior HCSW - AHP therapy support', { kind: 'apprenticeship', standard: 'ST0217' }],
    ['Level 5 Apprenticeship', { kind: 'apprenticeship', standard: 'ST0215' }],
    ['Foundation degree in Health and Social Care', { kind: 'foundation-degree' }],
    ['FdSc Assistant Practitioner', { kind: 'foundation-degree' }],
    ['Fire Safety Awareness', { kind: 'not-a-qualification' }],
    ['Moving and Handling Level 1', { kind: 'not-a-qualification' }],
    ['Information Governance', { kind: 'not-a-qualification' }],
  ])('%s', (title, expected) => {
    expect(defaultCourseTarget(title)).toEqual(expected);
  });

  it('labels each target in words', () => {
    expect(courseTargetLabel({ kind: 'rqf', level: 3 })).toBe('RQF qualification, level 3');
    expect(courseTargetLabel({ kind: 'functional-skills-maths', level: null })).toBe(
      'Functional Skills maths, level from the Level column',
    );
    expect(courseTargetLabel({ kind: 'care-certificate', standard: 3 })).toBe(
      'Care Certificate, standard 3: Duty of care',
    );
  });

  it('keys a course by its name whatever its case and spacing', () => {
    expect(courseKey('  Care   CERTIFICATE ')).toBe('care certificate');
    expect(sourceKey({ course: 'Care Certificate', startDate: '2024-01-08' })).toBe('care certificate|2024-01-08');
    expect(sourceKey({ course: 'Care Certificate', startDate: null })).toBe('care certificate|');
  });
});

describe('status words and levels', () => {
  it.each([
    ['Completed', 'completed'],
    ['PASSED', 'completed'],
    ['Achieved', 'completed'],
    ['In Progress', 'enrolled'],
    ['enrolled', 'enrolled'],
    ['Registered', 'enrolled'],
    ['On programme', 'enrolled'],
    ['Withdrawn', 'withdrawn'],
    ['Cancelled', 'withdrawn'],
    ['Failed', 'withdrawn'],
    ['', null],
  ])('%s', (text, status) => {
    expect(parseStatus(text)).toEqual({ ok: true, value: status });
  });

  it('names the words it understands when a status is not one of them', () => {
    const r = parseStatus('Maybe');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/Status "Maybe" is not one we recognise: use Completed/);
  });

  it.each([
    ['Level 3', '3'],
    ['L2', '2'],
    ['2', '2'],
    ['RQF 5', '5'],
    ['NVQ Level 3', '3'],
    ['Entry 3', 'entry-3'],
    ['Entry Level 1', 'entry-1'],
    ['E2', 'entry-2'],
    ['Level 9', null],
    ['advanced', null],
  ])('level %s', (text, level) => {
    expect(parseLevel(text)).toBe(level);
  });

  it('reads a blank status from the dates', () => {
    expect(effectiveStatus({ status: null, startDate: '2024-01-01', completionDate: '2024-06-01' })).toBe('completed');
    expect(effectiveStatus({ status: null, startDate: '2024-01-01', completionDate: null })).toBe('enrolled');
    expect(effectiveStatus({ status: null, startDate: null, completionDate: null })).toBe('completed');
    expect(effectiveStatus({ status: 'withdrawn', startDate: null, completionDate: '2024-06-01' })).toBe('withdrawn');
  });
});

describe('a row as a qualification', () => {
  const row = (over: Partial<TrainingRecord>): TrainingRecord => ({
    employeeNumber: '10000001',
    course: 'Course',
    level: null,
    status: null,
    startDate: null,
    completionDate: null,
    ...over,
  });

  it('a completed Care Certificate has all 15 standards; one standard row has that standard', () => {
    expect(
      buildQualification(row({ status: 'completed', completionDate: '2024-03-01' }), {
        kind: 'care-certificate',
        standard: null,
      }),
    ).toEqual({
      outcome: 'qualification',
      qualification: {
        kind: 'care-certificate',
        achievedOn: '2024-03-01',
        standardsCompleted: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
      },
    });
    expect(buildQualification(row({ status: 'completed' }), { kind: 'care-certificate', standard: 3 })).toEqual({
      outcome: 'qualification',
      qualification: { kind: 'care-certificate', achievedOn: null, standardsCompleted: [3] },
    });
    expect(
      buildQualification(row({ status: 'enrolled', startDate: '2024-01-01' }), {
        kind: 'care-certificate',
        standard: null,
      }),
    ).toEqual({
      outcome: 'qualification',
      qualification: { kind: 'care-certificate', achievedOn: null, standardsCompleted: [] },
    });
  });

  it('Functional Skills take their level from the name, else the Level column; only achieved ones are recorded', () => {
    expect(
      buildQualification(row({ level: '2', status: 'completed' }), { kind: 'functional-skills-maths', level: null }),
    ).toEqual({
      outcome: 'qualification',
      qualification: { kind: 'functional-skills-maths', achievedOn: null, level: '2' },
    });
    expect(buildQualification(row({ status: 'enrolled' }), { kind: 'functional-skills-english', level: '2' })).toEqual({
      outcome: 'left-out',
      reason: 'Functional Skills not yet achieved',
    });
    expect(buildQualification(row({}), { kind: 'functional-skills-english', level: null })).toMatchObject({
      outcome: 'error',
      column: 'level',
    });
    expect(buildQualification(row({ level: '3' }), { kind: 'functional-skills-english', level: null })).toMatchObject({
      outcome: 'error',
      message: expect.stringMatching(/go up to level 2/),
    });
  });

  it('an RQF qualification keeps its title, level and status', () => {
    expect(
      buildQualification(
        row({ course: 'Level 3 Diploma in Healthcare Support', status: 'enrolled', startDate: '2024-09-01' }),
        { kind: 'rqf', level: 3 },
      ),
    ).toEqual({
      outcome: 'qualification',
      qualification: {
        kind: 'rqf',
        achievedOn: null,
        level: 3,
        title: 'Level 3 Diploma in Healthcare Support',
        status: 'enrolled',
      },
    });
    expect(buildQualification(row({ course: 'Diploma' }), { kind: 'rqf', level: null })).toMatchObject({
      outcome: 'error',
      message: 'Level is blank: "Diploma" needs an RQF level from 1 to 8',
    });
  });

  it('an apprenticeship keeps its start and end dates', () => {
    expect(
      buildQualification(row({ status: 'completed', startDate: '2022-09-01', completionDate: '2024-03-31' }), {
        kind: 'apprenticeship',
        standard: 'ST0217',
      }),
    ).toEqual({
      outcome: 'qualification',
      qualification: {
        kind: 'apprenticeship',
        standard: 'ST0217',
        status: 'completed',
        startDate: '2022-09-01',
        endDate: '2024-03-31',
      },
    });
  });

  it('mandatory training is left out', () => {
    expect(buildQualification(row({ course: 'Fire Safety' }), { kind: 'not-a-qualification' })).toEqual({
      outcome: 'left-out',
      reason: 'not a qualification',
    });
  });

  it('worked example: an imported ST0217 in progress and Functional Skills make someone partly meet intermediate', () => {
    // Senior HCSW apprenticeship enrolled -> the apprenticeship route is under way in every part: "partly".
    const built = [
      buildQualification(row({ status: 'enrolled', startDate: '2024-09-01' }), {
        kind: 'apprenticeship',
        standard: 'ST0217',
      }),
    ].flatMap((b) => (b.outcome === 'qualification' ? [b.qualification] : []));
    expect(educationGap(built, 'intermediate').status).toBe('partly');
  });
});

describe('the columns of a training records extract', () => {
  const headers = ['Employee Number', 'Course Title', 'Level', 'Completion Status', 'Start Date', 'Date Completed'];

  it('guesses every column from common names', () => {
    expect(guessRecordMapping(headers)).toEqual({
      employeeNumber: 0,
      course: 1,
      level: 2,
      status: 3,
      startDate: 4,
      completionDate: 5,
    });
    expect(guessRecordMapping(['Staff No.', 'Competence Name', 'Achieved'])).toMatchObject({
      course: 1,
      completionDate: 2,
    });
  });

  it('names the required columns that are missing', () => {
    expect(missingRecordFields(guessRecordMapping(['Course', 'Status']))).toEqual(['Employee number']);
    expect(missingRecordFields(guessRecordMapping(['Employee Number']))).toEqual(['Course or qualification']);
  });

  it('saves the columns by header and re-applies them to the next file', () => {
    const columns = recordColumns(guessRecordMapping(headers), headers);
    expect(columns.course).toBe('Course Title');
    const next = applyRecordColumns(columns, [...headers].reverse());
    expect(next.missingHeaders).toEqual([]);
    expect(next.mapping.course).toBe(4);
    expect(applyRecordColumns(columns, headers.slice(0, 2)).missingHeaders).toEqual([
      'Level',
      'Completion Status',
      'Start Date',
      'Date Completed',
    ]);
  });

  it('reads a row, and rejects one with its problems by column', () => {
    const read = recordReader(guessRecordMapping(headers), { headers, order: 'dmy', referenceYear: 2026 });
    expect(read([10000001, 'Care Certificate', '', 'Completed', '08/01/2024', '31/03/2024'])).toEqual({
      ok: true,
      record: {
        employeeNumber: '10000001',
        course: 'Care Certificate',
        level: null,
        status: 'completed',
        startDate: '2024-01-08',
        completionDate: '2024-03-31',
      },
    });
    const bad = read(['', 'Diploma', 'Level 12', 'Maybe', '31/02/2024', '01/01/2020']);
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.issues.map((i) => i.column)).toEqual(['Employee Number', 'Level', 'Completion Status', 'Start Date']);
    const backwards = read(['1', 'Diploma', '3', '', '01/06/2024', '01/01/2024']);
    expect(backwards).toMatchObject({ ok: false, issues: [{ column: 'Date Completed' }] });
  });
});

import { describe, expect, it } from 'vitest';
import { neutraliseCsvText, toCsv } from '../../electron/services/common/export-table';
import { afterPlannedStudy } from '../../electron/services/training/education';
import { educationGap, qualificationSchema, type Qualification } from '../../shared/training/education';
import {
  careerFrameworkLevelLabel,
  qualificationLabel,
  routeName,
  stageLevelsLabel,
} from '../../shared/framework/labels';
import { quarterLabelSchema } from '../../shared/training/channels';

const q = (raw: unknown): Qualification => qualificationSchema.parse(raw);

describe('CSV export', () => {
  it('neutralises text Excel would run as a formula, and nothing else', () => {
    expect(['=SUM(A1)', '+44 1234', '-5 days', '@cmd', '\tx', 'Band 3', '3-4 weeks'].map(neutraliseCsvText)).toEqual([
      "'=SUM(A1)",
      "'+44 1234",
      "'-5 days",
      "'@cmd",
      "'\tx",
      'Band 3',
      '3-4 weeks',
    ]);
  });

  it('writes UTF-8 with a BOM, CRLF lines, quotes where needed, and pence as pounds with two places', () => {
    const bytes = toCsv({
      name: 'x',
      columns: [
        { header: 'Title', type: 'text' },
        { header: 'Cost', type: 'money' },
        { header: 'Count', type: 'integer' },
      ],
      rows: [
        ['Care "basics", part 1', 1017885, 2],
        ['=1+1', -5, null],
        ['£ and é', 7, 0],
      ],
    });
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // 1,017,885p = 10178.85; -5p = -0.05; 7p = 0.07
    expect(bytes.subarray(3).toString('utf8')).toBe(
      'Title,Cost,Count\r\n"Care ""basics"", part 1",10178.85,2\r\n\'=1+1,-0.05,\r\n£ and é,0.07,0\r\n',
    );
  });
});

describe('planned study', () => {
  it('counts enrolled study as completed and a started Care Certificate as complete; withdrawn study does not count', () => {
    const now = [
      q({ kind: 'rqf', level: 3, title: 'Diploma', status: 'enrolled' }),
      q({ kind: 'functional-skills-english', level: '2' }),
      q({ kind: 'functional-skills-maths', level: '2' }),
    ];
    // Intermediate needs RQF 3 + FS 2 in both: partly while the diploma is in progress, meets once it is done.
    expect(educationGap(now, 'intermediate').status).toBe('partly');
    expect(educationGap(afterPlannedStudy(now), 'intermediate').status).toBe('meets');
    const withdrawn = [
      q({ kind: 'apprenticeship', standard: 'ST0216', status: 'withdrawn', startDate: null, endDate: null }),
    ];
    expect(afterPlannedStudy(withdrawn)).toEqual(withdrawn);
    expect(afterPlannedStudy([q({ kind: 'care-certificate', standardsCompleted: [2] })])[0]).toMatchObject({
      standardsCompleted: Array.from({ length: 15 }, (_, i) => i + 1),
    });
    expect(afterPlannedStudy([q({ kind: 'care-certificate', standardsCompleted: [] })])[0]).toMatchObject({
      standardsCompleted: [],
    });
  });
});

describe('labels and quarters', () => {
  it('names qualifications and routes in plain English', () => {
    expect(
      qualificationLabel(
        q({ kind: 'apprenticeship', standard: 'ST0217', status: 'enrolled', startDate: null, endDate: null }),
      ),
    ).toBe('Senior Healthcare Support Worker apprenticeship (ST0217, RQF level 3), in progress');
    expect(qualificationLabel(q({ kind: 'functional-skills-maths', level: 'entry-3' }))).toBe(
      'Functional Skills maths, entry level 3',
    );
    expect(qualificationLabel(q({ kind: 'other', title: 'Diploma', level: 4 }))).toBe('Diploma (RQF level 4)');
    expect(qualificationLabel(q({ kind: 'care-certificate', standardsCompleted: [1, 2, 3] }))).toBe(
      'Care Certificate: 3 of 15 standards',
    );
    expect(routeName('degree-apprenticeship')).toBe('Degree apprenticeship');
    expect(routeName('ST0215')).toBe('Assistant Practitioner apprenticeship (ST0215, RQF level 5)');
    // Two kinds of level, each named: the stage's job level and the qualification's level.
    expect(careerFrameworkLevelLabel('assistant-practitioner')).toBe('Career framework level 4');
    expect(stageLevelsLabel('assistant-practitioner')).toBe(
      'Career framework level 4; education: RQF level 5 qualification',
    );
  });
  it('accepts target quarters like 2021/22 Q3 only', () => {
    expect(quarterLabelSchema.safeParse('2021/22 Q3').success).toBe(true);
    expect(quarterLabelSchema.safeParse('2021/23 Q3').success).toBe(false);
    expect(quarterLabelSchema.safeParse('2021/22 Q5').success).toBe(false);
    expect(quarterLabelSchema.safeParse('Q3 2021').success).toBe(false);
  });
});

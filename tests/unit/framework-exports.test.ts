import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  neutraliseCsvText,
  SMALL_COUNTS_NOTE,
  toCsv,
  toXlsx,
  type Sheet,
} from '../../electron/services/common/export-table';
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

describe('counts of people in exports', () => {
  // Counts 0, 1, 3, 7 and 8: 1 to 7 are small (SMALL_COUNT_THRESHOLD), 0 and 8 are not; an empty cell is not a count.
  const sheet: Sheet = {
    name: 'Roles',
    columns: [
      { header: 'Role', type: 'text' },
      { header: 'Headcount', type: 'integer', peopleCount: true },
      { header: 'Vacancies', type: 'integer' },
    ],
    rows: [
      ['None', 0, 3],
      ['One', 1, 3],
      ['Three', 3, 3],
      ['Seven', 7, 3],
      ['Eight', 8, 3],
      ['=Unknown', null, 3],
    ],
  };

  it('CSV: says so in a first row, and marks counts from 1 to 7 in a column after the count, which stays a number', () => {
    expect(SMALL_COUNTS_NOTE).toMatch(/^Counts are not protected for publication: values from 1 to 7 are marked \*/);
    expect(SMALL_COUNTS_NOTE).toContain('For use inside the trust only');
    const lines = toCsv(sheet).subarray(3).toString('utf8').split('\r\n');
    expect(lines).toEqual([
      SMALL_COUNTS_NOTE,
      'Role,Headcount,Headcount: small (1 to 7),Vacancies',
      'None,0,,3',
      'One,1,*,3',
      'Three,3,*,3', // only the people count is marked, not the 3 vacancies
      'Seven,7,*,3',
      'Eight,8,,3',
      "'=Unknown,,,3", // formula defence unchanged
      '',
    ]);
  });

  it('XLSX: says so in a first row, and shows counts from 1 to 7 as 3* while the cell keeps the number', async () => {
    const wb = new ExcelJS.Workbook();
    const bytes = await toXlsx([sheet], { creator: 'test', created: new Date('2026-03-31T10:00:00Z') });
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe(SMALL_COUNTS_NOTE);
    expect(ws.getRow(1).getCell(1).type).toBe(ExcelJS.ValueType.String);
    expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual(['Role', 'Headcount', 'Vacancies']);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    const shown = (r: number) => ({ value: ws.getRow(r).getCell(2).value, numFmt: ws.getRow(r).getCell(2).numFmt });
    expect(shown(3)).toEqual({ value: 0, numFmt: '#,##0' });
    expect(shown(4)).toEqual({ value: 1, numFmt: '#,##0"*"' });
    expect(shown(5)).toEqual({ value: 3, numFmt: '#,##0"*"' });
    expect(ws.getRow(5).getCell(2).type).toBe(ExcelJS.ValueType.Number);
    expect(ws.getRow(5).getCell(3)).toMatchObject({ value: 3, numFmt: '#,##0' }); // not a people count
    expect(shown(6)).toEqual({ value: 7, numFmt: '#,##0"*"' });
    expect(shown(7)).toEqual({ value: 8, numFmt: '#,##0' });
    expect(ws.getRow(8).getCell(1)).toMatchObject({ value: '=Unknown', type: ExcelJS.ValueType.String });
  });

  it('leaves a sheet without counts of people or a note as it was: the header in the first row', async () => {
    const plain: Sheet = { name: 'Items', columns: [{ header: 'Count', type: 'integer' }], rows: [[3]] };
    expect(toCsv(plain).subarray(3).toString('utf8')).toBe('Count\r\n3\r\n');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await toXlsx([plain], { creator: 't', created: new Date() })) as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.getRow(1).getCell(1).value).toBe('Count');
    expect(wb.worksheets[0]!.views[0]).toMatchObject({ ySplit: 1 });
  });

  it('keeps the formula defence on a note', () => {
    const noted: Sheet = { name: 'x', columns: [{ header: 'A', type: 'text' }], rows: [], note: '=cmd|calc' };
    expect(toCsv(noted).subarray(3).toString('utf8').split('\r\n')[0]).toBe("'=cmd|calc");
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

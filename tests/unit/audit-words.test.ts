import { describe, expect, it } from 'vitest';
import { areaWords, describeChanges, subjectOf, summarise, valueText } from '../../shared/settings/audit';

const j = (v: unknown) => JSON.stringify(v);

describe('audit rows in words', () => {
  it('lists only the fields that changed, with money in pounds and bookkeeping left out', () => {
    expect(
      describeChanges(
        j({ title: 'A', totalPence: 123456, updatedAt: 'x', notes: null }),
        j({ title: 'B', totalPence: 123456, updatedAt: 'y', notes: 'new' }),
      ),
    ).toEqual([
      { field: 'Title', before: 'A', after: 'B' },
      { field: 'Notes', before: null, after: 'new' },
    ]);
  });
  it('lists every field of an addition or a removal', () => {
    expect(describeChanges(null, j({ name: 'Theatres', costCentre: null, active: true }))).toEqual([
      { field: 'Name', before: null, after: 'Theatres' },
      { field: 'Active', before: null, after: 'yes' },
    ]);
    expect(describeChanges(j({ standardsCompleted: [1, 2, 3] }), null)).toEqual([
      { field: 'Standards completed', before: '1, 2, 3', after: null },
    ]);
    expect(describeChanges(null, null)).toEqual([]);
  });
  it('writes nested values as "field: value" and shortens very long text', () => {
    expect(valueText({ standard: 'ST0215', maxPence: 1200000 })).toBe('standard: ST0215, max: £12,000.00');
    expect(valueText('x'.repeat(400))!.length).toBe(300);
    expect(valueText([])).toBe('none');
    expect(valueText({ 'band 3 entry': 2583600 }, 'payPence')).toBe('band 3 entry: £25,836.00');
  });
  it('names what a row is about, and each area in words', () => {
    expect(subjectOf(null, j({ person: 'A1B2C3D4', kind: 'rqf' }))).toBe('staff A1B2C3D4');
    expect(subjectOf(j({ title: 'Rehab assistant' }), null)).toBe('Rehab assistant');
    expect(areaWords('funding-plan-line')).toMatchObject({ label: 'Funding plan', many: 'plan lines' });
    expect(areaWords('something-new')).toMatchObject({ label: 'Something new', many: 'something news' });
  });
  it('summarises a bulk action: "set to" when every row set the same value, else a count', () => {
    const rows = (stages: string[]) =>
      stages.map((stage, i) => ({ entityId: String(i), before: null, after: j({ stage }) }));
    expect(summarise('role mapping', 'update', rows(Array(25).fill('intermediate')))).toBe(
      'Role mapping: 25 roles set to intermediate',
    );
    expect(summarise('role mapping', 'update', rows(['entry', 'intermediate']))).toBe('Role mapping: 2 roles remapped');
    expect(summarise('tna item', 'update', rows(['a', 'a', 'a']))).toBe('Training needs: 3 training needs changed');
    expect(summarise('role', 'delete', [{ entityId: '9', before: null, after: null }])).toBe('Roles: role 9 removed');
  });
});

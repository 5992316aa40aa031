import { describe, expect, it } from 'vitest';
import { analyseVariation, buildVariationMatrix, type VariationRole } from '../../shared/framework/variation';
import { normaliseTitle } from '../../shared/workforce/titles';

const role = (id: string, over: Partial<VariationRole>): VariationRole => ({
  id,
  title: 'Therapy Assistant',
  service: 'Acute',
  profession: 'PHY',
  band: '2',
  stage: 'entry',
  occupationCode: 'H2J',
  ...over,
});

const roles: VariationRole[] = [
  role('r1', {}),
  role('r2', { service: 'Community', band: '3' }),
  role('r3', { title: 'Rehab Support Worker', profession: 'OT', service: 'Community' }),
  role('r4', { title: 'therapy  assistant (Band 3)', stage: 'intermediate', band: '3' }),
  role('r5', { title: 'Assistant Practitioner', stage: 'assistant-practitioner', band: '4' }),
  role('r6', { title: 'Technical Instructor', stage: null, band: '4' }),
];

describe('normaliseTitle (the one role grouping uses, shared with variation)', () => {
  it('ignores case, punctuation, "&" and band tags', () => {
    expect(normaliseTitle(' Therapy  Assistant (AfC Band 3) ')).toBe('therapy assistant');
    expect(normaliseTitle('Speech & Language Assistant')).toBe('speech and language assistant');
  });
});

describe('analyseVariation', () => {
  const { findings, spreads } = analyseVariation(roles);
  const byKind = (kind: string) => findings.filter((f) => f.kind === kind);

  it('finds one stage carried at several bands', () => {
    expect(byKind('stage-band-spread')).toEqual([
      {
        kind: 'stage-band-spread',
        stage: 'entry',
        bands: ['2', '3'],
        roleIds: ['r1', 'r2', 'r3'],
        message: 'Entry level (Support Worker) roles are banded at band 2, band 3.',
      },
    ]);
  });

  it('finds one stage under several titles across services or professions', () => {
    expect(byKind('stage-title-spread')).toMatchObject([
      {
        stage: 'entry',
        titleCount: 2,
        serviceCount: 2,
        professionCount: 2,
        message: 'Entry level (Support Worker) roles use 2 job titles across 2 services and 2 professions.',
      },
    ]);
    expect(spreads.find((s) => s.stage === 'entry')?.titles[0]).toEqual({
      title: 'Therapy Assistant',
      services: ['Acute', 'Community'],
      professions: ['PHY'],
      roleIds: ['r1', 'r2'],
    });
  });

  it('finds bands away from the typical band', () => {
    expect(byKind('band-not-typical')).toEqual([
      {
        kind: 'band-not-typical',
        stage: 'entry',
        band: '3',
        typicalBand: '2',
        roleIds: ['r2'],
        message: '1 role at Entry level (Support Worker) is band 3; the typical band is 2 (guidance only).',
      },
    ]);
  });

  it('finds the same title mapped to different stages', () => {
    expect(byKind('same-title-different-stages')).toMatchObject([
      { title: 'therapy assistant', stages: ['entry', 'intermediate'], roleIds: ['r1', 'r2', 'r4'] },
    ]);
  });

  it('lists unmapped roles', () => {
    expect(byKind('unmapped')).toEqual([
      { kind: 'unmapped', roleIds: ['r6'], message: '1 role is not mapped to a stage yet.' },
    ]);
  });

  it('finds nothing in a consistent workforce', () => {
    expect(analyseVariation([role('a', {}), role('b', { service: 'Community' })]).findings).toEqual([]);
  });
});

describe('buildVariationMatrix', () => {
  it('counts profession x stage x band with role ids', () => {
    const m = buildVariationMatrix(roles);
    expect(m.professions).toEqual(['OT', 'PHY']);
    expect(m.bands).toEqual(['2', '3', '4']);
    expect(m.cells.map((c) => [c.profession, c.stage, c.band, c.count, c.roleIds.join(' ')])).toEqual([
      ['OT', 'entry', '2', 1, 'r3'],
      ['PHY', 'entry', '2', 1, 'r1'],
      ['PHY', 'entry', '3', 1, 'r2'],
      ['PHY', 'intermediate', '3', 1, 'r4'],
      ['PHY', 'assistant-practitioner', '4', 1, 'r5'],
      ['PHY', 'unmapped', '4', 1, 'r6'],
    ]);
  });

  it('handles 2,000 roles quickly, and the cells add up', () => {
    const professions = ['PHY', 'OT', 'SLT', 'DIE', 'RAD', 'POD'];
    const stages = ['entry', 'intermediate', 'assistant-practitioner', null] as const;
    const bands = ['2', '3', '4', null] as const;
    const many = Array.from({ length: 2000 }, (_, i) =>
      role(`p${i}`, {
        title: `Title ${i % 150}`,
        service: `Service ${i % 40}`,
        profession: professions[i % professions.length]!,
        stage: stages[i % 4]!,
        band: bands[(i * 7) % 4]!,
      }),
    );
    const started = performance.now();
    const { matrix, findings } = analyseVariation(many);
    const elapsed = performance.now() - started;
    expect(matrix.cells.reduce((n, c) => n + c.count, 0)).toBe(2000);
    expect(findings.find((f) => f.kind === 'unmapped')?.roleIds).toHaveLength(500);
    expect(elapsed).toBeLessThan(200);
  });
});

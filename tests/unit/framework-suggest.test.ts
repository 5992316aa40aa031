import { describe, expect, it } from 'vitest';
import { suggestStage } from '../../shared/framework/suggest';

describe('suggestStage', () => {
  it('maps an S5x code to Assistant Practitioner whatever the band, noting an unusual band', () => {
    expect(suggestStage({ occupationCode: 'S5E', band: '4' })).toMatchObject({
      stage: 'assistant-practitioner',
      strength: 'strong',
    });
    const odd = suggestStage({ occupationCode: 's5e', band: '3', title: 'Physiotherapy assistant practitioner' });
    expect(odd?.stage).toBe('assistant-practitioner');
    expect(odd?.reason).toBe(
      'Occupation code S5E is an assistant practitioner code (Physiotherapy). Note: band 3 is not the typical band (4) for this stage; check the role.',
    );
  });

  it('maps H2x, H1x and S9x codes by band 2, 3 and 4', () => {
    expect(suggestStage({ occupationCode: 'H2J', band: '2' })?.stage).toBe('entry');
    expect(suggestStage({ occupationCode: 'H1H', band: '3' })?.stage).toBe('intermediate');
    expect(suggestStage({ occupationCode: 'S9C', band: '4' })?.stage).toBe('assistant-practitioner');
    expect(suggestStage({ occupationCode: 'H2J', band: '3' })?.reason).toBe(
      'Occupation code H2J is a support worker code (Physiotherapy) and the role is band 3, the typical band for Intermediate (Senior Support Worker).',
    );
  });

  it('flags a title that disagrees with the code, but keeps the code', () => {
    const s = suggestStage({ occupationCode: 'H2J', band: '2', title: 'Senior Physio Assistant' });
    expect(s?.stage).toBe('entry');
    expect(s?.reason).toMatch(/points elsewhere \(Intermediate/);
  });

  it('uses title words as weaker evidence when the code says nothing', () => {
    expect(suggestStage({ title: 'Assistant Practitioner - Radiography' })).toMatchObject({
      stage: 'assistant-practitioner',
      strength: 'weak',
      basis: ['title'],
    });
    expect(suggestStage({ occupationCode: 'N0A', band: '3', title: 'Senior Therapy Support Worker' })?.stage).toBe(
      'intermediate',
    );
    expect(suggestStage({ title: 'OT Assistant', band: '2' })).toMatchObject({
      stage: 'entry',
      basis: ['title', 'band'],
    });
  });

  it('suggests nothing without evidence of a support role or with a band outside 2-4', () => {
    expect(suggestStage({ band: '3' })).toBeNull(); // band alone: the framework is not a banding guide
    expect(suggestStage({ occupationCode: 'H2J', band: '5' })).toBeNull();
    expect(suggestStage({ occupationCode: 'S8E', band: '3' })).toBeNull(); // students and trainees
    expect(suggestStage({ title: 'Clinical Lead', band: '4' })).toBeNull();
    expect(suggestStage({})).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { cellText } from '../../shared/common/cells';
import { guessMapping, importProfileSchema } from '../../shared/import/fields';
import { normaliseRow, workforceRecordSchema } from '../../shared/import/rows';
import { stageLabel } from '../../shared/picture/channels';
import { ESR_HEADERS, esrRows } from '../fixtures/extracts';

const mapping = guessMapping([...ESR_HEADERS]);

describe('row normalising as the import uses it', () => {
  it('cellText takes the fast path only for clean text and cleans the rest the same way as before', () => {
    expect(cellText('Band 3')).toBe('Band 3');
    expect(cellText(' Band 3 ')).toBe('Band 3');
    expect(cellText('Band\u00a03')).toBe('Band 3'); // a non-breaking space becomes a space
    expect(cellText('Band  3')).toBe('Band 3');
    expect(cellText('Band\t3\r\n')).toBe('Band 3');
    expect(cellText('=HYPERLINK("x")')).toBe('=HYPERLINK("x")');
  });

  it('builds records that satisfy the record schema (the direct build skips parsing)', () => {
    for (const row of esrRows(200, 21)) {
      const result = normaliseRow(row, mapping, { headers: [...ESR_HEADERS], referenceYear: 2026 });
      if (result.value) expect(workforceRecordSchema.parse(result.value)).toEqual(result.value);
    }
  });

  it('warns about a band outside 2 to 4 but imports the row', () => {
    const row = esrRows(1, 3)[0]!;
    row[3] = 'S9E';
    row[4] = 'Band 8a';
    const result = normaliseRow(row, mapping, { headers: [...ESR_HEADERS], referenceYear: 2026 });
    expect(result.value?.band).toBe('8a');
    expect(result.warnings).toContainEqual({
      field: 'band',
      column: 'Pay Band',
      message: 'Band 8a is outside bands 2 to 4, where support roles usually sit; please check',
    });
  });

  it('a profile keeps the non-AHP choice and the full-extract choice, off by default', () => {
    expect(importProfileSchema.parse({ name: 'ESR monthly', columns: {} })).toEqual({
      name: 'ESR monthly',
      dateOrder: 'dmy',
      columns: {},
      keepNonAhpCodes: [],
      markMissingAsLeavers: false,
    });
    expect(importProfileSchema.parse({ name: 'x', columns: {}, keepNonAhpCodes: ['n9a'] }).keepNonAhpCodes).toEqual([
      'N9A',
    ]);
  });

  it('names framework stages, and roles not yet mapped', () => {
    expect(stageLabel('entry')).toBe('Entry level (Support Worker)');
    expect(stageLabel('not-mapped')).toBe('Not yet mapped');
  });
});

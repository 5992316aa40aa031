import { describe, expect, it } from 'vitest';
import {
  guessEstablishmentMapping,
  missingEstablishmentFields,
  applyEstablishmentProfile,
} from '../../shared/establishment/fields';
import { centiFromWte4, parseBudget, parseWte, readEstablishmentLine } from '../../shared/establishment/lines';

const HEADERS = ['Cost Centre', 'Cost Centre Name', 'Job Title', 'AfC Band', 'Budgeted WTE', 'Annual Budget'];
const mapping = guessEstablishmentMapping(HEADERS);

describe('establishment report columns', () => {
  it('guesses each field from a finance report header, never two fields from one column', () => {
    expect(mapping).toEqual({ costCentre: 0, service: 1, title: 2, band: 3, wte: 4, budget: 5 });
    expect(guessEstablishmentMapping(['Department', 'Role', 'Grade', 'FTE'])).toEqual({
      costCentre: null,
      service: 0,
      title: 1,
      band: 2,
      wte: 3,
      budget: null,
    });
  });

  it('names the required columns a mapping lacks: title, band, WTE, and a cost centre or a service', () => {
    expect(missingEstablishmentFields(mapping)).toEqual([]);
    expect(missingEstablishmentFields({ ...mapping, wte: null })).toEqual(['Funded WTE']);
    expect(missingEstablishmentFields({ ...mapping, costCentre: null, service: null, band: null })).toEqual([
      'Cost centre or service (at least one)',
      'Pay band (Agenda for Change)',
    ]);
  });

  it('re-applies a profile by header name and lists headers the file lacks', () => {
    const applied = applyEstablishmentProfile({ title: 'job title', wte: 'Funded FTE' }, HEADERS);
    expect(applied.mapping.title).toBe(2);
    expect(applied.missingHeaders).toEqual(['Funded FTE']);
  });
});

describe('funded WTE, budget and band', () => {
  it('reads WTE as ten-thousandths and refuses blank, text and negative values', () => {
    expect(parseWte('1.5')).toEqual({ ok: true, value: 15_000 });
    expect(parseWte(0.8533)).toEqual({ ok: true, value: 8533 });
    expect(parseWte('2,5')).toEqual({ ok: true, value: 25_000 });
    expect(parseWte('0.12345')).toEqual({ ok: true, value: 1235, warning: '0.12345 WTE is read to 4 decimal places' });
    expect(parseWte('')).toEqual({ ok: false, message: 'Funded WTE is blank' });
    expect(parseWte('two')).toEqual({ ok: false, message: '"two" is not a number of WTE' });
    expect(parseWte('-1')).toEqual({ ok: false, message: 'Funded WTE cannot be negative (-1)' });
  });

  it('adds up lines before rounding to the hundredths a post keeps: 0.3333 x 3 = 0.9999 -> 1.00', () => {
    expect(centiFromWte4(3333 * 3)).toBe(100);
    expect(centiFromWte4(12_345)).toBe(123);
  });

  it('reads budgets in pounds as whole pence; blank is no budget; negative is refused', () => {
    expect(parseBudget('£31,250.50')).toEqual({ ok: true, value: 3_125_050 });
    expect(parseBudget(21000.5)).toEqual({ ok: true, value: 2_100_050 });
    expect(parseBudget('')).toEqual({ ok: true, value: null });
    expect(parseBudget('(500.00)')).toEqual({ ok: false, message: 'A budget cannot be negative ((500.00))' });
    expect(parseBudget('lots')).toEqual({ ok: false, message: '"lots" is not an amount in pounds' });
  });

  it('rejects a line with every problem named by line and column header', () => {
    const read = readEstablishmentLine(7, ['', '', 'Therapy Assistant', 'Band 12', '-0.5', 'abc'], mapping, HEADERS);
    expect(read.value).toBeNull();
    expect('errors' in read && read.errors).toEqual([
      {
        line: 7,
        column: 'Cost Centre / Cost Centre Name',
        message: 'No cost centre or service: the line says nowhere',
      },
      {
        line: 7,
        column: 'AfC Band',
        message: '"Band 12" is not an Agenda for Change band (expected one of 1, 2, 3, 4, 5, 6, 7, 8a, 8b, 8c, 8d, 9)',
      },
      { line: 7, column: 'Budgeted WTE', message: 'Funded WTE cannot be negative (-0.5)' },
      { line: 7, column: 'Annual Budget', message: '"abc" is not an amount in pounds' },
    ]);
  });

  it('reads a good line', () => {
    const read = readEstablishmentLine(
      2,
      ['CC101', 'MSK Physio', 'Physio Assistant', 'Band 3', '2', '£50,000'],
      mapping,
      HEADERS,
    );
    expect(read).toEqual({
      value: {
        line: 2,
        costCentre: 'CC101',
        service: 'MSK Physio',
        title: 'Physio Assistant',
        band: '3',
        wte4: 20_000,
        budgetPence: 5_000_000,
      },
      warnings: [],
    });
  });
});

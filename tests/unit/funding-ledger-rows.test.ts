import { describe, expect, it } from 'vitest';
import { ledgerMappingSchema } from '../../shared/funding/ledger-import';
import { dateOrderLabel, ledgerMappingProblems, ledgerRowReader } from '../../shared/funding/ledger-rows';

const headers = ['Posting Date', 'Cost Centre', 'Subjective', 'Narrative', 'Amount', 'Debit', 'Credit'];
const signed = ledgerMappingSchema.parse({
  date: 'Posting Date',
  amount: 'Amount',
  costCentre: 'Cost Centre',
  accountCode: 'Subjective',
  description: 'Narrative',
});
const years = { referenceYear: 2022, streamYear: null, streamYears: new Set(['2021/22', '2022/23']) };

describe('ledgerRowReader', () => {
  it('reads a clean row: a UK date in a stream year, a signed amount, the text columns', () => {
    const read = ledgerRowReader(signed, headers, years);
    expect(read(['05/04/2021', 'CC100', '5A1', 'Backfill April', '(1,250.00)', null, null], null)).toEqual({
      date: '2021-04-05',
      amountPence: -125_000,
      costCentre: 'CC100',
      accountCode: '5A1',
      description: 'Backfill April',
      issues: [],
    });
  });

  it('names the column of each problem, and keeps reading the rest of the row', () => {
    const read = ledgerRowReader(signed, headers, years);
    const row = read(['31/03/2021', 'C'.repeat(41), '5A1', 'x', 'n/a'], 'Line has 5 fields, expected 7');
    // 31 March 2021 is the last day of 2020/21, which no stream covers.
    expect(row.date).toBeNull();
    expect(row.amountPence).toBeNull();
    expect(row.issues).toEqual([
      { column: '(row)', message: 'Line has 5 fields, expected 7' },
      {
        column: 'Posting Date',
        message: "31 Mar 2021 is in 2020/21, outside every funding stream's year (2021/22 or 2022/23)",
      },
      { column: 'Amount', message: '"n/a" is not an amount of money' },
      { column: 'Cost Centre', message: 'The cost centre is longer than 40 characters' },
    ]);
  });

  it("holds an import for one stream to that stream's year", () => {
    const read = ledgerRowReader(signed, headers, { ...years, streamYear: '2022/23' });
    expect(read(['01/06/2021', '', '', '', '10'], null).issues).toEqual([
      { column: 'Posting Date', message: "1 Jun 2021 is in 2021/22, outside the stream's year 2022/23" },
    ]);
  });

  it('reads debit and credit columns, and dates as the mapping orders them', () => {
    const split = ledgerMappingSchema.parse({
      date: 'Posting Date',
      debit: 'Debit',
      credit: 'Credit',
      dateOrder: 'mdy',
    });
    const read = ledgerRowReader(split, headers, years);
    const row = read(['04/30/2022', '', '', '', '', 0, 45.5], null);
    expect(row).toMatchObject({ date: '2022-04-30', amountPence: -4_550, issues: [] });
    // A spreadsheet date in the credit column is refused, not read as a number.
    expect(read(['04/30/2022', '', '', '', '', null, new Date(Date.UTC(2022, 3, 30))], null).issues).toEqual([
      { column: 'Debit / Credit', message: 'credit: "2022-04-30T00:00:00.000Z" is not an amount of money' },
    ]);
  });

  it('shortens a long description to 300 characters rather than refusing the row', () => {
    const read = ledgerRowReader(signed, headers, years);
    const row = read(['2022-01-10', '', '', 'd'.repeat(400), '1'], null);
    expect(row.description).toHaveLength(300);
    expect(row.description.endsWith('d…')).toBe(true);
    expect(row.issues).toEqual([]);
  });
});

describe('ledgerMappingProblems and dateOrderLabel', () => {
  it('lists each mapped column the file does not have', () => {
    expect(ledgerMappingProblems(signed, headers)).toEqual({});
    expect(ledgerMappingProblems(signed, ['Posting Date', 'Amount'])).toEqual({
      'mapping.costCentre': 'There is no column called "Cost Centre" in this file',
      'mapping.accountCode': 'There is no column called "Subjective" in this file',
      'mapping.description': 'There is no column called "Narrative" in this file',
    });
  });

  it('says the date order the way a user writes dates', () => {
    expect(dateOrderLabel('dmy')).toBe('dd/mm/yyyy');
    expect(dateOrderLabel('mdy')).toBe('mm/dd/yyyy');
    expect(dateOrderLabel('ymd')).toBe('yyyy-mm-dd');
  });
});

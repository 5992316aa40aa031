import { describe, expect, it } from 'vitest';
import { cellPence, ledgerAmount, ledgerCellAmount } from '../../shared/funding/amounts';

// Worked examples of the ledger amount parser: what a finance export writes, and what the import stores.

describe('cellPence: one amount cell', () => {
  it('reads the ways a UK ledger writes money', () => {
    expect(cellPence('£1,234.56')).toEqual({ ok: true, pence: 123_456 }); // pounds sign, thousands comma
    expect(cellPence('1234.5')).toEqual({ ok: true, pence: 123_450 }); // one decimal place is 50p
    expect(cellPence('(12.00)')).toEqual({ ok: true, pence: -1_200 }); // brackets: a credit
    expect(cellPence('-£5')).toEqual({ ok: true, pence: -500 }); // minus before the pound sign
    expect(cellPence('£-5')).toEqual({ ok: true, pence: -500 }); // or after it
    expect(cellPence('5.00-')).toEqual({ ok: true, pence: -500 }); // trailing minus
    expect(cellPence('250.00 CR')).toEqual({ ok: true, pence: -25_000 }); // credit marker
    expect(cellPence('250.00 DR')).toEqual({ ok: true, pence: 25_000 }); // debit: spend
    expect(cellPence('  7  ')).toEqual({ ok: true, pence: 700 });
  });

  it('reads a European amount only when it cannot be read the UK way', () => {
    expect(cellPence('1.234,56')).toEqual({ ok: true, pence: 123_456 });
    expect(cellPence('37,50')).toEqual({ ok: true, pence: 3_750 });
    // "1.234" could be £1,234 (European) or £1.234 (three decimal places): refused, never guessed.
    expect(cellPence('1.234')).toMatchObject({ ok: false, message: expect.stringMatching(/ambiguous/) });
  });

  it('does not accept a space as a thousands separator', () => {
    expect(cellPence('1 234,00')).toEqual({ ok: false, message: '"1 234,00" is not an amount of money' });
  });

  it('reads spreadsheet numbers of whole pence, exactly', () => {
    expect(cellPence(1234.56)).toEqual({ ok: true, pence: 123_456 });
    expect(cellPence(-0.1)).toEqual({ ok: true, pence: -10 });
    expect(cellPence(0)).toEqual({ ok: true, pence: 0 });
    expect(cellPence(-0)).toEqual({ ok: true, pence: 0 }); // never -0
    expect(cellPence(0.125)).toEqual({ ok: false, message: '0.125 has more than 2 decimal places' });
    expect(cellPence(Number.POSITIVE_INFINITY)).toEqual({ ok: false, message: 'Infinity is not an amount' });
    expect(cellPence(1e300)).toEqual({ ok: false, message: '1e+300 is too large' });
  });

  it('gives a clear error, never 0, for blanks and rubbish', () => {
    expect(cellPence('')).toEqual({ ok: false, message: 'blank amount' });
    expect(cellPence('   ')).toEqual({ ok: false, message: 'blank amount' });
    expect(cellPence(null)).toEqual({ ok: false, message: 'blank amount' });
    expect(cellPence(undefined)).toEqual({ ok: false, message: 'blank amount' });
    expect(cellPence('n/a')).toEqual({ ok: false, message: '"n/a" is not an amount of money' });
    expect(cellPence('£')).toEqual({ ok: false, message: '"£" has no digits' });
    expect(cellPence('$5.00')).toEqual({ ok: false, message: '"$5.00" is not in pounds sterling' });
    expect(cellPence('(5.00')).toEqual({ ok: false, message: '"(5.00" has an unmatched bracket' });
    expect(cellPence('-(5.00)')).toEqual({ ok: false, message: '"-(5.00)" is marked negative more than once' });
    expect(cellPence('1.2.3')).toEqual({
      ok: false,
      message: '"1.2.3" is not an amount of money: check the commas and decimal point',
    });
    expect(cellPence('12.345')).toMatchObject({ ok: false });
  });
});

describe('ledgerCellAmount: the amount of a row from its columns', () => {
  it('one signed amount column', () => {
    expect(ledgerCellAmount({ amount: '£1,234.56' })).toEqual({ ok: true, pence: 123_456 });
    expect(ledgerCellAmount({ amount: 99.99 })).toEqual({ ok: true, pence: 9_999 });
    expect(ledgerCellAmount({ amount: null })).toEqual({ ok: false, message: 'blank amount' });
  });

  it('debit (spend) and credit (negative) columns; a zero beside an amount counts as empty', () => {
    expect(ledgerCellAmount({ debit: '120.00', credit: '' })).toEqual({ ok: true, pence: 12_000 });
    expect(ledgerCellAmount({ debit: '', credit: '120.00' })).toEqual({ ok: true, pence: -12_000 });
    expect(ledgerCellAmount({ debit: 0, credit: 45 })).toEqual({ ok: true, pence: -4_500 });
    expect(ledgerCellAmount({ debit: 45, credit: 0 })).toEqual({ ok: true, pence: 4_500 });
    expect(ledgerCellAmount({ debit: 0, credit: null })).toEqual({ ok: true, pence: 0 });
  });

  it('names the column of an error, and refuses a row with both', () => {
    expect(ledgerCellAmount({ debit: 'abc', credit: '' })).toEqual({
      ok: false,
      message: 'debit: "abc" is not an amount of money',
    });
    expect(ledgerCellAmount({ debit: '', credit: 'xyz' })).toEqual({
      ok: false,
      message: 'credit: "xyz" is not an amount of money',
    });
    expect(ledgerCellAmount({ debit: null, credit: ' ' })).toEqual({
      ok: false,
      message: 'blank amount: both debit and credit are empty',
    });
    expect(ledgerCellAmount({ debit: 10, credit: 20 })).toEqual({
      ok: false,
      message: 'the row has both a debit (£10.00) and a credit (£20.00); expected one',
    });
  });
});

describe('ledgerAmount: the same from text columns', () => {
  it('reads one amount, or a debit or a credit, and refuses both or neither', () => {
    expect(ledgerAmount({ amount: '(12.00)' })).toEqual({ ok: true, pence: -1_200 });
    expect(ledgerAmount({ debit: '12.00' })).toEqual({ ok: true, pence: 1_200 });
    expect(ledgerAmount({ credit: '12.00' })).toEqual({ ok: true, pence: -1_200 });
    expect(ledgerAmount({ credit: '0' })).toEqual({ ok: true, pence: 0 });
    expect(ledgerAmount({})).toEqual({ ok: false, message: 'blank amount: both debit and credit are empty' });
    expect(ledgerAmount({ debit: '0', credit: '5' })).toEqual({
      ok: false,
      message: 'The row has both a debit (0) and a credit (5); expected one',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { cellPence, ledgerCellAmount } from '../../shared/funding/amounts';
import { monthsClosedAt } from '../../shared/funding/forecast';
import { guessLedgerMapping, ledgerMappingSchema } from '../../shared/funding/ledger-import';
import { firstMatchingRule, ledgerRuleInputSchema, sortRules, type LedgerRule } from '../../shared/funding/rules';

describe('cellPence', () => {
  it('reads spreadsheet numbers with at most 2 decimal places, exactly', () => {
    // 1500.5 is stored as a binary double; x 100 = 150050 within rounding, so 150050p.
    expect(cellPence(1500.5)).toEqual({ ok: true, pence: 150_050 });
    // 0.1 + 0.2 = 0.30000000000000004: within a millionth of 30p.
    expect(cellPence(0.1 + 0.2)).toEqual({ ok: true, pence: 30 });
    expect(cellPence(-12.34)).toEqual({ ok: true, pence: -1234 });
    expect(cellPence(10.005)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/more than 2 decimal places/),
    });
    expect(cellPence(Number.NaN).ok).toBe(false);
  });
  it('reads text the way parseMoney does and never turns blank into 0', () => {
    expect(cellPence('(1,234.56)')).toEqual({ ok: true, pence: -123_456 });
    expect(cellPence('£1,234.56')).toEqual({ ok: true, pence: 123_456 });
    expect(cellPence('1.234,56')).toEqual({ ok: true, pence: 123_456 });
    expect(cellPence('').ok).toBe(false);
    expect(cellPence(null).ok).toBe(false);
  });
});

describe('ledgerCellAmount', () => {
  it('one signed amount column', () => {
    expect(ledgerCellAmount({ amount: '250.00 CR' })).toEqual({ ok: true, pence: -25_000 });
    expect(ledgerCellAmount({ amount: '' })).toEqual({ ok: false, message: 'blank amount' });
  });
  it('debit is spend, credit is negative; a zero beside an amount counts as empty', () => {
    expect(ledgerCellAmount({ debit: 500, credit: null })).toEqual({ ok: true, pence: 50_000 });
    expect(ledgerCellAmount({ debit: '0.00', credit: '125.50' })).toEqual({ ok: true, pence: -12_550 });
    expect(ledgerCellAmount({ debit: '', credit: '' })).toMatchObject({ ok: false });
    expect(ledgerCellAmount({ debit: '1.00', credit: '2.00' })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/both a debit \(£1.00\) and a credit \(£2.00\)/),
    });
    expect(ledgerCellAmount({ debit: 'abc', credit: '' })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^debit: /),
    });
    expect(ledgerCellAmount({ debit: '0', credit: '0' })).toEqual({ ok: true, pence: 0 });
  });
});

describe('guessLedgerMapping', () => {
  it('recognises common finance export headers', () => {
    expect(guessLedgerMapping(['Transaction Date', 'Cost Centre', 'Subjective', 'Narrative', 'Value'])).toMatchObject({
      date: 'Transaction Date',
      costCentre: 'Cost Centre',
      accountCode: 'Subjective',
      description: 'Narrative',
      amount: 'Value',
    });
  });
  it('prefers debit and credit columns over an amount column', () => {
    const m = guessLedgerMapping(['GL Date', 'Dr', 'Cr', 'Total']);
    expect(m).toMatchObject({ date: 'GL Date', debit: 'Dr', credit: 'Cr', amount: null });
    expect(ledgerMappingSchema.safeParse(m).success).toBe(true);
  });
  it('leaves the date blank when nothing looks like one, and the schema says so', () => {
    const parsed = ledgerMappingSchema.safeParse(guessLedgerMapping(['a', 'b']));
    expect(parsed.success).toBe(false);
  });
});

describe('monthsClosedAt', () => {
  it('counts months ended by the date (April = month 1 of the NHS year)', () => {
    expect(monthsClosedAt('2021/22', '2021-03-31')).toBe(0);
    expect(monthsClosedAt('2021/22', '2021-04-30')).toBe(1);
    expect(monthsClosedAt('2021/22', '2021-05-01')).toBe(1);
    expect(monthsClosedAt('2021/22', '2021-09-30')).toBe(6);
    expect(monthsClosedAt('2021/22', '2022-02-28')).toBe(11);
    expect(monthsClosedAt('2021/22', '2022-03-31')).toBe(12);
    expect(monthsClosedAt('2021/22', '2026-01-01')).toBe(12);
  });
});

describe('rules', () => {
  const rule = (id: number, priority: number, costCentre: string): LedgerRule => ({
    id,
    priority,
    planLineId: id * 10,
    costCentre,
    accountCode: null,
    descriptionContains: null,
  });
  it('sorts once by priority then list order, and the first match wins', () => {
    const sorted = sortRules([rule(1, 5, 'CC1'), rule(2, 1, 'CC1'), rule(3, 1, 'CC2')]);
    expect(sorted.map((r) => r.id)).toEqual([2, 3, 1]);
    expect(firstMatchingRule({ costCentre: 'cc1 ', accountCode: '', description: '' }, sorted).planLineId).toBe(20);
    expect(firstMatchingRule({ costCentre: 'CC9', accountCode: '', description: '' }, sorted)).toEqual({
      planLineId: null,
      rule: null,
    });
  });
  it('turns blank boxes into "any" and refuses a rule with nothing to match', () => {
    expect(ledgerRuleInputSchema.parse({ planLineId: 1, costCentre: 'CC1', descriptionContains: '' })).toMatchObject({
      costCentre: 'CC1',
      descriptionContains: null,
      priority: 100,
    });
    expect(ledgerRuleInputSchema.safeParse({ planLineId: 1, costCentre: '', descriptionContains: '' }).success).toBe(
      false,
    );
  });
});

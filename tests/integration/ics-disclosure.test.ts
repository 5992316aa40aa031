import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandlerContext } from '../../electron/handler';
import { dispatch } from '../../electron/router';
import { gatherIcsReturn } from '../../electron/services/ics/aggregate';
import { auditProtection } from '../../electron/services/returns/disclosure-audit';
import { TOTAL, type BuildResult, type ReturnTable, type ReturnView } from '../../shared/returns/channels';
import { protect } from '../../shared/returns/disclosure';
import type { CellProtection, DisclosureModel } from '../../shared/returns/disclosure-model';
import { parseReturnPeriod } from '../../shared/returns/periods';
import { addReturnFiles, FIVE_TRUSTS, newIcs, trustReturnFile, type TrustSpec } from '../fixtures/ics-trusts';
import { tempDir, type TempStore } from './helpers';

/**
 * Disclosure control of an ICS return (issue 13), from real collected returns: the trust comparison publishes each
 * trust's BME count (F5) beside the ICS total (F1), and each trust's staff by stage (B5) beside the ICS's stage
 * totals (B1). A tiny trust's small counts must not be recoverable as "ICS total minus the other trusts". The HiGHS
 * audit plays that attacker; with the primary cells alone hidden it finds the tiny trust's figures, with the
 * protection it finds nothing.
 */

const THRESHOLD = 7;
/** 14 staff: its BME count is 5 (checked below), so it is a primary cell in F5. */
const TINY: TrustSpec = { name: 'Little Island NHS Trust', odsCode: 'RN6', staff: 14, seed: 21 };

let dir: string;
let ics: TempStore;

async function call<T>(ctx: HandlerContext, channel: string, input: unknown): Promise<T> {
  const result = await dispatch(ctx, channel, input);
  if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

const f5 = (ods: string) => `F5/r:${ods}/c:bme`;
const b5 = (ods: string, stage: string) => `B5/r:${ods}/c:${stage}`;

function model(): DisclosureModel {
  const range = parseReturnPeriod('2025/26')!;
  return gatherIcsReturn(ics.store.db, {
    range,
    asAt: range.to,
    threshold: THRESHOLD,
    preparedBy: 'test',
    builtAt: '2026-04-01T09:00:00Z',
  }).tables.model();
}

beforeAll(async () => {
  dir = tempDir();
  const files: string[] = [];
  for (const spec of [...FIVE_TRUSTS, TINY]) files.push(...(await trustReturnFile(dir, spec)).map((f) => f.file));
  ics = await newIcs();
  const added = await addReturnFiles(
    ics.ctx,
    files.map((f) => ({ name: f, bytes: fs.readFileSync(f) })),
  );
  if (added.added !== 6) throw new Error(added.summary);
}, 180_000);

afterAll(() => {
  ics.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("an ICS return's trust comparison cannot be differenced", () => {
  it('F5: a small BME count is hidden with another cell of its total, and the audit cannot narrow it', async () => {
    const m = model();
    const value = new Map(m.cells.map((c) => [c.id, c.value]));
    const tiny = value.get(f5(TINY.odsCode))!;
    expect(tiny, 'the tiny trust has a small BME count').toBeGreaterThanOrEqual(1);
    expect(tiny).toBeLessThanOrEqual(THRESHOLD);
    const equation = m.equations.find((e) => e.parts.includes(f5(TINY.odsCode)))!;
    expect(equation.total).toBe('F1/total/c:bme');

    // The attack: hide only the small count, publish the rest. ICS total minus the other trusts gives it away.
    const primaryOnly = new Map<string, CellProtection>(
      m.cells
        .filter((c) => c.value >= 1 && c.value <= THRESHOLD && c.role !== 'grand')
        .map((c) => [c.id, 'suppressed-primary']),
    );
    const naive = await auditProtection(m, primaryOnly, THRESHOLD);
    expect(naive.ok).toBe(false);
    expect(naive.exposed.map((e) => e.id)).toContain(f5(TINY.odsCode));
    expect(naive.exposed.find((e) => e.id === f5(TINY.odsCode))).toMatchObject({ min: tiny, max: tiny });

    // The protection: something else in the same total is hidden too, and the audit finds a range of at least 2.
    const protection = protect(m, THRESHOLD);
    expect(protection.get(f5(TINY.odsCode))).toBe('suppressed-primary');
    const partners = [equation.total, ...equation.parts].filter(
      (id) => id !== f5(TINY.odsCode) && (protection.get(id) ?? 'exact') !== 'exact',
    );
    expect(partners.length).toBeGreaterThan(0);
    const audit = await auditProtection(m, protection, THRESHOLD);
    expect(audit.exposed).toEqual([]);
    expect(audit.ok).toBe(true);
    const interval = audit.intervals.find((i) => i.id === f5(TINY.odsCode))!;
    expect(interval.max - interval.min).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it("B5: a trust's hidden stage count cannot be worked out from B1's stage totals", async () => {
    const m = model();
    const protection = protect(m, THRESHOLD);
    const hiddenB5 = m.cells.filter((c) => c.id.startsWith('B5/r:') && (protection.get(c.id) ?? 'exact') !== 'exact');
    expect(hiddenB5.some((c) => c.id.startsWith(`B5/r:${TINY.odsCode}/`))).toBe(true);
    // B5's column totals are B1's stage totals: the same cells, so one system of equations.
    const stageColumn = m.equations.filter((e) => e.parts.includes(b5(TINY.odsCode, 'entry'))).map((e) => e.total);
    expect(stageColumn).toContain('B1/r:entry/total');
    const naive = await auditProtection(
      m,
      new Map(
        m.cells
          .filter((c) => c.value >= 1 && c.value <= THRESHOLD && c.role !== 'grand')
          .map((c): [string, CellProtection] => [c.id, 'suppressed-primary']),
      ),
      THRESHOLD,
    );
    expect(naive.exposed.some((e) => e.id.startsWith(`B5/r:${TINY.odsCode}/`))).toBe(true);
    const audit = await auditProtection(m, protection, THRESHOLD);
    for (const c of hiddenB5) {
      const i = audit.intervals.find((x) => x.id === c.id)!;
      expect(i.max - i.min, c.id).toBeGreaterThanOrEqual(2);
    }
  }, 60_000);

  it('the built and signed ICS return publishes neither the small count nor a way to it', async () => {
    const built = await call<BuildResult>(ics.ctx, 'returns/build', { period: '2025/26' });
    expect(built.errors).toEqual([]);
    const view = await call<ReturnView>(ics.ctx, 'returns/show', { id: built.id, version: 'publication' });
    expect(view.checks.audit.ok).toBe(true);
    const table = (id: string) => view.content.tables.find((t) => t.id === id)!;
    const cell = (t: ReturnTable, row: string, column: string, measure = 'headcount') =>
      t.cells.find((c) => c.row === row && c.column === column && c.measure === measure)!;
    const f5t = table('F5');
    expect(cell(f5t, TINY.odsCode, 'bme').value).toBeNull();
    const shownParts = f5t.cells.filter((c) => c.row !== TOTAL && c.value !== null).length;
    const totalShown = cell(f5t, TOTAL, 'bme').value !== null;
    // Among the trusts' BME counts and the ICS total, at least two are hidden.
    expect(f5t.rows.length - shownParts + (totalShown ? 0 : 1)).toBeGreaterThanOrEqual(2);
    // The tiny trust's BME share in the comparison rests on the hidden count, so it is hidden too.
    expect(cell(table('B7'), TINY.odsCode, 'bme-share', 'percent').value).toBeNull();
  }, 60_000);
});

import {
  returnSummarySchema,
  type ReturnCell,
  type ReturnContent,
  type ReturnDiff,
  type ReturnVersionKind,
} from '../../../shared/returns/channels';
import type { DB } from '../../db/connection';
import { showReturn } from './states';

/**
 * Two returns compared cell by cell (usually a correction against the version it corrects), in the version asked
 * for: the exact figures, or what the publication version showed and hid. Text (section A's facts, the checklist
 * and section H) is compared by its path.
 */
export function diffReturns(db: DB, fromId: number, toId: number, version: ReturnVersionKind): ReturnDiff {
  const from = showReturn(db, fromId, version);
  const to = showReturn(db, toId, version);
  const key = (table: string, c: { row: string; column: string; measure: string }) =>
    `${table}\u0000${c.row}\u0000${c.column}\u0000${c.measure}`;
  const index = (content: ReturnContent) => {
    const cells = new Map<string, ReturnCell & { table: string }>();
    for (const t of content.tables) for (const c of t.cells) cells.set(key(t.id, c), { table: t.id, ...c });
    return cells;
  };
  const before = index(from.content);
  const after = index(to.content);
  const cells: ReturnDiff['cells'] = [];
  let unchangedCells = 0;
  for (const k of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(k);
    const a = after.get(k);
    if (b && a && b.value === a.value && b.status === a.status) {
      unchangedCells++;
      continue;
    }
    const any = (a ?? b)!;
    cells.push({
      table: any.table,
      row: any.row,
      column: any.column,
      measure: any.measure,
      before: b ? { value: b.value, status: b.status } : null,
      after: a ? { value: a.value, status: a.status } : null,
    });
  }
  const text: ReturnDiff['text'] = [];
  const flat = (content: ReturnContent): Map<string, string> => {
    const out = new Map<string, string>();
    const walk = (path: string, v: unknown) => {
      if (v === null || typeof v !== 'object') out.set(path, v === null ? '' : String(v));
      else if (Array.isArray(v)) v.forEach((x, i) => walk(`${path}.${i}`, x));
      else for (const [k, x] of Object.entries(v)) walk(path ? `${path}.${k}` : k, x);
    };
    const { builtAt: _builtAt, preparedBy: _preparedBy, ...about } = content.about;
    walk('about', about);
    walk('checklist', content.checklist);
    walk('readiness', content.readiness);
    return out;
  };
  const fb = flat(from.content);
  const fa = flat(to.content);
  for (const path of new Set([...fb.keys(), ...fa.keys()])) {
    const b = fb.get(path) ?? null;
    const a = fa.get(path) ?? null;
    if (b !== a) text.push({ path, before: b, after: a });
  }
  return {
    from: returnSummarySchema.parse(from),
    to: returnSummarySchema.parse(to),
    version,
    cells,
    text,
    unchangedCells,
  };
}

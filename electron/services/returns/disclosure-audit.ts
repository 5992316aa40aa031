// STAND-IN, replaced by the disclosure branch (issue 12): a naive audit, not the linear program the issue asks for.
// It works out hidden cells from the published equations one at a time (an equation with a single unknown gives it
// away, and the cells so found help with the next), and gives every other hidden cell the range its primary rule
// allows. Do not extend this file.
import type {
  AuditResult,
  CellProtection,
  DisclosureModel,
  HiddenInterval,
} from '../../../shared/returns/disclosure-model';

export async function auditProtection(
  model: DisclosureModel,
  protection: Map<string, CellProtection>,
  threshold: number,
): Promise<AuditResult> {
  const started = performance.now();
  const value = new Map(model.cells.map((c) => [c.id, c.value]));
  const known = new Set(model.cells.filter((c) => (protection.get(c.id) ?? 'exact') === 'exact').map((c) => c.id));
  const hidden = model.cells.filter((c) => !known.has(c.id)).map((c) => c.id);
  const workedOut = new Set<string>();
  for (let changed = true; changed;) {
    changed = false;
    for (const e of model.equations) {
      const unknown = [e.total, ...e.parts].filter((id) => !known.has(id));
      if (unknown.length === 1) {
        known.add(unknown[0]!);
        workedOut.add(unknown[0]!);
        changed = true;
      }
    }
  }
  const intervals: HiddenInterval[] = hidden.map((id) =>
    workedOut.has(id)
      ? { id, min: value.get(id)!, max: value.get(id)! }
      : protection.get(id) === 'suppressed-primary'
        ? { id, min: 1, max: threshold }
        : { id, min: 0, max: Number.MAX_SAFE_INTEGER },
  );
  const exposed = intervals.filter((i) => i.max - i.min < 2);
  return { ok: exposed.length === 0, intervals, exposed, ms: performance.now() - started };
}

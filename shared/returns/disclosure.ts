// STAND-IN, replaced by the disclosure branch (issue 12): primary suppression only, so that the returns service can
// be built and tested before the real `protect` (with secondary suppression) lands. Do not extend this file.
import type { CellProtection, DisclosureModel } from './disclosure-model';

/** Hides every count from 1 to the threshold (never a grand total); zeros and everything else are shown. */
export function protect(model: DisclosureModel, threshold: number): Map<string, CellProtection> {
  const out = new Map<string, CellProtection>();
  for (const c of model.cells)
    out.set(c.id, c.role !== 'grand' && c.value >= 1 && c.value <= threshold ? 'suppressed-primary' : 'exact');
  return out;
}

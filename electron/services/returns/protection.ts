import type { AuditResult, CellProtection, DisclosureModel } from '../../../shared/returns/disclosure-model';
import { protect, protectTotalsOnly } from '../../../shared/returns/disclosure';
import { auditProtection } from './disclosure-audit';

/**
 * The one place the returns service calls disclosure control: which cells to hide (primary and secondary) and the
 * audit that plays the attacker. Both functions come from the disclosure work of issue 12. When the audit fails
 * (a trust of a dozen staff), everything but the grand totals is hidden and audited again.
 */
export async function protectReturn(
  model: DisclosureModel,
  threshold: number,
): Promise<{ protection: Map<string, CellProtection>; audit: AuditResult; totalsOnly: boolean }> {
  const protection = protect(model, threshold);
  const audit = await auditProtection(model, protection, threshold);
  if (audit.ok) return { protection, audit, totalsOnly: false };
  // A very small trust: hiding cell by cell cannot protect it, so only its totals are published, if that passes.
  const totalsOnly = protectTotalsOnly(model, threshold);
  const fallback = await auditProtection(model, totalsOnly, threshold);
  return fallback.ok
    ? { protection: totalsOnly, audit: fallback, totalsOnly: true }
    : { protection, audit, totalsOnly: false };
}

import type { AuditResult, CellProtection, DisclosureModel } from '../../../shared/returns/disclosure-model';
import { protect } from '../../../shared/returns/disclosure';
import { auditProtection } from './disclosure-audit';

/**
 * The one place the returns service calls disclosure control: which cells to hide (primary and secondary) and the
 * audit that plays the attacker. Both functions come from the disclosure work of issue 12.
 */
export async function protectReturn(
  model: DisclosureModel,
  threshold: number,
): Promise<{ protection: Map<string, CellProtection>; audit: AuditResult }> {
  const protection = protect(model, threshold);
  const audit = await auditProtection(model, protection, threshold);
  return { protection, audit };
}

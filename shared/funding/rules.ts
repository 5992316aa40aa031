import { z } from 'zod';
import { financialYearSchema } from '../common/periods';
import { idSchema } from '../common/schemas';
import type { LedgerEntry } from './ledger';

/** Matching rules: which plan line an imported ledger row belongs to, explained by the rule that matched. */

const ledgerRuleFields = z.object({
  id: idSchema,
  /** Lower numbers are tried first; equal priorities keep their order in the list. */
  priority: z.number().int(),
  planLineId: idSchema,
  costCentre: z.string().trim().nullable().default(null),
  accountCode: z
    .object({ match: z.enum(['equals', 'prefix']), value: z.string().trim().min(1, 'Enter the account code') })
    .nullable()
    .default(null),
  descriptionContains: z.string().trim().nullable().default(null),
});
const ruleHasCondition = {
  check: (r: { costCentre: string | null; accountCode: unknown; descriptionContains: string | null }) =>
    Boolean(r.costCentre || r.accountCode || r.descriptionContains),
  message: 'A rule needs at least one thing to match: cost centre, account code or description',
};
export const ledgerRuleSchema = ledgerRuleFields.refine(ruleHasCondition.check, { message: ruleHasCondition.message });
export type LedgerRule = z.output<typeof ledgerRuleSchema>;

export type LedgerRowForMatching = Pick<LedgerEntry, 'costCentre' | 'accountCode' | 'description'>;

const norm = (s: string) => s.trim().toLowerCase();

function ruleMatches(rule: LedgerRule, row: LedgerRowForMatching): boolean {
  if (rule.costCentre && norm(row.costCentre) !== norm(rule.costCentre)) return false;
  if (rule.accountCode) {
    const code = norm(row.accountCode);
    const wanted = norm(rule.accountCode.value);
    if (rule.accountCode.match === 'equals' ? code !== wanted : !code.startsWith(wanted)) return false;
  }
  if (rule.descriptionContains && !norm(row.description).includes(norm(rule.descriptionContains))) return false;
  return true;
}

/**
 * Finds the plan line for an imported row. Every condition a rule sets must hold (all compared trimmed and
 * case-insensitively); the first matching rule by priority wins and is returned so the match can be explained.
 */
export function matchLedgerRow(
  row: LedgerRowForMatching,
  rules: readonly LedgerRule[],
): { planLineId: number; rule: LedgerRule } | { planLineId: null; rule: null } {
  return firstMatchingRule(row, sortRules(rules));
}

/** Rules in the order they are tried: priority, then list order. Sort once when matching many rows. */
export function sortRules<R extends LedgerRule>(rules: readonly R[]): R[] {
  return rules
    .map((rule, index) => ({ rule, index }))
    .sort((a, b) => a.rule.priority - b.rule.priority || a.index - b.index)
    .map((r) => r.rule);
}

/** matchLedgerRow for rules already in order (see sortRules). */
export function firstMatchingRule<R extends LedgerRule>(
  row: LedgerRowForMatching,
  sortedRules: readonly R[],
): { planLineId: number; rule: R } | { planLineId: null; rule: null } {
  for (const rule of sortedRules) {
    if (ruleMatches(rule, row)) return { planLineId: rule.planLineId, rule };
  }
  return { planLineId: null, rule: null };
}

/** A rule as the user edits it: blank text boxes mean "any". */
export const ledgerRuleInputSchema = ledgerRuleFields
  .extend({
    id: idSchema.optional(),
    priority: z
      .number({ error: 'Enter a priority number' })
      .int('Enter a whole number')
      .min(0)
      .max(100_000)
      .default(100),
  })
  .transform((r) => ({
    ...r,
    costCentre: r.costCentre ? r.costCentre : null,
    descriptionContains: r.descriptionContains ? r.descriptionContains : null,
  }))
  .refine(ruleHasCondition.check, { message: ruleHasCondition.message, path: ['costCentre'] });
export type LedgerRuleInput = z.input<typeof ledgerRuleInputSchema>;

export const ledgerRuleViewSchema = z.object({
  id: idSchema,
  priority: z.number().int(),
  planLineId: idSchema,
  planLineLabel: z.string(),
  financialYear: financialYearSchema,
  costCentre: z.string().nullable(),
  accountCode: z.object({ match: z.enum(['equals', 'prefix']), value: z.string() }).nullable(),
  descriptionContains: z.string().nullable(),
  /** Ledger entries this rule allocated. */
  entryCount: z.number().int(),
});
export type LedgerRuleView = z.infer<typeof ledgerRuleViewSchema>;

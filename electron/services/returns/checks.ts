import {
  DEFAULT_THRESHOLD,
  type Readiness,
  type ReturnCheck,
  type ReturnChecks,
} from '../../../shared/returns/channels';
import type { AuditResult } from '../../../shared/returns/disclosure-model';
import { FIRST_PHASE_CONDITIONS } from '../../../shared/funding/streams';
import type { BuiltFacts } from './build';

/**
 * The checks before sign-off. Errors block it: no ODS code, no staff in post at the as-at date, the disclosure
 * audit failed. Warnings need accepting with a reason: roles still in draft, funding not allocated to a plan line,
 * readiness left empty, a threshold below the default.
 */
export function runChecks(
  facts: BuiltFacts,
  audit: AuditResult,
  threshold: number,
  readiness: Readiness,
): ReturnChecks {
  const errors: ReturnCheck[] = [];
  const warnings: ReturnCheck[] = [];
  if (!facts.hasOds)
    errors.push({
      code: 'no-ods-code',
      message: `The ${facts.ics ? "ICS's" : "trust's"} ODS code is not set (Settings, or: organisation set --ods CODE).`,
    });
  if (facts.ics) {
    if (facts.ics.collected === 0)
      errors.push({
        code: 'no-returns',
        message: "No trust's return for this period is collected yet: add the trusts' returns under Collected returns.",
      });
    if (facts.ics.missing.length > 0)
      warnings.push({
        code: 'trusts-missing',
        message: `${facts.ics.missing.length} trust${facts.ics.missing.length === 1 ? ' has' : 's have'} not sent a return for this period: ${facts.ics.missing.join(', ')}.`,
      });
  } else if (facts.staffInPost === 0)
    errors.push({ code: 'no-staff', message: 'Nobody is in post at the as-at date: import the staff extract first.' });
  if (!audit.ok)
    errors.push({
      code: 'audit-failed',
      message: `The disclosure audit could work out ${audit.exposed.length} hidden cell${audit.exposed.length === 1 ? '' : 's'} from the published totals (${audit.exposed
        .slice(0, 5)
        .map((e) => e.id)
        .join(', ')}${audit.exposed.length > 5 ? ', ...' : ''}).`,
    });
  if (facts.draftRoles > 0)
    warnings.push({
      code: 'roles-draft',
      message: `${facts.draftRoles} job role${facts.draftRoles === 1 ? ' is' : 's are'} mapped in draft, not agreed${facts.ics ? ", across the trusts' returns" : ''}.`,
    });
  if (facts.unallocatedEntries > 0)
    warnings.push({
      code: 'funding-unallocated',
      message: `${facts.unallocatedEntries} spend ledger entr${facts.unallocatedEntries === 1 ? 'y is' : 'ies are'} not allocated to a plan line.`,
    });
  const readinessWarning = readinessCheck(readiness);
  if (readinessWarning) warnings.push(readinessWarning);
  if (threshold < DEFAULT_THRESHOLD)
    warnings.push({
      code: 'threshold-lowered',
      message: `The small-number threshold is ${threshold}, below the usual ${DEFAULT_THRESHOLD}.`,
    });
  return {
    errors,
    warnings,
    audit: {
      ok: audit.ok,
      hiddenCells: audit.intervals.length,
      exposedCells: audit.exposed.map((e) => e.id),
      ms: audit.ms,
    },
    warningsAccepted: null,
  };
}

/** A requirement with no RAG status and nothing said about what was done is empty. */
export function readinessCheck(readiness: Readiness): ReturnCheck | null {
  const empty = FIRST_PHASE_CONDITIONS.filter((c) => {
    const item = readiness.find((r) => r.requirement === c.code);
    return !item || (item.rag === null && item.done.trim() === '');
  });
  if (empty.length === 0) return null;
  return {
    code: 'readiness-empty',
    message: `Readiness and actions: ${empty.length} of ${FIRST_PHASE_CONDITIONS.length} first-phase requirements have no RAG status or account of what was done.`,
  };
}

/** The checks after the readiness section changed: only its warning is worked out again. */
export function withReadiness(checks: ReturnChecks, readiness: Readiness): ReturnChecks {
  const others = checks.warnings.filter((w) => w.code !== 'readiness-empty');
  const r = readinessCheck(readiness);
  return { ...checks, warnings: r ? [...others, r] : others, warningsAccepted: null };
}

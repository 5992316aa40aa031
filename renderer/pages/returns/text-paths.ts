import { FIRST_PHASE_CONDITIONS } from '../../../shared/funding/streams';
import type { ReturnContent } from '../../../shared/returns/channels';

const ABOUT: Record<string, string> = {
  trustName: 'Trust name',
  odsCode: 'ODS code',
  organisationKind: 'Kind of organisation',
  ics: 'Integrated care system',
  ahpFaculty: 'AHP faculty',
  period: 'Period',
  periodStart: 'Period start',
  asAt: 'Figures as at',
  frameworkVersion: 'Framework version',
  appVersion: 'App version',
  'disclosure.threshold': 'Small-number threshold',
  'disclosure.rules': 'Small-number rules',
};
const READINESS: Record<string, string> = { rag: 'RAG status', done: 'what was done', risks: 'risks' };
const ACTION: Record<string, (n: number) => string> = {
  action: (n) => `action ${n}`,
  owner: (n) => `owner of action ${n}`,
  due: (n) => `action ${n} due by`,
};

/**
 * A text difference's dotted path ("readiness.0.nextActions.1.owner") in words ("Scope the current workforce…: owner
 * of action 2"), so the compare view reads as the return does. Paths it does not know are shown as they are.
 */
export function textPathLabel(path: string, content: ReturnContent): string {
  const parts = path.split('.');
  const [area, first, ...rest] = parts;
  const index = Number(first);
  if (area === 'readiness' && Number.isInteger(index)) {
    const requirement = content.readiness[index]?.requirementText ?? FIRST_PHASE_CONDITIONS[index]?.text ?? path;
    if (rest[0] === 'nextActions' && rest.length === 3) {
      const describe = ACTION[rest[2]!];
      if (describe) return `${requirement}: ${describe(Number(rest[1]) + 1)}`;
    }
    const field = READINESS[rest.join('.')];
    return field ? `${requirement}: ${field}` : path;
  }
  if (area === 'checklist' && Number.isInteger(index))
    return `First-phase checklist, item ${index + 1}: ${rest.join(' ')}`;
  if (area === 'about') {
    const key = parts.slice(1).join('.');
    if (ABOUT[key]) return `About: ${ABOUT[key]}`;
    if (first === 'imports') return `About: import ${Number(rest[0]) + 1}, ${rest.slice(1).join(' ')}`;
  }
  return path;
}

/** A text value in words: blank said as such, RAG and checklist states capitalised. */
export function textValue(value: string | null): string {
  if (value === null) return '(not in this version)';
  if (value === '') return '(blank)';
  if (value === 'true') return 'Done';
  if (value === 'false') return 'Not done';
  if (value === 'red' || value === 'amber' || value === 'green') return value[0]!.toUpperCase() + value.slice(1);
  return value;
}

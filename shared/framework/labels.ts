import {
  APPRENTICESHIP_STANDARDS,
  CARE_CERTIFICATE_STANDARDS,
  EDUCATION_REQUIREMENTS,
  type GapStatus,
  type Qualification,
  type StudyStatus,
} from '../training/education';
import { domainsWithoutDescriptors, type FrameworkVersion, type StageId } from './index';
import { tnaRoutes, type TnaRouteId } from '../training/tna';

/** Plain-English names shared by the screens, the exports and the command line. */

/** "domain 4", "domains 2 to 8" (a run), "domains 2, 4 and 6". */
export function domainsLabel(numbers: readonly number[]): string {
  if (numbers.length === 1) return `domain ${numbers[0]}`;
  const first = numbers[0]!;
  const last = numbers[numbers.length - 1]!;
  if (numbers.every((n, i) => n === first + i)) return `domains ${first} to ${last}`;
  return `domains ${numbers.slice(0, -1).join(', ')} and ${last}`;
}

/**
 * Said where a lead meets the missing text (framework versions, mapping editor). No public copy of the published
 * descriptors for domains 2 to 8 could be confirmed, so the app does not ship them; the lead imports them.
 */
export function missingDescriptorsMessage(framework: FrameworkVersion): string | null {
  const missing = domainsWithoutDescriptors(framework);
  if (missing.length === 0) return null;
  return (
    `Framework ${framework.version} has no descriptor text for ${domainsLabel(missing)}. ` +
    'The app does not ship it: no public copy could be confirmed. ' +
    'Download the template, copy the text from your copy of the framework, and import it.'
  );
}

export const GAP_STATUS_LABELS: Record<GapStatus, string> = {
  meets: 'Meets',
  partly: 'Partly meets',
  'does-not': 'Does not meet',
  unknown: 'Unknown',
};

/**
 * Two kinds of level, never a bare "Level N": a stage sits at an NHS Career Framework level (a job level); the
 * education it asks for is at an RQF level (a qualification level). The assistant practitioner is career framework
 * level 4 and asks for an RQF level 5 qualification.
 */
export function careerFrameworkLevelLabel(stage: StageId): string {
  return `Career framework level ${EDUCATION_REQUIREMENTS[stage].careerFrameworkLevel}`;
}
export function rqfQualificationLabel(level: number): string {
  return `RQF level ${level} qualification`;
}
/** "Career framework level 4; education: RQF level 5 qualification", for a stage's description. */
export function stageLevelsLabel(stage: StageId): string {
  return `${careerFrameworkLevelLabel(stage)}; education: ${rqfQualificationLabel(EDUCATION_REQUIREMENTS[stage].rqfLevel)}`;
}

const STATUS: Record<StudyStatus, string> = { enrolled: 'in progress', completed: 'completed', withdrawn: 'withdrawn' };

/** Functional Skills have their own levels (entry 1 to 3, level 1, level 2). */
export function functionalSkillsLevelLabel(level: string): string {
  return level.startsWith('entry-') ? `entry level ${level.slice(6)}` : `level ${level}`;
}

export function qualificationLabel(q: Qualification): string {
  switch (q.kind) {
    case 'care-certificate':
      return `Care Certificate: ${q.standardsCompleted.length} of ${CARE_CERTIFICATE_STANDARDS.length} standards`;
    case 'functional-skills-english':
      return `Functional Skills English, ${functionalSkillsLevelLabel(q.level)}`;
    case 'functional-skills-maths':
      return `Functional Skills maths, ${functionalSkillsLevelLabel(q.level)}`;
    case 'rqf':
      return `${q.title} (RQF level ${q.level}), ${STATUS[q.status]}`;
    case 'apprenticeship':
      return `${APPRENTICESHIP_STANDARDS[q.standard].title} apprenticeship (${q.standard}, RQF level ${APPRENTICESHIP_STANDARDS[q.standard].level}), ${STATUS[q.status]}`;
    case 'foundation-degree':
      return `${q.title} (foundation degree, RQF level 5), ${STATUS[q.status]}`;
    case 'other':
      return `${q.title}${q.level === null ? '' : ` (RQF level ${q.level})`}`;
  }
}

export function routeName(route: string): string {
  if (route in tnaRoutes) return tnaRoutes[route as TnaRouteId].name;
  if (route === 'pre-registration-degree') return 'Pre-registration degree';
  if (route === 'degree-apprenticeship') return 'Degree apprenticeship';
  if (route === 'appointment') return 'Appointment (recruitment or promotion)';
  return route;
}

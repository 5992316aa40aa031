import {
  APPRENTICESHIP_STANDARDS,
  CARE_CERTIFICATE_STANDARDS,
  type GapStatus,
  type Qualification,
  type StudyStatus,
} from '../training/education';
import { tnaRoutes, type TnaRouteId } from '../training/tna';

/** Plain-English names shared by the screens, the exports and the command line. */

export const GAP_STATUS_LABELS: Record<GapStatus, string> = {
  meets: 'Meets',
  partly: 'Partly meets',
  'does-not': 'Does not meet',
  unknown: 'Unknown',
};

const STATUS: Record<StudyStatus, string> = { enrolled: 'in progress', completed: 'completed', withdrawn: 'withdrawn' };

export function qualificationLabel(q: Qualification): string {
  switch (q.kind) {
    case 'care-certificate':
      return `Care Certificate: ${q.standardsCompleted.length} of ${CARE_CERTIFICATE_STANDARDS.length} standards`;
    case 'functional-skills-english':
      return `Functional Skills English, level ${q.level.replace('entry-', 'entry ')}`;
    case 'functional-skills-maths':
      return `Functional Skills maths, level ${q.level.replace('entry-', 'entry ')}`;
    case 'rqf':
      return `${q.title} (RQF level ${q.level}), ${STATUS[q.status]}`;
    case 'apprenticeship':
      return `${APPRENTICESHIP_STANDARDS[q.standard].title} apprenticeship (${q.standard}, level ${APPRENTICESHIP_STANDARDS[q.standard].level}), ${STATUS[q.status]}`;
    case 'foundation-degree':
      return `${q.title} (foundation degree, level 5), ${STATUS[q.status]}`;
    case 'other':
      return `${q.title}${q.level === null ? '' : ` (level ${q.level})`}`;
  }
}

export function routeName(route: string): string {
  if (route in tnaRoutes) return tnaRoutes[route as TnaRouteId].name;
  if (route === 'pre-registration-degree') return 'Pre-registration degree';
  if (route === 'degree-apprenticeship') return 'Degree apprenticeship';
  if (route === 'appointment') return 'Appointment (recruitment or promotion)';
  return route;
}

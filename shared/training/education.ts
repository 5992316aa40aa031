import { z } from 'zod';
import { STAGE_IDS, type StageId } from '../framework/index';
import type { TnaRouteId } from './tna';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date in the form YYYY-MM-DD');

export const CARE_CERTIFICATE_STANDARDS = [
  'Understand your role',
  'Your personal development',
  'Duty of care',
  'Equality and diversity',
  'Work in a person-centred way',
  'Communication',
  'Privacy and dignity',
  'Fluids and nutrition',
  'Awareness of mental health, dementia and learning disabilities',
  'Safeguarding adults',
  'Safeguarding children',
  'Basic life support',
  'Health and safety',
  'Handling information',
  'Infection prevention and control',
] as const;

export const APPRENTICESHIP_STANDARDS = {
  ST0216: { title: 'Healthcare Support Worker', level: 2 },
  ST0217: { title: 'Senior Healthcare Support Worker', level: 3 },
  ST0215: { title: 'Assistant Practitioner (Health)', level: 5 },
} as const;
export const apprenticeshipStandardSchema = z.enum(['ST0216', 'ST0217', 'ST0215']);
export type ApprenticeshipStandard = z.infer<typeof apprenticeshipStandardSchema>;

export const studyStatusSchema = z.enum(['enrolled', 'completed', 'withdrawn']);
export type StudyStatus = z.infer<typeof studyStatusSchema>;

export const functionalSkillsLevelSchema = z.enum(['entry-1', 'entry-2', 'entry-3', '1', '2']);

const common = { achievedOn: isoDate.nullable().optional() };

export const qualificationSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('care-certificate'),
    ...common,
    standardsCompleted: z
      .array(z.number().int().min(1).max(CARE_CERTIFICATE_STANDARDS.length))
      .refine((s) => new Set(s).size === s.length, 'A standard is listed twice'),
  }),
  z.object({ kind: z.literal('functional-skills-english'), ...common, level: functionalSkillsLevelSchema }),
  z.object({ kind: z.literal('functional-skills-maths'), ...common, level: functionalSkillsLevelSchema }),
  z.object({
    kind: z.literal('rqf'),
    ...common,
    level: z.number().int().min(1).max(8),
    title: z.string().trim().min(1),
    status: studyStatusSchema.default('completed'),
  }),
  z.object({
    kind: z.literal('apprenticeship'),
    standard: apprenticeshipStandardSchema,
    status: studyStatusSchema,
    startDate: isoDate.nullable(),
    endDate: isoDate.nullable(),
  }),
  z.object({
    kind: z.literal('foundation-degree'),
    ...common,
    title: z.string().trim().min(1),
    status: studyStatusSchema.default('completed'),
  }),
  z.object({
    kind: z.literal('other'),
    ...common,
    title: z.string().trim().min(1),
    level: z.number().int().min(1).max(8).nullable(),
  }),
]);
export type Qualification = z.infer<typeof qualificationSchema>;

export const gapStatusSchema = z.enum(['meets', 'partly', 'does-not', 'unknown']);
export type GapStatus = z.infer<typeof gapStatusSchema>;

export interface EducationGap {
  stage: StageId;
  status: GapStatus;
  met: string[];
  missing: string[];
  /** Suggested TNA routes, most useful first; the lead chooses. */
  routes: TnaRouteId[];
}

export function nextStage(stage: StageId): StageId | null {
  return STAGE_IDS[STAGE_IDS.indexOf(stage) + 1] ?? null;
}

/** The apprenticeship that meets item 1.1 for a stage; a higher one also counts for a lower stage. */
const STAGE_APPRENTICESHIP: Record<StageId, ApprenticeshipStandard> = {
  entry: 'ST0216',
  intermediate: 'ST0217',
  'assistant-practitioner': 'ST0215',
};
const STAGE_RQF: Record<StageId, number> = { entry: 2, intermediate: 3, 'assistant-practitioner': 5 };
const QUALIFICATION_ROUTE: Record<StageId, TnaRouteId> = {
  entry: 'ST0216',
  intermediate: 'ST0217',
  'assistant-practitioner': 'ST0215',
};

function apprenticeshipLevel(s: ApprenticeshipStandard): number {
  return APPRENTICESHIP_STANDARDS[s].level;
}

function label(s: ApprenticeshipStandard): string {
  return `${APPRENTICESHIP_STANDARDS[s].title} apprenticeship (${s})`;
}

/** Highest qualification level among records with the given status. */
function highestLevel(qs: Qualification[], status: StudyStatus): number {
  let best = 0;
  for (const q of qs) {
    if (q.kind === 'rqf' && q.status === status) best = Math.max(best, q.level);
    if (q.kind === 'foundation-degree' && q.status === status) best = Math.max(best, 5);
    if (q.kind === 'other' && status === 'completed' && q.level !== null) best = Math.max(best, q.level);
  }
  return best;
}

function hasFunctionalSkills2(
  qs: Qualification[],
  kind: 'functional-skills-english' | 'functional-skills-maths',
): boolean {
  return qs.some((q) => q.kind === kind && q.level === '2');
}

/**
 * Compares recorded qualifications with Domain 1 item 1.1 for a stage. Two routes meet it: the
 * qualification route (RQF level + Functional Skills level 2 in English and maths) or the stage's
 * apprenticeship completed; Assistant Practitioner also needs the Care Certificate on either route.
 * "partly" means something counts towards it (a part met, or study in progress); "unknown" means no
 * qualification has been recorded at all, which is not the same as having none.
 */
export function educationGap(qualifications: Qualification[], stage: StageId): EducationGap {
  if (qualifications.length === 0) {
    return {
      stage,
      status: 'unknown',
      met: [],
      missing: ['No qualifications are recorded for this person yet.'],
      routes: [],
    };
  }
  const qs = qualifications;
  const stageLevel = STAGE_RQF[stage];
  const needed = STAGE_APPRENTICESHIP[stage];
  const met: string[] = [];
  const missing: string[] = [];
  const routes: TnaRouteId[] = [];

  const completedApprenticeship = qs.find(
    (q) =>
      q.kind === 'apprenticeship' &&
      q.status === 'completed' &&
      apprenticeshipLevel(q.standard) >= apprenticeshipLevel(needed),
  );
  const enrolledApprenticeship = qs.find(
    (q) =>
      q.kind === 'apprenticeship' &&
      q.status === 'enrolled' &&
      apprenticeshipLevel(q.standard) >= apprenticeshipLevel(needed),
  );

  let careCertificateOk = true;
  let careCertificateStarted = false;
  if (stage === 'assistant-practitioner') {
    const done = new Set(qs.flatMap((q) => (q.kind === 'care-certificate' ? q.standardsCompleted : [])));
    careCertificateStarted = done.size > 0;
    careCertificateOk = done.size === CARE_CERTIFICATE_STANDARDS.length;
    if (careCertificateOk) met.push('Care Certificate (all 15 standards)');
    else {
      missing.push(
        done.size
          ? `Care Certificate: ${CARE_CERTIFICATE_STANDARDS.length - done.size} of 15 standards still to complete`
          : 'Care Certificate',
      );
      routes.push('care-certificate');
    }
  }

  if (completedApprenticeship?.kind === 'apprenticeship') {
    met.push(`${label(completedApprenticeship.standard)} completed`);
    return { stage, status: careCertificateOk ? 'meets' : 'partly', met, missing, routes };
  }

  const levelDone = highestLevel(qs, 'completed');
  const levelInProgress = highestLevel(qs, 'enrolled');
  const english = hasFunctionalSkills2(qs, 'functional-skills-english');
  const maths = hasFunctionalSkills2(qs, 'functional-skills-maths');
  const qualificationName =
    stage === 'assistant-practitioner'
      ? 'A foundation degree or another level 5 qualification'
      : `An RQF level ${stageLevel} qualification`;

  if (levelDone >= stageLevel) met.push(`Qualification at level ${levelDone}`);
  if (english) met.push('Functional Skills English level 2');
  if (maths) met.push('Functional Skills maths level 2');

  if (enrolledApprenticeship?.kind === 'apprenticeship') {
    // The apprenticeship is the route in progress, so the rest of the qualification route is not asked for.
    met.push(`${label(enrolledApprenticeship.standard)} in progress`);
    missing.push(`Complete the ${label(enrolledApprenticeship.standard)}`);
    return { stage, status: 'partly', met, missing, routes };
  }

  let inProgressCounts = false;
  if (levelDone < stageLevel) {
    // Item 1.1 accepts "shown ability to achieve" RQF level 3: being enrolled counts as partly, not as met.
    if (levelInProgress >= stageLevel) {
      inProgressCounts = true;
      met.push(`Qualification at level ${levelInProgress} in progress`);
      missing.push(`${qualificationName} (in progress)`);
    } else {
      missing.push(`${qualificationName}, or the ${label(needed)}`);
      routes.push(QUALIFICATION_ROUTE[stage]);
      if (stage === 'assistant-practitioner') routes.push('foundation-degree');
    }
  }
  if (!english) missing.push('Functional Skills English level 2');
  if (!maths) missing.push('Functional Skills maths level 2');
  if (!english || !maths) routes.push('functional-skills');

  const qualificationRouteMet = levelDone >= stageLevel && english && maths;
  if (qualificationRouteMet && careCertificateOk) return { stage, status: 'meets', met, missing, routes };
  const anything = met.length > 0 || inProgressCounts || careCertificateStarted;
  return { stage, status: anything ? 'partly' : 'does-not', met, missing, routes: [...new Set(routes)] };
}

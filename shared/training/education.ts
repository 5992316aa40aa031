import { z } from 'zod';
import { STAGE_IDS, type StageId } from '../framework/index';
import type { TnaRouteId } from './tna';

const isoDate = z
  .string({ error: 'Enter a date, like 2026-03-31' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a real date, like 2026-03-31');

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
export const apprenticeshipStandardSchema = z.enum(['ST0216', 'ST0217', 'ST0215'], {
  error: 'Choose the apprenticeship standard',
});
export type ApprenticeshipStandard = z.infer<typeof apprenticeshipStandardSchema>;

export const studyStatusSchema = z.enum(['enrolled', 'completed', 'withdrawn'], { error: 'Choose the status' });
export type StudyStatus = z.infer<typeof studyStatusSchema>;

export const functionalSkillsLevelSchema = z.enum(['entry-1', 'entry-2', 'entry-3', '1', '2'], {
  error: 'Choose the Functional Skills level',
});

const rqfLevel = z
  .number({ error: 'Enter the RQF level, a number from 1 to 8' })
  .int('Enter the RQF level as a whole number from 1 to 8')
  .min(1, 'Enter an RQF level from 1 to 8')
  .max(8, 'Enter an RQF level from 1 to 8');
const qualificationTitle = z.string({ error: 'Enter the title' }).trim().min(1, 'Enter the title');

const common = { achievedOn: isoDate.nullable().optional() };

export const qualificationSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('care-certificate'),
      ...common,
      standardsCompleted: z
        .array(z.number().int().min(1).max(CARE_CERTIFICATE_STANDARDS.length), {
          error: 'Tick the Care Certificate standards completed',
        })
        .refine((s) => new Set(s).size === s.length, 'A standard is listed twice'),
    }),
    z.object({ kind: z.literal('functional-skills-english'), ...common, level: functionalSkillsLevelSchema }),
    z.object({ kind: z.literal('functional-skills-maths'), ...common, level: functionalSkillsLevelSchema }),
    z.object({
      kind: z.literal('rqf'),
      ...common,
      level: rqfLevel,
      title: qualificationTitle,
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
      title: qualificationTitle,
      status: studyStatusSchema.default('completed'),
    }),
    z.object({
      kind: z.literal('other'),
      ...common,
      title: qualificationTitle,
      level: rqfLevel.nullable(),
    }),
  ],
  { error: 'Choose the type of qualification' },
);
export type Qualification = z.infer<typeof qualificationSchema>;

/** What each kind of record is called on the screens, in the order the forms offer them. */
export const QUALIFICATION_KIND_LABELS: Record<Qualification['kind'], string> = {
  'care-certificate': 'Care Certificate',
  'functional-skills-english': 'Functional Skills English',
  'functional-skills-maths': 'Functional Skills maths',
  rqf: 'RQF qualification (e.g. GCSE, diploma, A level)',
  apprenticeship: 'Apprenticeship',
  'foundation-degree': 'Foundation degree',
  other: 'Other qualification',
};

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

/* ---------- Domain 1, item 1.1 (education), as a table ---------- */

/**
 * A kind of record that meets, or counts towards, one part of a stage's requirement.
 * - `qualification`: an RQF, foundation degree (RQF level 5) or other qualification at this RQF level or above;
 * - `apprenticeship`: this apprenticeship standard or one at a higher RQF level;
 * - `functional-skills`: Functional Skills at level 2 in the subject;
 * - `care-certificate`: all 15 standards, or some of them.
 * Withdrawn study never counts.
 */
export type Evidence =
  | { kind: 'qualification'; rqfLevel: number; status: 'completed' | 'enrolled' }
  | { kind: 'apprenticeship'; standard: ApprenticeshipStandard; status: 'completed' | 'enrolled' }
  | { kind: 'functional-skills'; subject: 'english' | 'maths' }
  | { kind: 'care-certificate'; standards: 'all' | 'some' };

/** One thing item 1.1 asks for at a stage, with the records that meet it and those that count towards it. */
export interface RequirementPart {
  /** What is asked for, as "Still needed" lists it. */
  need: string;
  meets: Evidence[];
  /** Records that count towards the part without meeting it: study in progress, a Care Certificate started. */
  partly: Evidence[];
  /** Training needs routes that would supply the part, most useful first. */
  training: TnaRouteId[];
}

/** A stage's education requirement: every part of any one route meets it, together with every `plus` part. */
export interface StageEducation {
  /** Where the stage sits on the NHS Career Framework (a job level, not a qualification level). */
  careerFrameworkLevel: number;
  /** The RQF level of the qualification the stage asks for. */
  rqfLevel: number;
  routes: { name: string; parts: RequirementPart[] }[];
  /**
   * Asked for on top of whichever route is taken (the assistant practitioner's Care Certificate). It completes
   * the stage, but on its own it is not progress towards the route: a Care Certificate alone does not make
   * someone "partly meet" the assistant practitioner stage, just as it does not for the lower stages, which do
   * not ask for it.
   */
  plus: RequirementPart[];
}

const completed = { status: 'completed' } as const;
const enrolled = { status: 'enrolled' } as const;

function qualificationPart(rqfLevel: number, need: string, training: TnaRouteId[]): RequirementPart {
  return {
    need,
    meets: [{ kind: 'qualification', rqfLevel, ...completed }],
    partly: [{ kind: 'qualification', rqfLevel, ...enrolled }],
    training,
  };
}

function apprenticeshipPart(standard: ApprenticeshipStandard): RequirementPart {
  return {
    need: `the ${APPRENTICESHIP_STANDARDS[standard].title} apprenticeship (${standard})`,
    meets: [{ kind: 'apprenticeship', standard, ...completed }],
    partly: [{ kind: 'apprenticeship', standard, ...enrolled }],
    training: [standard],
  };
}

const FUNCTIONAL_SKILLS_ENGLISH: RequirementPart = {
  need: 'Functional Skills English level 2',
  meets: [{ kind: 'functional-skills', subject: 'english' }],
  partly: [],
  training: ['functional-skills'],
};
const FUNCTIONAL_SKILLS_MATHS: RequirementPart = {
  need: 'Functional Skills maths level 2',
  meets: [{ kind: 'functional-skills', subject: 'maths' }],
  partly: [],
  training: ['functional-skills'],
};
const CARE_CERTIFICATE: RequirementPart = {
  need: 'Care Certificate (all 15 standards)',
  meets: [{ kind: 'care-certificate', standards: 'all' }],
  partly: [{ kind: 'care-certificate', standards: 'some' }],
  training: ['care-certificate'],
};

/**
 * Domain 1, item 1.1, stage by stage (see shared/DOMAIN.md). Each lower stage asks for less of the same kinds of
 * record, so whatever meets or counts towards a stage meets or counts at least as much towards every stage below
 * it; tests/unit/education-gap.test.ts checks that for every combination it tries.
 *
 * | Stage (career framework level) | Qualifications route (RQF level)                       | Or apprenticeship | Plus             |
 * |--------------------------------|--------------------------------------------------------|-------------------|------------------|
 * | Entry (2)                      | RQF 2 + Functional Skills English and maths level 2    | ST0216 (RQF 2)    |                  |
 * | Intermediate (3)               | RQF 3 + Functional Skills English and maths level 2    | ST0217 (RQF 3)    |                  |
 * | Assistant practitioner (4)     | RQF 5 (e.g. foundation degree) + Functional Skills 2   | ST0215 (RQF 5)    | Care Certificate |
 *
 * Study in progress (enrolled) counts towards a part without meeting it: the intermediate stage accepts "shown
 * ability to achieve" RQF level 3, which is "partly", not "meets".
 */
export const EDUCATION_REQUIREMENTS: Record<StageId, StageEducation> = {
  entry: {
    careerFrameworkLevel: 2,
    rqfLevel: 2,
    routes: [
      {
        name: 'Qualifications',
        parts: [
          qualificationPart(2, 'An RQF level 2 qualification (for example GCSE grade 4/C)', ['ST0216']),
          FUNCTIONAL_SKILLS_ENGLISH,
          FUNCTIONAL_SKILLS_MATHS,
        ],
      },
      { name: 'Apprenticeship', parts: [apprenticeshipPart('ST0216')] },
    ],
    plus: [],
  },
  intermediate: {
    careerFrameworkLevel: 3,
    rqfLevel: 3,
    routes: [
      {
        name: 'Qualifications',
        parts: [
          qualificationPart(3, 'An RQF level 3 qualification', ['ST0217']),
          FUNCTIONAL_SKILLS_ENGLISH,
          FUNCTIONAL_SKILLS_MATHS,
        ],
      },
      { name: 'Apprenticeship', parts: [apprenticeshipPart('ST0217')] },
    ],
    plus: [],
  },
  'assistant-practitioner': {
    careerFrameworkLevel: 4,
    rqfLevel: 5,
    routes: [
      {
        name: 'Qualifications',
        parts: [
          qualificationPart(5, 'A foundation degree or another RQF level 5 qualification', [
            'ST0215',
            'foundation-degree',
          ]),
          FUNCTIONAL_SKILLS_ENGLISH,
          FUNCTIONAL_SKILLS_MATHS,
        ],
      },
      { name: 'Apprenticeship', parts: [apprenticeshipPart('ST0215')] },
    ],
    plus: [CARE_CERTIFICATE],
  },
};

/** The RQF level a record is at, or null when it has none (Functional Skills and the Care Certificate have their own scales). */
function rqfLevelOf(q: Qualification): number | null {
  switch (q.kind) {
    case 'rqf':
    case 'other':
      return q.level;
    case 'foundation-degree':
      return 5;
    case 'apprenticeship':
      return APPRENTICESHIP_STANDARDS[q.standard].level;
    default:
      return null;
  }
}

const studyStatus = (q: Qualification): StudyStatus =>
  q.kind === 'rqf' || q.kind === 'foundation-degree' || q.kind === 'apprenticeship' ? q.status : 'completed';

const careCertificateDone = (qs: Qualification[]) =>
  new Set(qs.flatMap((q) => (q.kind === 'care-certificate' ? q.standardsCompleted : []))).size;

/** What a record that matches looks like in "Has": the best record matching, or null when none does. */
function held(qs: Qualification[], e: Evidence): string | null {
  const progress = (status: StudyStatus) => (status === 'enrolled' ? ' in progress' : '');
  switch (e.kind) {
    case 'qualification': {
      const best = qs
        .filter((q) => q.kind !== 'apprenticeship' && studyStatus(q) === e.status && (rqfLevelOf(q) ?? 0) >= e.rqfLevel)
        .sort((a, b) => rqfLevelOf(b)! - rqfLevelOf(a)!)[0];
      if (!best) return null;
      const what = best.kind === 'foundation-degree' ? 'Foundation degree' : 'Qualification';
      return `${what} at RQF level ${rqfLevelOf(best)}${progress(e.status)}`;
    }
    case 'apprenticeship': {
      const needed = APPRENTICESHIP_STANDARDS[e.standard].level;
      const best = qs
        .filter((q) => q.kind === 'apprenticeship' && q.status === e.status && rqfLevelOf(q)! >= needed)
        .sort((a, b) => rqfLevelOf(b)! - rqfLevelOf(a)!)[0];
      if (best?.kind !== 'apprenticeship') return null;
      const name = `${APPRENTICESHIP_STANDARDS[best.standard].title} apprenticeship (${best.standard})`;
      return `${name} ${e.status === 'enrolled' ? 'in progress' : 'completed'}`;
    }
    case 'functional-skills': {
      const kind = e.subject === 'english' ? 'functional-skills-english' : 'functional-skills-maths';
      return qs.some((q) => q.kind === kind && q.level === '2')
        ? `Functional Skills ${e.subject === 'english' ? 'English' : 'maths'} level 2`
        : null;
    }
    case 'care-certificate': {
      const done = careCertificateDone(qs);
      const all = CARE_CERTIFICATE_STANDARDS.length;
      if (e.standards === 'all') return done === all ? `Care Certificate (all ${all} standards)` : null;
      return done > 0 && done < all ? `Care Certificate: ${done} of ${all} standards` : null;
    }
  }
}

interface Assessed {
  part: RequirementPart;
  state: 'met' | 'partly' | 'none';
  has: string | null;
  /** Study towards the part is under way, so no training is suggested for it. */
  underWay: boolean;
}

function assess(qs: Qualification[], part: RequirementPart): Assessed {
  for (const [state, list] of [
    ['met', part.meets],
    ['partly', part.partly],
  ] as const) {
    for (const e of list) {
      const has = held(qs, e);
      if (has) return { part, state, has, underWay: 'status' in e && e.status === 'enrolled' };
    }
  }
  return { part, state: 'none', has: null, underWay: false };
}

function stillNeeded(a: Assessed, qs: Qualification[]): string {
  if (a.state === 'partly' && a.part === CARE_CERTIFICATE) {
    const all = CARE_CERTIFICATE_STANDARDS.length;
    return `Care Certificate: ${all - careCertificateDone(qs)} of ${all} standards still to complete`;
  }
  return a.state === 'partly' ? `${a.part.need} (in progress)` : a.part.need;
}

/**
 * Applies EDUCATION_REQUIREMENTS to a person's records for one stage.
 * - meets: every part of one route, and every `plus` part, is met;
 * - partly: some part of a route is met or under way (a `plus` part alone does not count);
 * - does not meet: nothing recorded counts towards any route;
 * - unknown: nothing is recorded at all, which is not the same as having nothing.
 * "Still needed" follows the route that is furthest on: a route met, else a route under way in every part
 * (an apprenticeship in progress), else the first route, with the other routes offered in place of its first part.
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
  const requirement = EDUCATION_REQUIREMENTS[stage];
  const routes = requirement.routes.map((r) => r.parts.map((p) => assess(qs, p)));
  const plus = requirement.plus.map((p) => assess(qs, p));
  const routeMet = routes.some((r) => r.every((a) => a.state === 'met'));
  const onTrack = routes.find((r) => r.every((a) => a.state !== 'none'));
  const progress = routes.some((r) => r.some((a) => a.state !== 'none'));

  const missing: string[] = [];
  const training: TnaRouteId[] = [];
  const lacking = (a: Assessed) => {
    missing.push(stillNeeded(a, qs));
    if (!a.underWay) training.push(...a.part.training);
  };
  if (!routeMet && onTrack) {
    for (const a of onTrack) if (a.state !== 'met') missing.push(stillNeeded(a, qs));
  } else if (!routeMet) {
    const [first, ...others] = routes;
    first!.forEach((a, i) => {
      if (a.state === 'met') return;
      const instead = others.map((r) => r.map((o) => o.part.need).join(' and '));
      if (i === 0 && a.state === 'none' && instead.length) {
        missing.push([a.part.need, ...instead].join(', or '));
        training.push(...a.part.training);
      } else lacking(a);
    });
  }
  for (const a of plus) if (a.state !== 'met') lacking(a);

  const met = [...new Set([...routes.flat(), ...plus].flatMap((a) => (a.has ? [a.has] : [])))];
  const plusMet = plus.every((a) => a.state === 'met');
  const status: GapStatus = routeMet && plusMet ? 'meets' : progress ? 'partly' : 'does-not';
  return { stage, status, met, missing, routes: [...new Set(training)] };
}

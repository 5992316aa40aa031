import { z } from 'zod';
import {
  APPRENTICESHIP_STANDARDS,
  CARE_CERTIFICATE_STANDARDS,
  apprenticeshipStandardSchema,
  functionalSkillsLevelSchema,
  type ApprenticeshipStandard,
  type Qualification,
  type StudyStatus,
} from './education';

/**
 * What a course or qualification named in a training records extract is, in the app's kinds of qualification:
 * default rules from its name (worked examples in tests/unit/training-courses.test.ts), which the lead can
 * correct course by course; the corrections are kept in the import profile.
 */

const fsLevel = functionalSkillsLevelSchema.nullable();
const rqfLevel = z.number().int().min(1).max(8).nullable();

/** A level of null means "read it from the file's Level column". */
export const courseTargetSchema = z.discriminatedUnion('kind', [
  /** standard: one of the 15 standards, or null for the whole certificate. */
  z.object({ kind: z.literal('care-certificate'), standard: z.number().int().min(1).max(15).nullable() }),
  z.object({ kind: z.literal('functional-skills-english'), level: fsLevel }),
  z.object({ kind: z.literal('functional-skills-maths'), level: fsLevel }),
  z.object({ kind: z.literal('rqf'), level: rqfLevel }),
  z.object({ kind: z.literal('apprenticeship'), standard: apprenticeshipStandardSchema }),
  z.object({ kind: z.literal('foundation-degree') }),
  z.object({ kind: z.literal('not-a-qualification') }),
]);
export type CourseTarget = z.infer<typeof courseTargetSchema>;

/** Course key (see courseKey) -> what the lead chose for it. */
export const courseChoicesSchema = z.record(z.string().max(300), courseTargetSchema);
export type CourseChoices = z.infer<typeof courseChoicesSchema>;

/** The name a course is known by, whatever its case and spacing in this month's file. */
export const courseKey = (title: string): string => title.toLowerCase().replace(/\s+/g, ' ').trim();

const FS_LEVEL_WORDS: Record<string, z.infer<typeof functionalSkillsLevelSchema>> = {
  'entry-1': 'entry-1',
  'entry-2': 'entry-2',
  'entry-3': 'entry-3',
  '1': '1',
  '2': '2',
};

/** "Level 2", "L2", "2", "RQF 3", "NVQ level 3", "Entry 3", "Entry level 1", "E3": as a level, or null. */
export function parseLevel(text: string): string | null {
  const t = text.toLowerCase().trim();
  const entry = /^(?:entry(?:\s*level)?\s*|e)([1-3])$/.exec(t);
  if (entry) return `entry-${entry[1]}`;
  const plain = /^(?:(?:rqf|qcf|nvq|level|lvl|l)\s*)*(?:level\s*)?([1-8])$/.exec(t);
  return plain ? plain[1]! : null;
}

/** A level found inside a course name ("Level 3 Diploma in ...", "NVQ 2 ..."), or null. */
function levelInTitle(t: string): string | null {
  const entry = /\bentry\s*(?:level\s*)?([1-3])\b/.exec(t);
  if (entry) return `entry-${entry[1]}`;
  const level = /\b(?:level|lvl|l|nvq|rqf|qcf)\s*([1-8])\b/.exec(t);
  return level ? level[1]! : null;
}

const QUALIFICATION_WORDS =
  /\b(diploma|certificate|award|nvq|qcf|rqf|btec|qualification|cache|city (?:&|and) guilds|gcse|a level|t level|hnc|hnd|degree|bsc|ba|access to)\b/;

/** Named qualifications whose RQF level is known without a "Level n" in the name. */
const KNOWN_LEVELS: [RegExp, number][] = [
  [/\bgcse\b/, 2],
  [/\b(a level|as level|t level|access to (?:he|higher education)|btec national)\b/, 3],
  [/\bhnc\b/, 4],
  [/\bhnd\b/, 5],
  [/\b(bsc|ba|bachelor|degree)\b/, 6],
];

const APPRENTICESHIP_BY_LEVEL: Record<number, ApprenticeshipStandard> = { 2: 'ST0216', 3: 'ST0217', 5: 'ST0215' };

/**
 * The default for a course name. In order:
 * - "Care Certificate" (a "Standard n" in the name means that one standard);
 * - "Functional Skills" English (or literacy) or maths (or numeracy), at the level in the name if any;
 * - an apprenticeship: by its standard number (ST0216, ST0217, ST0215), by its title (Assistant Practitioner,
 *   Senior Healthcare Support Worker, Healthcare Support Worker), or by the level in its name;
 * - a foundation degree (also FdSc, FdA);
 * - a qualification with a level in its name ("Level 3 Diploma in Healthcare Support", "NVQ 2 in Care") or a
 *   named one (GCSE level 2, A level 3, HNC 4, HND 5, a degree 6): RQF at that level;
 * - anything else (mandatory training such as "Fire Safety") is not a qualification the app records.
 */
export function defaultCourseTarget(title: string): CourseTarget {
  const t = courseKey(title);
  const inTitle = levelInTitle(t);
  if (/\bcare certificate\b/.test(t)) {
    const standard = /\bstandard\s*(\d{1,2})\b/.exec(t);
    const n = standard ? Number(standard[1]) : null;
    return { kind: 'care-certificate', standard: n !== null && n >= 1 && n <= 15 ? n : null };
  }
  if (/\b(functional skills?|fs)\b/.test(t)) {
    const level = inTitle ? (FS_LEVEL_WORDS[inTitle] ?? null) : null;
    if (/\b(english|literacy|reading|writing)\b/.test(t)) return { kind: 'functional-skills-english', level };
    if (/\b(maths?|mathematics|numeracy)\b/.test(t)) return { kind: 'functional-skills-maths', level };
  }
  const standard = /\bst0?(215|216|217)\b/.exec(t);
  if (standard) return { kind: 'apprenticeship', standard: `ST0${standard[1]}` as ApprenticeshipStandard };
  if (/\bapprentice(ship)?s?\b/.test(t)) {
    if (/\bassistant practitioner\b/.test(t)) return { kind: 'apprenticeship', standard: 'ST0215' };
    if (/\bsenior health ?care support worker\b/.test(t)) return { kind: 'apprenticeship', standard: 'ST0217' };
    if (/\bhealth ?care support worker\b/.test(t)) return { kind: 'apprenticeship', standard: 'ST0216' };
    const byLevel = inTitle ? APPRENTICESHIP_BY_LEVEL[Number(inTitle)] : undefined;
    if (byLevel) return { kind: 'apprenticeship', standard: byLevel };
  }
  if (/\b(foundation degree|fdsc|fda|fd sc)\b/.test(t)) return { kind: 'foundation-degree' };
  if (QUALIFICATION_WORDS.test(t) || /\bnvq\b/.test(t)) {
    if (inTitle && !inTitle.startsWith('entry')) return { kind: 'rqf', level: Number(inTitle) };
    for (const [pattern, level] of KNOWN_LEVELS) if (pattern.test(t)) return { kind: 'rqf', level };
  }
  return { kind: 'not-a-qualification' };
}

/** What a target means, as the course list on the check screen says it. */
export function courseTargetLabel(target: CourseTarget): string {
  const fromFile = 'level from the Level column';
  switch (target.kind) {
    case 'care-certificate':
      return target.standard === null
        ? 'Care Certificate (all 15 standards when completed)'
        : `Care Certificate, standard ${target.standard}: ${CARE_CERTIFICATE_STANDARDS[target.standard - 1]}`;
    case 'functional-skills-english':
    case 'functional-skills-maths': {
      const subject = target.kind === 'functional-skills-english' ? 'English' : 'maths';
      const level =
        target.level === null ? fromFile : target.level.replace('entry-', 'Entry ').replace(/^(\d)$/, 'level $1');
      return `Functional Skills ${subject}, ${level}`;
    }
    case 'rqf':
      return `RQF qualification, ${target.level === null ? fromFile : `level ${target.level}`}`;
    case 'apprenticeship':
      return `${APPRENTICESHIP_STANDARDS[target.standard].title} apprenticeship (${target.standard})`;
    case 'foundation-degree':
      return 'Foundation degree (RQF level 5)';
    case 'not-a-qualification':
      return 'Not a qualification: left out';
  }
}

/* ---------- status words ---------- */

const STATUS_WORDS: [RegExp, StudyStatus][] = [
  [
    /^(completed?|passed?|achieved|attained|awarded|certificated|competent|finished|done|yes|y|complete - passed)$/,
    'completed',
  ],
  [
    /^(in progress|enrolled|enrol?led|registered|started|active|on programme|on program|current|ongoing|booked|not yet complete|incomplete|in learning|studying)$/,
    'enrolled',
  ],
  [
    /^(withdrawn|withdrew|cancelled|canceled|failed|fail|did not complete|left|not completed|break in learning|deferred)$/,
    'withdrawn',
  ],
];

/** A status cell as a study status; null when blank; an error naming the words it understands otherwise. */
export function parseStatus(text: string): { ok: true; value: StudyStatus | null } | { ok: false; message: string } {
  const t = text.toLowerCase().replace(/\s+/g, ' ').trim();
  if (t === '') return { ok: true, value: null };
  for (const [pattern, status] of STATUS_WORDS) if (pattern.test(t)) return { ok: true, value: status };
  return {
    ok: false,
    message: `Status "${text}" is not one we recognise: use Completed (or Passed, Achieved), In progress (or Enrolled, Registered, Started) or Withdrawn (or Cancelled, Failed)`,
  };
}

/* ---------- one row as a qualification ---------- */

/** A row of the extract, read and checked (see record-rows.ts). */
export interface TrainingRecord {
  employeeNumber: string;
  course: string;
  /** A level as parseLevel gives it: '1' to '8' or 'entry-1' to 'entry-3'. */
  level: string | null;
  status: StudyStatus | null;
  startDate: string | null;
  completionDate: string | null;
}

/**
 * A blank status is read from the dates: completed when a completion date is given, in progress when only a start
 * date is, and completed (a qualification held) when neither is.
 */
export function effectiveStatus(r: Pick<TrainingRecord, 'status' | 'startDate' | 'completionDate'>): StudyStatus {
  if (r.status) return r.status;
  if (r.completionDate) return 'completed';
  return r.startDate ? 'enrolled' : 'completed';
}

export type BuiltRecord =
  | { outcome: 'qualification'; qualification: Qualification }
  /** Not recorded, for a reason that is not a fault of the file (mandatory training, study not achieved). */
  | { outcome: 'left-out'; reason: string }
  | { outcome: 'error'; column: 'level'; message: string };

const ALL_STANDARDS = CARE_CERTIFICATE_STANDARDS.map((_, i) => i + 1);

/** A row as the app's qualification record, following the target chosen for its course. */
export function buildQualification(r: TrainingRecord, target: CourseTarget): BuiltRecord {
  const status = effectiveStatus(r);
  const achievedOn = status === 'completed' ? r.completionDate : null;
  switch (target.kind) {
    case 'not-a-qualification':
      return { outcome: 'left-out', reason: 'not a qualification' };
    case 'care-certificate': {
      const standards = status !== 'completed' ? [] : target.standard === null ? ALL_STANDARDS : [target.standard];
      return {
        outcome: 'qualification',
        qualification: { kind: 'care-certificate', achievedOn, standardsCompleted: standards },
      };
    }
    case 'functional-skills-english':
    case 'functional-skills-maths': {
      const level = target.level ?? r.level;
      if (level === null)
        return {
          outcome: 'error',
          column: 'level',
          message: `Level is blank: Functional Skills need a level (Entry 1 to 3, 1 or 2)`,
        };
      const fs = FS_LEVEL_WORDS[level];
      if (!fs)
        return {
          outcome: 'error',
          column: 'level',
          message: `Functional Skills go up to level 2; level ${level} does not fit "${r.course}"`,
        };
      // The app records Functional Skills once achieved: study under way has no record of its own.
      if (status !== 'completed') return { outcome: 'left-out', reason: 'Functional Skills not yet achieved' };
      return { outcome: 'qualification', qualification: { kind: target.kind, achievedOn, level: fs } };
    }
    case 'rqf': {
      const level = target.level ?? (r.level && /^[1-8]$/.test(r.level) ? Number(r.level) : null);
      if (level === null)
        return {
          outcome: 'error',
          column: 'level',
          message: r.level
            ? `Level ${r.level.replace('entry-', 'Entry ')} is not an RQF level from 1 to 8`
            : `Level is blank: "${r.course}" needs an RQF level from 1 to 8`,
        };
      return {
        outcome: 'qualification',
        qualification: { kind: 'rqf', achievedOn, level, title: r.course, status },
      };
    }
    case 'apprenticeship':
      return {
        outcome: 'qualification',
        qualification: {
          kind: 'apprenticeship',
          standard: target.standard,
          status,
          startDate: r.startDate,
          endDate: r.completionDate,
        },
      };
    case 'foundation-degree':
      return {
        outcome: 'qualification',
        qualification: { kind: 'foundation-degree', achievedOn, title: r.course, status },
      };
  }
}

/**
 * The key that finds the same imported record next time: the course and its start date. Its status and completion
 * date may change from one month's extract to the next; the record is updated, not added again.
 */
export const sourceKey = (r: Pick<TrainingRecord, 'course' | 'startDate'>): string =>
  `${courseKey(r.course)}|${r.startDate ?? ''}`;

/** When a file gives the same record twice, the one furthest on is kept: completed, then in progress, then withdrawn. */
export const statusRank = (s: StudyStatus): number => (s === 'completed' ? 3 : s === 'enrolled' ? 2 : 1);

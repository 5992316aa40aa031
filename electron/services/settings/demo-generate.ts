import { ethnicCategories, type Band } from '../../../shared/common/reference';
import type { StageId } from '../../../shared/framework/index';
import type { PathwayStepInput } from '../../../shared/framework/channels';
import type { PlanLineInput } from '../../../shared/funding/plan';
import type { FundingStreamInput } from '../../../shared/funding/streams';
import type { LedgerEntryInput } from '../../../shared/funding/ledger';
import type { TnaSaveInput } from '../../../shared/training/channels';
import type { Qualification } from '../../../shared/training/education';

/**
 * A synthetic trust for demonstrations, tests and benchmarks: about thirty AHP support jobs in nine services,
 * establishments, mappings (most draft, some agreed), qualification records, training needs, a pump-prime
 * stream with its plan and ledger, and two career pathways. Every person is generated from a seeded random
 * stream: none is real, and the same seed always gives the same trust.
 */

export interface DemoMapping {
  stage: StageId;
  agreed: boolean;
  rationale: string | null;
  assessments: { domain: number; rating: 'meets' | 'partly'; evidence: string | null }[];
}
export interface DemoRole {
  title: string;
  band: Band;
  profession: string;
  occupationCode: string;
  mapping: DemoMapping | null;
}
/** A role in a service (a post line) with its funded establishment. */
export interface DemoPost {
  role: number; // index into roles
  service: number; // index into services
  establishmentCenti: number;
}
export interface DemoAssignment {
  post: number; // index into posts
  occupationCode: string;
  profession: string;
  hoursCenti: number;
  startDate: string;
  endDate: string | null;
  leavingReason: string | null;
}
export interface DemoPerson {
  yearOfBirth: number;
  sex: 'F' | 'M' | 'X' | 'U';
  ethnicCategory: string;
  disability: 'yes' | 'no' | 'not-declared';
  assignments: DemoAssignment[];
  qualifications: Qualification[];
}
/** Plan lines name their TNA item and ledger entries their plan line by index. */
export interface DemoFunding {
  stream: Omit<FundingStreamInput, 'id'>;
  lines: (Omit<PlanLineInput, 'id' | 'streamId' | 'tnaItemId'> & { tnaItem: number | null })[];
  ledger: (Omit<LedgerEntryInput, 'id' | 'planLineId'> & { line: number | null })[];
}
/** Pathway steps name their roles by index into roles. */
export type DemoStep =
  | (Omit<Extract<PathwayStepInput, { kind: 'roles' }>, 'roleIds'> & { roles: number[] })
  | Exclude<PathwayStepInput, { kind: 'roles' }>;
export interface DemoPathway {
  name: string;
  description: string;
  steps: DemoStep[];
}
export interface DemoTrust {
  organisation: { name: string; odsCode: string; ics: string; ahpFaculty: string };
  services: { name: string; costCentre: string }[];
  roles: DemoRole[];
  posts: DemoPost[];
  people: DemoPerson[];
  tna: TnaSaveInput[];
  funding: DemoFunding;
  pathways: DemoPathway[];
}

/** mulberry32: small, fast, good enough for synthetic data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pickWeighted<T>(rand: () => number, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  return items[items.length - 1]![0];
}

const SERVICES = [
  ['Musculoskeletal (MSK) outpatients', 'CC2110'],
  ['Acute inpatient therapies', 'CC2120'],
  ['Community rehabilitation', 'CC2130'],
  ['Stroke rehabilitation', 'CC2140'],
  ["Children's therapies", 'CC2150'],
  ['Imaging', 'CC2160'],
  ['Nutrition and dietetics', 'CC2170'],
  ['Podiatry', 'CC2180'],
  ['Theatres', 'CC2190'],
] as const;
const [MSK, ACUTE, COMMUNITY, STROKE, CHILDREN, IMAGING, DIETETICS, PODIATRY, THEATRES] = [0, 1, 2, 3, 4, 5, 6, 7, 8];

type MappingPlan = 'agreed' | 'draft' | 'none';
// [title, profession, occupation code, band, services (the first holds most staff), share of staff, mapping]
const JOBS: readonly (readonly [string, string, string, Band, readonly number[], number, MappingPlan])[] = [
  ['Therapy assistant', 'PHY', 'H2J', '2', [ACUTE, COMMUNITY, STROKE], 60, 'draft'],
  ['Senior therapy assistant', 'PHY', 'S9E', '3', [ACUTE, COMMUNITY, STROKE, MSK], 55, 'agreed'],
  ['Therapy assistant practitioner', 'PHY', 'S5E', '4', [ACUTE, COMMUNITY, STROKE], 25, 'agreed'],
  ['Physiotherapy assistant', 'PHY', 'S9E', '3', [MSK, ACUTE], 45, 'draft'],
  ['Physiotherapy support worker', 'PHY', 'H2J', '2', [MSK], 25, 'draft'],
  ['MSK assistant practitioner', 'PHY', 'S5E', '4', [MSK], 10, 'draft'],
  ['Occupational therapy support worker', 'OT', 'H2H', '2', [ACUTE, COMMUNITY], 35, 'draft'],
  ['Occupational therapy assistant', 'OT', 'S9C', '3', [ACUTE, COMMUNITY, STROKE], 40, 'agreed'],
  ['Occupational therapy assistant practitioner', 'OT', 'S5C', '4', [COMMUNITY], 12, 'draft'],
  ['Rehabilitation assistant', 'PHY', 'S9E', '3', [COMMUNITY, STROKE], 50, 'draft'],
  ['Rehabilitation support worker', 'OT', 'H2H', '2', [COMMUNITY], 30, 'draft'],
  ['Stroke rehabilitation assistant', 'PHY', 'S9E', '3', [STROKE], 20, 'draft'],
  ['Community rehabilitation assistant practitioner', 'OT', 'S5C', '4', [COMMUNITY], 12, 'none'],
  ['Speech and language therapy assistant', 'SLT', 'S9J', '3', [STROKE, CHILDREN], 22, 'agreed'],
  ['Speech and language therapy support worker', 'SLT', 'H2L', '2', [CHILDREN], 10, 'draft'],
  ["Children's therapy assistant", 'PHY', 'S9E', '3', [CHILDREN], 18, 'draft'],
  ["Children's therapy support worker", 'OT', 'H2H', '2', [CHILDREN], 10, 'none'],
  ['Dietetic assistant', 'DIE', 'S9B', '3', [DIETETICS, ACUTE], 20, 'agreed'],
  ['Dietetic support worker', 'DIE', 'S9B', '2', [DIETETICS], 8, 'draft'],
  ['Dietetic assistant practitioner', 'DIE', 'S5B', '4', [DIETETICS], 8, 'draft'],
  ['Podiatry assistant', 'POD', 'S9A', '3', [PODIATRY, COMMUNITY], 20, 'draft'],
  ['Podiatry support worker', 'POD', 'H2G', '2', [PODIATRY], 12, 'draft'],
  ['Podiatry assistant practitioner', 'POD', 'S5A', '4', [PODIATRY], 6, 'none'],
  ['Imaging support worker', 'RAD', 'H2K', '2', [IMAGING], 35, 'agreed'],
  ['Radiography assistant', 'RAD', 'S9F', '3', [IMAGING], 30, 'draft'],
  ['Imaging assistant practitioner', 'RAD', 'S5F', '4', [IMAGING], 15, 'draft'],
  ['Mammography associate', 'RAD', 'S5F', '4', [IMAGING], 6, 'draft'],
  ['Orthotic technician', 'PO', 'S9I', '3', [MSK], 8, 'none'],
  ['Theatre support worker', 'ODP', 'S9T', '2', [THEATRES], 45, 'draft'],
  ['Senior theatre support worker', 'ODP', 'S9T', '3', [THEATRES], 25, 'agreed'],
  ['Theatre assistant practitioner', 'ODP', 'S5T', '4', [THEATRES], 8, 'draft'],
];
const BAND_STAGE: Record<string, StageId> = { '2': 'entry', '3': 'intermediate', '4': 'assistant-practitioner' };
const jobIndex = (title: string) => JOBS.findIndex((j) => j[0] === title);

const STAGE_REASON: Record<StageId, string> = {
  entry:
    'works under close supervision of registered staff; the job description asks for the Care Certificate in the first 12 weeks',
  intermediate:
    'works alone with a registered professional reachable; the job description asks for a level 3 qualification or the senior healthcare support worker apprenticeship',
  'assistant-practitioner':
    'works within agreed protocols and supervises support workers; the job description asks for a foundation degree or the assistant practitioner apprenticeship',
};
const PROFESSION_LEAD: Record<string, string> = {
  PHY: 'physiotherapy',
  OT: 'occupational therapy',
  SLT: 'speech and language therapy',
  DIE: 'dietetics',
  RAD: 'radiography',
  ODP: 'theatres',
};

const ETHNIC_WEIGHTS: readonly (readonly [string, number])[] = ethnicCategories.items.map((e) => [
  e.code,
  e.code === 'A' ? 60 : e.code === 'Z' ? 4 : e.code === '99' ? 2 : e.bme ? 2.5 : 4,
]);

const LEAVING_REASONS = [
  'Voluntary resignation - relocation',
  'Voluntary resignation - promotion',
  'Voluntary resignation - work life balance',
  'Retirement age',
  'End of fixed term',
];

// Study cohorts start on a few dates, as they do in a real trust.
const COHORTS = ['2022-09-05', '2023-09-04', '2024-09-02', '2025-09-01'];

function isoDay(base: number, days: number): string {
  return new Date(base + days * 86_400_000).toISOString().slice(0, 10);
}

const ALL_STANDARDS = Array.from({ length: 15 }, (_, i) => i + 1);

/** Qualification records for someone in a role of this band: varied, so the gap analysis shows every status. */
function qualificationsFor(rand: () => number, band: Band): Qualification[] {
  const first = rand();
  if (first < 0.22) return []; // nothing recorded yet: "unknown" in the gap analysis
  if (first < 0.3) return [{ kind: 'functional-skills-english', level: '1' }]; // "does not meet" for most stages
  const qs: Qualification[] = [];
  const level = band === '2' ? 0 : band === '3' ? 1 : 2;
  const chance = (p: number) => rand() < p;
  if (chance([0.6, 0.72, 0.8][level]!)) qs.push({ kind: 'care-certificate', standardsCompleted: ALL_STANDARDS });
  else if (chance(0.5))
    qs.push({ kind: 'care-certificate', standardsCompleted: ALL_STANDARDS.slice(0, 4 + Math.floor(rand() * 10)) });
  const fs = (kind: 'functional-skills-english' | 'functional-skills-maths') => {
    const r = rand();
    if (r < [0.5, 0.62, 0.78][level]!) qs.push({ kind, level: '2' });
    else if (r < [0.68, 0.75, 0.85][level]!) qs.push({ kind, level: '1' });
  };
  fs('functional-skills-english');
  fs('functional-skills-maths');
  if (chance(0.45)) qs.push({ kind: 'rqf', level: 2, title: 'GCSE English and maths', status: 'completed' });
  const cohort = () => COHORTS[Math.floor(rand() * COHORTS.length)]!;
  if (level === 0) {
    const r = rand();
    if (r < 0.1)
      qs.push({
        kind: 'rqf',
        level: 3,
        title: 'BTEC Level 3 Extended Diploma in Health and Social Care',
        status: 'completed',
      });
    else if (r < 0.22)
      qs.push({ kind: 'apprenticeship', standard: 'ST0216', status: 'completed', startDate: cohort(), endDate: null });
    else if (r < 0.2)
      qs.push({
        kind: 'apprenticeship',
        standard: 'ST0216',
        status: 'enrolled',
        startDate: COHORTS[3]!,
        endDate: null,
      });
    else if (r < 0.33)
      qs.push({ kind: 'apprenticeship', standard: 'ST0216', status: 'withdrawn', startDate: cohort(), endDate: null });
  } else {
    const r = rand();
    if (r < 0.32)
      qs.push({ kind: 'rqf', level: 3, title: 'Level 3 Diploma in Healthcare Support', status: 'completed' });
    else if (r < 0.4)
      qs.push({ kind: 'rqf', level: 3, title: 'Level 3 Diploma in Healthcare Support', status: 'enrolled' });
    else if (r < 0.55)
      qs.push({ kind: 'apprenticeship', standard: 'ST0217', status: 'completed', startDate: cohort(), endDate: null });
    else if (r < 0.65)
      qs.push({
        kind: 'apprenticeship',
        standard: 'ST0217',
        status: 'enrolled',
        startDate: COHORTS[3]!,
        endDate: null,
      });
    else if (r < 0.68)
      qs.push({ kind: 'apprenticeship', standard: 'ST0217', status: 'withdrawn', startDate: cohort(), endDate: null });
    if (level === 1 && rand() < 0.06)
      qs.push({ kind: 'foundation-degree', title: 'FdSc Health and Social Care', status: 'completed' });
  }
  if (level === 2) {
    const r = rand();
    if (r < 0.38) qs.push({ kind: 'foundation-degree', title: 'FdSc Health and Social Care', status: 'completed' });
    else if (r < 0.46) qs.push({ kind: 'foundation-degree', title: 'FdSc Health and Social Care', status: 'enrolled' });
    else if (r < 0.7)
      qs.push({ kind: 'apprenticeship', standard: 'ST0215', status: 'completed', startDate: cohort(), endDate: null });
    else if (r < 0.78)
      qs.push({
        kind: 'apprenticeship',
        standard: 'ST0215',
        status: 'enrolled',
        startDate: COHORTS[3]!,
        endDate: null,
      });
  }
  return qs;
}

function mappingFor(rand: () => number, plan: MappingPlan, profession: string, band: Band): DemoMapping | null {
  if (plan === 'none') return null;
  const stage = BAND_STAGE[band]!;
  if (plan === 'draft') return { stage, agreed: false, rationale: null, assessments: [] };
  const lead = PROFESSION_LEAD[profession] ?? 'profession';
  return {
    stage,
    agreed: true,
    rationale: `Agreed with the ${lead} lead after reviewing the job description and person specification: the post holder ${STAGE_REASON[stage]}.`,
    assessments: [1, 2, 3, 4, 5].map((domain) => ({
      domain,
      rating: domain === 1 || rand() < 0.75 ? 'meets' : 'partly',
      evidence: domain === 1 ? 'Job description, person specification (essential criteria)' : null,
    })),
  };
}

const pounds = (n: number) => n * 100;

/** The pump-prime stream for the financial year that ends on the demo date, with its plan and ledger. */
function demoFunding(rand: () => number): DemoFunding {
  const months = ['04', '05', '06', '07', '08', '09', '10', '11', '12', '01', '02', '03'];
  const monthDate = (i: number, day: string) => `${i < 9 ? '2025' : '2026'}-${months[i]}-${day}`;
  const ledger: DemoFunding['ledger'] = [];
  for (let i = 0; i < 11; i++)
    ledger.push({
      kind: 'actual',
      date: monthDate(i, '28'),
      amountPence: pounds(2150),
      description: 'Project lead (band 7, 0.4 WTE) salary recharge',
      costCentre: 'CC2100',
      accountCode: '5104',
      line: 0,
    });
  for (const [i, day, amount] of [
    [5, '12', 3600],
    [6, '09', 2400],
    [8, '15', 1800],
  ] as const)
    ledger.push({
      kind: 'actual',
      date: monthDate(i, day),
      amountPence: pounds(amount),
      description: 'Care Certificate and Functional Skills course places',
      costCentre: 'CC2100',
      accountCode: '5820',
      line: 2,
    });
  for (let i = 6; i < 12; i++)
    ledger.push({
      kind: 'actual',
      date: monthDate(i, '20'),
      amountPence: pounds(1000 + Math.round(rand() * 200)),
      description: 'Backfill: bank support worker cover for ST0217 apprentices',
      costCentre: 'CC2130',
      accountCode: '5160',
      line: 1,
    });
  ledger.push(
    {
      kind: 'actual',
      date: '2025-11-18',
      amountPence: pounds(1250),
      description: 'Support worker community of practice: venue and catering',
      costCentre: 'CC2100',
      accountCode: '5910',
      line: 4,
    },
    {
      kind: 'actual',
      date: '2026-02-03',
      amountPence: pounds(2890),
      description: 'E-learning licences (clinical skills modules)',
      costCentre: 'CC2100',
      accountCode: '5830',
      line: 5,
    },
    {
      kind: 'actual',
      date: '2026-02-24',
      amountPence: -pounds(240),
      description: 'Credit: course place cancelled',
      costCentre: 'CC2100',
      accountCode: '5820',
      line: 2,
    },
    {
      kind: 'actual',
      date: '2026-01-22',
      amountPence: pounds(3400),
      description: 'ST0215 cohort: practice educator mentoring sessions',
      costCentre: 'CC2100',
      accountCode: '5820',
      line: 3,
    },
    {
      kind: 'commitment',
      date: '2026-03-10',
      amountPence: pounds(4800),
      description: 'Purchase order: ST0215 end-point assessment support',
      costCentre: 'CC2100',
      accountCode: '5820',
      line: 3,
    },
    // Not yet allocated: the lead has these to sort on the ledger screen.
    {
      kind: 'actual',
      date: '2026-03-05',
      amountPence: pounds(640),
      description: 'Travel: support workers to regional AHP faculty event',
      costCentre: 'CC2100',
      accountCode: '5720',
      line: null,
    },
    {
      kind: 'actual',
      date: '2026-03-19',
      amountPence: pounds(385),
      description: 'Printing: career pathway leaflets',
      costCentre: 'CC2100',
      accountCode: '5930',
      line: null,
    },
  );
  return {
    stream: {
      source: 'hee-pump-prime',
      name: 'AHP support workforce pump-prime funding (synthetic)',
      financialYear: '2025/26',
      allocatedPence: pounds(65_000),
      receipts: [
        { date: '2025-05-16', amountPence: pounds(32_500) },
        { date: '2025-10-17', amountPence: pounds(32_500) },
      ],
      conditions:
        'Synthetic example: implement the first phase of the AHP support worker framework and report progress through the readiness toolkit.',
      checklist: [
        { text: 'Scope the current workforce supporting AHP services', done: true },
        { text: 'Map that workforce against the framework', done: true },
        { text: 'Carry out a gap analysis and training needs assessment', done: true },
        { text: "Supply data and evidence through HEE's readiness toolkit", done: false },
        { text: 'Take part in webinars and community-of-practice events', done: false },
      ],
      deadline: '2026-03-31',
      owner: 'AHP faculty lead (synthetic)',
    },
    lines: [
      {
        category: 'project-lead-time',
        description: 'Project lead, band 7, 0.4 WTE for the year',
        aims: ['education', 'growth'],
        requirements: ['scope', 'map', 'gap-tna'],
        tnaItem: null,
        totalPence: pounds(25_800),
        profile: 'even',
      },
      {
        category: 'backfill',
        description: 'Backfill while senior support workers study ST0217',
        aims: ['education', 'retention'],
        requirements: ['gap-tna'],
        tnaItem: 2,
        totalFromTna: true,
        totalPence: 0,
        profile: 'back-loaded',
      },
      {
        category: 'training-places',
        description: 'Care Certificate and Functional Skills course places',
        aims: ['education'],
        requirements: ['gap-tna'],
        tnaItem: null,
        totalPence: pounds(9_000),
        profile: 'front-loaded',
      },
      {
        category: 'apprenticeship-support',
        description: 'Assistant practitioner (ST0215) cohort: mentoring and end-point assessment support',
        aims: ['education', 'growth'],
        requirements: ['gap-tna'],
        tnaItem: null,
        totalPence: pounds(12_000),
        profile: 'back-loaded',
      },
      {
        category: 'events-engagement',
        description: 'Support worker community of practice and celebration event',
        aims: ['retention', 'diversity'],
        requirements: ['engagement'],
        tnaItem: null,
        totalPence: pounds(3_000),
        profile: 'even',
      },
      {
        category: 'equipment-resources',
        description: 'E-learning licences and clinical skills resources',
        aims: ['education'],
        requirements: [],
        tnaItem: null,
        totalPence: pounds(4_500),
        profile: 'even',
      },
    ],
    ledger,
  };
}

const DEMO_TNA: TnaSaveInput[] = [
  {
    route: 'care-certificate',
    title: 'Care Certificate for new starters and those part way through',
    cohortSize: 40,
    priority: 'high',
    targetQuarter: '2025/26 Q2',
    gapStage: 'entry',
    tuitionPencePerPerson: pounds(150),
    backfillWeeks: 0.5,
    backfillBand: '2',
    ftePerPerson: 1,
    notes: 'Run in-house by the practice education team.',
  },
  {
    route: 'functional-skills',
    title: 'Functional Skills English and maths level 2',
    cohortSize: 30,
    priority: 'medium',
    targetQuarter: '2025/26 Q3',
    gapStage: 'intermediate',
    tuitionPencePerPerson: pounds(300),
    backfillWeeks: 2,
    backfillBand: '3',
    ftePerPerson: 0.2,
    notes: null,
  },
  {
    route: 'ST0217',
    title: 'Senior healthcare support worker apprenticeship (AHP therapy support option)',
    cohortSize: 8,
    priority: 'high',
    targetQuarter: '2025/26 Q3',
    gapStage: 'intermediate',
    tuitionPencePerPerson: 0,
    backfillWeeks: 10,
    backfillBand: '3',
    ftePerPerson: 0.2,
    notes: 'Tuition is paid from the apprenticeship levy; backfill from the pump-prime stream.',
  },
  {
    route: 'ST0215',
    title: 'Assistant practitioner apprenticeship',
    cohortSize: 4,
    priority: 'medium',
    targetQuarter: '2025/26 Q4',
    gapStage: 'assistant-practitioner',
    tuitionPencePerPerson: pounds(12_000),
    backfillWeeks: 12,
    backfillBand: '4',
    ftePerPerson: 0.2,
    notes: null,
  },
  {
    route: 'ST0216',
    title: 'Healthcare support worker apprenticeship for new entry-level starters',
    cohortSize: 6,
    priority: 'low',
    targetQuarter: '2025/26 Q4',
    gapStage: 'entry',
    tuitionPencePerPerson: pounds(3_000),
    backfillWeeks: 6,
    backfillBand: '2',
    ftePerPerson: 0.2,
    notes: null,
  },
];

const DEMO_PATHWAYS: DemoPathway[] = [
  {
    name: 'Therapy support worker to physiotherapist',
    description: 'Synthetic example: from the entry therapy roles in any service to a registered physiotherapist.',
    steps: [
      {
        kind: 'roles',
        roles: [jobIndex('Therapy assistant'), jobIndex('Physiotherapy support worker')],
        label: 'Therapy support worker',
        route: 'appointment',
        requirementStage: null,
      },
      {
        kind: 'stage',
        professionCode: 'PHY',
        stage: 'intermediate',
        label: 'Senior physiotherapy support worker',
        route: 'ST0217',
        requirementStage: null,
      },
      {
        kind: 'roles',
        roles: [jobIndex('Therapy assistant practitioner'), jobIndex('MSK assistant practitioner')],
        label: 'Physiotherapy assistant practitioner',
        route: 'ST0215',
        requirementStage: null,
      },
      {
        kind: 'registered-profession',
        professionCode: 'PHY',
        route: 'degree-apprenticeship',
        requirementStage: 'assistant-practitioner',
      },
    ],
  },
  {
    name: 'Theatres: support worker to operating department practitioner',
    description: 'Synthetic example.',
    steps: [
      {
        kind: 'roles',
        roles: [jobIndex('Theatre support worker')],
        label: null,
        route: 'appointment',
        requirementStage: null,
      },
      {
        kind: 'roles',
        roles: [jobIndex('Senior theatre support worker')],
        label: null,
        route: 'ST0217',
        requirementStage: null,
      },
      {
        kind: 'roles',
        roles: [jobIndex('Theatre assistant practitioner')],
        label: null,
        route: 'ST0215',
        requirementStage: null,
      },
      {
        kind: 'registered-profession',
        professionCode: 'ODP',
        route: 'degree-apprenticeship',
        requirementStage: 'assistant-practitioner',
      },
    ],
  },
];

export function generateDemoTrust(staff: number, seed = 2021, asAt = '2026-03-31'): DemoTrust {
  const rand = seededRandom(seed);
  const roles: DemoRole[] = JOBS.map(([title, profession, occupationCode, band, , , plan]) => ({
    title,
    band,
    profession,
    occupationCode,
    mapping: mappingFor(rand, plan, profession, band),
  }));
  const posts: DemoPost[] = [];
  const postsOfJob = JOBS.map(([, , , , services], role) =>
    services.map((service, k) => {
      posts.push({ role, service, establishmentCenti: 0 });
      return [posts.length - 1, k === 0 ? 3 : 1] as const;
    }),
  );
  const jobWeights = JOBS.map((j, i) => [i, j[5]] as const);
  const end = Date.parse(`${asAt}T00:00:00Z`);
  const hoursChoices: readonly (readonly [number, number])[] = [
    [3750, 60],
    [3000, 12],
    [2250, 12],
    [1875, 10],
    [1500, 6],
  ];
  // Most staff carry their role's code; some in the generic rehabilitation roles carry the other therapy's.
  const codeFor = (job: number): [string, string] => {
    const [title, profession, code] = JOBS[job]!;
    if ((title === 'Rehabilitation assistant' || title === 'Therapy assistant') && rand() < 0.25)
      return title === 'Therapy assistant' ? ['H2H', 'OT'] : ['S9C', 'OT'];
    return [code, profession];
  };
  const inPostCenti = new Array<number>(posts.length).fill(0);
  const people: DemoPerson[] = [];
  for (let i = 0; i < staff; i++) {
    const job = pickWeighted(rand, jobWeights);
    const post = pickWeighted(rand, postsOfJob[job]!);
    const startDate = isoDay(end, -Math.floor(rand() * rand() * 365 * 12) - 1);
    const leaves = rand() < 0.1;
    const leftOn = leaves ? isoDay(end, -Math.floor(rand() * 360)) : null;
    const endDate = leftOn && leftOn >= startDate ? leftOn : null;
    const [occupationCode, profession] = codeFor(job);
    const assignments: DemoAssignment[] = [
      {
        post,
        occupationCode,
        profession,
        hoursCenti: pickWeighted(rand, hoursChoices),
        startDate,
        endDate,
        leavingReason: endDate ? LEAVING_REASONS[Math.floor(rand() * LEAVING_REASONS.length)]! : null,
      },
    ];
    if (rand() < 0.05) {
      // A second, part-time assignment (bank hours in another team): one person, two assignments.
      const other = pickWeighted(rand, jobWeights);
      const [code2, profession2] = codeFor(other);
      assignments.push({
        post: pickWeighted(rand, postsOfJob[other]!),
        occupationCode: code2,
        profession: profession2,
        hoursCenti: 750,
        startDate: isoDay(end, -Math.floor(rand() * 700) - 1),
        endDate: null,
        leavingReason: null,
      });
    }
    for (const a of assignments) if (!a.endDate || a.endDate >= asAt) inPostCenti[a.post]! += a.hoursCenti;
    people.push({
      yearOfBirth: 1960 + Math.floor(rand() * 45),
      sex: pickWeighted(rand, [
        ['F', 78],
        ['M', 20],
        ['X', 1],
        ['U', 1],
      ] as const),
      ethnicCategory: pickWeighted(rand, ETHNIC_WEIGHTS),
      disability: pickWeighted(rand, [
        ['no', 80],
        ['yes', 6],
        ['not-declared', 14],
      ] as const),
      assignments,
      qualifications: qualificationsFor(rand, JOBS[job]![3]),
    });
  }
  // Establishment: funded WTE in half posts. Most post lines carry a vacancy of a few per cent, some are full,
  // and now and then one is over its establishment (bank staff covering long-term sickness).
  posts.forEach((p, i) => {
    const fte = (inPostCenti[i]! * 100) / 3750;
    const r = rand();
    const factor = r < 0.2 ? 1 : r < 0.85 ? 1.04 + rand() * 0.1 : r < 0.94 ? 1.15 + rand() * 0.15 : 0.93;
    p.establishmentCenti = Math.max(100, Math.ceil((fte * factor) / 50) * 50);
  });
  return {
    organisation: {
      name: 'Demo Valley NHS Foundation Trust (synthetic)',
      odsCode: 'XDEMO',
      ics: 'Demo Valley Integrated Care System',
      ahpFaculty: 'Demo Valley AHP Faculty',
    },
    services: SERVICES.map(([name, costCentre]) => ({ name, costCentre })),
    roles,
    posts,
    people,
    tna: DEMO_TNA,
    funding: demoFunding(rand),
    pathways: DEMO_PATHWAYS,
  };
}

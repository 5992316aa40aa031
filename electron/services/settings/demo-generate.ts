import { ethnicCategories, type Band } from '../../../shared/common/reference';

/**
 * A synthetic trust for demonstrations, tests and benchmarks. Every person is generated from a seeded random
 * stream: none is real, and the same seed always gives the same trust.
 */

export interface DemoRole {
  title: string;
  service: string;
  profession: string;
  occupationCode: string;
  band: Band;
  establishmentCenti: number;
}
export interface DemoAssignment {
  role: number; // index into roles
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
}
export interface DemoTrust {
  organisation: { name: string; odsCode: string; ics: string; ahpFaculty: string };
  services: { name: string; costCentre: string }[];
  roles: DemoRole[];
  people: DemoPerson[];
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
  ['Acute therapies', 'CC1010'],
  ['Community rehabilitation', 'CC1020'],
  ['Imaging', 'CC1030'],
  ['Theatres', 'CC1040'],
  ['Children and young people', 'CC1050'],
  ['Nutrition and dietetics', 'CC1060'],
] as const;

// [title, service index, profession, occupation code, band, establishment FTE x 100 per 100 staff]
const ROLE_TEMPLATES: readonly (readonly [string, number, string, string, Band, number])[] = [
  ['Therapy support worker', 0, 'PHY', 'H2J', '2', 900],
  ['Senior therapy support worker', 0, 'PHY', 'S9E', '3', 800],
  ['Therapy assistant practitioner', 0, 'PHY', 'S5E', '4', 400],
  ['Occupational therapy support worker', 0, 'OT', 'H2H', '3', 700],
  ['Rehabilitation assistant', 1, 'PHY', 'S9E', '3', 900],
  ['Rehabilitation support worker', 1, 'OT', 'S9C', '2', 600],
  ['Community assistant practitioner', 1, 'OT', 'S5C', '4', 400],
  ['Podiatry assistant', 1, 'POD', 'S9A', '3', 300],
  ['Imaging support worker', 2, 'RAD', 'H2K', '2', 500],
  ['Imaging assistant practitioner', 2, 'RAD', 'S5F', '4', 300],
  ['Theatre support worker', 3, 'ODP', 'S9T', '2', 1000],
  ['Senior theatre support worker', 3, 'ODP', 'S9T', '3', 600],
  ['Speech and language therapy assistant', 4, 'SLT', 'S9J', '3', 400],
  ['Children therapy support worker', 4, 'PHY', 'H2J', '3', 300],
  ['Dietetic assistant', 5, 'DIE', 'S9B', '3', 300],
  ['Dietetic assistant practitioner', 5, 'DIE', 'S5B', '4', 200],
];

const ETHNIC_WEIGHTS: readonly (readonly [string, number])[] = ethnicCategories.items.map((e) => [
  e.code,
  e.code === 'A' ? 60 : e.code === 'Z' ? 4 : e.code === '99' ? 2 : e.bme ? 2.5 : 4,
]);

const LEAVING_REASONS = [
  'Voluntary resignation - relocation',
  'Voluntary resignation - promotion',
  'Retirement age',
  'End of fixed term',
];

function isoDay(base: number, days: number): string {
  return new Date(base + days * 86_400_000).toISOString().slice(0, 10);
}

export function generateDemoTrust(staff: number, seed = 2021, asAt = '2026-03-31'): DemoTrust {
  const rand = seededRandom(seed);
  const scale = Math.max(1, staff / 100);
  const roles: DemoRole[] = ROLE_TEMPLATES.map(([title, s, profession, occupationCode, band, est]) => ({
    title,
    service: SERVICES[s]![0],
    profession,
    occupationCode,
    band,
    establishmentCenti: Math.round((est * scale) / 100) * 100,
  }));
  const roleWeights = roles.map((r, i) => [i, r.establishmentCenti + 1] as const);
  const end = Date.parse(`${asAt}T00:00:00Z`);
  const hoursChoices: readonly (readonly [number, number])[] = [
    [3750, 60],
    [3000, 12],
    [2250, 12],
    [1875, 10],
    [1500, 6],
  ];
  const people: DemoPerson[] = [];
  for (let i = 0; i < staff; i++) {
    const role = pickWeighted(rand, roleWeights);
    const startDate = isoDay(end, -Math.floor(rand() * rand() * 365 * 12) - 1);
    const leaves = rand() < 0.12;
    const endDate = leaves ? isoDay(end, -Math.floor(rand() * 360)) : null;
    const assignments: DemoAssignment[] = [
      {
        role,
        hoursCenti: pickWeighted(rand, hoursChoices),
        startDate,
        endDate: endDate && endDate >= startDate ? endDate : null,
        leavingReason: null,
      },
    ];
    if (assignments[0]!.endDate)
      assignments[0]!.leavingReason = LEAVING_REASONS[Math.floor(rand() * LEAVING_REASONS.length)]!;
    if (rand() < 0.05) {
      // A second, part-time assignment (e.g. bank hours in another team): one person, two assignments.
      assignments.push({
        role: pickWeighted(rand, roleWeights),
        hoursCenti: 750,
        startDate: isoDay(end, -Math.floor(rand() * 700) - 1),
        endDate: null,
        leavingReason: null,
      });
    }
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
    });
  }
  return {
    organisation: {
      name: 'Demo Valley NHS Foundation Trust (synthetic)',
      odsCode: 'XDEMO',
      ics: 'Demo Valley Integrated Care System',
      ahpFaculty: 'Demo Valley AHP Faculty',
    },
    services: SERVICES.map(([name, costCentre]) => ({ name, costCentre })),
    roles,
    people,
  };
}

import { auditProtection } from '../../electron/services/returns/disclosure-audit';
import { DEFAULT_THRESHOLD, protect } from '../../shared/returns/disclosure';
import { joinModels, tableCells, type CountTable, type DisclosureModel } from '../../shared/returns/disclosure-model';
import { seeded } from '../fixtures/disclosure';
import { median, time, type BenchSuite } from './harness';

/** Category names with weights: a few big professions and bands, and rare ones that give small cells at scale. */
const stages: [string, number][] = [
  ['entry', 50],
  ['intermediate', 35],
  ['assistant-practitioner', 12],
  ['not-mapped', 3],
];
const professions: [string, number][] = [
  ['PHY', 30],
  ['OT', 25],
  ['SLT', 9],
  ['DIET', 8],
  ['POD', 7],
  ['RAD-D', 6],
  ['RAD-T', 2],
  ['ODP', 5],
  ['PARA', 5],
  ['ORTHOPT', 0.6],
  ['P&O', 0.08],
  ['ART', 0.03],
  ['MUSIC', 0.012],
  ['DRAMA', 0.006],
  ['OSTEO', 0.01],
];
const bands: [string, number][] = [
  ['1', 0.4],
  ['2', 45],
  ['3', 38],
  ['4', 15],
  ['5', 1.5],
  ['6', 0.02],
];
const education: [string, number][] = [
  ['meets', 55],
  ['partly', 25],
  ['does-not', 15],
  ['unknown', 5],
];
const ethnicity: [string, number][] = [
  ['White', 75],
  ['BME', 22],
  ['not-known', 3],
];
const sex: [string, number][] = [
  ['female', 84],
  ['male', 16],
];
const age: [string, number][] = [
  ['16-19', 0.8],
  ['20-29', 24],
  ['30-39', 25],
  ['40-49', 22],
  ['50-59', 20],
  ['60+', 8],
];
const disability: [string, number][] = [
  ['yes', 6],
  ['no', 84],
  ['not-known', 10],
];
const standards: [string, number][] = [
  ['ST0216', 50],
  ['ST0217', 30],
  ['ST0215', 20],
];
const outcomes: [string, number][] = [
  ['enrolled', 80],
  ['completed', 15],
  ['withdrawn', 5],
];

function picker(rand: () => number, weights: [string, number][]): () => number {
  const total = weights.reduce((a, [, w]) => a + w, 0);
  return () => {
    let u = rand() * total;
    for (let i = 0; i < weights.length; i++) if ((u -= weights[i]![1]) < 0) return i;
    return weights.length - 1;
  };
}

/** One attribute per person, as small integers: what the returns builder reads from the database. */
export function staff(count: number): Record<string, Uint8Array> {
  const rand = seeded(100_000);
  const columns: Record<string, [string, number][]> = {
    stage: stages,
    profession: professions,
    band: bands,
    education,
    ethnicity,
    sex,
    age,
    disability,
    standard: standards,
    outcome: outcomes,
  };
  const out: Record<string, Uint8Array> = {};
  for (const [name, weights] of Object.entries(columns)) {
    const pick = picker(rand, weights);
    out[name] = Uint8Array.from({ length: count }, pick);
  }
  // About 1 in 20 is an apprentice; 1 in 8 started this year; 1 in 9 left.
  out.apprentice = Uint8Array.from({ length: count }, () => (rand() < 0.05 ? 1 : 0));
  out.starter = Uint8Array.from({ length: count }, () => (rand() < 0.125 ? 1 : 0));
  out.leaver = Uint8Array.from({ length: count }, () => (rand() < 0.11 ? 1 : 0));
  return out;
}

/** The headcount tables of a return (B, D, E, F), every by-stage table sharing the B tables' stage totals. */
export function buildModel(people: Record<string, Uint8Array>): DisclosureModel {
  const n = people.stage!.length;
  const count = (rows: [string, number][], rowKey: string, cols: [string, number][], colKey: string, only?: string) => {
    const values = rows.map(() => new Array<number>(cols.length).fill(0));
    const r = people[rowKey]!;
    const c = people[colKey]!;
    const keep = only ? people[only]! : undefined;
    for (let i = 0; i < n; i++) if (!keep || keep[i]) values[r[i]!]![c[i]!]!++;
    return values;
  };
  const stageNames = stages.map(([s]) => s);
  const byStage = (id: string, cols: [string, number][], key: string): CountTable => ({
    id,
    rows: stageNames,
    columns: cols.map(([c]) => c),
    values: count(stages, 'stage', cols, key),
    rowTotalIds: stageNames.map((s) => `B1/r:${s}/total`),
    grandTotalId: 'B1/total',
  });
  const tables: CountTable[] = [
    {
      id: 'B1',
      rows: stageNames,
      columns: professions.map(([p]) => p),
      values: count(stages, 'stage', professions, 'profession'),
    },
    byStage('B2', bands, 'band'),
    byStage('D1', education, 'education'),
    {
      id: 'D2',
      rows: standards.map(([s]) => s),
      columns: outcomes.map(([o]) => o),
      values: count(standards, 'standard', outcomes, 'outcome', 'apprentice'),
    },
    // Starters and leavers by stage and profession: tables of their own (their totals are not the stage totals).
    {
      id: 'E1',
      rows: stageNames,
      columns: professions.map(([p]) => p),
      values: count(stages, 'stage', professions, 'profession', 'starter'),
    },
    {
      id: 'E2',
      rows: stageNames,
      columns: professions.map(([p]) => p),
      values: count(stages, 'stage', professions, 'profession', 'leaver'),
    },
    byStage('F1', ethnicity, 'ethnicity'),
    byStage('F2', sex, 'sex'),
    byStage('F3', age, 'age'),
    byStage('F4', disability, 'disability'),
  ];
  return joinModels(tables.map(tableCells));
}

/** Build the return's count tables from 100k staff, protect them and audit the protection: under 1 s together. */
export const disclosureBench: BenchSuite = {
  name: 'disclosure',
  async run({ scale, report }) {
    const size = scale(100_000);
    const people = staff(size);
    const built = await time(() => buildModel(people));
    const model = built.value;
    const hiddenCount = (p: Map<string, string>) => [...p.values()].filter((s) => s !== 'exact').length;
    const first = await time(() => protect(model, DEFAULT_THRESHOLD));
    const protection = first.value;
    const cold = await time(() => auditProtection(model, protection, DEFAULT_THRESHOLD));
    const buildMs = await median(5, () => buildModel(people));
    const protectMs = await median(5, () => protect(model, DEFAULT_THRESHOLD));
    const auditMs = await median(5, () => auditProtection(model, protection, DEFAULT_THRESHOLD));
    const primary = [...protection.values()].filter((s) => s === 'suppressed-primary').length;
    const label = `${size.toLocaleString('en-GB')} staff`;
    report(
      `build the count tables, ${label}`,
      buildMs,
      'ms',
      `${model.cells.length} cells, ${model.equations.length} equations`,
    );
    report(
      `protect (primary + secondary)`,
      protectMs,
      'ms',
      `${primary} primary, ${hiddenCount(protection) - primary} secondary`,
    );
    report(
      `audit (HiGHS, min and max of each hidden cell)`,
      auditMs,
      'ms',
      `first call ${cold.ms.toFixed(0)} ms with loading the solver; ${cold.value.ok ? 'passed' : `FAILED: ${cold.value.exposed.length} exposed`}`,
    );
    report(`build + protect + audit`, buildMs + protectMs + auditMs, 'ms', 'target < 1,000 ms');
  },
};

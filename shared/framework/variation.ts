import { z } from 'zod';
import { normaliseTitle } from '../workforce/titles';
import { bandSchema, BAND_CODES, type Band } from '../common/reference';
import { framework2021, stageIdSchema, STAGE_IDS, type FrameworkVersion, type StageId } from './index';

export const variationRoleSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  service: z.string(),
  profession: z.string(),
  band: bandSchema.nullable(),
  stage: stageIdSchema.nullable(),
  occupationCode: z.string().nullable(),
});
export type VariationRole = z.infer<typeof variationRoleSchema>;

export type StageOrUnmapped = StageId | 'unmapped';
type BandOrUnknown = Band | 'unknown';

export interface StageSpread {
  stage: StageId;
  roleCount: number;
  bands: { band: BandOrUnknown; roleIds: string[] }[];
  titles: { title: string; services: string[]; professions: string[]; roleIds: string[] }[];
  services: string[];
  professions: string[];
}

export type VariationFinding =
  | { kind: 'stage-band-spread'; stage: StageId; bands: BandOrUnknown[]; roleIds: string[]; message: string }
  | {
      kind: 'stage-title-spread';
      stage: StageId;
      titleCount: number;
      serviceCount: number;
      professionCount: number;
      roleIds: string[];
      message: string;
    }
  | { kind: 'band-not-typical'; stage: StageId; band: Band; typicalBand: Band; roleIds: string[]; message: string }
  | { kind: 'same-title-different-stages'; title: string; stages: StageId[]; roleIds: string[]; message: string }
  | { kind: 'unmapped'; roleIds: string[]; message: string };

export interface MatrixCell {
  profession: string;
  stage: StageOrUnmapped;
  band: BandOrUnknown;
  count: number;
  roleIds: string[];
}

export interface VariationMatrix {
  professions: string[];
  stages: StageOrUnmapped[];
  bands: BandOrUnknown[];
  /** Only non-empty cells, sorted by profession, stage, band. */
  cells: MatrixCell[];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const BAND_ORDER: BandOrUnknown[] = [...BAND_CODES, 'unknown'];
const STAGE_ORDER: StageOrUnmapped[] = [...STAGE_IDS, 'unmapped'];
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Profession x stage x band counts with role ids for drill-down. One pass plus a sort of the cells. */
export function buildVariationMatrix(roles: VariationRole[]): VariationMatrix {
  const cells = new Map<string, MatrixCell>();
  const professions = new Set<string>();
  for (const role of roles) {
    const stage: StageOrUnmapped = role.stage ?? 'unmapped';
    const band: BandOrUnknown = role.band ?? 'unknown';
    professions.add(role.profession);
    const key = `${role.profession}\u0000${stage}\u0000${band}`;
    const cell = cells.get(key);
    if (cell) {
      cell.count += 1;
      cell.roleIds.push(role.id);
    } else cells.set(key, { profession: role.profession, stage, band, count: 1, roleIds: [role.id] });
  }
  const sorted = [...cells.values()].sort(
    (a, b) =>
      a.profession.localeCompare(b.profession) ||
      STAGE_ORDER.indexOf(a.stage) - STAGE_ORDER.indexOf(b.stage) ||
      BAND_ORDER.indexOf(a.band) - BAND_ORDER.indexOf(b.band),
  );
  const usedBands = new Set(sorted.map((c) => c.band));
  return {
    professions: [...professions].sort((a, b) => a.localeCompare(b)),
    stages: STAGE_ORDER,
    bands: BAND_ORDER.filter((b) => usedBands.has(b)),
    cells: sorted,
  };
}

/**
 * The variation the programme asks services to address: one stage carried at several bands or under
 * many titles, bands away from the stage's typical band (guidance only: the framework is not a banding
 * guide), the same job title mapped to different stages, and roles not mapped yet. Linear in the roles.
 */
export function analyseVariation(
  roles: VariationRole[],
  framework: FrameworkVersion = framework2021,
): { findings: VariationFinding[]; spreads: StageSpread[]; matrix: VariationMatrix } {
  const byStage = new Map<StageId, VariationRole[]>();
  const byTitle = new Map<string, VariationRole[]>();
  const unmapped: string[] = [];
  for (const role of roles) {
    if (role.stage) push(byStage, role.stage, role);
    else unmapped.push(role.id);
    const title = normaliseTitle(role.title);
    if (title) push(byTitle, title, role);
  }

  const findings: VariationFinding[] = [];
  const spreads: StageSpread[] = [];
  for (const stage of framework.stages) {
    const members = byStage.get(stage.id) ?? [];
    if (!members.length) continue;
    const bands = new Map<BandOrUnknown, string[]>();
    const titles = new Map<
      string,
      { title: string; services: Set<string>; professions: Set<string>; roleIds: string[] }
    >();
    const services = new Set<string>();
    const professions = new Set<string>();
    const offTypical = new Map<Band, string[]>();
    for (const role of members) {
      push(bands, role.band ?? 'unknown', role.id);
      const key = normaliseTitle(role.title);
      const t = titles.get(key) ?? {
        title: role.title.trim(),
        services: new Set(),
        professions: new Set(),
        roleIds: [],
      };
      t.services.add(role.service);
      t.professions.add(role.profession);
      t.roleIds.push(role.id);
      titles.set(key, t);
      services.add(role.service);
      professions.add(role.profession);
      if (role.band && role.band !== stage.typicalBand) push(offTypical, role.band, role.id);
    }
    const spread: StageSpread = {
      stage: stage.id,
      roleCount: members.length,
      bands: BAND_ORDER.filter((b) => bands.has(b)).map((band) => ({ band, roleIds: bands.get(band) ?? [] })),
      titles: [...titles.values()]
        .map((t) => ({
          title: t.title,
          services: [...t.services].sort(),
          professions: [...t.professions].sort(),
          roleIds: t.roleIds,
        }))
        .sort((a, b) => b.roleIds.length - a.roleIds.length || a.title.localeCompare(b.title)),
      services: [...services].sort(),
      professions: [...professions].sort(),
    };
    spreads.push(spread);
    const ids = members.map((r) => r.id);
    const knownBands = spread.bands.map((b) => b.band).filter((b) => b !== 'unknown');
    if (knownBands.length > 1) {
      findings.push({
        kind: 'stage-band-spread',
        stage: stage.id,
        bands: spread.bands.map((b) => b.band),
        roleIds: ids,
        message: `${stage.name} roles are banded at ${knownBands.map((b) => `band ${b}`).join(', ')}.`,
      });
    }
    if (spread.titles.length > 1 && (services.size > 1 || professions.size > 1)) {
      findings.push({
        kind: 'stage-title-spread',
        stage: stage.id,
        titleCount: spread.titles.length,
        serviceCount: services.size,
        professionCount: professions.size,
        roleIds: ids,
        message: `${stage.name} roles use ${plural(spread.titles.length, 'job title')} across ${plural(services.size, 'service')} and ${plural(professions.size, 'profession')}.`,
      });
    }
    for (const band of BAND_CODES) {
      const off = offTypical.get(band);
      if (!off) continue;
      findings.push({
        kind: 'band-not-typical',
        stage: stage.id,
        band,
        typicalBand: stage.typicalBand,
        roleIds: off,
        message: `${plural(off.length, 'role')} at ${stage.name} ${off.length === 1 ? 'is' : 'are'} band ${band}; the typical band is ${stage.typicalBand} (guidance only).`,
      });
    }
  }

  for (const [title, members] of byTitle) {
    const stages = STAGE_IDS.filter((s) => members.some((r) => r.stage === s));
    if (stages.length < 2) continue;
    findings.push({
      kind: 'same-title-different-stages',
      title,
      stages,
      roleIds: members.filter((r) => r.stage).map((r) => r.id),
      message: `The job title "${members[0]?.title.trim() ?? title}" is mapped to ${stages.length} different stages.`,
    });
  }

  if (unmapped.length) {
    findings.push({
      kind: 'unmapped',
      roleIds: unmapped,
      message: `${plural(unmapped.length, 'role')} ${unmapped.length === 1 ? 'is' : 'are'} not mapped to a stage yet.`,
    });
  }
  return { findings, spreads, matrix: buildVariationMatrix(roles) };
}

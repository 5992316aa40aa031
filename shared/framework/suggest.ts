import { describeOccupationCode, type Band } from '../common/reference';
import { framework2021, stageById, type FrameworkVersion, type StageId } from './index';

export type SuggestionBasis = 'occupation-code' | 'band' | 'title';

export interface StageSuggestion {
  stage: StageId;
  /** Plain English, shown to the lead beside the suggestion. */
  reason: string;
  /** 'strong' when the occupation code decides it; 'weak' when only the title does. */
  strength: 'strong' | 'weak';
  basis: SuggestionBasis[];
}

export interface SuggestStageInput {
  occupationCode?: string | null;
  band?: Band | null;
  title?: string | null;
}

const BAND_STAGE: Partial<Record<Band, StageId>> = { '2': 'entry', '3': 'intermediate', '4': 'assistant-practitioner' };

const SUPPORT_WORDS = /\b(support worker|assistant|helper|aide|technician|hca)\b/;

function titleEvidence(title: string): { stage: StageId | null; phrase: string } | null {
  const t = title
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (/\bassistant practitioner\b/.test(t) || /\bap\b/.test(t))
    return { stage: 'assistant-practitioner', phrase: 'assistant practitioner' };
  if (/\bsenior\b/.test(t)) return { stage: 'intermediate', phrase: 'senior' };
  const support = SUPPORT_WORDS.exec(t);
  return support ? { stage: null, phrase: support[1] ?? support[0] } : null;
}

/**
 * Suggests a framework stage for a role. Only a suggestion: the lead confirms every mapping, and the
 * framework itself says it is not a banding guide, so band is used only alongside a support-role code
 * or title. The occupation code outranks the title because it comes from ESR, not free text.
 */
export function suggestStage(
  input: SuggestStageInput,
  framework: FrameworkVersion = framework2021,
): StageSuggestion | null {
  const code = input.occupationCode ? describeOccupationCode(input.occupationCode) : null;
  const band = input.band ?? null;
  const title = input.title?.trim() ?? '';
  const evidence = title ? titleEvidence(title) : null;
  const name = (stage: StageId) => stageById(framework, stage).name;
  const bandNote = (stage: StageId) => {
    const typical = stageById(framework, stage).typicalBand;
    return band && band !== typical
      ? ` Note: band ${band} is not the typical band (${typical}) for this stage; check the role.`
      : '';
  };
  const titleNote = (stage: StageId) =>
    evidence?.stage && evidence.stage !== stage
      ? ` The title "${title}" points elsewhere (${name(evidence.stage)}); check the role.`
      : '';

  if (code?.supportRole === 'assistant-practitioner') {
    const stage: StageId = 'assistant-practitioner';
    return {
      stage,
      reason: `Occupation code ${code.code} is an assistant practitioner code (${code.areaLabel}).${bandNote(stage)}${titleNote(stage)}`,
      strength: 'strong',
      basis: ['occupation-code'],
    };
  }

  const supportCode =
    code && ['support-worker', 'healthcare-assistant', 'assistant'].includes(code.supportRole) ? code : null;
  const bandStage = band ? (BAND_STAGE[band] ?? null) : null;
  if (supportCode && bandStage) {
    return {
      stage: bandStage,
      reason:
        `Occupation code ${supportCode.code} is ${/^[aeiou]/i.test(supportCode.supportRoleLabel) ? 'an' : 'a'} ${supportCode.supportRoleLabel.toLowerCase()} code (${supportCode.areaLabel}) ` +
        `and the role is band ${band}, the typical band for ${name(bandStage)}.${titleNote(bandStage)}`,
      strength: 'strong',
      basis: ['occupation-code', 'band'],
    };
  }

  if (evidence?.stage) {
    return {
      stage: evidence.stage,
      reason: `The job title "${title}" contains "${evidence.phrase}", which suggests ${name(evidence.stage)}. A title is weaker evidence than an occupation code.${bandNote(evidence.stage)}`,
      strength: 'weak',
      basis: ['title'],
    };
  }

  if (evidence && bandStage) {
    return {
      stage: bandStage,
      reason: `The job title "${title}" contains "${evidence.phrase}", which suggests a support role, and band ${band} is typical of ${name(bandStage)}. A title is weaker evidence than an occupation code.`,
      strength: 'weak',
      basis: ['title', 'band'],
    };
  }
  return null;
}

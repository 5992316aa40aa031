import { z } from 'zod';
import { bandSchema, payPointOn, type PayPoint } from '../common/reference';
import { provenanceSchema } from '../framework/index';
import { apprenticeshipStandardSchema, type ApprenticeshipStandard } from './education';
import fundingFile from './apprenticeship-funding.json';

export const TNA_ROUTE_IDS = [
  'care-certificate',
  'functional-skills',
  'ST0216',
  'ST0217',
  'ST0215',
  'foundation-degree',
  'in-house',
] as const;
export const tnaRouteIdSchema = z.enum(TNA_ROUTE_IDS);
export type TnaRouteId = z.infer<typeof tnaRouteIdSchema>;

export const tnaRoutes: Record<TnaRouteId, { name: string; apprenticeship: ApprenticeshipStandard | null }> = {
  'care-certificate': { name: 'Care Certificate (15 standards)', apprenticeship: null },
  'functional-skills': { name: 'Functional Skills level 2 (English and maths)', apprenticeship: null },
  ST0216: { name: 'Healthcare Support Worker apprenticeship (ST0216, RQF level 2)', apprenticeship: 'ST0216' },
  ST0217: { name: 'Senior Healthcare Support Worker apprenticeship (ST0217, RQF level 3)', apprenticeship: 'ST0217' },
  ST0215: { name: 'Assistant Practitioner apprenticeship (ST0215, RQF level 5)', apprenticeship: 'ST0215' },
  'foundation-degree': { name: 'Foundation degree in health and social care (RQF level 5)', apprenticeship: null },
  'in-house': { name: 'In-house training', apprenticeship: null },
};

export const fundingBandSchema = z.object({
  standard: apprenticeshipStandardSchema,
  title: z.string().min(1),
  level: z.number().int(),
  maxPence: z.number().int().nonnegative(),
  provenance: provenanceSchema,
  source: z.string().min(1),
});
export type FundingBand = z.infer<typeof fundingBandSchema>;

export const fundingBandsDatasetSchema = z.object({
  dataset: z.string(),
  version: z.string().min(1),
  source: z.string().min(1),
  bands: z.array(fundingBandSchema),
});
export type FundingBandsDataset = z.infer<typeof fundingBandsDatasetSchema>;

/** Shipped defaults; the app keeps an editable copy and passes it in. */
export const apprenticeshipFunding = fundingBandsDatasetSchema.parse(fundingFile);

export function fundingCapPence(route: TnaRouteId, bands: FundingBand[] = apprenticeshipFunding.bands): number | null {
  const standard = tnaRoutes[route].apprenticeship;
  return standard ? (bands.find((b) => b.standard === standard)?.maxPence ?? null) : null;
}

/** A decimal input held to a fixed number of places, so the arithmetic below stays exact. */
function decimal(places: number, what: string) {
  return z
    .number()
    .nonnegative()
    .refine((v) => Number.isFinite(v) && Math.abs(v * 10 ** places - Math.round(v * 10 ** places)) < 1e-6, {
      message: `${what}: use at most ${places} decimal places`,
    });
}

export const tnaItemInputSchema = z.object({
  route: tnaRouteIdSchema,
  cohortSize: z.number().int().nonnegative(),
  tuitionPencePerPerson: z.number().int().nonnegative(),
  backfillWeeks: decimal(2, 'Backfill weeks'),
  band: bandSchema,
  fte: decimal(4, 'FTE').refine((v) => v <= 2, 'FTE above 2 is not plausible'),
  onCostPercent: decimal(2, 'On-cost percent'),
  /** Date the pay table is read at (usually the start of the training), YYYY-MM-DD. */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  step: z.string().min(1).default('entry'),
});
export type TnaItemInput = z.input<typeof tnaItemInputSchema>;

export interface TnaItemCost {
  tuitionPence: number;
  backfillPence: number;
  onCostPence: number;
  totalPence: number;
  /** Annual pay point used for backfill, or null when there is no backfill. */
  annualPayPence: number | null;
  /** Apprenticeship routes only: tuition up to the funding band (levy-fundable) and the part above it. */
  fundingCapPence: number | null;
  levyFundablePence: number | null;
  tuitionAboveCapPence: number | null;
}

/** Half-up division for non-negative integers: the only place a TNA cost is rounded. */
function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}

function scaled(value: number, places: number): bigint {
  return BigInt(Math.round(value * 10 ** places));
}

/**
 * Cost of one TNA line, in integer pence.
 *   tuition  = tuitionPencePerPerson x cohortSize                                  (exact integer)
 *   backfill = annual pay point x FTE x backfillWeeks / 52 x cohortSize            (exact fraction)
 *   total    = tuition + backfill x (1 + onCostPercent / 100), rounded ONCE, half-up, to whole pence
 * The parts shown are backfill rounded half-up, and on-cost = total - tuition - backfill, so the parts
 * always add up to the total. FTE is taken to 4 decimal places, weeks and on-cost percent to 2.
 * Throws if backfill is needed and no pay point is in force on the date.
 */
export function tnaItemCost(
  raw: TnaItemInput,
  options: { payPoints?: PayPoint[]; fundingBands?: FundingBand[] } = {},
): TnaItemCost {
  const input = tnaItemInputSchema.parse(raw);
  const tuition = BigInt(input.tuitionPencePerPerson) * BigInt(input.cohortSize);
  const needsBackfill = input.backfillWeeks > 0 && input.fte > 0 && input.cohortSize > 0;

  let annualPayPence: number | null = null;
  let backfillPence = 0n;
  let total = tuition;
  if (needsBackfill) {
    const point = payPointOn(input.date, input.band, input.step, options.payPoints);
    if (!point)
      throw new Error(`No Agenda for Change pay point for band ${input.band}, step ${input.step}, on ${input.date}.`);
    annualPayPence = point.annualPence;
    // Scales: FTE x 10^4, weeks x 10^2, on-cost as basis points (percent x 10^2, so 100% = 10^4).
    const base =
      BigInt(point.annualPence) * scaled(input.fte, 4) * scaled(input.backfillWeeks, 2) * BigInt(input.cohortSize);
    const baseDenominator = 10_000n * 100n * 52n;
    const withOnCost = base * (10_000n + scaled(input.onCostPercent, 2));
    total = divideHalfUp(tuition * baseDenominator * 10_000n + withOnCost, baseDenominator * 10_000n);
    backfillPence = divideHalfUp(base, baseDenominator);
  }

  if (total > BigInt(Number.MAX_SAFE_INTEGER))
    throw new RangeError('The TNA line cost is too large to hold in whole pence.');
  const cap = fundingCapPence(input.route, options.fundingBands);
  const perPersonFundable = cap === null ? null : Math.min(cap, input.tuitionPencePerPerson);
  return {
    tuitionPence: Number(tuition),
    backfillPence: Number(backfillPence),
    onCostPence: Number(total - tuition - backfillPence),
    totalPence: Number(total),
    annualPayPence,
    fundingCapPence: cap,
    levyFundablePence: perPersonFundable === null ? null : perPersonFundable * input.cohortSize,
    tuitionAboveCapPence:
      perPersonFundable === null ? null : (input.tuitionPencePerPerson - perPersonFundable) * input.cohortSize,
  };
}

import { z } from 'zod';

/** Schema pieces every capability's contract uses. */

export const idSchema = z.number().int().positive();

/** `{ id }`: what a delete or a simple save answers. */
export const idResultSchema = z.object({ id: idSchema });

/** What every import's batch list shows of a batch, whatever it imported; each import adds its own counts. */
export const importBatchBaseSchema = z.object({
  id: z.number().int(),
  fileName: z.string(),
  sha256: z.string(),
  profileName: z.string().nullable(),
  user: z.string(),
  committedAt: z.string(),
  undoneAt: z.string().nullable(),
  undoneBy: z.string().nullable(),
  /** Why Undo is refused now, in plain English; null when it is allowed. */
  undoBlockedBy: z.string().nullable(),
});

export const requiredText = (label: string, max = 200) =>
  z.string().trim().min(1, `Enter the ${label}`).max(max, `The ${label} must be ${max} characters or fewer`);

/** Free text that may be left blank: blank becomes null. */
export const optionalText = (max = 200) =>
  z
    .string()
    .trim()
    .max(max, `Must be ${max} characters or fewer`)
    .transform((s) => (s === '' ? null : s))
    .nullable();

/** Free text that may be left blank: kept as typed, '' when blank. */
export const textOrBlank = (max = 200) => z.string().trim().max(max, `Must be ${max} characters or fewer`).default('');

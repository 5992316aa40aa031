import { z } from 'zod';

/** Schema pieces every capability's contract uses. */

export const idSchema = z.number().int().positive();

/** `{ id }`: what a delete or a simple save answers. */
export const idResultSchema = z.object({ id: idSchema });

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

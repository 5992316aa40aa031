import { z } from 'zod';
import './messages';

/** How every answer crosses the process boundary: a value or a typed error, never a thrown object. */
export const errorCodeSchema = z.enum([
  'invalid-input', // the request did not match the contract
  'not-found',
  'conflict', // the change would break a rule (e.g. deleting a role that has staff)
  'refused', // the file or database cannot be used (not SQLite, from a newer version...)
  'unknown-channel',
  'unauthorised',
  'internal',
]);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const apiErrorSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  /** Field-level problems as `path: message` lines, keyed by the dotted path (e.g. "assignments.0.hours"). */
  details: z.record(z.string(), z.string()).optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export interface ChannelDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  /** Plain-English summary, shown in the README's channel list and in errors. */
  summary: string;
}

export function channel<I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O,
  summary: string,
): ChannelDef<I, O> {
  return { input, output, summary };
}

/** Combines capability groups into one table, refusing a channel name that two groups both claim. */
export function combineChannels<T extends Record<string, ChannelDef>[]>(...groups: T): UnionToIntersection<T[number]> {
  const all: Record<string, ChannelDef> = {};
  for (const group of groups) {
    for (const [name, def] of Object.entries(group)) {
      if (name in all) throw new Error(`Channel ${name} is declared twice`);
      all[name] = def;
    }
  }
  return all as UnionToIntersection<T[number]>;
}

type UnionToIntersection<U> = (U extends unknown ? (k: U) => void : never) extends (k: infer I) => void ? I : never;

/** Turns zod issues into `path: message` pairs a form can show beside each field. */
export function issuesToDetails(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const details: Record<string, string> = {};
  for (const issue of issues) {
    const path = issue.path.map(String).join('.') || '(input)';
    if (!(path in details)) details[path] = issue.message;
  }
  return details;
}

/**
 * A file a service hands back for the user to save (exports, backups): name plus bytes as base64. Files going the
 * other way travel in chunks through the common upload (./upload.ts).
 */
export const fileSchema = z.object({
  fileName: z.string().min(1).max(255),
  mimeType: z.string().min(1),
  base64: z.string(),
});
export type FileData = z.infer<typeof fileSchema>;

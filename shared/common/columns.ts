/**
 * Which column of a file holds which field, whatever the file: guessed from header names (exact aliases first,
 * then keywords), or re-applied from a profile that names each field's header. The staff extract's rules
 * (shared/import/fields.ts) follow the same steps; the establishment report uses these directly.
 */

export type Mapping<F extends string> = Record<F, number | null>;

/** Headers compared without case, spaces or punctuation. */
export const normaliseHeader = (h: string): string => (h ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '');

export function emptyMapping<F extends string>(fields: readonly F[]): Mapping<F> {
  return Object.fromEntries(fields.map((f) => [f, null])) as Mapping<F>;
}

/** Guess each field's column; one column never serves two fields. */
export function guessColumns<F extends string>(
  fields: readonly F[],
  aliases: Record<F, readonly string[]>,
  keywords: readonly (readonly [F, readonly string[]])[],
  headers: readonly string[],
): Mapping<F> {
  const keys = headers.map(normaliseHeader);
  const mapping = emptyMapping(fields);
  const used = new Set<number>();
  const take = (field: F, index: number) => {
    mapping[field] = index;
    used.add(index);
  };
  for (const field of fields) {
    for (const alias of aliases[field]) {
      const index = keys.findIndex((k, i) => !used.has(i) && k === normaliseHeader(alias));
      if (index >= 0) {
        take(field, index);
        break;
      }
    }
  }
  for (const [field, words] of keywords) {
    if (mapping[field] !== null) continue;
    const index = keys.findIndex((k, i) => !used.has(i) && k !== '' && words.every((w) => k.includes(w)));
    if (index >= 0) take(field, index);
  }
  return mapping;
}

/** A profile's field -> header names applied to a file's headers; headers the file lacks are listed. */
export function applyColumns<F extends string>(
  fields: readonly F[],
  columns: Partial<Record<F, string | null>>,
  headers: readonly string[],
): { mapping: Mapping<F>; missingHeaders: string[] } {
  const keys = headers.map(normaliseHeader);
  const mapping = emptyMapping(fields);
  const missingHeaders: string[] = [];
  const used = new Set<number>();
  for (const field of fields) {
    const header = columns[field];
    if (!header) continue;
    const index = keys.findIndex((k, i) => !used.has(i) && k === normaliseHeader(header));
    if (index < 0) missingHeaders.push(header);
    else {
      mapping[field] = index;
      used.add(index);
    }
  }
  return { mapping, missingHeaders };
}

/** A mapping turned back into field -> header names, to save as a profile. */
export function columnsOf<F extends string>(
  fields: readonly F[],
  mapping: Partial<Record<F, number | null>>,
  headers: readonly string[],
): Partial<Record<F, string>> {
  const columns: Partial<Record<F, string>> = {};
  for (const field of fields) {
    const index = mapping[field];
    if (index !== null && index !== undefined && headers[index]) columns[field] = headers[index];
  }
  return columns;
}

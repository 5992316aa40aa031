import { EXACT_MARKING, type ReturnContent, type ReturnVersionKind } from '../../../shared/returns/channels';

/**
 * The two versions of one return, from its content (exact values, each cell with the status protection gave it):
 * - publication: hidden cells lose their value (null), their status says why;
 * - exact (the ICS data-sharing version): every value, every cell marked exact (not-applicable stays), and the
 *   OFFICIAL-SENSITIVE marking.
 */
export function versionOf(content: ReturnContent, version: ReturnVersionKind): ReturnContent {
  if (version === 'exact')
    return {
      ...content,
      version: 'exact',
      marking: EXACT_MARKING,
      tables: content.tables.map((t) => ({
        ...t,
        cells: t.cells.map((c) => (c.status === 'not-applicable' ? c : { ...c, status: 'exact' as const })),
      })),
    };
  return {
    ...content,
    version: 'publication',
    marking: null,
    tables: content.tables.map((t) => ({
      ...t,
      cells: t.cells.map((c) => (c.status === 'exact' ? c : { ...c, value: null })),
    })),
  };
}

import type { CellStatus } from '../../../shared/returns/channels';

export const HIDDEN_REASON = { 'suppressed-secondary': 'hidden so the others cannot be worked out' } as const;

/**
 * A hidden cell: "[c]" on screen with a letter saying why (never colour alone), a tooltip, and the full reason
 * for screen readers instead of the abbreviations.
 */
export function HiddenMark({ status, threshold }: { status: CellStatus; threshold: number }) {
  if (status === 'exact') return null;
  if (status === 'not-applicable')
    return (
      <span className="return-cell return-cell--na" title="Not applicable">
        <span aria-hidden="true">-</span>
        <span className="visually-hidden">not applicable</span>
      </span>
    );
  const primary = status === 'suppressed-primary';
  const reason = `hidden: ${primary ? rangeText(threshold) : HIDDEN_REASON['suppressed-secondary']}`;
  return (
    <span
      className={`return-cell return-cell--${primary ? 'primary' : 'secondary'}`}
      title={reason}
      data-status={status}
    >
      <span aria-hidden="true">
        [c]<sup>{primary ? 'P' : 'S'}</sup>
      </span>
      <span className="visually-hidden">{reason}</span>
    </span>
  );
}

export const rangeText = (threshold: number) => `1 to ${threshold}`;

/** The key to the hidden cells, shown above every set of return tables. */
export function HiddenLegend({ threshold, exact }: { threshold: number; exact: boolean }) {
  if (exact)
    return (
      <p className="hint" data-testid="hidden-legend">
        This version shows every figure exactly: no cells are hidden.
      </p>
    );
  return (
    <div className="return-legend" data-testid="hidden-legend">
      <h3 className="return-legend__title">How hidden cells are shown</h3>
      <dl>
        <div>
          <dt>
            <span className="return-cell return-cell--primary" aria-hidden="true">
              [c]<sup>P</sup>
            </span>
            <span className="visually-hidden">[c] marked P</span>
          </dt>
          <dd>
            Hidden because the count is {rangeText(threshold)} people (primary). Figures worked out from such a count,
            such as FTE or a rate, are hidden with it.
          </dd>
        </div>
        <div>
          <dt>
            <span className="return-cell return-cell--secondary" aria-hidden="true">
              [c]<sup>S</sup>
            </span>
            <span className="visually-hidden">[c] marked S</span>
          </dt>
          <dd>Hidden so the others cannot be worked out from the totals that are published (secondary).</dd>
        </div>
        <div>
          <dt>0</dt>
          <dd>No one: zero is always shown.</dd>
        </div>
      </dl>
    </div>
  );
}

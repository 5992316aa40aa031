import type { ReturnStatus, ReturnSummary, MeasureUnit } from '../../../shared/returns/channels';
import { formatPence } from '../../../shared/common/money';

export const STATUS_LABELS: Record<ReturnStatus, string> = {
  draft: 'Draft',
  checked: 'Checked',
  'signed-off': 'Signed off',
  sent: 'Sent',
};

/** A return's state in words, with "superseded" when a correction has replaced it. */
export function statusText(r: Pick<ReturnSummary, 'status' | 'supersededById'>): string {
  return r.supersededById ? `${STATUS_LABELS[r.status]} (superseded)` : STATUS_LABELS[r.status];
}

/** The first 12 hex digits: enough to tell returns apart in a list. */
export const shortHash = (hash: string) => hash.slice(0, 12);

/** A hash in a list: its first 12 characters, opening to the whole of it (by keyboard too, unlike a tooltip). */
export function HashDisclosure({ hash }: { hash: string }) {
  return (
    <details className="hash-disclosure">
      <summary>
        <span className="mono">{shortHash(hash)}</span>
        <span className="visually-hidden"> (show the whole hash)</span>
      </summary>
      <span className="return-hash">{hash}</span>
    </details>
  );
}

/** A figure of a return in its unit: counts whole, FTE to 2 places, percentages to 1, money in pounds. */
export function formatFigure(value: number, unit: MeasureUnit): string {
  switch (unit) {
    case 'count':
      return value.toLocaleString('en-GB');
    case 'fte':
      return value.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    case 'percent':
      return `${value.toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`;
    case 'pence':
      return formatPence(value);
  }
}

export const versionLabel = (r: Pick<ReturnSummary, 'period' | 'version'>) => `${r.period} version ${r.version}`;

import { useState, type ReactNode } from 'react';
import { api, saveFile } from '../api';
import { Notice } from './forms';
import { useMessage } from './message';
import type { GapStatus } from '../../shared/training/education';
import { framework2021, type StageId } from '../../shared/framework/index';
import { GAP_STATUS_LABELS } from '../../shared/framework/labels';

/** Stage names come from the framework data (an imported version keeps the stages of the one it replaced). */
export const STAGES = framework2021.stages;
export function stageName(stage: StageId | null | undefined): string {
  if (!stage) return 'Not mapped';
  return STAGES.find((s) => s.id === stage)?.name ?? stage;
}
export function stageShort(stage: StageId | null | undefined): string {
  if (!stage) return 'Not mapped';
  return stageName(stage).replace(/\s*\(.*\)$/, '');
}

export function StatusTag({ status }: { status: GapStatus }) {
  return <span className={`tag fw-status fw-status--${status}`}>{GAP_STATUS_LABELS[status]}</span>;
}

export function ProvenanceTag({ provenance }: { provenance: 'confirmed' | 'provisional' }) {
  return provenance === 'provisional' ? (
    <span
      className="tag fw-provisional"
      title="Not confirmed from a public source: check it against the published framework"
    >
      provisional
    </span>
  ) : null;
}

/** "Download XLSX" and "Download CSV" for one of the framework exports. */
export function ExportButtons({ what, label }: { what: 'role-map' | 'gaps' | 'tna'; label: string }) {
  const { setMessage, notice } = useMessage();
  const [busy, setBusy] = useState(false);
  const download = async (format: 'xlsx' | 'csv') => {
    setBusy(true);
    const result =
      what === 'role-map'
        ? await api('framework/export', { what, format })
        : await api('training/export', { what, format });
    setBusy(false);
    if (!result.ok) return setMessage({ kind: 'warning', text: result.error.message });
    await saveFile(result.value);
    setMessage({ kind: 'success', text: `${result.value.fileName} created.` });
  };
  return (
    <div className="fw-export">
      <div className="button-group">
        <button type="button" className="button button--secondary" disabled={busy} onClick={() => download('xlsx')}>
          Download {label} (Excel)
        </button>
        <button type="button" className="button button--secondary" disabled={busy} onClick={() => download('csv')}>
          Download {label} (CSV)
        </button>
      </div>
      {notice}
    </div>
  );
}

export function Loading({ error, children }: { error: string | undefined; children?: ReactNode }) {
  if (error) return <Notice kind="warning">{error}</Notice>;
  return <p>{children ?? 'Loading…'}</p>;
}

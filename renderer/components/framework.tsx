import type { ReactNode } from 'react';
import { api } from '../api';
import { DownloadButtons } from './DownloadButtons';
import { Notice } from './forms';
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
  return (
    <DownloadButtons
      className="fw-export"
      label={label}
      produce={(format) =>
        what === 'role-map' ? api('framework/export', { what, format }) : api('training/export', { what, format })
      }
    />
  );
}

export function Loading({ error, children }: { error: string | undefined; children?: ReactNode }) {
  if (error) return <Notice kind="warning">{error}</Notice>;
  return <p>{children ?? 'Loading…'}</p>;
}

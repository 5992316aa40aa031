import { useEffect, useRef, useState } from 'react';
import { api, saveFile, uploadFile, useApi } from '../../api';
import { FileDrop, type FileDropProgress } from '../../components/FileDrop';
import { LabelledField, Notice } from '../../components/forms';
import { useMessage } from '../../components/message';
import { DataTable } from '../../components/DataTable';
import { IssueList } from '../../components/IssueList';
import { formatDateTime } from '../../components/format';
import type { ImportPreview } from '../../../shared/framework/channels';
import type { Descriptor } from '../../../shared/framework/index';
import {
  careerFrameworkLevelLabel,
  missingDescriptorsMessage,
  rqfQualificationLabel,
} from '../../../shared/framework/labels';
import { EDUCATION_REQUIREMENTS } from '../../../shared/training/education';
import { Loading, ProvenanceTag, stageName } from '../../components/framework';

function DescriptorTable({ caption, rows }: { caption: string; rows: Descriptor[] }) {
  if (rows.length === 0) return null;
  return (
    <DataTable
      caption={caption}
      columns={[
        { id: 'item', header: 'Item', cell: (d) => d.item },
        { id: 'stage', header: 'Stage', cell: (d) => stageName(d.stage) },
        { id: 'text', header: 'Text', cell: (d) => d.text },
      ]}
      rows={rows}
      rowKey={(d) => `${d.item}-${d.stage}`}
    />
  );
}

function ImportPanel({ onAdopted }: { onAdopted: (message: string) => void }) {
  /** The template sent through the common upload; it stays there for the check and the adoption. */
  const [file, setFile] = useState<{ uploadId: string; fileName: string }>();
  const [sending, setSending] = useState<{ fileName: string; progress: FileDropProgress | null }>();
  const uploaded = useRef<string | null>(null);
  const [mode, setMode] = useState<'merge' | 'replace'>('merge');
  const [version, setVersion] = useState('');
  const [preview, setPreview] = useState<ImportPreview>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const input = (uploadId: string) => ({ uploadId, mode, ...(version.trim() ? { version: version.trim() } : {}) });

  // A template left unadopted when the panel closes is deleted now, not at the idle sweep.
  useEffect(
    () => () => {
      if (uploaded.current) void api('upload/discard', { uploadId: uploaded.current });
    },
    [],
  );

  const pick = async (picked: File) => {
    if (uploaded.current) void api('upload/discard', { uploadId: uploaded.current });
    uploaded.current = null;
    setFile(undefined);
    setPreview(undefined);
    setError(undefined);
    setBusy(true);
    setSending({ fileName: picked.name, progress: { sentBytes: 0, totalBytes: picked.size } });
    const sent = await uploadFile(picked, 'descriptors', (sentBytes, totalBytes) =>
      setSending({ fileName: picked.name, progress: { sentBytes, totalBytes } }),
    );
    setSending(sent.ok ? { fileName: picked.name, progress: null } : undefined);
    setBusy(false);
    if (!sent.ok) return setError(sent.error.message);
    uploaded.current = sent.value.uploadId;
    setFile({ uploadId: sent.value.uploadId, fileName: picked.name });
  };

  const check = async () => {
    if (!file) return setError('Choose the filled template first.');
    setBusy(true);
    setError(undefined);
    const r = await api('framework/import-preview', input(file.uploadId));
    setBusy(false);
    if (!r.ok) {
      setPreview(undefined);
      return setError(
        [r.error.message, ...Object.entries(r.error.details ?? {}).map(([k, v]) => `${k}: ${v}`)].join(' '),
      );
    }
    setPreview(r.value);
  };
  const adopt = async () => {
    if (!file || !preview?.ok) return;
    setBusy(true);
    const r = await api('framework/import-adopt', { ...input(file.uploadId), base: preview.base });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    uploaded.current = null;
    setPreview(undefined);
    setFile(undefined);
    setSending(undefined);
    onAdopted(
      `Framework version ${r.value.version} is now current. ${preview.base} is retired; mappings made against it keep it and are flagged.`,
    );
  };

  return (
    <div className="panel">
      <h3>Import the full descriptor text</h3>
      <ol>
        <li>Download the template (one row per domain, item and stage).</li>
        <li>
          Copy the text from the published framework into the text column. Write n/a where a stage does not apply.
        </li>
        <li>Check the file here, review the differences, and adopt it as a new version.</li>
      </ol>
      <FileDrop
        id="import-file"
        label="Filled template (CSV or Excel)"
        accept=".csv,.xlsx"
        disabled={busy}
        onFile={(f) => void pick(f)}
        fileName={sending?.fileName ?? null}
        progress={sending?.progress ?? null}
      />
      <div className="field-row">
        <LabelledField htmlFor="import-mode" label="What the file holds" width="medium">
          <select
            id="import-mode"
            className="select"
            value={mode}
            onChange={(e) => setMode(e.target.value as 'merge' | 'replace')}
          >
            <option value="merge">Some items: replace those, keep the rest</option>
            <option value="replace">Every item: the file is the whole framework</option>
          </select>
        </LabelledField>
        <LabelledField htmlFor="import-version" label="New version label (optional)" width="medium">
          <input
            id="import-version"
            className="input"
            type="text"
            value={version}
            placeholder="e.g. hee-2021.2"
            onChange={(e) => setVersion(e.target.value)}
          />
        </LabelledField>
      </div>
      <button type="button" className="button button--secondary" disabled={busy || !file} onClick={check}>
        Check the file
      </button>
      {error && <Notice kind="warning">{error}</Notice>}
      {preview && !preview.ok && (
        <div className="error-summary" role="alert" data-testid="import-problems">
          <h2 className="error-summary__title">The file cannot be used: nothing has been changed</h2>
          <IssueList
            caption="Problems"
            lineHeader="Rows"
            issues={preview.problems.map((p) => ({ line: p.rows, message: p.message }))}
          />
        </div>
      )}
      {preview?.ok && (
        <div data-testid="import-diff">
          <Notice kind="info">
            Checked against {preview.base}. Adopting makes <strong>{preview.newVersion}</strong> current:{' '}
            {preview.added.length} descriptor(s) added, {preview.changed.length} changed, {preview.removed.length}{' '}
            removed.
            {preview.skippedBlankItems.length > 0 && ` Blank items skipped: ${preview.skippedBlankItems.join(', ')}.`}
          </Notice>
          <DescriptorTable caption="Added" rows={preview.added} />
          {preview.changed.length > 0 && (
            <DataTable
              caption="Changed"
              columns={[
                { id: 'item', header: 'Item', cell: (c) => c.after.item },
                { id: 'stage', header: 'Stage', cell: (c) => stageName(c.after.stage) },
                { id: 'before', header: 'Before', cell: (c) => c.before.text },
                { id: 'after', header: 'After', cell: (c) => c.after.text },
              ]}
              rows={preview.changed}
              rowKey={(c) => `${c.after.item}-${c.after.stage}`}
            />
          )}
          <DescriptorTable caption="Removed" rows={preview.removed} />
          <button type="button" className="button" disabled={busy} onClick={adopt}>
            Adopt as version {preview.newVersion}
          </button>
        </div>
      )}
    </div>
  );
}

export function VersionsView() {
  const overview = useApi('framework/overview', {});
  const { setMessage, notice } = useMessage();
  if (!overview.data) return <Loading error={overview.error} />;
  const { current, versions, overlays } = overview.data;
  const missing = missingDescriptorsMessage(current);

  const template = async (format: 'xlsx' | 'csv') => {
    const r = await api('framework/template', { format });
    if (r.ok) await saveFile(r.value);
    else setMessage({ kind: 'warning', text: r.error.message });
  };

  return (
    <section aria-labelledby="versions-title">
      <h2 id="versions-title">The framework</h2>
      <p className="lede">{current.title}</p>
      <p className="hint">
        Version <strong>{current.version}</strong>. {current.source}
      </p>
      {notice}
      <DataTable
        caption="Stages"
        columns={[
          { id: 'name', header: 'Stage', cell: (st) => st.name },
          { id: 'level', header: 'Career framework level', cell: (st) => careerFrameworkLevelLabel(st.id) },
          {
            id: 'education',
            header: 'Education asked for (Domain 1)',
            cell: (st) => rqfQualificationLabel(EDUCATION_REQUIREMENTS[st.id].rqfLevel),
          },
          {
            id: 'band',
            header: 'Typical band (guidance only)',
            cell: (st) => (
              <>
                Band {st.typicalBand} <ProvenanceTag provenance={st.typicalBandProvenance} />
              </>
            ),
          },
          { id: 'supervision', header: 'Supervision', cell: (st) => st.supervision },
        ]}
        rows={current.stages}
        rowKey={(st) => st.id}
      />
      {missing && (
        <Notice kind="info">
          <span data-testid="descriptors-missing">{missing}</span>
        </Notice>
      )}
      <DataTable
        caption="Domains and descriptors"
        columns={[
          {
            id: 'domain',
            header: 'Domain',
            cell: (d) => (
              <>
                {d.number}. {d.name} <ProvenanceTag provenance={d.provenance} />
              </>
            ),
          },
          {
            id: 'descriptors',
            header: 'Descriptors',
            numeric: true,
            cell: (d) => current.descriptors.filter((x) => x.domain === d.number).length,
          },
        ]}
        rows={current.domains}
        rowKey={(d) => d.number}
      />

      <h2>Versions</h2>
      <DataTable
        caption="Framework versions in this database"
        testId="versions"
        columns={[
          { id: 'version', header: 'Version', cell: (v) => v.version },
          {
            id: 'status',
            header: 'Status',
            cell: (v) =>
              v.status === 'current' ? (
                <strong>Current</strong>
              ) : (
                `Retired ${v.retiredAt ? formatDateTime(v.retiredAt) : ''}`
              ),
          },
          { id: 'origin', header: 'Where it came from', cell: (v) => v.origin },
          { id: 'adopted', header: 'Adopted', cell: (v) => `${formatDateTime(v.adoptedAt)} by ${v.adoptedBy}` },
          { id: 'descriptors', header: 'Descriptors', numeric: true, cell: (v) => v.descriptorCount },
          { id: 'provisional', header: 'Provisional', numeric: true, cell: (v) => v.provisionalCount },
          { id: 'mappings', header: 'Mappings', numeric: true, cell: (v) => v.mappingCount },
        ]}
        rows={versions}
        rowKey={(v) => v.version}
      />
      <div className="button-group">
        <button type="button" className="button button--secondary" onClick={() => template('xlsx')}>
          Download the descriptor template (Excel)
        </button>
        <button type="button" className="button button--secondary" onClick={() => template('csv')}>
          Download the descriptor template (CSV)
        </button>
      </div>
      <ImportPanel
        onAdopted={(text) => {
          setMessage({ kind: 'success', text });
          overview.reload();
        }}
      />

      <h2>Profession overlays</h2>
      {overlays.map((o) => (
        <div key={o.id} className="panel">
          <h3>
            {o.title} <ProvenanceTag provenance={o.provenance} />
          </h3>
          <p className="hint">
            Version {o.version}, over {o.baseFramework}. {o.source}
          </p>
          <DataTable
            caption="Roles in the overlay"
            columns={[
              {
                id: 'role',
                header: 'Role',
                cell: (r) => (
                  <>
                    {r.name} <ProvenanceTag provenance={r.provenance} />
                  </>
                ),
              },
              { id: 'stage', header: 'Framework stage', cell: (r) => stageName(r.stage) },
              { id: 'band', header: 'Typical band', cell: (r) => (r.typicalBand ? `Band ${r.typicalBand}` : '') },
            ]}
            rows={o.roles}
            rowKey={(r) => r.id}
          />
        </div>
      ))}
    </section>
  );
}

import { useState } from 'react';
import { api, readPickedFile, saveFile, useApi } from '../../api';
import { LabelledField, Notice } from '../../components/forms';
import { useMessage } from '../../components/message';
import { formatDateTime } from '../../components/format';
import type { FileData } from '../../../shared/common/api';
import type { ImportPreview } from '../../../shared/framework/channels';
import type { Descriptor } from '../../../shared/framework/index';
import { Loading, ProvenanceTag, stageName } from '../../components/framework';

function DescriptorTable({ caption, rows }: { caption: string; rows: Descriptor[] }) {
  if (rows.length === 0) return null;
  return (
    <table className="table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col">Stage</th>
          <th scope="col">Text</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((d) => (
          <tr key={`${d.item}-${d.stage}`}>
            <td>{d.item}</td>
            <td>{stageName(d.stage)}</td>
            <td>{d.text}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ImportPanel({ onAdopted }: { onAdopted: (message: string) => void }) {
  const [file, setFile] = useState<FileData>();
  const [mode, setMode] = useState<'merge' | 'replace'>('merge');
  const [version, setVersion] = useState('');
  const [preview, setPreview] = useState<ImportPreview>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const input = () => ({ file: file!, mode, ...(version.trim() ? { version: version.trim() } : {}) });

  const check = async () => {
    if (!file) return setError('Choose the filled template first.');
    setBusy(true);
    setError(undefined);
    const r = await api('framework/import-preview', input());
    setBusy(false);
    if (!r.ok) {
      setPreview(undefined);
      return setError([r.error.message, ...Object.entries(r.error.details ?? {}).map(([k, v]) => `${k}: ${v}`)].join(' '));
    }
    setPreview(r.value);
  };
  const adopt = async () => {
    if (!file || !preview?.ok) return;
    setBusy(true);
    const r = await api('framework/import-adopt', { ...input(), base: preview.base });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setPreview(undefined);
    setFile(undefined);
    onAdopted(`Framework version ${r.value.version} is now current. ${preview.base} is retired; mappings made against it keep it and are flagged.`);
  };

  return (
    <div className="panel">
      <h3>Import the full descriptor text</h3>
      <ol>
        <li>Download the template (one row per domain, item and stage).</li>
        <li>Copy the text from the published framework into the text column. Write n/a where a stage does not apply.</li>
        <li>Check the file here, review the differences, and adopt it as a new version.</li>
      </ol>
      <LabelledField htmlFor="import-file" label="Filled template (CSV or Excel)">
        <input
          id="import-file"
          className="file-input"
          type="file"
          accept=".csv,.xlsx"
          onChange={async (e) => {
            const picked = e.target.files?.[0];
            setPreview(undefined);
            setFile(picked ? await readPickedFile(picked) : undefined);
          }}
        />
      </LabelledField>
      <div className="field-row">
        <LabelledField htmlFor="import-mode" label="What the file holds" width="medium">
          <select id="import-mode" className="select" value={mode} onChange={(e) => setMode(e.target.value as 'merge' | 'replace')}>
            <option value="merge">Some items: replace those, keep the rest</option>
            <option value="replace">Every item: the file is the whole framework</option>
          </select>
        </LabelledField>
        <LabelledField htmlFor="import-version" label="New version label (optional)" width="medium">
          <input id="import-version" className="input" type="text" value={version} placeholder="e.g. hee-2021.2" onChange={(e) => setVersion(e.target.value)} />
        </LabelledField>
      </div>
      <button type="button" className="button button--secondary" disabled={busy || !file} onClick={check}>
        Check the file
      </button>
      {error && <Notice kind="warning">{error}</Notice>}
      {preview && !preview.ok && (
        <div className="error-summary" role="alert" data-testid="import-problems">
          <h2 className="error-summary__title">The file cannot be used: nothing has been changed</h2>
          <ul>
            {preview.problems.map((p, i) => (
              <li key={i}>
                {p.rows.length ? `Row ${p.rows.join(', ')}: ` : ''}
                {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {preview?.ok && (
        <div data-testid="import-diff">
          <Notice kind="info">
            Checked against {preview.base}. Adopting makes <strong>{preview.newVersion}</strong> current: {preview.added.length} descriptor(s) added,{' '}
            {preview.changed.length} changed, {preview.removed.length} removed.
            {preview.skippedBlankItems.length > 0 && ` Blank items skipped: ${preview.skippedBlankItems.join(', ')}.`}
          </Notice>
          <DescriptorTable caption="Added" rows={preview.added} />
          {preview.changed.length > 0 && (
            <table className="table">
              <caption>Changed</caption>
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">Stage</th>
                  <th scope="col">Before</th>
                  <th scope="col">After</th>
                </tr>
              </thead>
              <tbody>
                {preview.changed.map((c) => (
                  <tr key={`${c.after.item}-${c.after.stage}`}>
                    <td>{c.after.item}</td>
                    <td>{stageName(c.after.stage)}</td>
                    <td>{c.before.text}</td>
                    <td>{c.after.text}</td>
                  </tr>
                ))}
              </tbody>
            </table>
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
      <table className="table">
        <caption>Stages</caption>
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col">Local label</th>
            <th scope="col">Typical band (guidance only)</th>
            <th scope="col">Supervision</th>
          </tr>
        </thead>
        <tbody>
          {current.stages.map((s) => (
            <tr key={s.id}>
              <td>{s.name}</td>
              <td>{s.localLabel}</td>
              <td>
                Band {s.typicalBand} <ProvenanceTag provenance={s.typicalBandProvenance} />
              </td>
              <td>{s.supervision}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="table">
        <caption>Domains and descriptors</caption>
        <thead>
          <tr>
            <th scope="col">Domain</th>
            <th scope="col" className="num">
              Descriptors
            </th>
          </tr>
        </thead>
        <tbody>
          {current.domains.map((d) => (
            <tr key={d.number}>
              <td>
                {d.number}. {d.name} <ProvenanceTag provenance={d.provenance} />
              </td>
              <td className="num">{current.descriptors.filter((x) => x.domain === d.number).length}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Versions</h2>
      <table className="table" data-testid="versions">
        <caption>Framework versions in this database</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Status</th>
            <th scope="col">Where it came from</th>
            <th scope="col">Adopted</th>
            <th scope="col" className="num">
              Descriptors
            </th>
            <th scope="col" className="num">
              Provisional
            </th>
            <th scope="col" className="num">
              Mappings
            </th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version}>
              <td>{v.version}</td>
              <td>{v.status === 'current' ? <strong>Current</strong> : `Retired ${v.retiredAt ? formatDateTime(v.retiredAt) : ''}`}</td>
              <td>{v.origin}</td>
              <td>
                {formatDateTime(v.adoptedAt)} by {v.adoptedBy}
              </td>
              <td className="num">{v.descriptorCount}</td>
              <td className="num">{v.provisionalCount}</td>
              <td className="num">{v.mappingCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
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
          <table className="table">
            <caption>Roles in the overlay</caption>
            <thead>
              <tr>
                <th scope="col">Role</th>
                <th scope="col">Framework stage</th>
                <th scope="col">Typical band</th>
              </tr>
            </thead>
            <tbody>
              {o.roles.map((r) => (
                <tr key={r.id}>
                  <td>
                    {r.name} <ProvenanceTag provenance={r.provenance} />
                  </td>
                  <td>{stageName(r.stage)}</td>
                  <td>{r.typicalBand ? `Band ${r.typicalBand}` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}

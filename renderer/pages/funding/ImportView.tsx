import { useEffect, useRef, useState } from 'react';
import { api, uploadFile, useApi } from '../../api';
import { FileDrop, type FileDropProgress } from '../../components/FileDrop';
import { LabelledField, Notice } from '../../components/forms';
import { formatDate } from '../../components/format';
import { Stat, StatCards } from '../../components/stats';
import { DataTable } from '../../components/DataTable';
import { IssueList } from '../../components/IssueList';
import {
  LEDGER_FIELD_LABELS,
  LEDGER_FIELDS,
  type LedgerMappingInput,
  type LedgerPreview,
} from '../../../shared/funding/ledger-import';
import { Money, money } from './common';

type Mapping = LedgerPreview['mapping'];

export function ImportView({ year }: { year: string }) {
  const streams = useApi('funding/streams', { financialYear: year });
  const profiles = useApi('funding/import-profiles', {});
  /** The ledger sent through the common upload; it stays there for the preview and the import. */
  const [file, setFile] = useState<{ uploadId: string; fileName: string }>();
  const [sending, setSending] = useState<{ fileName: string; progress: FileDropProgress | null }>();
  const uploaded = useRef<string | null>(null);
  const [kind, setKind] = useState<'actual' | 'commitment'>('actual');
  const [streamId, setStreamId] = useState('');
  const [mapping, setMapping] = useState<Mapping | null>(null);
  const [preview, setPreview] = useState<LedgerPreview>();
  const [problem, setProblem] = useState<{ message: string; details?: Record<string, string> }>();
  const [done, setDone] = useState<string>();
  const [profileName, setProfileName] = useState('');
  const [busy, setBusy] = useState(false);

  // A ledger left unimported when the page closes is deleted now, not at the idle sweep.
  useEffect(
    () => () => {
      if (uploaded.current) void api('upload/discard', { uploadId: uploaded.current });
    },
    [],
  );

  const check = async (f: { uploadId: string }, m: Mapping | null) => {
    setBusy(true);
    setProblem(undefined);
    setDone(undefined);
    const result = await api('funding/import-preview', {
      uploadId: f.uploadId,
      kind,
      streamId: streamId ? Number(streamId) : null,
      mapping: m as LedgerMappingInput | null,
    });
    setBusy(false);
    if (!result.ok) {
      setPreview(undefined);
      setProblem({ message: result.error.message, details: result.error.details });
      return;
    }
    setPreview(result.value);
    setMapping(result.value.mapping);
  };

  const pick = async (picked: File) => {
    if (uploaded.current) void api('upload/discard', { uploadId: uploaded.current });
    uploaded.current = null;
    setFile(undefined);
    setPreview(undefined);
    setProblem(undefined);
    setBusy(true);
    setSending({ fileName: picked.name, progress: { sentBytes: 0, totalBytes: picked.size } });
    const sent = await uploadFile(picked, 'ledger', (sentBytes, totalBytes) =>
      setSending({ fileName: picked.name, progress: { sentBytes, totalBytes } }),
    );
    setSending(sent.ok ? { fileName: picked.name, progress: null } : undefined);
    if (!sent.ok) {
      setBusy(false);
      setProblem({ message: sent.error.message, details: sent.error.details });
      return;
    }
    uploaded.current = sent.value.uploadId;
    const data = { uploadId: sent.value.uploadId, fileName: picked.name };
    setFile(data);
    setMapping(null);
    await check(data, null);
  };

  const commit = async () => {
    if (!file || !preview) return;
    setBusy(true);
    const result = await api('funding/import-commit', {
      uploadId: file.uploadId,
      kind,
      streamId: streamId ? Number(streamId) : null,
      mapping: mapping as LedgerMappingInput | null,
      saveProfileAs: profileName.trim() || null,
    });
    setBusy(false);
    if (!result.ok) {
      // The file was read and deleted (it is never kept): a new try starts from choosing it again.
      uploaded.current = null;
      setPreview(undefined);
      setFile(undefined);
      setSending(undefined);
      setProblem({ message: result.error.message, details: result.error.details });
      return;
    }
    const r = result.value;
    setDone(
      `Imported ${r.rowCount.toLocaleString('en-GB')} rows from ${file.fileName} (${money(r.totalPence)}): ${r.matchedCount.toLocaleString('en-GB')} matched to plan lines, ${r.unmatchedCount.toLocaleString('en-GB')} to review.`,
    );
    uploaded.current = null;
    setPreview(undefined);
    setFile(undefined);
    setSending(undefined);
    profiles.reload();
  };

  const headers = preview?.headers ?? [];
  return (
    <section aria-labelledby="import-title">
      <h2 id="import-title">Import a ledger file</h2>
      <p>
        Export your finance ledger (actuals, or open commitments) as CSV or Excel with a date, cost centre, account
        (subjective) code, description and amount, or separate debit and credit columns. Amounts like{' '}
        <code>£1,234.56</code>, <code>(1,234.56)</code>, <code>1234.56 CR</code> and <code>1.234,56</code> are read; a
        credit or reversal is a negative amount. Nothing is saved until you import, and then every row is saved or none.
      </p>
      {done && (
        <Notice kind="success">
          {done} <a href="#/funding/ledger">Review the entries</a>
        </Notice>
      )}
      <div className="field-row">
        <LabelledField htmlFor="import-kind" label="The file holds" width="short">
          <select
            id="import-kind"
            className="select"
            value={kind}
            onChange={(e) => setKind(e.target.value as 'actual' | 'commitment')}
          >
            <option value="actual">Actuals (money spent)</option>
            <option value="commitment">Commitments (orders not yet paid)</option>
          </select>
        </LabelledField>
        <LabelledField htmlFor="import-stream" label="Funding stream" width="medium">
          <select id="import-stream" className="select" value={streamId} onChange={(e) => setStreamId(e.target.value)}>
            <option value="">Any stream (rows must fall in a stream's year)</option>
            {streams.data?.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </LabelledField>
        {profiles.data && profiles.data.length > 0 && (
          <LabelledField htmlFor="import-profile" label="Saved column mapping" width="medium">
            <select
              id="import-profile"
              className="select"
              defaultValue=""
              onChange={(e) => {
                const p = profiles.data?.find((x) => String(x.id) === e.target.value);
                if (p) {
                  setMapping(p.mapping);
                  setProfileName(p.name);
                  if (file) void check(file, p.mapping);
                }
              }}
            >
              <option value="">Guess from the headers</option>
              {profiles.data.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </LabelledField>
        )}
      </div>
      <FileDrop
        id="ledger-file"
        label="Ledger file (CSV or Excel .xlsx)"
        accept=".csv,.txt,.xlsx"
        disabled={busy}
        onFile={(f) => void pick(f)}
        fileName={sending?.fileName ?? null}
        progress={sending?.progress ?? null}
      />
      {busy && <p role="status">Reading the file…</p>}
      {problem && (
        <div className="error-summary" role="alert">
          <h2 className="error-summary__title">There is a problem</h2>
          <p>{problem.message}</p>
          {problem.details && (
            <ul>
              {Object.entries(problem.details).map(([k, v]) => (
                <li key={k}>
                  {k}: {v}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}

      {preview && mapping && (
        <>
          <fieldset className="fieldset">
            <legend>Columns in {preview.fileName}</legend>
            <p className="hint">
              {preview.mappingGuessed ? 'Guessed from the column headers: check each one.' : 'As you chose.'}{' '}
              {preview.dateOrderNote}
            </p>
            <div className="funding-mapping">
              {LEDGER_FIELDS.map((f) => (
                <LabelledField key={f} htmlFor={`map-${f}`} label={LEDGER_FIELD_LABELS[f]}>
                  <select
                    id={`map-${f}`}
                    className="select"
                    value={mapping[f] ?? ''}
                    onChange={(e) =>
                      setMapping((m) =>
                        m ? { ...m, [f]: e.target.value === '' ? (f === 'date' ? '' : null) : e.target.value } : m,
                      )
                    }
                  >
                    <option value="">{f === 'date' ? 'Choose a column' : 'Not in this file'}</option>
                    {headers.map((h) => (
                      <option key={h} value={h}>
                        {h}
                      </option>
                    ))}
                  </select>
                </LabelledField>
              ))}
              <LabelledField htmlFor="map-dateOrder" label="Dates are written">
                <select
                  id="map-dateOrder"
                  className="select"
                  value={mapping.dateOrder}
                  onChange={(e) =>
                    setMapping((m) => (m ? { ...m, dateOrder: e.target.value as Mapping['dateOrder'] } : m))
                  }
                >
                  <option value="dmy">dd/mm/yyyy (UK)</option>
                  <option value="mdy">mm/dd/yyyy (US)</option>
                  <option value="ymd">yyyy-mm-dd</option>
                </select>
              </LabelledField>
            </div>
            <button type="button" className="button button--secondary" onClick={() => file && check(file, mapping)}>
              Check again with these columns
            </button>
          </fieldset>

          <StatCards label="What the import would do">
            <Stat label="Rows" testId="import-rows">
              {preview.rowCount.toLocaleString('en-GB')}
            </Stat>
            <Stat label="Rows with errors" testId="import-errors">
              {preview.errorCount.toLocaleString('en-GB')}
            </Stat>
            <Stat label="Matched to plan lines" testId="import-matched">
              {preview.matchedCount.toLocaleString('en-GB')}
            </Stat>
            <Stat label="To review" testId="import-unmatched">
              {preview.unmatchedCount.toLocaleString('en-GB')}
            </Stat>
            <Stat label={<>Total (credits: {preview.creditCount})</>} className="funding-stat--small">
              {money(preview.totalPence)}
            </Stat>
          </StatCards>
          {preview.duplicateOf && (
            <Notice kind="warning">
              This file was already imported on {formatDate(preview.duplicateOf.importedAt.slice(0, 10))} as{' '}
              {preview.duplicateOf.fileName}. Remove that import on the Actuals tab before importing it again.
            </Notice>
          )}
          <IssueList
            caption="Rows that cannot be imported"
            label="Rows that cannot be imported"
            issues={preview.errors}
            total={preview.errorCount}
          />
          {preview.errorCount > 0 ? (
            <Notice kind="warning">
              Nothing can be imported until every row can be read. Fix the rows above in the file (or change the column
              choices) and choose it again.
            </Notice>
          ) : (
            !preview.duplicateOf && (
              <div className="funding-row">
                <LabelledField htmlFor="profile-name" label="Save these columns as (optional)" width="medium">
                  <input
                    id="profile-name"
                    className="input"
                    type="text"
                    value={profileName}
                    onChange={(e) => setProfileName(e.target.value)}
                  />
                </LabelledField>
                <button type="button" className="button" onClick={commit} disabled={busy}>
                  Import {preview.rowCount.toLocaleString('en-GB')} rows
                </button>
              </div>
            )
          )}
          <DataTable
            caption={`First ${preview.sample.length} rows as they would be saved`}
            label="Preview of the rows"
            scroll="funding-scroll"
            columns={[
              { id: 'line', header: 'Line', numeric: true, cell: (r) => r.line },
              { id: 'date', header: 'Date', cell: (r) => (r.date ? formatDate(r.date) : '') },
              { id: 'costCentre', header: 'Cost centre', cell: (r) => r.costCentre },
              { id: 'account', header: 'Account', cell: (r) => r.accountCode },
              { id: 'description', header: 'Description', cell: (r) => r.description },
              {
                id: 'amount',
                header: 'Amount',
                numeric: true,
                cell: (r) => (r.amountPence === null ? '' : <Money pence={r.amountPence} signal />),
              },
              {
                id: 'line-label',
                header: 'Plan line',
                cell: (r) =>
                  r.error ? <span className="funding-negative">{r.error}</span> : (r.planLineLabel ?? 'To review'),
              },
            ]}
            rows={preview.sample}
            rowKey={(r) => r.line}
          />
        </>
      )}
    </section>
  );
}

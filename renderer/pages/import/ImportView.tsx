import { useEffect, useRef, useState } from 'react';
import { api, uploadFile, useApi } from '../../api';
import { ActionButton } from '../../components/actions';
import { DataTable } from '../../components/DataTable';
import { ColumnMappingTable } from '../../components/ColumnMappingTable';
import { IssueList } from '../../components/IssueList';
import { LabelledField, Notice } from '../../components/forms';
import { formatBytes, formatCount, formatDate, formatDateTime } from '../../components/format';
import { MessageNotice, type Message } from '../../components/message';
import { Stat, StatCards } from '../../components/stats';
import { FileDrop } from '../../components/FileDrop';
import {
  alreadyImportedText,
  type BatchView,
  type CommitOutput,
  type ImportProgress,
  type InspectOutput,
  type PreviewOutput,
} from '../../../shared/import/channels';
import {
  IMPORT_FIELDS,
  REQUIRED_FIELDS,
  importFieldLabels,
  missingRequiredFields,
  profileColumns,
  type ColumnMapping,
  type ImportField,
} from '../../../shared/import/fields';
import type { DateOrder } from '../../../shared/common/cells';
import { today } from '../../../shared/common/clock';
import '../workforce/workforce.css';

/**
 * The import wizard: choose or drop a file -> map columns (guessed, or a saved profile) -> preview -> import
 * -> result. With a saved profile that fits, next month's extract needs two clicks: choose the file, then
 * "Import with <profile>" (it previews first and stops to ask only if some rows have problems).
 */

type Step =
  | { name: 'choose' }
  | { name: 'map'; inspected: InspectOutput }
  | { name: 'preview'; inspected: InspectOutput; preview: PreviewOutput }
  | { name: 'done'; result: CommitOutput };

interface Choices {
  mapping: ColumnMapping;
  dateOrder: DateOrder;
  keepNonAhpCodes: string[];
  markMissingAsLeavers: boolean;
  extractDate: string;
  profileName: string | null;
}

/** The mapping table's rows: one per item the import can read. */

const DATE_ORDERS: { value: DateOrder; label: string }[] = [
  { value: 'dmy', label: 'Day, month, year (31/03/2023)' },
  { value: 'mdy', label: 'Month, day, year (03/31/2023)' },
  { value: 'ymd', label: 'Year, month, day (2023-03-31)' },
];

function ProgressBar({ label, value, max }: { label: string; value?: number; max?: number }) {
  return (
    <div className="progress" role="status">
      <div className="progress__label">{label}</div>
      {value === undefined ? <progress aria-label={label} /> : <progress aria-label={label} value={value} max={max} />}
    </div>
  );
}

/** Polls the running job while `active`, for the progress bar. */
function useJobProgress(active: boolean): ImportProgress | null {
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  useEffect(() => {
    if (!active) {
      setProgress(null);
      return;
    }
    const timer = setInterval(() => {
      void api('import/progress', {}).then((r) => r.ok && setProgress(r.value));
    }, 300);
    return () => clearInterval(timer);
  }, [active]);
  return progress;
}

function JobProgress({ progress, onCancel }: { progress: ImportProgress | null; onCancel: () => void }) {
  const reading = !progress || progress.phase !== 'writing';
  const label = !progress?.running
    ? 'Starting…'
    : reading
      ? `Reading and checking rows: ${formatCount(progress.rows)} so far`
      : `Writing to the database (${formatCount(progress.rows)} rows): this cannot be stopped now`;
  return (
    <div className="panel">
      <ProgressBar
        label={label}
        value={reading && progress?.totalBytes ? progress.bytesRead : undefined}
        max={progress?.totalBytes}
      />
      <button type="button" className="button button--secondary" onClick={onCancel} disabled={!reading}>
        Cancel
      </button>
    </div>
  );
}

/** Said first on the columns and check screens: the same file (by SHA-256) was imported before. */
function AlreadyImported({ inspected }: { inspected: InspectOutput }) {
  if (!inspected.alreadyImported) return null;
  return (
    <div data-testid="already-imported">
      <Notice kind={inspected.alreadyImported.undoneAt ? 'info' : 'warning'}>
        {alreadyImportedText(inspected.alreadyImported)}
      </Notice>
    </div>
  );
}

/**
 * A preview or import that failed because the file could not be read (or was cancelled) has deleted the upload,
 * as has a commit that read it: a new try starts from choosing the file again.
 */
const uploadGone = (code: string) => code === 'refused' || code === 'not-found';

function Counts({ p, prefix }: { p: PreviewOutput; prefix: 'will be' | 'were' }) {
  const items: [string, number, string][] = [
    ['Rows read', p.rowsRead, 'rows-read'],
    [`To add`, p.added, 'added'],
    [`To update`, p.updated, 'updated'],
    ['Unchanged', p.unchanged, 'unchanged'],
    ['Rejected', p.rejected, 'rejected'],
    ['Left out', p.excluded, 'excluded'],
    ['Leavers recorded', p.leavers + p.markedMissing, 'leavers'],
  ];
  return (
    <StatCards label={prefix === 'will be' ? 'What the import will do' : 'What the import did'}>
      {items.map(([label, n, id]) => (
        <Stat
          key={id}
          label={prefix === 'were' ? label.replace(/^To add$/, 'Added').replace(/^To update$/, 'Updated') : label}
          testId={`import-${id}`}
        >
          {formatCount(n)}
        </Stat>
      ))}
    </StatCards>
  );
}

function Batches({ reloadKey, onChanged }: { reloadKey: number; onChanged: (message: Message) => void }) {
  const batches = useApi('import/batches', {}, String(reloadKey));
  const undo = async (b: BatchView) => {
    if (
      !window.confirm(
        `Undo import ${b.id} (${b.fileName})? Every person, assignment, role and service it added is removed and every change it made is put back.`,
      )
    )
      return;
    const result = await api('import/undo', { id: b.id });
    onChanged(
      result.ok
        ? { kind: 'success', text: `Import ${b.id} (${b.fileName}) has been undone.` }
        : { kind: 'warning', text: result.error.message },
    );
  };
  if (batches.error) return <Notice kind="warning">{batches.error}</Notice>;
  if (!batches.data || batches.data.length === 0) return <p className="hint">No imports yet.</p>;
  return (
    <DataTable
      caption="Imports, newest first"
      label="Imports"
      columns={[
        { id: 'id', header: 'No.', numeric: true, cell: (b) => b.id },
        {
          id: 'file',
          header: 'File',
          cell: (b) => (
            <>
              {b.fileName}
              <div className="sample">
                {formatBytes(b.sizeBytes)}, SHA-256 <span className="mono">{b.sha256.slice(0, 12)}…</span>, extract of{' '}
                {formatDate(b.extractDate)}
              </div>
            </>
          ),
        },
        {
          id: 'committed',
          header: 'Imported',
          cell: (b) => (
            <>
              {formatDateTime(b.committedAt)}
              <div className="sample">by {b.user}</div>
            </>
          ),
        },
        { id: 'profile', header: 'Profile', cell: (b) => b.profileName ?? '—' },
        { id: 'added', header: 'Added', numeric: true, cell: (b) => formatCount(b.added) },
        { id: 'updated', header: 'Updated', numeric: true, cell: (b) => formatCount(b.updated) },
        { id: 'unchanged', header: 'Unchanged', numeric: true, cell: (b) => formatCount(b.unchanged) },
        { id: 'rejected', header: 'Rejected', numeric: true, cell: (b) => formatCount(b.rejected) },
        { id: 'leavers', header: 'Leavers', numeric: true, cell: (b) => formatCount(b.leavers + b.markedMissing) },
        {
          id: 'undo',
          header: 'Undo',
          cell: (b) =>
            b.undoneAt ? (
              <span>Undone {formatDateTime(b.undoneAt)}</span>
            ) : b.undoBlockedBy ? (
              <span className="sample">{b.undoBlockedBy}</span>
            ) : (
              <ActionButton label="Undo" name={`import ${b.id}`} danger onClick={() => void undo(b)} />
            ),
        },
      ]}
      rows={batches.data}
      rowKey={(b) => b.id}
    />
  );
}

export function ImportView() {
  const [step, setStep] = useState<Step>({ name: 'choose' });
  const [choices, setChoices] = useState<Choices | null>(null);
  const [busy, setBusy] = useState<'upload' | 'inspect' | 'job' | null>(null);
  const [sent, setSent] = useState<{ fileName: string; sentBytes: number; totalBytes: number } | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [saveProfile, setSaveProfile] = useState(true);
  const [profileName, setProfileName] = useState('');
  const [acceptRejected, setAcceptRejected] = useState(false);
  const [batchesKey, setBatchesKey] = useState(0);
  const progress = useJobProgress(busy === 'job');
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => headingRef.current?.focus(), [step.name]);

  const backToChoose = () => {
    setStep({ name: 'choose' });
    setChoices(null);
    setAcceptRejected(false);
    setSent(null);
  };
  const reset = () => {
    if (step.name === 'map' || step.name === 'preview')
      void api('upload/discard', { uploadId: step.inspected.uploadId });
    backToChoose();
  };

  const runPreview = async (inspected: InspectOutput, c: Choices): Promise<PreviewOutput | null> => {
    setBusy('job');
    const result = await api('import/preview', {
      uploadId: inspected.uploadId,
      mapping: c.mapping,
      dateOrder: c.dateOrder,
      keepNonAhpCodes: c.keepNonAhpCodes,
      markMissingAsLeavers: c.markMissingAsLeavers,
      extractDate: c.extractDate,
    });
    setBusy(null);
    if (!result.ok) {
      setMessage({ kind: 'warning', text: result.error.message });
      if (uploadGone(result.error.code)) backToChoose();
      return null;
    }
    setMessage(null);
    setStep({ name: 'preview', inspected, preview: result.value });
    return result.value;
  };

  const runCommit = async (inspected: InspectOutput, c: Choices, accept: boolean) => {
    setBusy('job');
    const result = await api('import/commit', {
      uploadId: inspected.uploadId,
      mapping: c.mapping,
      dateOrder: c.dateOrder,
      keepNonAhpCodes: c.keepNonAhpCodes,
      markMissingAsLeavers: c.markMissingAsLeavers,
      extractDate: c.extractDate,
      acceptRejected: accept,
      profileName: c.profileName,
    });
    setBusy(null);
    setBatchesKey((k) => k + 1);
    if (!result.ok) {
      setMessage({ kind: 'warning', text: result.error.message });
      if (uploadGone(result.error.code)) backToChoose();
      return;
    }
    setMessage(null);
    setStep({ name: 'done', result: result.value });
  };

  const takeFile = async (file: File | undefined) => {
    if (!file) return;
    if (busy)
      return setMessage({
        kind: 'warning',
        text: `${file.name} was not accepted: an import is still running. Wait for it to finish or cancel it, then try again.`,
      });
    setMessage(null);
    setBusy('upload');
    setSent({ fileName: file.name, sentBytes: 0, totalBytes: file.size });
    const uploaded = await uploadFile(file, 'staff-extract', (sentBytes, totalBytes) =>
      setSent({ fileName: file.name, sentBytes, totalBytes }),
    );
    if (!uploaded.ok) {
      setBusy(null);
      setSent(null);
      return setMessage({ kind: 'warning', text: uploaded.error.message });
    }
    setBusy('inspect');
    const inspected = await api('import/inspect', { uploadId: uploaded.value.uploadId });
    setBusy(null);
    if (!inspected.ok) {
      setSent(null);
      void api('upload/discard', { uploadId: uploaded.value.uploadId });
      return setMessage({ kind: 'warning', text: inspected.error.message });
    }
    const fitting = inspected.value.profiles.find((p) => p.fits);
    setChoices({
      mapping: fitting?.mapping ?? inspected.value.guessedMapping,
      dateOrder: fitting?.dateOrder ?? inspected.value.dateOrder.order,
      keepNonAhpCodes: fitting?.keepNonAhpCodes ?? [],
      markMissingAsLeavers: fitting?.markMissingAsLeavers ?? false,
      extractDate: today(),
      profileName: fitting?.name ?? null,
    });
    setProfileName(fitting?.name ?? '');
    setStep({ name: 'map', inspected: inspected.value });
  };

  /**
   * Two clicks next month: preview with the saved profile, and import straight away if nothing needs a decision
   * (no rejected rows, and not a file imported before).
   */
  const importWithProfile = async (inspected: InspectOutput, c: Choices) => {
    const preview = await runPreview(inspected, c);
    const repeat = inspected.alreadyImported !== null && inspected.alreadyImported.undoneAt === null;
    if (preview && preview.rejected === 0 && !repeat) await runCommit(inspected, c, false);
  };

  const stepNames = ['Choose a file', 'Match the columns', 'Check', 'Done'];
  const stepIndex = { choose: 0, map: 1, preview: 2, done: 3 }[step.name];

  return (
    <section aria-labelledby="import-title">
      <h2 id="import-title" ref={headingRef} tabIndex={-1}>
        Import a staff extract
      </h2>
      <ol className="steps" aria-label="Steps">
        {stepNames.map((s, i) => (
          <li key={s} aria-current={i === stepIndex ? 'step' : undefined}>
            {i + 1}. {s}
          </li>
        ))}
      </ol>
      <MessageNotice message={message} />
      {busy === 'job' && <JobProgress progress={progress} onCancel={() => void api('import/cancel', {})} />}

      {step.name === 'choose' && (
        <>
          <p className="hint">
            A CSV or Excel (.xlsx) staff list from ESR or WRaPT. Staff numbers are turned into pseudonyms as the file is
            read and are never stored; dates of birth are reduced to the year. Nothing changes until you confirm the
            import.
          </p>
          <FileDrop
            id="import-file"
            label="Choose a staff extract"
            accept=".csv,.txt,.tsv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            disabled={busy !== null}
            onFile={(file) => void takeFile(file)}
            fileName={sent?.fileName ?? null}
            progress={busy === 'upload' ? sent : null}
            testId="dropzone"
          />
          {busy === 'inspect' && <ProgressBar label="Reading the columns…" />}
          <h2>Imports so far</h2>
          <Batches
            reloadKey={batchesKey}
            onChanged={(m) => {
              setMessage(m);
              setBatchesKey((k) => k + 1);
            }}
          />
        </>
      )}

      {step.name === 'map' && choices && (
        <MappingStep
          inspected={step.inspected}
          choices={choices}
          setChoices={setChoices}
          saveProfile={saveProfile}
          setSaveProfile={setSaveProfile}
          profileName={profileName}
          setProfileName={setProfileName}
          busy={busy !== null}
          onBack={reset}
          onImportWithProfile={(c) => void importWithProfile(step.inspected, c)}
          onPreview={async () => {
            const missing = missingRequiredFields(choices.mapping);
            if (missing.length > 0)
              return setMessage({ kind: 'warning', text: `Choose a column for: ${missing.join('; ')}.` });
            let c = choices;
            if (saveProfile && profileName.trim()) {
              const saved = await api('import/profile-save', {
                name: profileName.trim(),
                dateOrder: choices.dateOrder,
                columns: profileColumns(choices.mapping, step.inspected.headers),
                keepNonAhpCodes: choices.keepNonAhpCodes,
                markMissingAsLeavers: choices.markMissingAsLeavers,
              });
              if (!saved.ok) return setMessage({ kind: 'warning', text: saved.error.message });
              c = { ...choices, profileName: saved.value.name };
              setChoices(c);
            }
            await runPreview(step.inspected, c);
          }}
        />
      )}

      {step.name === 'preview' && choices && (
        <PreviewStep
          inspected={step.inspected}
          preview={step.preview}
          choices={choices}
          busy={busy !== null}
          acceptRejected={acceptRejected}
          setAcceptRejected={setAcceptRejected}
          onChange={(c) => {
            setChoices(c);
            void runPreview(step.inspected, c);
          }}
          onBack={() => setStep({ name: 'map', inspected: step.inspected })}
          onCancel={reset}
          onCommit={() => void runCommit(step.inspected, choices, acceptRejected)}
        />
      )}

      {step.name === 'done' && (
        <>
          <Notice kind="success">
            Imported {step.result.batch.fileName} as import {step.result.batch.id}.{' '}
            {step.result.batch.undoBlockedBy ? '' : 'You can undo it from the list of imports.'}
          </Notice>
          <Counts p={step.result} prefix="were" />
          <p>
            {formatCount(step.result.peopleAdded)} new people, {formatCount(step.result.rolesAdded)} new roles and{' '}
            {formatCount(step.result.servicesAdded)} new services. New roles start with an establishment of 0 FTE: set
            it on the <a href="#/workforce/roles">Roles</a> tab so vacancy can be worked out.
          </p>
          <div className="button-group">
            <a className="button" href="#/workforce/picture">
              See the workforce picture
            </a>
            <button type="button" className="button button--secondary" onClick={reset}>
              Import another file
            </button>
          </div>
          <h2>Imports so far</h2>
          <Batches
            reloadKey={batchesKey}
            onChanged={(m) => {
              setMessage(m);
              setBatchesKey((k) => k + 1);
            }}
          />
        </>
      )}
    </section>
  );
}

function MappingStep(props: {
  inspected: InspectOutput;
  choices: Choices;
  setChoices: (c: Choices) => void;
  saveProfile: boolean;
  setSaveProfile: (b: boolean) => void;
  profileName: string;
  setProfileName: (s: string) => void;
  busy: boolean;
  onBack: () => void;
  onPreview: () => void;
  onImportWithProfile: (c: Choices) => void;
}) {
  const { inspected, choices, setChoices } = props;
  const fitting = inspected.profiles.filter((p) => p.fits);
  const missing = missingRequiredFields(choices.mapping);
  const setField = (field: ImportField, column: number | null) =>
    setChoices({ ...choices, profileName: null, mapping: { ...choices.mapping, [field]: column } });
  return (
    <>
      <AlreadyImported inspected={inspected} />
      <p>
        <strong>{inspected.fileName}</strong>: {formatBytes(inspected.sizeBytes)},{' '}
        {inspected.format === 'xlsx'
          ? 'Excel workbook'
          : `CSV (${inspected.encoding}, separated by ${inspected.delimiter === '\t' ? 'tabs' : `"${inspected.delimiter}"`})`}
        , {inspected.headers.length} columns.
      </p>
      {fitting.length > 0 && (
        <div className="panel">
          <h3>Saved profiles that fit this file</h3>
          {fitting.map((p) => (
            <div key={p.id} className="button-group">
              <button
                type="button"
                className="button"
                disabled={props.busy}
                onClick={() =>
                  props.onImportWithProfile({
                    ...choices,
                    mapping: p.mapping,
                    dateOrder: p.dateOrder,
                    keepNonAhpCodes: p.keepNonAhpCodes,
                    markMissingAsLeavers: p.markMissingAsLeavers,
                    profileName: p.name,
                  })
                }
              >
                Import with {p.name}
              </button>
              <button
                type="button"
                className="button button--secondary"
                onClick={() => {
                  setChoices({
                    ...choices,
                    mapping: p.mapping,
                    dateOrder: p.dateOrder,
                    keepNonAhpCodes: p.keepNonAhpCodes,
                    markMissingAsLeavers: p.markMissingAsLeavers,
                    profileName: p.name,
                  });
                  props.setProfileName(p.name);
                }}
              >
                Use {p.name} and check the columns
              </button>
            </div>
          ))}
          <p className="hint">
            Import with a profile checks the file first and stops to ask only if some rows have problems.
          </p>
        </div>
      )}
      <ColumnMappingTable
        fields={IMPORT_FIELDS}
        labels={importFieldLabels}
        required={REQUIRED_FIELDS}
        note={(field) => (field === 'contractedHours' || field === 'fte' ? '(hours or FTE required)' : null)}
        idPrefix="map"
        fileName={inspected.fileName}
        headers={inspected.headers}
        sampleRows={inspected.sampleRows}
        mapping={choices.mapping}
        onChange={setField}
      />
      <LabelledField htmlFor="map-date-order" label="Dates are written" width="long" hint={inspected.dateOrder.reason}>
        <select
          id="map-date-order"
          className="select"
          value={choices.dateOrder}
          onChange={(e) => setChoices({ ...choices, dateOrder: e.target.value as DateOrder })}
        >
          {DATE_ORDERS.map((d) => (
            <option key={d.value} value={d.value}>
              {d.label}
            </option>
          ))}
        </select>
      </LabelledField>
      <div className="checkbox">
        <input
          id="map-save"
          type="checkbox"
          checked={props.saveProfile}
          onChange={(e) => props.setSaveProfile(e.target.checked)}
        />
        <label htmlFor="map-save">Save these choices as a profile for next month's extract</label>
      </div>
      {props.saveProfile && (
        <LabelledField
          htmlFor="map-profile-name"
          label="Profile name"
          width="medium"
          hint={'For example "ESR monthly". Saving under an existing name replaces it.'}
        >
          <input
            id="map-profile-name"
            className="input"
            value={props.profileName}
            onChange={(e) => props.setProfileName(e.target.value)}
          />
        </LabelledField>
      )}
      {missing.length > 0 && <Notice kind="info">Still to choose: {missing.join('; ')}.</Notice>}
      <div className="button-group">
        <button type="button" className="button" disabled={props.busy || missing.length > 0} onClick={props.onPreview}>
          Check the file
        </button>
        <button type="button" className="button button--secondary" onClick={props.onBack} disabled={props.busy}>
          Choose another file
        </button>
      </div>
    </>
  );
}

function PreviewStep(props: {
  inspected: InspectOutput;
  preview: PreviewOutput;
  choices: Choices;
  busy: boolean;
  acceptRejected: boolean;
  setAcceptRejected: (b: boolean) => void;
  onChange: (c: Choices) => void;
  onBack: () => void;
  onCancel: () => void;
  onCommit: () => void;
}) {
  const { preview: p, choices } = props;
  const toggleCode = (code: string, keep: boolean) =>
    props.onChange({
      ...choices,
      keepNonAhpCodes: keep ? [...choices.keepNonAhpCodes, code] : choices.keepNonAhpCodes.filter((c) => c !== code),
    });
  const blocked = p.rejected > 0 && !props.acceptRejected;
  return (
    <>
      <AlreadyImported inspected={props.inspected} />
      <p>
        Nothing has changed yet. This is what importing <strong>{props.inspected.fileName}</strong> will do
        {choices.profileName ? ` (profile ${choices.profileName})` : ''}:
      </p>
      <Counts p={p} prefix="will be" />
      {p.duplicates > 0 && (
        <p className="hint">{formatCount(p.duplicates)} rows repeat an earlier row exactly and are counted once.</p>
      )}
      {p.rejected > 0 && (
        <>
          <Notice kind="warning">
            {formatCount(p.rejected)} {p.rejected === 1 ? 'row has' : 'rows have'} problems and cannot be imported. Fix
            them in the file and choose it again, or import the other rows without them.
          </Notice>
          <IssueList
            caption="Rejected rows"
            messageHeader="Reason"
            issues={p.rejectedRows}
            total={p.rejectedIssueCount}
          />
          <div className="checkbox">
            <input
              id="preview-accept"
              type="checkbox"
              checked={props.acceptRejected}
              onChange={(e) => props.setAcceptRejected(e.target.checked)}
            />
            <label htmlFor="preview-accept">
              Import the other {formatCount(p.rowsRead - p.rejected)} rows without the rejected ones
            </label>
          </div>
        </>
      )}
      {p.nonAhp.length > 0 && (
        <fieldset className="fieldset">
          <legend>Rows that are not AHP support staff</legend>
          <p className="hint">
            Their occupation codes are not support-to-AHP codes. They are left out unless you keep them (as "Other or
            multi-professional").
          </p>
          {p.nonAhp.map((n) => (
            <div className="checkbox" key={n.occupationCode}>
              <input
                id={`keep-${n.occupationCode}`}
                type="checkbox"
                checked={n.kept}
                disabled={props.busy}
                onChange={(e) => toggleCode(n.occupationCode, e.target.checked)}
              />
              <label htmlFor={`keep-${n.occupationCode}`}>
                Keep {formatCount(n.rows)} {n.rows === 1 ? 'row' : 'rows'} with code {n.occupationCode} (e.g.{' '}
                {n.example})
              </label>
            </div>
          ))}
        </fieldset>
      )}
      <fieldset className="fieldset">
        <legend>Staff missing from this extract</legend>
        <div className="checkbox">
          <input
            id="preview-mark-missing"
            type="checkbox"
            checked={choices.markMissingAsLeavers}
            disabled={props.busy}
            onChange={(e) => props.onChange({ ...choices, markMissingAsLeavers: e.target.checked })}
          />
          <label htmlFor="preview-mark-missing">
            This is a full extract: mark imported staff who are not in it as leavers on the extract date
          </label>
        </div>
        {choices.markMissingAsLeavers && (
          <LabelledField htmlFor="preview-extract-date" label="Extract date" width="short">
            <input
              id="preview-extract-date"
              className="input"
              type="date"
              value={choices.extractDate}
              max={today()}
              onChange={(e) => e.target.value && props.onChange({ ...choices, extractDate: e.target.value })}
            />
          </LabelledField>
        )}
        {p.markedMissing > 0 && (
          <p>
            {formatCount(p.markedMissing)} assignments will be marked as ended on {formatDate(p.extractDate)}.
          </p>
        )}
      </fieldset>
      {p.newRoles.length > 0 && (
        <details>
          <summary>{formatCount(p.rolesAdded)} new roles will be created</summary>
          <ul>
            {p.newRoles.map((r, i) => (
              <li key={i}>
                {r.title}, band {r.band} ({r.services})
              </li>
            ))}
          </ul>
        </details>
      )}
      <IssueList
        caption="Warnings (imported, but please check)"
        messageHeader="Reason"
        issues={p.warnings}
        total={p.warningCount}
      />
      <div className="button-group">
        <button
          type="button"
          className="button"
          disabled={props.busy || blocked || p.rowsRead - p.rejected === 0}
          onClick={props.onCommit}
        >
          Import {formatCount(p.added + p.updated + p.unchanged)} rows
        </button>
        <button type="button" className="button button--secondary" onClick={props.onBack} disabled={props.busy}>
          Back to the columns
        </button>
        <button type="button" className="button button--secondary" onClick={props.onCancel} disabled={props.busy}>
          Cancel
        </button>
      </div>
    </>
  );
}

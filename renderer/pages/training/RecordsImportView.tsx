import { useEffect, useRef, useState } from 'react';
import { api, uploadFile, useApi } from '../../api';
import { ActionButton } from '../../components/actions';
import { DataTable } from '../../components/DataTable';
import { ColumnMappingTable } from '../../components/ColumnMappingTable';
import { FileDrop } from '../../components/FileDrop';
import { IssueList } from '../../components/IssueList';
import { LabelledField, Notice } from '../../components/forms';
import { formatBytes, formatCount, formatDateTime } from '../../components/format';
import { MessageNotice, type Message } from '../../components/message';
import { Stat, StatCards } from '../../components/stats';
import type { DateOrder } from '../../../shared/common/cells';
import { alreadyImportedText, type AlreadyImported, type ImportProgress } from '../../../shared/import/channels';
import { courseTargetLabel, type CourseChoices, type CourseTarget } from '../../../shared/training/courses';
import { APPRENTICESHIP_STANDARDS } from '../../../shared/training/education';
import type {
  TrainingBatch,
  TrainingCommitOutput,
  TrainingInspect,
  TrainingPreview,
} from '../../../shared/training/import-channels';
import {
  RECORD_FIELDS,
  REQUIRED_RECORD_FIELDS,
  missingRecordFields,
  recordColumns,
  recordFieldLabels,
  type RecordField,
  type RecordMapping,
} from '../../../shared/training/record-fields';
import '../workforce/workforce.css';

/**
 * Importing training records (a learning management extract): choose or drop a file -> match the columns -> check
 * (with what each course becomes, which the lead can change) -> import -> done, with the imports so far and Undo.
 * A saved profile keeps the columns and the course choices for next month's file.
 */

type Step =
  | { name: 'choose' }
  | { name: 'map'; inspected: TrainingInspect }
  | { name: 'preview'; inspected: TrainingInspect; preview: TrainingPreview }
  | { name: 'done'; result: TrainingCommitOutput };

interface Choices {
  mapping: RecordMapping;
  dateOrder: DateOrder;
  courses: CourseChoices;
  profileName: string | null;
}

const DATE_ORDERS: { value: DateOrder; label: string }[] = [
  { value: 'dmy', label: 'Day, month, year (31/03/2023)' },
  { value: 'mdy', label: 'Month, day, year (03/31/2023)' },
  { value: 'ymd', label: 'Year, month, day (2023-03-31)' },
];

/** What a course can be made into on the check screen (plus its current target, when it is not one of these). */
const TARGETS: CourseTarget[] = [
  { kind: 'not-a-qualification' },
  { kind: 'care-certificate', standard: null },
  { kind: 'functional-skills-english', level: null },
  { kind: 'functional-skills-english', level: '1' },
  { kind: 'functional-skills-english', level: '2' },
  { kind: 'functional-skills-maths', level: null },
  { kind: 'functional-skills-maths', level: '1' },
  { kind: 'functional-skills-maths', level: '2' },
  { kind: 'rqf', level: null },
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((level): CourseTarget => ({ kind: 'rqf', level })),
  ...(Object.keys(APPRENTICESHIP_STANDARDS) as (keyof typeof APPRENTICESHIP_STANDARDS)[]).map(
    (standard): CourseTarget => ({ kind: 'apprenticeship', standard }),
  ),
  { kind: 'foundation-degree' },
];
const targetValue = (t: CourseTarget) => JSON.stringify(t);

/** How far the running check or import has got (the staff import's progress channel: one import runs at a time). */
function JobProgress() {
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  useEffect(() => {
    const timer = setInterval(() => {
      void api('import/progress', {}).then((r) => r.ok && setProgress(r.value));
    }, 300);
    return () => clearInterval(timer);
  }, []);
  const reading = progress?.phase !== 'writing';
  const label = !progress?.running
    ? 'Starting…'
    : reading
      ? `Reading and checking rows: ${formatCount(progress.rows)} so far`
      : `Writing to the database (${formatCount(progress.rows)} rows): this cannot be stopped now`;
  return (
    <div className="panel">
      <div className="progress" role="status">
        <div className="progress__label">{label}</div>
        {reading && progress?.totalBytes ? (
          <progress aria-label={label} value={progress.bytesRead} max={progress.totalBytes} />
        ) : (
          <progress aria-label={label} />
        )}
      </div>
      <button
        type="button"
        className="button button--secondary"
        disabled={!reading}
        onClick={() => void api('import/cancel', {})}
      >
        Cancel
      </button>
    </div>
  );
}

/** A preview or commit that could not read the file (or a commit that did) has deleted the upload. */
const uploadGone = (code: string) => code === 'refused' || code === 'not-found';

function RepeatNotice({ already }: { already: AlreadyImported | null }) {
  if (!already) return null;
  return (
    <div data-testid="already-imported">
      <Notice kind={already.undoneAt ? 'info' : 'warning'}>{alreadyImportedText(already)}</Notice>
    </div>
  );
}

function Counts({ p, done }: { p: TrainingPreview; done: boolean }) {
  const items: [string, number, string][] = [
    ['Rows read', p.rowsRead, 'rows-read'],
    [done ? 'Added' : 'To add', p.added, 'added'],
    [done ? 'Updated' : 'To update', p.updated, 'updated'],
    ['Unchanged', p.unchanged, 'unchanged'],
    ['Kept as edited by hand', p.keptByHand, 'kept'],
    ['No such staff number', p.unmatched, 'unmatched'],
    ['Not qualifications', p.leftOut, 'left-out'],
    ['Rejected', p.rejected, 'rejected'],
  ];
  return (
    <StatCards label={done ? 'What the import did' : 'What the import will do'}>
      {items.map(([label, n, id]) => (
        <Stat key={id} label={label} testId={`records-${id}`}>
          {formatCount(n)}
        </Stat>
      ))}
    </StatCards>
  );
}

function Batches({ reloadKey, onChanged }: { reloadKey: number; onChanged: (message: Message) => void }) {
  const batches = useApi('training/import-batches', {}, String(reloadKey));
  const undo = async (b: TrainingBatch) => {
    if (
      !window.confirm(
        `Undo import ${b.id} (${b.fileName})? The records it added are removed and the ones it changed are put back. Records entered or edited by hand are kept.`,
      )
    )
      return;
    const result = await api('training/import-undo', { id: b.id });
    onChanged(
      result.ok
        ? { kind: 'success', text: `Import ${b.id} (${b.fileName}) has been undone.` }
        : { kind: 'warning', text: result.error.message },
    );
  };
  if (batches.error) return <Notice kind="warning">{batches.error}</Notice>;
  if (!batches.data || batches.data.length === 0) return <p className="hint">No training records imported yet.</p>;
  return (
    <DataTable
      caption="Training records imports, newest first"
      label="Training records imports"
      columns={[
        { id: 'id', header: 'No.', numeric: true, cell: (b) => b.id },
        {
          id: 'file',
          header: 'File',
          cell: (b) => (
            <>
              {b.fileName}
              <div className="sample">
                {formatBytes(b.sizeBytes)}, SHA-256 <span className="mono">{b.sha256.slice(0, 12)}…</span>
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

export function RecordsImportView() {
  const [step, setStep] = useState<Step>({ name: 'choose' });
  const [choices, setChoices] = useState<Choices | null>(null);
  const [busy, setBusy] = useState<'upload' | 'inspect' | 'job' | null>(null);
  const [sent, setSent] = useState<{ fileName: string; sentBytes: number; totalBytes: number } | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [saveProfile, setSaveProfile] = useState(true);
  const [profileName, setProfileName] = useState('');
  const [acceptRejected, setAcceptRejected] = useState(false);
  const [acceptUnmatched, setAcceptUnmatched] = useState(false);
  const [batchesKey, setBatchesKey] = useState(0);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), [step.name]);

  const backToChoose = () => {
    setStep({ name: 'choose' });
    setChoices(null);
    setAcceptRejected(false);
    setAcceptUnmatched(false);
    setSent(null);
  };
  const reset = () => {
    if (step.name === 'map' || step.name === 'preview')
      void api('upload/discard', { uploadId: step.inspected.uploadId });
    backToChoose();
  };
  const options = (inspected: TrainingInspect, c: Choices) => ({
    uploadId: inspected.uploadId,
    mapping: c.mapping,
    dateOrder: c.dateOrder,
    courses: c.courses,
  });
  const storeProfile = async (inspected: TrainingInspect, c: Choices): Promise<Choices | null> => {
    if (!saveProfile || !profileName.trim()) return c;
    const saved = await api('training/import-profile-save', {
      name: profileName.trim(),
      dateOrder: c.dateOrder,
      columns: recordColumns(c.mapping, inspected.headers),
      courses: c.courses,
    });
    if (!saved.ok) {
      setMessage({ kind: 'warning', text: saved.error.message });
      return null;
    }
    return { ...c, profileName: saved.value.name };
  };

  const runPreview = async (inspected: TrainingInspect, c: Choices): Promise<TrainingPreview | null> => {
    setBusy('job');
    const result = await api('training/import-preview', options(inspected, c));
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

  const runCommit = async (
    inspected: TrainingInspect,
    c: Choices,
    accept: { rejected: boolean; unmatched: boolean },
  ) => {
    const kept = await storeProfile(inspected, c);
    if (!kept) return;
    setBusy('job');
    const result = await api('training/import-commit', {
      ...options(inspected, kept),
      acceptRejected: accept.rejected,
      acceptUnmatched: accept.unmatched,
      profileName: kept.profileName,
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
        text: `${file.name} was not accepted: an import is still running. Wait for it to finish, then try again.`,
      });
    setMessage(null);
    setBusy('upload');
    setSent({ fileName: file.name, sentBytes: 0, totalBytes: file.size });
    const uploaded = await uploadFile(file, 'training-records', (sentBytes, totalBytes) =>
      setSent({ fileName: file.name, sentBytes, totalBytes }),
    );
    if (!uploaded.ok) {
      setBusy(null);
      setSent(null);
      return setMessage({ kind: 'warning', text: uploaded.error.message });
    }
    setBusy('inspect');
    const inspected = await api('training/import-inspect', { uploadId: uploaded.value.uploadId });
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
      courses: fitting?.courses ?? {},
      profileName: fitting?.name ?? null,
    });
    setProfileName(fitting?.name ?? '');
    setStep({ name: 'map', inspected: inspected.value });
  };

  /** Next month: check with the saved profile, and import at once when nothing needs a decision. */
  const importWithProfile = async (inspected: TrainingInspect, c: Choices) => {
    setChoices(c);
    const preview = await runPreview(inspected, c);
    const repeat = inspected.alreadyImported !== null && inspected.alreadyImported.undoneAt === null;
    if (preview && preview.rejected === 0 && preview.unmatched === 0 && !repeat)
      await runCommit(inspected, c, { rejected: false, unmatched: false });
  };

  const stepNames = ['Choose a file', 'Match the columns', 'Check', 'Done'];
  const stepIndex = { choose: 0, map: 1, preview: 2, done: 3 }[step.name];
  const batches = (
    <>
      <h3>Training records imports so far</h3>
      <Batches
        reloadKey={batchesKey}
        onChanged={(m) => {
          setMessage(m);
          setBatchesKey((k) => k + 1);
        }}
      />
    </>
  );

  return (
    <section aria-labelledby="records-title">
      <h2 id="records-title" ref={headingRef} tabIndex={-1}>
        Import training records
      </h2>
      <ol className="steps" aria-label="Steps">
        {stepNames.map((s, i) => (
          <li key={s} aria-current={i === stepIndex ? 'step' : undefined}>
            {i + 1}. {s}
          </li>
        ))}
      </ol>
      <MessageNotice message={message} />
      {busy === 'job' && <JobProgress />}

      {step.name === 'choose' && (
        <>
          <p className="hint">
            A CSV or Excel (.xlsx) training records or learning management extract: employee number, course or
            qualification, and where the file has them level, status, start and completion dates. Each staff number is
            turned into its pseudonym as the file is read, matched to the person, and never stored. Records you entered
            by hand are never changed. Nothing changes until you confirm the import.
          </p>
          <FileDrop
            id="records-file"
            label="Choose a training records extract"
            accept=".csv,.txt,.tsv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            disabled={busy !== null}
            onFile={(file) => void takeFile(file)}
            fileName={sent?.fileName ?? null}
            progress={busy === 'upload' ? sent : null}
            testId="records-dropzone"
          />
          {busy === 'inspect' && (
            <div className="progress" role="status">
              <div className="progress__label">Reading the columns…</div>
              <progress aria-label="Reading the columns" />
            </div>
          )}
          {batches}
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
            const c = await storeProfile(step.inspected, choices);
            if (!c) return;
            setChoices(c);
            await runPreview(step.inspected, c);
          }}
        />
      )}

      {step.name === 'preview' && choices && (
        <PreviewStep
          inspected={step.inspected}
          preview={step.preview}
          busy={busy !== null}
          acceptRejected={acceptRejected}
          setAcceptRejected={setAcceptRejected}
          acceptUnmatched={acceptUnmatched}
          setAcceptUnmatched={setAcceptUnmatched}
          onCourse={(key, target) => {
            const c = { ...choices, courses: { ...choices.courses, [key]: target } };
            setChoices(c);
            void runPreview(step.inspected, c);
          }}
          onBack={() => setStep({ name: 'map', inspected: step.inspected })}
          onCancel={reset}
          onCommit={() =>
            void runCommit(step.inspected, choices, { rejected: acceptRejected, unmatched: acceptUnmatched })
          }
        />
      )}

      {step.name === 'done' && (
        <>
          <Notice kind="success">
            Imported {step.result.batch.fileName} as import {step.result.batch.id}: {formatCount(step.result.added)}{' '}
            records added and {formatCount(step.result.updated)} updated for {formatCount(step.result.people)} people.
            You can undo it from the list of imports.
          </Notice>
          <Counts p={step.result} done />
          <div className="button-group">
            <a className="button" href="#/gaps/summary">
              See the gap analysis
            </a>
            <button type="button" className="button button--secondary" onClick={reset}>
              Import another file
            </button>
          </div>
          {batches}
        </>
      )}
    </section>
  );
}

function MappingStep(props: {
  inspected: TrainingInspect;
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
  const missing = missingRecordFields(choices.mapping);
  const setField = (field: RecordField, column: number | null) =>
    setChoices({ ...choices, profileName: null, mapping: { ...choices.mapping, [field]: column } });
  return (
    <>
      <RepeatNotice already={inspected.alreadyImported} />
      <p>
        <strong>{inspected.fileName}</strong>: {formatBytes(inspected.sizeBytes)},{' '}
        {inspected.format === 'xlsx' ? 'Excel workbook' : `CSV (${inspected.encoding})`}, {inspected.headers.length}{' '}
        columns.
      </p>
      {fitting.length > 0 && (
        <div className="panel">
          <h3>Saved profiles that fit this file</h3>
          {fitting.map((p) => {
            const use = { mapping: p.mapping, dateOrder: p.dateOrder, courses: p.courses, profileName: p.name };
            return (
              <div key={p.id} className="button-group">
                <button
                  type="button"
                  className="button"
                  disabled={props.busy}
                  onClick={() => props.onImportWithProfile(use)}
                >
                  Import with {p.name}
                </button>
                <button
                  type="button"
                  className="button button--secondary"
                  onClick={() => {
                    setChoices(use);
                    props.setProfileName(p.name);
                  }}
                >
                  Use {p.name} and check the columns
                </button>
              </div>
            );
          })}
        </div>
      )}
      <ColumnMappingTable
        fields={RECORD_FIELDS}
        labels={recordFieldLabels}
        required={REQUIRED_RECORD_FIELDS}
        idPrefix="records-map"
        fileName={inspected.fileName}
        headers={inspected.headers}
        sampleRows={inspected.sampleRows}
        mapping={choices.mapping}
        onChange={setField}
      />
      <LabelledField
        htmlFor="records-date-order"
        label="Dates are written"
        width="long"
        hint={inspected.dateOrder.reason}
      >
        <select
          id="records-date-order"
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
          id="records-save"
          type="checkbox"
          checked={props.saveProfile}
          onChange={(e) => props.setSaveProfile(e.target.checked)}
        />
        <label htmlFor="records-save">Save the columns and course choices as a profile for next month's file</label>
      </div>
      {props.saveProfile && (
        <LabelledField
          htmlFor="records-profile-name"
          label="Profile name"
          width="medium"
          hint={'For example "OLM monthly". Saving under an existing name replaces it.'}
        >
          <input
            id="records-profile-name"
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
  inspected: TrainingInspect;
  preview: TrainingPreview;
  busy: boolean;
  acceptRejected: boolean;
  setAcceptRejected: (b: boolean) => void;
  acceptUnmatched: boolean;
  setAcceptUnmatched: (b: boolean) => void;
  onCourse: (key: string, target: CourseTarget) => void;
  onBack: () => void;
  onCancel: () => void;
  onCommit: () => void;
}) {
  const p = props.preview;
  const blocked = (p.rejected > 0 && !props.acceptRejected) || (p.unmatched > 0 && !props.acceptUnmatched);
  const repeat = p.alreadyImported !== null && p.alreadyImported.undoneAt === null && p.added + p.updated === 0;
  return (
    <>
      <RepeatNotice already={p.alreadyImported} />
      <p>
        Nothing has changed yet. This is what importing <strong>{props.inspected.fileName}</strong> will do:
      </p>
      <Counts p={p} done={false} />
      {p.duplicates > 0 && (
        <p className="hint">
          {formatCount(p.duplicates)} rows give a record an earlier row already gives; the one furthest on (completed,
          then in progress) is kept.
        </p>
      )}
      {p.unmatched > 0 && (
        <>
          <Notice kind="warning">
            {p.unmatched === 1
              ? `1 row has a staff number that matches nobody in this database (line ${formatCount(p.unmatchedLines[0] ?? 0)}).`
              : `${formatCount(p.unmatched)} rows have staff numbers that match nobody in this database (${formatCount(p.unmatchedNumbers)} different numbers; lines ${p.unmatchedLines.slice(0, 20).map(formatCount).join(', ')}${p.unmatched > 20 ? ', …' : ''}).`}{' '}
            Import the staff extract that holds them first, or import the other rows without them.
          </Notice>
          <div className="checkbox">
            <input
              id="records-accept-unmatched"
              type="checkbox"
              checked={props.acceptUnmatched}
              onChange={(e) => props.setAcceptUnmatched(e.target.checked)}
            />
            <label htmlFor="records-accept-unmatched">
              Import the records of the people found, without{' '}
              {p.unmatched === 1 ? 'this row' : `these ${formatCount(p.unmatched)} rows`}
            </label>
          </div>
        </>
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
              id="records-accept-rejected"
              type="checkbox"
              checked={props.acceptRejected}
              onChange={(e) => props.setAcceptRejected(e.target.checked)}
            />
            <label htmlFor="records-accept-rejected">Import the other rows without the rejected ones</label>
          </div>
        </>
      )}
      <DataTable
        caption={`What each course becomes (${formatCount(p.courseCount)} courses${p.courseCount > p.courses.length ? `, the ${formatCount(p.courses.length)} with most rows shown` : ''})`}
        label="Courses"
        columns={[
          { id: 'title', header: 'Course or qualification in the file', cell: (c) => c.title },
          { id: 'rows', header: 'Rows', numeric: true, cell: (c) => formatCount(c.rows) },
          {
            id: 'target',
            header: 'Recorded as',
            cell: (c) => {
              const options = TARGETS.some((t) => targetValue(t) === targetValue(c.target))
                ? TARGETS
                : [c.target, ...TARGETS];
              return (
                <select
                  className="select"
                  aria-label={`Recorded as, for ${c.title}`}
                  value={targetValue(c.target)}
                  disabled={props.busy}
                  onChange={(e) => props.onCourse(c.key, JSON.parse(e.target.value) as CourseTarget)}
                >
                  {options.map((t) => (
                    <option key={targetValue(t)} value={targetValue(t)}>
                      {courseTargetLabel(t)}
                    </option>
                  ))}
                </select>
              );
            },
          },
          { id: 'how', header: 'Chosen by', cell: (c) => (c.chosen ? 'You (or the profile)' : 'The default rules') },
        ]}
        rows={p.courses}
        rowKey={(c) => c.key}
      />
      <div className="button-group">
        <button
          type="button"
          className="button"
          disabled={props.busy || blocked || repeat || p.added + p.updated === 0}
          onClick={props.onCommit}
        >
          Import {formatCount(p.added + p.updated)} records
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

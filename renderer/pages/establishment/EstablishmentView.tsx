import { useEffect, useMemo, useRef, useState } from 'react';
import { api, uploadFile, useApi } from '../../api';
import { ActionButton } from '../../components/actions';
import { DataTable } from '../../components/DataTable';
import { ColumnMappingTable } from '../../components/ColumnMappingTable';
import { FileDrop } from '../../components/FileDrop';
import { IssueList } from '../../components/IssueList';
import { LabelledField, Notice } from '../../components/forms';
import { formatCount, formatDateTime, formatFte } from '../../components/format';
import { MessageNotice, type Message } from '../../components/message';
import { Stat, StatCards } from '../../components/stats';
import { formatPence } from '../../../shared/common/money';
import { professions } from '../../../shared/common/reference';
import type {
  EstablishmentBatch,
  EstablishmentCommit,
  EstablishmentInspect,
  EstablishmentPreview,
  RoleChoice,
  ServiceChoice,
} from '../../../shared/establishment/channels';
import {
  ESTABLISHMENT_FIELDS,
  establishmentFieldLabels,
  missingEstablishmentFields,
  type EstablishmentField,
  type EstablishmentMapping,
} from '../../../shared/establishment/fields';
import { alreadyImportedText } from '../../../shared/import/channels';
import '../workforce/workforce.css';
import './establishment.css';

/**
 * The establishment import: choose a finance report -> match its columns (guessed, or a saved profile) -> check
 * (counts, lines that match no role or service, which the lead matches or creates here, and the vacancy the import
 * gives) -> import -> done, with Undo in the list of establishment imports.
 */

type Step =
  | { name: 'choose' }
  | { name: 'map'; inspected: EstablishmentInspect }
  | { name: 'check'; inspected: EstablishmentInspect; preview: EstablishmentPreview }
  | { name: 'done'; result: EstablishmentCommit };

type Unmatched = EstablishmentPreview['unmatchedServices'][number] | EstablishmentPreview['unmatchedRoles'][number];
const roleKeyOf = (r: { title: string; band: string }) => `${r.title.trim().toLowerCase()}|${r.band}`;
const serviceKeyOf = (text: string) => text.trim().toLowerCase();
const fte = (n: number | null) => (n === null ? '—' : formatFte(n));
const pounds = (p: number | null) => (p === null ? '—' : formatPence(p));
const REQUIRED: readonly EstablishmentField[] = ['title', 'band', 'wte'];

/** Options by typed text: a search box narrowing a drop-down, so a list of thousands stays usable by keyboard. */
function SearchPicker(props: {
  id: string;
  label: string;
  options: { value: string; label: string }[];
  value: string;
  onChange: (value: string) => void;
  extra: { value: string; label: string }[];
}) {
  const [search, setSearch] = useState('');
  const shown = useMemo(() => {
    const words = search.toLowerCase().split(/\s+/).filter(Boolean);
    return props.options.filter((o) => words.every((w) => o.label.toLowerCase().includes(w))).slice(0, 200);
  }, [props.options, search]);
  const chosen = props.options.find((o) => o.value === props.value);
  return (
    <div className="search-picker">
      <LabelledField htmlFor={`${props.id}-search`} label={`Find ${props.label}`} width="medium">
        <input
          id={`${props.id}-search`}
          className="input"
          type="search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </LabelledField>
      <LabelledField htmlFor={props.id} label={`Match to ${props.label}`} width="long">
        <select id={props.id} className="select" value={props.value} onChange={(e) => props.onChange(e.target.value)}>
          {props.extra.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
          {chosen && !shown.includes(chosen) && <option value={chosen.value}>{chosen.label}</option>}
          {shown.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </LabelledField>
    </div>
  );
}

function Counts({ p, done }: { p: EstablishmentPreview; done: boolean }) {
  const items: [string, number, string][] = [
    ['Lines read', p.linesRead, 'lines'],
    ['Matched', p.matched, 'matched'],
    [done ? 'Posts changed' : 'Posts to change', p.changed, 'changed'],
    [done ? 'New posts' : 'Posts to add', p.created, 'created'],
    ['Unchanged', p.unchanged, 'unchanged'],
    ['Unmatched', p.unmatched, 'unmatched'],
    ['Rejected', p.rejected, 'rejected'],
  ];
  return (
    <StatCards label={done ? 'What the import did' : 'What the import will do'}>
      {items.map(([label, n, id]) => (
        <Stat key={id} label={label} testId={`establishment-${id}`}>
          {formatCount(n)}
        </Stat>
      ))}
    </StatCards>
  );
}

function Vacancy({ p }: { p: EstablishmentPreview }) {
  return (
    <DataTable
      caption="Whole trust: funded establishment, staff in post (in post lines with an establishment) and vacancy"
      testId="establishment-vacancy"
      columns={[
        { id: 'when', header: '', cell: (r) => r.when },
        { id: 'est', header: 'Establishment (FTE)', numeric: true, cell: (r) => fte(r.v.establishmentFte) },
        { id: 'in', header: 'In post (FTE)', numeric: true, cell: (r) => fte(r.v.inPostFte) },
        { id: 'vac', header: 'Vacancy (FTE)', numeric: true, cell: (r) => fte(r.v.vacancyFte) },
      ]}
      rows={[
        { when: 'Now', v: p.vacancyBefore },
        { when: 'After this import', v: p.vacancyAfter },
      ]}
      rowKey={(r) => r.when}
    />
  );
}

function Batches({ reloadKey, onChanged }: { reloadKey: number; onChanged: (message: Message) => void }) {
  const batches = useApi('establishment/batches', {}, String(reloadKey));
  const undo = async (b: EstablishmentBatch) => {
    if (
      !window.confirm(
        `Undo establishment import ${b.id} (${b.fileName})? Every establishment it set is put back as it was, and the post lines, roles and services it added are removed.`,
      )
    )
      return;
    const result = await api('establishment/undo', { id: b.id });
    onChanged(
      result.ok
        ? { kind: 'success', text: `Establishment import ${b.id} (${b.fileName}) has been undone.` }
        : { kind: 'warning', text: result.error.message },
    );
  };
  if (batches.error) return <Notice kind="warning">{batches.error}</Notice>;
  if (!batches.data || batches.data.length === 0) return <p className="hint">No establishment imports yet.</p>;
  return (
    <DataTable
      caption="Establishment imports, newest first"
      label="Establishment imports"
      testId="establishment-batches"
      columns={[
        { id: 'id', header: 'No.', numeric: true, cell: (b) => b.id },
        { id: 'file', header: 'File', cell: (b) => b.fileName },
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
        { id: 'lines', header: 'Lines', numeric: true, cell: (b) => formatCount(b.linesRead) },
        { id: 'changed', header: 'Posts changed', numeric: true, cell: (b) => formatCount(b.changed) },
        { id: 'created', header: 'New posts', numeric: true, cell: (b) => formatCount(b.created) },
        { id: 'unmatched', header: 'Unmatched', numeric: true, cell: (b) => formatCount(b.unmatched) },
        {
          id: 'undo',
          header: 'Undo',
          cell: (b) =>
            b.undoneAt ? (
              <span>Undone {formatDateTime(b.undoneAt)}</span>
            ) : b.undoBlockedBy ? (
              <span className="sample">{b.undoBlockedBy}</span>
            ) : (
              <ActionButton label="Undo" name={`establishment import ${b.id}`} danger onClick={() => void undo(b)} />
            ),
        },
      ]}
      rows={batches.data}
      rowKey={(b) => b.id}
    />
  );
}

export function EstablishmentView() {
  const [step, setStep] = useState<Step>({ name: 'choose' });
  const [mapping, setMapping] = useState<EstablishmentMapping | null>(null);
  const [profileName, setProfileName] = useState('Finance establishment');
  const [serviceChoices, setServiceChoices] = useState<Record<string, ServiceChoice>>({});
  const [roleChoices, setRoleChoices] = useState<Record<string, RoleChoice>>({});
  /** Everything that has needed a match in this import, kept so that a choice made can be seen and changed. */
  const [toMatch, setToMatch] = useState<{
    services: EstablishmentPreview['unmatchedServices'];
    roles: EstablishmentPreview['unmatchedRoles'];
  }>({ services: [], roles: [] });
  const [acceptRejected, setAcceptRejected] = useState(false);
  const [leaveUnmatched, setLeaveUnmatched] = useState(false);
  const [importAgain, setImportAgain] = useState(false);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<{ fileName: string; sentBytes: number; totalBytes: number } | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [batchesKey, setBatchesKey] = useState(0);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), [step.name]);

  const backToChoose = () => {
    setStep({ name: 'choose' });
    setSent(null);
    setServiceChoices({});
    setRoleChoices({});
    setToMatch({ services: [], roles: [] });
    setAcceptRejected(false);
    setLeaveUnmatched(false);
    setImportAgain(false);
  };
  const reset = () => {
    if (step.name === 'map' || step.name === 'check') void api('upload/discard', { uploadId: step.inspected.uploadId });
    backToChoose();
  };

  const options = (inspected: EstablishmentInspect) => ({
    uploadId: inspected.uploadId,
    mapping: mapping ?? inspected.guessedMapping,
    profileName: profileName.trim() || null,
    serviceChoices: Object.values(serviceChoices),
    roleChoices: Object.values(roleChoices),
  });

  const check = async (inspected: EstablishmentInspect) => {
    setBusy(true);
    const result = await api('establishment/preview', options(inspected));
    setBusy(false);
    if (!result.ok) return setMessage({ kind: 'warning', text: result.error.message });
    setMessage(null);
    const p = result.value;
    setToMatch((m) => ({
      services: [...m.services, ...p.unmatchedServices.filter((s) => !m.services.some((x) => x.text === s.text))],
      roles: [...m.roles, ...p.unmatchedRoles.filter((r) => !m.roles.some((x) => roleKeyOf(x) === roleKeyOf(r)))],
    }));
    setStep({ name: 'check', inspected, preview: p });
  };

  const commit = async (inspected: EstablishmentInspect) => {
    setBusy(true);
    const result = await api('establishment/commit', {
      ...options(inspected),
      acceptRejected,
      leaveUnmatched,
      importAgain,
    });
    setBusy(false);
    setBatchesKey((k) => k + 1);
    if (!result.ok) return setMessage({ kind: 'warning', text: result.error.message });
    setMessage(null);
    setStep({ name: 'done', result: result.value });
  };

  const takeFile = async (file: File | undefined) => {
    if (!file || busy) return;
    setMessage(null);
    setBusy(true);
    setSent({ fileName: file.name, sentBytes: 0, totalBytes: file.size });
    const uploaded = await uploadFile(file, 'establishment', (sentBytes, totalBytes) =>
      setSent({ fileName: file.name, sentBytes, totalBytes }),
    );
    if (!uploaded.ok) {
      setBusy(false);
      setSent(null);
      return setMessage({ kind: 'warning', text: uploaded.error.message });
    }
    const inspected = await api('establishment/inspect', { uploadId: uploaded.value.uploadId });
    setBusy(false);
    if (!inspected.ok) {
      setSent(null);
      void api('upload/discard', { uploadId: uploaded.value.uploadId });
      return setMessage({ kind: 'warning', text: inspected.error.message });
    }
    const fitting = inspected.value.profiles.find((p) => p.fits);
    setMapping(fitting?.mapping ?? inspected.value.guessedMapping);
    if (fitting) setProfileName(fitting.name);
    setStep({ name: 'map', inspected: inspected.value });
  };

  const stepNames = ['Choose a file', 'Match the columns', 'Check and match', 'Done'];
  const stepIndex = { choose: 0, map: 1, check: 2, done: 3 }[step.name];
  const repeat = (inspected: EstablishmentInspect) =>
    inspected.alreadyImported !== null && inspected.alreadyImported.undoneAt === null;
  /** What still stops the import, in words: the button says nothing about why it is greyed out. */
  const waiting = (p: EstablishmentPreview, inspected: EstablishmentInspect): string[] =>
    [
      p.matched === 0 && 'no line matches a role and a service yet',
      p.rejected > 0 && !acceptRejected && 'fix the rejected lines, or choose to import without them',
      p.unmatched > 0 && !leaveUnmatched && 'match the unmatched lines, or choose to leave them out',
      repeat(inspected) && !importAgain && 'confirm that this file should be imported again',
    ].filter((w): w is string => typeof w === 'string');

  return (
    <section aria-labelledby="establishment-title">
      <h2 id="establishment-title" ref={headingRef} tabIndex={-1}>
        Import the establishment
      </h2>
      <ol className="steps" aria-label="Steps">
        {stepNames.map((s, i) => (
          <li key={s} aria-current={i === stepIndex ? 'step' : undefined}>
            {i + 1}. {s}
          </li>
        ))}
      </ol>
      <MessageNotice message={message} />

      {step.name === 'choose' && (
        <>
          <p className="hint">
            Finance's establishment report as CSV or Excel (.xlsx): for each funded post, its cost centre or service,
            job title, band and funded WTE, and its budget in pounds if finance gives one. Each line sets the
            establishment of that role in that service; lines for the same post are added up. Staff records are not
            touched, and nothing changes until you confirm the import.
          </p>
          <FileDrop
            id="establishment-file"
            label="Choose an establishment report"
            accept=".csv,.txt,.tsv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            disabled={busy}
            onFile={(file) => void takeFile(file)}
            fileName={sent?.fileName ?? null}
            progress={busy ? sent : null}
            testId="establishment-dropzone"
          />
          <h2>Establishment imports so far</h2>
          <Batches
            reloadKey={batchesKey}
            onChanged={(m) => {
              setMessage(m);
              setBatchesKey((k) => k + 1);
            }}
          />
        </>
      )}

      {step.name === 'map' && mapping && (
        <MappingStep
          inspected={step.inspected}
          mapping={mapping}
          setMapping={setMapping}
          profileName={profileName}
          setProfileName={setProfileName}
          busy={busy}
          onBack={reset}
          onCheck={() => void check(step.inspected)}
        />
      )}

      {step.name === 'check' && (
        <>
          {step.inspected.alreadyImported && (
            <Notice kind={step.inspected.alreadyImported.undoneAt ? 'info' : 'warning'}>
              {alreadyImportedText(step.inspected.alreadyImported)}
            </Notice>
          )}
          <p>
            Nothing has changed yet. This is what importing <strong>{step.inspected.fileName}</strong> will do:
          </p>
          <Counts p={step.preview} done={false} />
          {step.preview.combined > 0 && (
            <p className="hint" data-testid="establishment-combined">
              {formatCount(step.preview.combined)} post {step.preview.combined === 1 ? 'line is' : 'lines are'} on more
              than one line of the report: their WTE and budgets are added up.
            </p>
          )}
          <Vacancy p={step.preview} />
          {(toMatch.services.length > 0 || toMatch.roles.length > 0) && (
            <MatchPanel
              toMatch={toMatch}
              preview={step.preview}
              serviceChoices={serviceChoices}
              setServiceChoices={setServiceChoices}
              roleChoices={roleChoices}
              setRoleChoices={setRoleChoices}
              busy={busy}
              onApply={() => void check(step.inspected)}
            />
          )}
          {step.preview.rejected > 0 && (
            <>
              <Notice kind="warning">
                {formatCount(step.preview.rejected)} {step.preview.rejected === 1 ? 'line has' : 'lines have'} problems
                and cannot be imported. Fix them in the file and choose it again, or import the other lines without
                them.
              </Notice>
              <IssueList
                caption="Rejected lines"
                messageHeader="Reason"
                issues={step.preview.rejectedLines}
                total={step.preview.rejectedIssueCount}
                testId="establishment-rejected"
              />
              <Check id="accept-rejected" checked={acceptRejected} onChange={setAcceptRejected}>
                Import the other lines without the rejected ones
              </Check>
            </>
          )}
          {step.preview.warningCount > 0 && (
            <IssueList caption="Warnings" issues={step.preview.warnings} total={step.preview.warningCount} />
          )}
          {step.preview.unmatched > 0 && (
            <Check id="leave-unmatched" checked={leaveUnmatched} onChange={setLeaveUnmatched}>
              Leave the {formatCount(step.preview.unmatched)} unmatched{' '}
              {step.preview.unmatched === 1 ? 'line' : 'lines'} out of this import
            </Check>
          )}
          {repeat(step.inspected) && (
            <Check id="import-again" checked={importAgain} onChange={setImportAgain}>
              Yes, import this file again
            </Check>
          )}
          {step.preview.changes.length > 0 && (
            <DataTable
              caption="Post lines the import changes or adds"
              testId="establishment-changes"
              columns={[
                { id: 'role', header: 'Role', cell: (c) => `${c.role} (band ${c.band})` },
                { id: 'service', header: 'Service', cell: (c) => c.service },
                { id: 'lines', header: 'Lines', numeric: true, cell: (c) => formatCount(c.lines) },
                { id: 'before', header: 'WTE now', numeric: true, cell: (c) => fte(c.beforeFte) },
                { id: 'after', header: 'WTE after', numeric: true, cell: (c) => fte(c.afterFte) },
                { id: 'budgetBefore', header: 'Budget now', numeric: true, cell: (c) => pounds(c.beforeBudgetPence) },
                { id: 'budgetAfter', header: 'Budget after', numeric: true, cell: (c) => pounds(c.afterBudgetPence) },
              ]}
              rows={step.preview.changes}
              rowKey={(c) => `${c.role}|${c.band}|${c.service}`}
            />
          )}
          {waiting(step.preview, step.inspected).length > 0 && (
            <p className="hint" data-testid="establishment-waiting">
              Before importing: {waiting(step.preview, step.inspected).join('; ')}.
            </p>
          )}
          <div className="button-group">
            <button
              type="button"
              className="button"
              disabled={busy || waiting(step.preview, step.inspected).length > 0}
              onClick={() => void commit(step.inspected)}
            >
              Import the establishment
            </button>
            <button
              type="button"
              className="button button--secondary"
              disabled={busy}
              onClick={() => setStep({ name: 'map', inspected: step.inspected })}
            >
              Back to the columns
            </button>
            <button type="button" className="button button--secondary" disabled={busy} onClick={reset}>
              Cancel
            </button>
          </div>
        </>
      )}

      {step.name === 'done' && (
        <>
          <Notice kind="success">
            Imported {step.result.batch.fileName} as establishment import {step.result.batch.id}. You can undo it from
            the list below.
          </Notice>
          <Counts p={step.result} done />
          <Vacancy p={step.result} />
          <div className="button-group">
            <a className="button" href="#/workforce/summary">
              See vacancy on the Summary
            </a>
            <button type="button" className="button button--secondary" onClick={backToChoose}>
              Import another file
            </button>
          </div>
          <h2>Establishment imports so far</h2>
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

function Check(props: { id: string; checked: boolean; onChange: (b: boolean) => void; children: React.ReactNode }) {
  return (
    <div className="checkbox">
      <input id={props.id} type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.target.checked)} />
      <label htmlFor={props.id}>{props.children}</label>
    </div>
  );
}

function MappingStep(props: {
  inspected: EstablishmentInspect;
  mapping: EstablishmentMapping;
  setMapping: (m: EstablishmentMapping) => void;
  profileName: string;
  setProfileName: (s: string) => void;
  busy: boolean;
  onBack: () => void;
  onCheck: () => void;
}) {
  const { inspected, mapping } = props;
  const missing = missingEstablishmentFields(mapping);
  return (
    <>
      {inspected.alreadyImported && (
        <Notice kind={inspected.alreadyImported.undoneAt ? 'info' : 'warning'}>
          {alreadyImportedText(inspected.alreadyImported)}
        </Notice>
      )}
      <p>
        <strong>{inspected.fileName}</strong>: {inspected.format === 'xlsx' ? 'Excel workbook' : 'CSV'},{' '}
        {inspected.headers.length} columns.
      </p>
      <ColumnMappingTable
        fields={ESTABLISHMENT_FIELDS}
        labels={establishmentFieldLabels}
        required={REQUIRED}
        note={(field) => (field === 'costCentre' || field === 'service' ? '(cost centre or service required)' : null)}
        idPrefix="establishment-map"
        fileName={inspected.fileName}
        headers={inspected.headers}
        sampleRows={inspected.sampleRows}
        mapping={mapping}
        onChange={(field, column) => props.setMapping({ ...mapping, [field]: column })}
      />
      <LabelledField
        htmlFor="establishment-profile"
        label="Profile name"
        width="medium"
        hint="The columns, and the services you match by hand, are saved under this name when you import, so that next year's report matches. Leave it empty not to save them."
      >
        <input
          id="establishment-profile"
          className="input"
          value={props.profileName}
          onChange={(e) => props.setProfileName(e.target.value)}
        />
      </LabelledField>
      {missing.length > 0 && <Notice kind="info">Still to choose: {missing.join('; ')}.</Notice>}
      <div className="button-group">
        <button type="button" className="button" disabled={props.busy || missing.length > 0} onClick={props.onCheck}>
          Check the file
        </button>
        <button type="button" className="button button--secondary" disabled={props.busy} onClick={props.onBack}>
          Choose another file
        </button>
      </div>
    </>
  );
}

const LEAVE = '';
const CREATE = 'create';

function MatchPanel(props: {
  toMatch: { services: EstablishmentPreview['unmatchedServices']; roles: EstablishmentPreview['unmatchedRoles'] };
  preview: EstablishmentPreview;
  serviceChoices: Record<string, ServiceChoice>;
  setServiceChoices: (c: Record<string, ServiceChoice>) => void;
  roleChoices: Record<string, RoleChoice>;
  setRoleChoices: (c: Record<string, RoleChoice>) => void;
  busy: boolean;
  onApply: () => void;
}) {
  const services = useApi('workforce/services', {});
  const roles = useApi('workforce/roles', {});
  const serviceOptions = useMemo(
    () =>
      (services.data ?? []).map((s) => ({
        value: String(s.id),
        label: s.costCentre ? `${s.name} (${s.costCentre})` : s.name,
      })),
    [services.data],
  );
  const roleOptions = useMemo(
    () => (roles.data ?? []).map((r) => ({ value: String(r.id), label: `${r.title} (band ${r.band}), ${r.services}` })),
    [roles.data],
  );
  const stillUnmatched = (u: Unmatched) =>
    'band' in u
      ? props.preview.unmatchedRoles.some((r) => roleKeyOf(r) === roleKeyOf(u))
      : props.preview.unmatchedServices.some((s) => s.text === u.text);
  const status = (u: Unmatched) => (
    <span className="sample">
      {formatCount(u.lines)} {u.lines === 1 ? 'line' : 'lines'}, first on line {formatCount(u.firstLine)}.{' '}
      {stillUnmatched(u) ? 'Not matched yet.' : 'Matched.'}
    </span>
  );
  return (
    <div className="panel" data-testid="establishment-match">
      <h3>Lines that match no service or role</h3>
      <p className="hint">
        Choose the service or role each one is, or create it. Roles you choose for another title are remembered, so next
        year's report lands in them; services you choose are remembered in the profile.
      </p>
      {props.toMatch.services.map((s, i) => {
        const key = serviceKeyOf(s.text);
        const choice = props.serviceChoices[key];
        const value = !choice ? LEAVE : 'serviceId' in choice ? String(choice.serviceId) : CREATE;
        return (
          <fieldset key={key} className="match-item" data-testid={`match-service-${i}`}>
            <legend>
              Service <strong>{s.text}</strong>
              {s.detail ? ` (${s.detail})` : ''}
            </legend>
            {status(s)}
            <SearchPicker
              id={`match-service-${i}`}
              label={`a service for ${s.text}`}
              options={serviceOptions}
              value={value}
              extra={[
                { value: LEAVE, label: 'Leave unmatched' },
                { value: CREATE, label: `Create the service "${s.detail ?? s.text}"` },
              ]}
              onChange={(v) => {
                const next = { ...props.serviceChoices };
                if (v === LEAVE) delete next[key];
                else if (v === CREATE)
                  next[key] = {
                    text: s.text,
                    create: { name: s.detail ?? s.text, costCentre: s.detail ? s.text : null },
                  };
                else next[key] = { text: s.text, serviceId: Number(v) };
                props.setServiceChoices(next);
              }}
            />
          </fieldset>
        );
      })}
      {props.toMatch.roles.map((r, i) => {
        const key = roleKeyOf(r);
        const choice = props.roleChoices[key];
        const value = !choice ? LEAVE : 'roleId' in choice ? String(choice.roleId) : CREATE;
        return (
          <fieldset key={key} className="match-item" data-testid={`match-role-${i}`}>
            <legend>
              Role <strong>{r.title}</strong>, band {r.band}
            </legend>
            {status(r)}
            <SearchPicker
              id={`match-role-${i}`}
              label={`a role for ${r.title}`}
              options={roleOptions}
              value={value}
              extra={[
                { value: LEAVE, label: 'Leave unmatched' },
                { value: CREATE, label: `Create the role "${r.title}" (band ${r.band})` },
              ]}
              onChange={(v) => {
                const next = { ...props.roleChoices };
                if (v === LEAVE) delete next[key];
                else if (v === CREATE) next[key] = { title: r.title, band: r.band, create: { profession: 'OTH' } };
                else next[key] = { title: r.title, band: r.band, roleId: Number(v) };
                props.setRoleChoices(next);
              }}
            />
            {choice && 'create' in choice && (
              <LabelledField
                htmlFor={`match-role-${i}-profession`}
                label="Main profession of the new role"
                width="medium"
              >
                <select
                  id={`match-role-${i}-profession`}
                  className="select"
                  value={choice.create.profession}
                  onChange={(e) =>
                    props.setRoleChoices({
                      ...props.roleChoices,
                      [key]: { ...choice, create: { profession: e.target.value } },
                    })
                  }
                >
                  {professions.items.map((p) => (
                    <option key={p.code} value={p.code}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </LabelledField>
            )}
          </fieldset>
        );
      })}
      <button type="button" className="button button--secondary" disabled={props.busy} onClick={props.onApply}>
        Check again with these matches
      </button>
    </div>
  );
}

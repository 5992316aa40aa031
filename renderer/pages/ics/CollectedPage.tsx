import { useState } from 'react';
import { api, uploadFile, useApi } from '../../api';
import { DataTable } from '../../components/DataTable';
import { FileDrop, type FileDropProgress } from '../../components/FileDrop';
import { Notice } from '../../components/forms';
import { formatDateTime } from '../../components/format';
import { Stat, StatCards } from '../../components/stats';
import { dateLabel } from '../../../shared/common/periods';
import type { AddOutcome, AddResult, CollectedReturn, FileOutcome, IcsStatus } from '../../../shared/ics/channels';
import { HashDisclosure } from '../returns/common';
import { PeriodChooser, periodLabel, trustColumn, useIcsPeriod } from './common';
import './ics.css';

const OUTCOME_LABELS: Record<AddOutcome, string> = {
  added: 'Added',
  'added-superseding': 'Added: replaces an earlier version',
  'added-superseded': 'Added: a later version already replaces it',
  refused: 'Refused',
};

/** A file the upload itself turned down (too large, unreadable) never reaches the check: it is listed the same way. */
interface UploadFailure {
  fileName: string;
  message: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Collecting the trusts' exact returns: add many files at once, see who has sent, and every return kept. */
export function CollectedPage() {
  const [reloadKey, setReloadKey] = useState(0);
  return (
    <>
      <h1>Collected returns</h1>
      <p className="lede">
        Add the returns your trusts send you: the ICS data-sharing version (JSON file) each trust exports after signing
        off. Every file is checked before it is kept; a file that was changed after sign-off, or is not a trust's return
        for this ICS, is refused with the reason.
      </p>
      <AddReturns onAdded={() => setReloadKey((k) => k + 1)} />
      <WhoHasSent reloadKey={String(reloadKey)} />
      <CollectedList reloadKey={String(reloadKey)} />
    </>
  );
}

function AddReturns({ onAdded }: { onAdded: () => void }) {
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<FileDropProgress | null>(null);
  const [result, setResult] = useState<AddResult | null>(null);
  const [failures, setFailures] = useState<UploadFailure[]>([]);
  const [error, setError] = useState<string>();

  const add = async () => {
    if (files.length === 0) return setError('Choose the return files to add first.');
    setBusy(true);
    setError(undefined);
    setResult(null);
    const totalBytes = files.reduce((a, f) => a + f.size, 0);
    let before = 0;
    const uploadIds: string[] = [];
    const failed: UploadFailure[] = [];
    for (const file of files) {
      const sent = await uploadFile(file, 'return-file', (sentBytes) =>
        setProgress({ sentBytes: before + sentBytes, totalBytes }),
      );
      before += file.size;
      if (sent.ok) uploadIds.push(sent.value.uploadId);
      else failed.push({ fileName: file.name, message: sent.error.message });
    }
    setProgress(null);
    setFailures(failed);
    if (uploadIds.length > 0) {
      const added = await api('ics/add', { uploadIds });
      if (added.ok) {
        setResult(added.value);
        setFiles([]);
        onAdded();
      } else setError(added.error.message);
    } else setFiles([]);
    setBusy(false);
  };

  const chosen =
    files.length === 0
      ? null
      : files.length === 1
        ? files[0]!.name
        : `${files.length} files (${files.map((f) => f.name).join(', ')})`;
  const refused = (result?.refused ?? 0) + failures.length;
  return (
    <section aria-labelledby="add-title" className="panel ics-panel">
      <h2 id="add-title">Add returns</h2>
      <FileDrop
        id="return-files"
        label="Return files"
        hint="One or more JSON files, each a trust's ICS data-sharing version. You can add many at once."
        accept=".json,application/json"
        disabled={busy}
        onFiles={(chosenFiles) => {
          setFiles(chosenFiles);
          setError(undefined);
        }}
        fileName={chosen}
        progress={progress}
      />
      {error && <Notice kind="warning">{error}</Notice>}
      <button type="button" className="button" onClick={add} disabled={busy}>
        {busy ? 'Checking the returns…' : 'Check and add the returns'}
      </button>
      {(result || failures.length > 0) && (
        <div data-testid="add-result">
          <Notice kind={refused > 0 ? 'warning' : 'success'}>
            <span data-testid="add-summary">
              {result?.summary}
              {failures.length > 0 && ` ${plural(failures.length, 'file')} could not be sent.`}
            </span>
          </Notice>
          <DataTable<FileOutcome | UploadFailure>
            caption="What happened to each file"
            testId="add-outcomes"
            className="ics-table"
            rows={[...(result?.files ?? []), ...failures]}
            rowKey={(f) => f.fileName + ('outcome' in f ? `/${f.outcome}/${f.collectedId ?? ''}` : '/not-sent')}
            rowAttributes={(f) => ({ 'data-outcome': 'outcome' in f ? f.outcome : 'not-sent' })}
            columns={[
              { id: 'file', header: 'File', rowHeader: true, className: 'ics-file', cell: (f) => f.fileName },
              {
                id: 'outcome',
                header: 'Outcome',
                cell: (f) =>
                  'outcome' in f ? (
                    <strong className={f.outcome === 'refused' ? 'ics-refused' : undefined}>
                      {OUTCOME_LABELS[f.outcome]}
                    </strong>
                  ) : (
                    <strong className="ics-refused">Not sent</strong>
                  ),
              },
              {
                id: 'trust',
                header: 'Trust',
                cell: (f) => ('trust' in f && f.trust ? `${f.trust.name} (${f.trust.odsCode})` : ''),
              },
              {
                id: 'period',
                header: 'Period and version',
                cell: (f) =>
                  'period' in f && f.period ? `${f.period}${f.version !== null ? ` version ${f.version}` : ''}` : '',
              },
              { id: 'message', header: 'Why / what happened', className: 'ics-wide', cell: (f) => f.message },
            ]}
          />
        </div>
      )}
    </section>
  );
}

function WhoHasSent({ reloadKey }: { reloadKey: string }) {
  const { period, choose, choices, status } = useIcsPeriod(reloadKey);
  const s = status.data;
  return (
    <section aria-labelledby="sent-title">
      <h2 id="sent-title">Who has sent and who has not</h2>
      <PeriodChooser id="sent-period" period={period} choices={choices} onChoose={choose} />
      {status.error && <Notice kind="warning">{status.error}</Notice>}
      {s && s.period === period && (
        <>
          <StatCards label={`Returns for ${periodLabel(period)}`}>
            <Stat label="Trusts that have sent" testId="sent-count">
              {s.sent} of {s.trusts.length}
            </Stat>
            <Stat label="Still to send" testId="missing-count">
              {s.missing}
            </Stat>
          </StatCards>
          <DataTable<IcsStatus['trusts'][number]>
            caption={`Returns for ${periodLabel(period)}`}
            testId="ics-status"
            className="ics-table"
            rows={s.trusts}
            rowKey={(t) => t.odsCode}
            rowAttributes={(t) => ({ 'data-sent': t.sent ? 'yes' : 'no' })}
            defaultSort={{ id: 'sent', desc: false }}
            empty="No trusts yet. Add them under Trusts, or add their returns above."
            columns={[
              trustColumn(),
              {
                id: 'sent',
                header: 'Sent?',
                sortable: true,
                value: (t) => (t.sent ? 1 : 0),
                cell: (t) => (t.sent ? 'Sent' : <strong className="ics-missing">Not sent</strong>),
              },
              { id: 'version', header: 'Version', numeric: true, cell: (t) => t.version ?? '' },
              { id: 'asAt', header: 'Figures as at', cell: (t) => (t.asAt ? dateLabel(t.asAt) : '') },
              { id: 'received', header: 'Received', cell: (t) => (t.receivedAt ? formatDateTime(t.receivedAt) : '') },
              {
                id: 'superseded',
                header: 'Earlier versions kept',
                numeric: true,
                cell: (t) => (t.superseded > 0 ? t.superseded : ''),
              },
            ]}
          />
        </>
      )}
    </section>
  );
}

function CollectedList({ reloadKey }: { reloadKey: string }) {
  const collected = useApi('ics/collected', { period: null }, reloadKey);
  const rows = collected.data?.returns;
  const versionOf = (id: number) => rows?.find((r) => r.id === id)?.version;
  return (
    <section aria-labelledby="collected-title">
      <h2 id="collected-title">Every return collected</h2>
      <p>
        Newest first. When a trust sends a corrected version, the earlier one is kept, marked as replaced, with the
        trust's reason for the correction.
      </p>
      {collected.error && <Notice kind="warning">{collected.error}</Notice>}
      {rows && (
        <DataTable<CollectedReturn>
          caption={`Returns collected (${rows.length})`}
          testId="ics-collected"
          className="ics-table"
          rows={rows}
          rowKey={(r) => r.id}
          rowAttributes={(r) => ({ 'data-superseded': r.supersededById ? 'yes' : 'no' })}
          empty="No returns collected yet."
          columns={[
            {
              id: 'trust',
              header: 'Trust',
              rowHeader: true,
              sortable: true,
              value: (r) => r.trustName,
              cell: (r) => `${r.trustName} (${r.trustOds})`,
            },
            { id: 'period', header: 'Period', sortable: true, value: (r) => r.period, cell: (r) => r.period },
            { id: 'version', header: 'Version', numeric: true, cell: (r) => r.version },
            {
              id: 'state',
              header: 'Current?',
              className: 'ics-wide',
              cell: (r) =>
                r.supersededById ? (
                  <>
                    <strong>Replaced</strong> by version {versionOf(r.supersededById) ?? 'later'}
                    {r.supersededReason && `: ${r.supersededReason}`}
                  </>
                ) : (
                  'Current'
                ),
            },
            { id: 'staff', header: 'Staff in post', numeric: true, cell: (r) => r.staffInPost.toLocaleString('en-GB') },
            { id: 'asAt', header: 'Figures as at', cell: (r) => dateLabel(r.asAt) },
            {
              id: 'signed',
              header: 'Signed off by',
              cell: (r) => `${r.signedBy}, ${dateLabel(r.signedAt.slice(0, 10))}`,
            },
            {
              id: 'received',
              header: 'Received',
              className: 'ics-file',
              cell: (r) => `${formatDateTime(r.receivedAt)} (${r.fileName})`,
            },
            {
              id: 'hash',
              header: 'Hash (SHA-256)',
              cell: (r) => <HashDisclosure hash={r.hash} />,
            },
          ]}
        />
      )}
    </section>
  );
}

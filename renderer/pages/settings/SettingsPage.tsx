import { useState } from 'react';
import { api, saveFile, uploadFile, useApi } from '../../api';
import { FileDrop, type FileDropProgress } from '../../components/FileDrop';
import { Notice } from '../../components/forms';
import { formatBytes, formatDateTime } from '../../components/format';
import { useMessage } from '../../components/message';
import { DataTable } from '../../components/DataTable';
import { KEY_EXPORT_WARNING } from '../../../shared/settings/channels';
import { useOrganisation } from '../../components/organisation';
import { AuditView } from './AuditView';
import { KIND_LABELS, OrganisationForm } from './OrganisationForm';

export function SettingsPage() {
  const [reloadKey, setReloadKey] = useState(0);
  const info = useApi('settings/info', {}, String(reloadKey));
  const key = useApi('settings/key', {}, String(reloadKey));
  const { setMessage, notice } = useMessage();
  const [busy, setBusy] = useState(false);
  const [restoreFile, setRestoreFile] = useState<File | null>(null);
  const [sending, setSending] = useState<FileDropProgress | null>(null);
  const [keyFile, setKeyFile] = useState<File | null>(null);
  const [keySending, setKeySending] = useState<FileDropProgress | null>(null);

  const backup = async () => {
    setBusy(true);
    const result = await api('settings/backup', {});
    setBusy(false);
    if (!result.ok) return setMessage({ kind: 'warning', text: result.error.message });
    const saved = await saveFile(result.value);
    setMessage(
      saved
        ? { kind: 'success', text: `Backup ${result.value.fileName} created.` }
        : { kind: 'warning', text: 'The backup was not saved.' },
    );
    setReloadKey((k) => k + 1);
  };

  const restore = async () => {
    const file = restoreFile;
    if (!file) return setMessage({ kind: 'warning', text: 'Choose a backup file to restore first.' });
    if (
      !window.confirm(
        `Replace everything in this database with ${file.name}? A copy of the current database is kept in the backups folder.`,
      )
    )
      return;
    setBusy(true);
    setSending({ sentBytes: 0, totalBytes: file.size });
    const sent = await uploadFile(file, 'backup', (sentBytes, totalBytes) => setSending({ sentBytes, totalBytes }));
    setSending(null);
    const result = sent.ok ? await api('settings/restore', { uploadId: sent.value.uploadId }) : sent;
    setBusy(false);
    if (!result.ok) return setMessage({ kind: 'warning', text: result.error.message });
    setMessage({ kind: 'success', text: `Restored from ${file.name}. The previous database was kept as a backup.` });
    setRestoreFile(null);
    setReloadKey((k) => k + 1);
  };

  const exportKey = async () => {
    if (!window.confirm(`${KEY_EXPORT_WARNING}\n\nExport the key now?`)) return;
    setBusy(true);
    const result = await api('settings/key-export', { acknowledged: true });
    setBusy(false);
    if (!result.ok) return setMessage({ kind: 'warning', text: result.error.message });
    const saved = await saveFile(result.value);
    setMessage(
      saved
        ? {
            kind: 'success',
            text: `Key saved as ${result.value.fileName}. Import it on the other computer, then delete every other copy.`,
          }
        : { kind: 'warning', text: 'The key was not saved.' },
    );
    setReloadKey((k) => k + 1);
  };

  const importKey = async () => {
    const file = keyFile;
    if (!file) return setMessage({ kind: 'warning', text: 'Choose the key file to import first.' });
    setBusy(true);
    setKeySending({ sentBytes: 0, totalBytes: file.size });
    const sent = await uploadFile(file, 'key', (sentBytes, totalBytes) => setKeySending({ sentBytes, totalBytes }));
    setKeySending(null);
    const result = sent.ok ? await api('settings/key-import', { uploadId: sent.value.uploadId }) : sent;
    setBusy(false);
    if (!result.ok) return setMessage({ kind: 'warning', text: result.error.message });
    setMessage({
      kind: 'success',
      text: `${result.value.installed ? 'Key imported' : 'This key was already here'}: staff extracts can be imported. Delete ${file.name} wherever else it is, or keep it as securely as a staff extract.`,
    });
    setKeyFile(null);
    setReloadKey((k) => k + 1);
  };

  const d = info.data;
  const keyState = key.data;
  return (
    <>
      <h1>Settings</h1>
      {notice}
      {info.error && <Notice kind="warning">{info.error}</Notice>}
      <OrganisationSection />
      <section aria-labelledby="db-title">
        <h2 id="db-title">Database</h2>
        {d && (
          <dl className="summary-list">
            <div>
              <dt>File</dt>
              <dd className="mono" data-testid="db-path">
                {d.path}
              </dd>
            </div>
            <div>
              <dt>Schema version</dt>
              <dd data-testid="schema-version">
                {d.schemaVersion}{' '}
                {d.schemaVersion === d.latestSchemaVersion
                  ? '(up to date)'
                  : `(this app knows up to ${d.latestSchemaVersion})`}
              </dd>
            </div>
            <div>
              <dt>Size</dt>
              <dd data-testid="db-size">
                {formatBytes(d.sizeBytes)}
                {d.walBytes > 0 &&
                  ` (of which ${formatBytes(d.walBytes)} in the write-ahead log, the "-wal" file beside it)`}
              </dd>
            </div>
            <div>
              <dt>Last backup</dt>
              <dd data-testid="last-backup">{d.lastBackup ? formatDateTime(d.lastBackup) : 'Never'}</dd>
            </div>
            {d.lastRestore && (
              <div>
                <dt>Last restore</dt>
                <dd data-testid="last-restore">
                  {formatDateTime(d.lastRestore.at)}, from {d.lastRestore.fileName}
                </dd>
              </div>
            )}
            <div>
              <dt>SQLite</dt>
              <dd>{d.sqliteVersion}</dd>
            </div>
          </dl>
        )}
      </section>

      <section aria-labelledby="backup-title">
        <h2 id="backup-title">Back up and restore</h2>
        <p>
          A backup is a complete copy of this database. Keep it somewhere your trust backs up, such as a shared drive.
        </p>
        <button type="button" className="button" onClick={backup} disabled={busy}>
          Back up now
        </button>
        <div className="panel">
          <h3>Restore from a backup</h3>
          <p>
            Restoring replaces everything in this database with the backup. The current database is copied to the
            backups folder first, so nothing is lost.
          </p>
          <FileDrop
            id="restore-file"
            label="Backup file"
            hint="A .sqlite file made by Back up now"
            accept=".sqlite,.db,application/vnd.sqlite3"
            disabled={busy}
            onFile={(file) => {
              setRestoreFile(file);
              setMessage(undefined);
            }}
            fileName={restoreFile?.name ?? null}
            progress={sending}
          />
          <button type="button" className="button button--warning" onClick={restore} disabled={busy}>
            Restore this backup
          </button>
        </div>
      </section>

      <section aria-labelledby="key-title">
        <h2 id="key-title">Pseudonymisation key</h2>
        <p>
          Staff and assignment numbers are stored only as pseudonyms made with a secret key. The key is kept on this
          computer, for you only, outside the database file, so the database file and its backups identify nobody on
          their own.
        </p>
        {key.error && <Notice kind="warning">{key.error}</Notice>}
        {keyState?.present && (
          <dl className="summary-list" data-testid="key-status">
            <div>
              <dt>Key</dt>
              <dd>On this computer</dd>
            </div>
            <div>
              <dt>Kept in</dt>
              <dd className="mono">{keyState.keyFile}</dd>
            </div>
          </dl>
        )}
        {keyState && !keyState.present && (
          <div data-testid="key-status">
            <Notice kind="warning">{keyState.message}</Notice>
          </div>
        )}
        <div className="panel">
          <h3>Move the database to another computer</h3>
          <p>
            Copy the database file (or a backup), export the key here, and import the key on the other computer after
            opening the database there.
          </p>
          <p data-testid="key-warning">
            <strong>Warning:</strong> {KEY_EXPORT_WARNING}
          </p>
          <button type="button" className="button" onClick={exportKey} disabled={busy || !keyState?.present}>
            Export key
          </button>
        </div>
        <div className="panel">
          <h3>Import the key</h3>
          <p>For a database brought from another computer: the key file exported there, with Export key.</p>
          <FileDrop
            id="key-file"
            label="Key file"
            hint="A .json key file made by Export key"
            accept=".json,application/json"
            disabled={busy}
            onFile={(file) => {
              setKeyFile(file);
              setMessage(undefined);
            }}
            fileName={keyFile?.name ?? null}
            progress={keySending}
          />
          <button type="button" className="button" onClick={importKey} disabled={busy}>
            Import key
          </button>
        </div>
      </section>

      <section aria-labelledby="reference-title">
        <h2 id="reference-title">Reference data</h2>
        {d && (
          <DataTable
            caption="Reference data in this database"
            columns={[
              { id: 'dataset', header: 'Data set', cell: (r) => r.dataset },
              { id: 'version', header: 'Version', cell: (r) => r.version },
              { id: 'source', header: 'Source', cell: (r) => r.source },
            ]}
            rows={d.referenceData}
            rowKey={(r) => r.dataset}
          />
        )}
      </section>

      <AuditView reloadKey={reloadKey} />
    </>
  );
}

/** Who the database is for. An ICS has no Workforce area, so its details are changed here. */
function OrganisationSection() {
  const organisation = useOrganisation();
  const org = organisation.data;
  if (!org) return null;
  return (
    <section aria-labelledby="organisation-title">
      <h2 id="organisation-title">Organisation</h2>
      {org.kind === 'ics' ? (
        <div className="narrow">
          <OrganisationForm initial={org} onSaved={() => organisation.reload()} />
        </div>
      ) : (
        <dl className="summary-list" data-testid="organisation-kind">
          <div>
            <dt>This database is for</dt>
            <dd>
              {KIND_LABELS[org.kind]}: {org.name} ({org.odsCode}). Change its details under{' '}
              <a href="#/workforce/organisation">Workforce, Organisation</a>.
            </dd>
          </div>
        </dl>
      )}
    </section>
  );
}

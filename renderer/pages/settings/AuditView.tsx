import { useState } from 'react';
import { useApi } from '../../api';
import { Pagination } from '../../components/actions';
import { DataTable } from '../../components/DataTable';
import { LabelledField, Notice } from '../../components/forms';
import { formatCount, formatDateTime } from '../../components/format';
import type { AuditChange, AuditGroup, AuditInput } from '../../../shared/settings/audit';

const PAGE = 25;

/** Local midnight of a YYYY-MM-DD date as an instant; `nextDay` for the end of a range. */
function localMidnight(date: string, nextDay = false): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const d = new Date(`${date}T00:00:00`);
  if (nextDay) d.setDate(d.getDate() + 1);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function Changes({ changes }: { changes: AuditChange[] }) {
  if (changes.length === 0) return null;
  return (
    <ul className="audit-changes">
      {changes.map((c) => (
        <li key={c.field}>
          <strong>{c.field}</strong>:{' '}
          {c.before === null ? (
            c.after
          ) : c.after === null ? (
            <>
              <del>{c.before}</del> (removed)
            </>
          ) : (
            <>
              {c.before} → {c.after}
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

function Entry({ entry }: { entry: AuditGroup }) {
  if (entry.count === 1) {
    return (
      <>
        {entry.summary}
        <Changes changes={entry.rows[0]?.changes ?? []} />
      </>
    );
  }
  return (
    <>
      {entry.summary}
      <details>
        <summary>
          Show the {formatCount(entry.count)} changes
          <span className="visually-hidden"> in {entry.summary}</span>
        </summary>
        <ol className="audit-rows">
          {entry.rows.map((r) => (
            <li key={r.id}>
              {r.subject ?? (r.entityId ? `#${r.entityId}` : 'Change')}
              <Changes changes={r.changes} />
            </li>
          ))}
        </ol>
        {entry.count > entry.rows.length && (
          <p className="hint">
            The first {formatCount(entry.rows.length)} of {formatCount(entry.count)} are shown.
          </p>
        )}
      </details>
    </>
  );
}

/** The audit trail: who changed what and when, before and after, filtered and a page at a time. */
export function AuditView({ reloadKey }: { reloadKey: number }) {
  const [filter, setFilter] = useState({ entity: '', person: '', from: '', to: '' });
  const [offset, setOffset] = useState(0);
  const person = filter.person.trim();
  const personOk = person === '' || /^[0-9a-fA-F]{4,32}$/.test(person);
  const input: AuditInput = {
    offset,
    limit: PAGE,
    ...(filter.entity ? { entity: filter.entity } : {}),
    ...(person && personOk ? { person } : {}),
    ...(localMidnight(filter.from) ? { from: localMidnight(filter.from) } : {}),
    ...(localMidnight(filter.to, true) ? { to: localMidnight(filter.to, true) } : {}),
  };
  const audit = useApi('settings/audit', input, `${reloadKey}`);
  const set = (key: keyof typeof filter) => (e: { target: { value: string } }) => {
    setOffset(0);
    setFilter((f) => ({ ...f, [key]: e.target.value }));
  };
  const page = audit.data;
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit trail</h2>
      <p className="hint">
        Every change anyone made, newest first: who, when, and what it was before and after. A change made to many
        things at once (a bulk mapping, re-costing every training need) is one entry: open it to see each one.
      </p>
      <form className="panel" role="search" aria-label="Filter the audit trail" onSubmit={(e) => e.preventDefault()}>
        <div className="field-row">
          <LabelledField htmlFor="audit-area" label="Area" width="medium">
            <select id="audit-area" className="select" value={filter.entity} onChange={set('entity')}>
              <option value="">All areas</option>
              {page?.areas.map((a) => (
                <option key={a.entity} value={a.entity}>
                  {a.label}
                </option>
              ))}
            </select>
          </LabelledField>
          <LabelledField
            htmlFor="audit-person"
            label="Staff reference"
            hint={personOk ? 'Changes about one person' : 'Use the reference the screens show, e.g. 3FA2C81B'}
            width="short"
          >
            <input
              id="audit-person"
              className="input mono"
              type="search"
              value={filter.person}
              onChange={set('person')}
              aria-invalid={personOk ? undefined : true}
            />
          </LabelledField>
          <LabelledField htmlFor="audit-from" label="From" width="short">
            <input id="audit-from" className="input" type="date" value={filter.from} onChange={set('from')} />
          </LabelledField>
          <LabelledField htmlFor="audit-to" label="To (inclusive)" width="short">
            <input id="audit-to" className="input" type="date" value={filter.to} onChange={set('to')} />
          </LabelledField>
        </div>
      </form>
      {audit.error && <Notice kind="warning">{audit.error}</Notice>}
      {page && (
        <>
          <DataTable
            caption={
              page.total === 0
                ? 'No changes match'
                : `Entries ${formatCount(offset + 1)} to ${formatCount(Math.min(offset + PAGE, page.total))} of ${formatCount(page.total)} (${formatCount(page.rows)} changes)`
            }
            testId="audit-table"
            columns={[
              { id: 'at', header: 'When', cell: (e) => formatDateTime(e.at) },
              { id: 'user', header: 'Who', cell: (e) => e.user },
              { id: 'what', header: 'What changed', cell: (e) => <Entry entry={e} /> },
            ]}
            rows={page.entries}
            rowKey={(e) => e.id}
            rowAttributes={(e) => ({ 'data-count': e.count })}
          />
          <Pagination
            hasPrevious={offset > 0}
            hasNext={offset + PAGE < page.total}
            onPrevious={() => setOffset(Math.max(0, offset - PAGE))}
            onNext={() => setOffset(offset + PAGE)}
          />
        </>
      )}
    </section>
  );
}

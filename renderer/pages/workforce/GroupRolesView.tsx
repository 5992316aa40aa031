import { useState } from 'react';
import { api, useApi } from '../../api';
import { DataTable } from '../../components/DataTable';
import { ErrorSummary, Field, Notice, errorsFromApi, useFormState } from '../../components/forms';
import { formatCount, formatDate, formatDateTime } from '../../components/format';
import { useMessage } from '../../components/message';
import { stageLabel } from '../../../shared/picture/channels';
import type { MappingConflict, RoleMergeView, RoleSuggestion } from '../../../shared/workforce/channels';
import './group-roles.css';

const LABELS = { title: 'New title for the merged role (optional)', keepMappingOf: 'Mapping to keep' };

type Member = RoleSuggestion['members'][number];

const mappingText = (r: Member) =>
  r.mappingStatus ? `${r.stage ? stageLabel(r.stage) : 'no stage'}, ${r.mappingStatus}` : 'not mapped';

/** One suggested group: which role to keep, a new title if wanted, and which mapping when theirs differ. */
function SuggestionCard({
  suggestion,
  index,
  onMerged,
}: {
  suggestion: RoleSuggestion;
  index: number;
  onMerged: (text: string) => void;
}) {
  const form = useFormState({ title: '', keep: String(suggestion.roleIds[0]), keepMappingOf: '' });
  const members = suggestion.members;
  const mapped = members.filter((r) => r.mappingStatus !== null);
  const formName = `group-${index}`;
  const choose = (key: 'keep' | 'keepMappingOf', value: string) => ({
    checked: form.values[key] === value,
    onChange: () => form.setValues((v) => ({ ...v, [key]: value })),
  });
  const merge = async (e: React.FormEvent) => {
    e.preventDefault();
    const into = Number(form.values.keep);
    form.setBusy(true);
    const result = await api('workforce/roles-merge', {
      roleIds: suggestion.roleIds.filter((id) => id !== into),
      intoRoleId: into,
      title: form.values.title.trim() || null,
      ...(form.values.keepMappingOf === ''
        ? {}
        : { keepMappingOf: form.values.keepMappingOf === 'none' ? null : Number(form.values.keepMappingOf) }),
    });
    form.setBusy(false);
    if (!result.ok) return form.setErrors({ ...errorsFromApi(result.error), '': result.error.message });
    onMerged(`Merged into ${result.value.intoTitle}.${result.value.mappingNote ? ` ${result.value.mappingNote}` : ''}`);
  };
  const heading = `${suggestion.titles[0]}, band ${suggestion.band}`;
  return (
    <form className="panel group-card" onSubmit={merge} noValidate aria-label={`Suggested group: ${heading}`}>
      <h4>{heading}</h4>
      <p className="group-card__reason">
        {suggestion.reason}. {formatCount(suggestion.staff)} staff in post.
      </p>
      <ErrorSummary form={formName} errors={form.errors} labels={LABELS} />
      <fieldset className="fieldset">
        <legend>Keep which role (its title, unless you give a new one)</legend>
        {members.map((r) => (
          <label key={r.id} className="group-radio">
            <input type="radio" name={`${formName}-keep`} value={r.id} {...choose('keep', String(r.id))} />
            <span>
              <strong>{r.title}</strong> ({formatCount(r.headcount)} staff
              {r.services ? `; ${r.services}` : ''}; {mappingText(r)})
            </span>
          </label>
        ))}
      </fieldset>
      {mapped.length > 1 && (
        <fieldset className="fieldset" id={`${formName}-keepMappingOf`} tabIndex={-1}>
          <legend>If their framework mappings differ, keep</legend>
          <label className="group-radio">
            <input type="radio" name={`${formName}-mapping`} {...choose('keepMappingOf', '')} />
            <span>Check first: keep them if they are the same, and ask me if agreed mappings differ</span>
          </label>
          {mapped.map((r) => (
            <label key={r.id} className="group-radio">
              <input type="radio" name={`${formName}-mapping`} {...choose('keepMappingOf', String(r.id))} />
              <span>
                The mapping of {r.title} ({mappingText(r)})
              </span>
            </label>
          ))}
          <label className="group-radio">
            <input type="radio" name={`${formName}-mapping`} {...choose('keepMappingOf', 'none')} />
            <span>None now: list the differing mappings under "Mapping conflicts to settle"</span>
          </label>
        </fieldset>
      )}
      <Field form={formName} path="title" label={LABELS.title} errors={form.errors} width="long">
        {(p) => <input {...p} className="input" type="text" {...form.bind('title')} />}
      </Field>
      <button type="submit" className="button" disabled={form.busy}>
        Merge these {members.length} roles
      </button>
    </form>
  );
}

/** A role's candidate mappings side by side, and the lead's choice of one (or none). */
function ConflictForm({ candidates, onSettled }: { candidates: MappingConflict[]; onSettled: (text: string) => void }) {
  const first = candidates[0]!;
  const [keep, setKeep] = useState<string>('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const name = `conflict-${first.roleId}`;
  const settle = async (e: React.FormEvent) => {
    e.preventDefault();
    if (keep === '') return setError('Choose the mapping to keep, or none of them');
    setBusy(true);
    const result = await api('workforce/mapping-conflict-settle', {
      roleId: first.roleId,
      keep: keep === 'none' ? null : Number(keep),
    });
    setBusy(false);
    if (!result.ok) return setError(result.error.message);
    onSettled(`${first.roleTitle}: mapping conflict settled.`);
  };
  return (
    <form className="panel" onSubmit={settle} noValidate aria-label={`Settle the mapping of ${first.roleTitle}`}>
      <h4>{first.roleTitle}</h4>
      {error && <Notice kind="warning">{error}</Notice>}
      <DataTable
        caption={`Mappings ${first.roleTitle} could keep`}
        captionHidden
        columns={[
          {
            id: 'keep',
            header: 'Keep',
            cell: (c) => (
              <input
                type="radio"
                name={name}
                aria-label={`Keep the mapping from ${c.source}`}
                checked={keep === String(c.id)}
                onChange={() => setKeep(String(c.id))}
              />
            ),
          },
          { id: 'source', header: 'From', rowHeader: true, cell: (c) => c.source },
          { id: 'stage', header: 'Stage', cell: (c) => (c.stage ? stageLabel(c.stage) : 'No stage') },
          { id: 'status', header: 'Status', cell: (c) => (c.status === 'agreed' ? 'Agreed' : 'Draft') },
          {
            id: 'agreed',
            header: 'Agreed by',
            cell: (c) => (c.agreedBy ? `${c.agreedBy}${c.agreedAt ? `, ${formatDate(c.agreedAt)}` : ''}` : ''),
          },
          { id: 'rationale', header: 'Rationale', cell: (c) => c.rationale ?? '' },
          { id: 'domains', header: 'Domains assessed', numeric: true, cell: (c) => c.assessedDomains },
        ]}
        rows={candidates}
        rowKey={(c) => c.id}
      />
      <label className="group-radio">
        <input type="radio" name={name} checked={keep === 'none'} onChange={() => setKeep('none')} />
        <span>None of these: leave {first.roleTitle} as it is now, and map it afresh</span>
      </label>
      <button type="submit" className="button" disabled={busy}>
        Settle the mapping
      </button>
    </form>
  );
}

export function GroupRolesView() {
  const suggestions = useApi('workforce/role-suggestions', {});
  const merges = useApi('workforce/role-merges', {});
  const conflicts = useApi('workforce/mapping-conflicts', {});
  const message = useMessage();
  const [bulkBusy, setBulkBusy] = useState(false);
  const reload = () => {
    suggestions.reload();
    merges.reload();
    conflicts.reload();
  };
  const done = (text: string) => {
    message.setMessage({ kind: 'success', text });
    reload();
  };
  const groups = suggestions.data ?? [];

  const mergeAll = async () => {
    const n = groups.length;
    if (
      !window.confirm(
        `Merge all ${n} suggested groups? Each group becomes one role, keeping the role with most staff and its title. Each merge can be undone on its own afterwards.`,
      )
    )
      return;
    setBulkBusy(true);
    const failed: string[] = [];
    let merged = 0;
    for (const g of groups) {
      const result = await api('workforce/roles-merge', { roleIds: g.roleIds.slice(1), intoRoleId: g.roleIds[0]! });
      if (result.ok) merged++;
      else failed.push(`${g.titles[0]}: ${result.error.message}`);
    }
    setBulkBusy(false);
    message.setMessage({
      kind: failed.length ? 'warning' : 'success',
      text:
        `Merged ${formatCount(merged)} of ${formatCount(n)} suggested groups.` +
        (failed.length ? ` Not merged (merge these one at a time): ${failed.join(' ')}` : ''),
    });
    reload();
  };

  const undo = (m: RoleMergeView) =>
    message.confirmThen(
      `Undo the merge into ${m.intoTitle}? ${m.merged.map((r) => r.title).join('; ')} become roles of their own again, with their staff, posts and mappings as they were.`,
      () => api('workforce/role-merge-undo', { id: m.id }),
      (v) => `Merge undone: ${v.merged.map((r) => r.title).join('; ')} are roles of their own again.`,
      reload,
    );

  const byRole = new Map<number, MappingConflict[]>();
  for (const c of conflicts.data ?? []) byRole.set(c.roleId, [...(byRole.get(c.roleId) ?? []), c]);

  return (
    <section aria-labelledby="group-title">
      <h2 id="group-title">Group roles</h2>
      <p className="lede">
        The same job is often typed several ways in ESR ("Therapy Assistant - Acute", "therapy assistant"). Merge them
        so that each job is one role: its staff, services, establishment and pathway steps come together, and next
        month's extract lands in the merged role under any of its old titles.
      </p>
      {message.notice}
      {[suggestions, merges, conflicts].map(
        (l, i) =>
          l.error && (
            <Notice key={i} kind="warning">
              {l.error}
            </Notice>
          ),
      )}

      <h3 id="suggested-title">Suggested groups ({formatCount(groups.length)})</h3>
      {suggestions.data && groups.length === 0 && (
        <p>
          No suggestions: no two roles of the same band have titles that match once case, spacing, punctuation, band
          text and setting suffixes such as " - Acute" are set aside.
        </p>
      )}
      {groups.length > 1 && (
        <button type="button" className="button button--secondary" onClick={() => void mergeAll()} disabled={bulkBusy}>
          {bulkBusy ? 'Merging…' : `Merge all ${formatCount(groups.length)} suggested groups`}
        </button>
      )}
      {groups.map((g, i) => (
        <SuggestionCard key={g.roleIds.join('-')} suggestion={g} index={i} onMerged={done} />
      ))}

      <h3 id="conflicts-title">Mapping conflicts to settle ({formatCount(byRole.size)})</h3>
      {conflicts.data && byRole.size === 0 ? (
        <p>None: every role has at most one framework mapping.</p>
      ) : (
        <p>
          These roles were brought together (by a merge or by the upgrade to job roles) from roles mapped differently.
          Nothing was chosen for you: keep one mapping, with its domain assessments, or none.
        </p>
      )}
      {[...byRole.values()].map((candidates) => (
        <ConflictForm key={candidates[0]!.roleId} candidates={candidates} onSettled={done} />
      ))}

      <h3 id="merges-title">Merges made</h3>
      {merges.data && merges.data.length === 0 && <p>No roles have been merged yet.</p>}
      {merges.data && merges.data.length > 0 && (
        <DataTable
          caption={`Merges made, newest first (${formatCount(merges.data.length)})`}
          captionHidden
          label="Merges made"
          columns={[
            { id: 'at', header: 'When', cell: (m) => formatDateTime(m.at) },
            { id: 'user', header: 'By', cell: (m) => m.user },
            {
              id: 'into',
              header: 'Into',
              rowHeader: true,
              cell: (m) => (m.renamedFrom ? `${m.intoTitle} (renamed from ${m.renamedFrom})` : m.intoTitle),
            },
            { id: 'merged', header: 'Roles merged', cell: (m) => m.merged.map((r) => r.title).join('; ') },
            { id: 'mapping', header: 'Mappings', cell: (m) => m.mappingNote ?? 'No differences' },
            {
              id: 'undo',
              header: 'Undo',
              cell: (m) =>
                m.undoBlockedBy ? (
                  <span className="hint">{m.undoBlockedBy}</span>
                ) : (
                  <button type="button" className="link-button" onClick={() => void undo(m)}>
                    Undo<span className="visually-hidden"> the merge into {m.intoTitle}</span>
                  </button>
                ),
            },
          ]}
          rows={merges.data}
          rowKey={(m) => m.id}
        />
      )}
    </section>
  );
}

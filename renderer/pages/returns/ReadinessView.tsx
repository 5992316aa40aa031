import { useState, type FormEvent } from 'react';
import { api } from '../../api';
import { ErrorSummary, Field, errorsFromApi, type FieldErrors } from '../../components/forms';
import { useMessage } from '../../components/message';
import { FIRST_PHASE_CONDITIONS } from '../../../shared/funding/streams';
import type { Rag, ReadinessItem, ReturnView } from '../../../shared/returns/channels';
import { RAG_LABELS } from './ReturnTables';

interface ActionDraft {
  action: string;
  owner: string;
  due: string;
}
interface ItemDraft {
  rag: Rag | '';
  done: string;
  risks: string;
  nextActions: ActionDraft[];
}

const RAGS: Rag[] = ['red', 'amber', 'green'];
const RAG_MEANING: Record<Rag, string> = {
  red: 'not started or at risk',
  amber: 'under way',
  green: 'done or on track',
};

function draftsOf(view: ReturnView): ItemDraft[] {
  return FIRST_PHASE_CONDITIONS.map((c) => {
    const saved = view.readiness.find((r) => r.requirement === c.code);
    return {
      rag: saved?.rag ?? '',
      done: saved?.done ?? '',
      risks: saved?.risks ?? '',
      nextActions: (saved?.nextActions ?? []).map((a) => ({ ...a })),
    };
  });
}

/** Section H, typed by the lead: for each first-phase requirement its RAG status, what was done, next actions, risks. */
export function ReadinessView({ view, onChanged }: { view: ReturnView; onChanged: () => void }) {
  const frozen = view.status === 'signed-off' || view.status === 'sent';
  const [items, setItems] = useState<ItemDraft[]>(() => draftsOf(view));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const { notice, setMessage } = useMessage();

  const update = (i: number, change: Partial<ItemDraft>) =>
    setItems((all) => all.map((item, j) => (j === i ? { ...item, ...change } : item)));
  const updateAction = (i: number, a: number, change: Partial<ActionDraft>) =>
    update(i, { nextActions: items[i]!.nextActions.map((x, k) => (k === a ? { ...x, ...change } : x)) });

  const labels: Record<string, string> = {};
  FIRST_PHASE_CONDITIONS.forEach((c, i) => {
    labels[`readiness.${i}.done`] = `${c.text}: what was done`;
    labels[`readiness.${i}.risks`] = `${c.text}: risks`;
    items[i]?.nextActions.forEach((_, a) => {
      labels[`readiness.${i}.nextActions.${a}.action`] = `${c.text}: action ${a + 1}`;
      labels[`readiness.${i}.nextActions.${a}.owner`] = `${c.text}: owner of action ${a + 1}`;
      labels[`readiness.${i}.nextActions.${a}.due`] = `${c.text}: action ${a + 1} due by`;
    });
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const readiness: ReadinessItem[] = FIRST_PHASE_CONDITIONS.map((c, i) => ({
      requirement: c.code,
      rag: items[i]!.rag || null,
      done: items[i]!.done,
      risks: items[i]!.risks,
      nextActions: items[i]!.nextActions,
    }));
    const result = await api('returns/readiness-save', { id: view.id, readiness });
    setBusy(false);
    if (!result.ok) return setErrors(errorsFromApi(result.error));
    setErrors({});
    setMessage({
      kind: 'success',
      text:
        view.status === 'checked'
          ? 'Readiness and actions saved. The return is a draft again: run the checks before signing off.'
          : 'Readiness and actions saved.',
    });
    onChanged();
  };

  return (
    <>
      <h2>Readiness and actions</h2>
      <p className="hint">
        Section H of the return, in your words: where the{' '}
        {view.content.about.organisationKind === 'ics' ? 'ICS' : 'trust'} stands on each first-phase requirement. It is
        kept with the return and frozen with it at sign-off.
      </p>
      {notice}
      <form onSubmit={submit} noValidate>
        <ErrorSummary form="readiness" errors={errors} labels={labels} />
        {FIRST_PHASE_CONDITIONS.map((c, i) => {
          const item = items[i]!;
          return (
            <fieldset key={c.code} className="fieldset readiness-requirement" disabled={frozen}>
              <legend>{c.text}</legend>
              <fieldset className="fieldset">
                <legend>RAG status</legend>
                {RAGS.map((rag) => (
                  <label key={rag} className="radio-inline">
                    <input
                      type="radio"
                      name={`readiness-${i}-rag`}
                      value={rag}
                      checked={item.rag === rag}
                      onChange={() => update(i, { rag })}
                    />{' '}
                    {RAG_LABELS[rag]} ({RAG_MEANING[rag]})
                  </label>
                ))}
              </fieldset>
              <Field form="readiness" path={`readiness.${i}.done`} label="What was done" errors={errors} width="long">
                {(p) => (
                  <textarea
                    {...p}
                    className="input"
                    rows={3}
                    value={item.done}
                    onChange={(e) => update(i, { done: e.target.value })}
                  />
                )}
              </Field>
              <h4>Next actions</h4>
              {item.nextActions.length === 0 && <p className="hint">No next actions yet.</p>}
              {item.nextActions.map((a, k) => (
                <div key={k} className="readiness-action">
                  <Field
                    form="readiness"
                    path={`readiness.${i}.nextActions.${k}.action`}
                    label={`Action ${k + 1}`}
                    errors={errors}
                    width="long"
                  >
                    {(p) => (
                      <input
                        {...p}
                        className="input"
                        value={a.action}
                        onChange={(e) => updateAction(i, k, { action: e.target.value })}
                      />
                    )}
                  </Field>
                  <Field
                    form="readiness"
                    path={`readiness.${i}.nextActions.${k}.owner`}
                    label={`Owner of action ${k + 1}`}
                    errors={errors}
                    width="medium"
                  >
                    {(p) => (
                      <input
                        {...p}
                        className="input"
                        value={a.owner}
                        onChange={(e) => updateAction(i, k, { owner: e.target.value })}
                      />
                    )}
                  </Field>
                  <Field
                    form="readiness"
                    path={`readiness.${i}.nextActions.${k}.due`}
                    label={`Action ${k + 1} due by`}
                    errors={errors}
                    width="short"
                  >
                    {(p) => (
                      <input
                        {...p}
                        className="input"
                        type="date"
                        value={a.due}
                        onChange={(e) => updateAction(i, k, { due: e.target.value })}
                      />
                    )}
                  </Field>
                  <div className="field">
                    <button
                      type="button"
                      className="link-button link-button--danger"
                      onClick={() => update(i, { nextActions: item.nextActions.filter((_, x) => x !== k) })}
                    >
                      Remove action {k + 1}
                      <span className="visually-hidden"> for {c.text}</span>
                    </button>
                  </div>
                </div>
              ))}
              <p>
                <button
                  type="button"
                  className="button button--secondary"
                  onClick={() => update(i, { nextActions: [...item.nextActions, { action: '', owner: '', due: '' }] })}
                >
                  Add a next action<span className="visually-hidden"> for {c.text}</span>
                </button>
              </p>
              <Field form="readiness" path={`readiness.${i}.risks`} label="Risks" errors={errors} width="long">
                {(p) => (
                  <textarea
                    {...p}
                    className="input"
                    rows={2}
                    value={item.risks}
                    onChange={(e) => update(i, { risks: e.target.value })}
                  />
                )}
              </Field>
            </fieldset>
          );
        })}
        {frozen ? (
          <p>This return is signed off: its readiness section cannot change. Make a corrected version to change it.</p>
        ) : (
          <button type="submit" className="button" disabled={busy}>
            Save readiness and actions
          </button>
        )}
      </form>
    </>
  );
}

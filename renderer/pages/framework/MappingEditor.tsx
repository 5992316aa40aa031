import { useEffect, useState } from 'react';
import { api, useApi } from '../../api';
import {
  ErrorSummary,
  Field,
  LabelledField,
  Notice,
  errorsFromApi,
  useFormState,
  validate,
} from '../../components/forms';
import { formatDateTime } from '../../components/format';
import {
  RATING_LABELS,
  mappingSaveSchema,
  ratingSchema,
  type MappingDetail,
  type Rating,
} from '../../../shared/framework/channels';
import type { StageId } from '../../../shared/framework/index';
import { missingDescriptorsMessage, stageLevelsLabel } from '../../../shared/framework/labels';
import { Loading, ProvenanceTag, STAGES, stageName } from '../../components/framework';
import { MessageNotice } from '../../components/message';

const RATINGS = ratingSchema.options;

function Editor({ detail, onSaved }: { detail: MappingDetail; onSaved: (d: MappingDetail, message: string) => void }) {
  const { row, framework } = detail;
  const m = row.mapping;
  const missing = missingDescriptorsMessage(framework);
  const [stage, setStage] = useState<StageId | ''>(m?.stage ?? '');
  const [basis, setBasis] = useState<'chosen' | 'accepted-suggestion'>(m?.stageBasis ?? 'chosen');
  const form = useFormState({ rationale: m?.rationale ?? '' });
  const [ratings, setRatings] = useState<Record<number, { rating: Rating | ''; evidence: string }>>(() =>
    Object.fromEntries(
      framework.domains.map((d) => {
        const a = detail.assessments.find((x) => x.domain === d.number);
        return [d.number, { rating: a?.rating ?? '', evidence: a?.evidence ?? '' }];
      }),
    ),
  );

  const chooseStage = (s: StageId | '', how: 'chosen' | 'accepted-suggestion' = 'chosen') => {
    setStage(s);
    setBasis(how);
  };

  const save = async (agree: boolean) => {
    const input = {
      roleId: row.roleId,
      stage: stage || null,
      rationale: form.values.rationale,
      basis,
      assessments: Object.entries(ratings)
        .filter(([, v]) => v.rating !== '')
        .map(([domain, v]) => ({ domain: Number(domain), rating: v.rating, evidence: v.evidence })),
    };
    const checked = validate(mappingSaveSchema, input);
    if (!checked.ok) return form.setErrors(checked.errors);
    if (agree && !stage) return form.setErrors({ stage: 'Choose a stage before agreeing the mapping' });
    form.setBusy(true);
    const saved = await api('framework/mapping-save', checked.value);
    if (!saved.ok) {
      form.setBusy(false);
      return form.setErrors(errorsFromApi(saved.error));
    }
    if (agree) {
      const agreed = await api('framework/mapping-bulk', { action: 'agree', roleIds: [row.roleId] });
      form.setBusy(false);
      if (!agreed.ok) return form.setErrors(errorsFromApi(agreed.error));
      if (agreed.value.skipped.length) return form.setErrors({ '(form)': agreed.value.skipped[0]!.reason });
      const fresh = await api('framework/mapping', { roleId: row.roleId });
      if (fresh.ok) onSaved(fresh.value, `${row.title}: mapping agreed.`);
      return;
    }
    form.setBusy(false);
    form.setErrors({});
    onSaved(saved.value, `${row.title}: mapping saved as a draft.`);
  };

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save(false);
      }}
    >
      <ErrorSummary form="mapping" errors={form.errors} labels={{ stage: 'Stage', rationale: 'Rationale' }} />
      {m?.versionRetired && (
        <Notice kind="warning">
          This mapping was made against framework version <strong>{m.frameworkVersion}</strong>, which has been retired.
          It is kept exactly as it was. Saving it re-checks it against the current version, {detail.currentVersion}.
        </Notice>
      )}
      <div className="panel">
        <h3>Suggestion</h3>
        {row.suggestion ? (
          <>
            <p>
              <strong data-testid="suggested-stage">{stageName(row.suggestion.stage)}</strong> (
              {row.suggestion.strength} evidence). {row.suggestion.reason}
            </p>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => chooseStage(row.suggestion!.stage, 'accepted-suggestion')}
            >
              Use the suggestion
            </button>
          </>
        ) : (
          <p>No suggestion: the occupation code, band and title do not point to a stage. Choose one below.</p>
        )}
      </div>

      <fieldset className={`fieldset${form.errors.stage ? ' field--error' : ''}`} id="mapping-stage" tabIndex={-1}>
        <legend>Framework stage</legend>
        {form.errors.stage && (
          <p className="field__error">
            <span className="visually-hidden">Error:</span> {form.errors.stage}
          </p>
        )}
        {STAGES.map((s) => (
          <label key={s.id} className="fw-radio">
            <input type="radio" name="stage" value={s.id} checked={stage === s.id} onChange={() => chooseStage(s.id)} />
            <span>
              <strong>{s.name}</strong> ({stageLevelsLabel(s.id)}; typically band {s.typicalBand}
              {s.typicalBandProvenance === 'provisional' ? ', provisional' : ''}). {s.supervision}
            </span>
          </label>
        ))}
        <label className="fw-radio">
          <input type="radio" name="stage" value="" checked={stage === ''} onChange={() => chooseStage('')} />
          <span>Not decided yet</span>
        </label>
      </fieldset>
      {basis === 'accepted-suggestion' && stage && <p className="hint">You are accepting the suggested stage.</p>}

      <Field
        form="mapping"
        path="rationale"
        label="Rationale"
        hint="Why this stage: duties, supervision, qualifications asked for in the job description."
        errors={form.errors}
        width="long"
      >
        {(p) => <textarea {...p} className="input" rows={4} {...form.bind('rationale')} />}
      </Field>

      <h3>Domain assessment</h3>
      <p className="hint">
        How the role as described meets each domain of the framework at the chosen stage, with the evidence you used.
      </p>
      {missing && (
        <Notice kind="info">
          <span data-testid="descriptors-missing">{missing}</span>{' '}
          <a href="#/framework/versions">Go to Framework versions</a>
        </Notice>
      )}
      {framework.domains.map((d) => {
        const descriptors = framework.descriptors.filter((x) => x.domain === d.number && (!stage || x.stage === stage));
        const value = ratings[d.number] ?? { rating: '', evidence: '' };
        const set = (patch: Partial<typeof value>) => setRatings((r) => ({ ...r, [d.number]: { ...value, ...patch } }));
        return (
          <fieldset key={d.number} className="fieldset fw-domain">
            <legend>
              Domain {d.number}: {d.name} <ProvenanceTag provenance={d.provenance} />
            </legend>
            {descriptors.length > 0 ? (
              <ul className="fw-descriptors">
                {descriptors.map((x) => (
                  <li key={`${x.item}-${x.stage}`}>
                    <strong>
                      {x.item}
                      {x.title ? ` ${x.title}` : ''}
                      {stage ? '' : ` (${stageName(x.stage)})`}:
                    </strong>{' '}
                    {x.text}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="hint">
                No descriptor text for this domain: it is not shipped with the app. Rate the role against your copy of
                the framework.
              </p>
            )}
            <div className="field-row">
              <LabelledField htmlFor={`rating-${d.number}`} label={`Rating for domain ${d.number}`} width="medium">
                <select
                  id={`rating-${d.number}`}
                  className="select"
                  value={value.rating}
                  onChange={(e) => set({ rating: e.target.value as Rating | '' })}
                >
                  <option value="">Not assessed</option>
                  {RATINGS.map((r) => (
                    <option key={r} value={r}>
                      {RATING_LABELS[r]}
                    </option>
                  ))}
                </select>
              </LabelledField>
              <div className="field field--long" style={{ flex: 1 }}>
                <label className="field__label" htmlFor={`evidence-${d.number}`}>
                  Evidence for domain {d.number}
                </label>
                <textarea
                  id={`evidence-${d.number}`}
                  className="input"
                  rows={2}
                  value={value.evidence}
                  onChange={(e) => set({ evidence: e.target.value })}
                />
              </div>
            </div>
          </fieldset>
        );
      })}

      <div className="button-group">
        <button type="submit" className="button" disabled={form.busy}>
          Save as draft
        </button>
        <button type="button" className="button button--secondary" disabled={form.busy} onClick={() => void save(true)}>
          Save and agree
        </button>
      </div>
    </form>
  );
}

export function MappingEditor({ roleId }: { roleId: number }) {
  const loaded = useApi('framework/mapping', { roleId });
  const [detail, setDetail] = useState<MappingDetail>();
  const [message, setMessage] = useState<string>();
  const [version, setVersion] = useState(0);
  useEffect(() => setDetail(loaded.data), [loaded.data]);
  if (!detail) return <Loading error={loaded.error} />;
  const { row } = detail;
  const m = row.mapping;

  const remove = async () => {
    if (!window.confirm(`Remove the mapping of ${row.title}?`)) return;
    const r = await api('framework/mapping-delete', { roleId });
    if (r.ok) {
      setMessage(`${row.title}: mapping removed.`);
      loaded.reload();
      setVersion((v) => v + 1);
    } else setMessage(r.error.message);
  };

  return (
    <section aria-labelledby="editor-title">
      <p>
        <a href="#/framework/mapping">Back to all roles</a>
      </p>
      <h2 id="editor-title" tabIndex={-1} data-route-focus>
        {row.title}
      </h2>
      <dl className="summary-list">
        <div>
          <dt>Services</dt>
          <dd>{row.services || 'None yet'}</dd>
        </div>
        <div>
          <dt>Profession</dt>
          <dd>{row.professionName}</dd>
        </div>
        <div>
          <dt>Occupation code and band</dt>
          <dd>
            {row.occupationCode ?? 'none'}, band {row.band}
          </dd>
        </div>
        <div>
          <dt>Mapping</dt>
          <dd data-testid="mapping-status">
            {m
              ? `${m.stage ? stageName(m.stage) : 'No stage'}: ${m.status === 'agreed' ? `agreed by ${m.agreedBy} on ${formatDateTime(m.agreedAt!)}` : 'draft'}, framework ${m.frameworkVersion}${m.versionRetired ? ' (retired)' : ''}; last changed by ${m.updatedBy} on ${formatDateTime(m.updatedAt)}`
              : 'Not mapped yet'}
          </dd>
        </div>
      </dl>
      <MessageNotice message={message ? { kind: 'success', text: message } : null} />
      <Editor
        key={`${row.roleId}-${version}`}
        detail={detail}
        onSaved={(d, text) => {
          setDetail(d);
          setMessage(text);
          setVersion((v) => v + 1);
        }}
      />
      {m && (
        <button type="button" className="link-button link-button--danger" onClick={remove}>
          Remove this mapping
        </button>
      )}
    </section>
  );
}

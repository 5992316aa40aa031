import { api } from '../../api';
import { ErrorSummary, Field, errorsFromApi, useFormState, validate } from '../../components/forms';
import { organisationSchema, type OrganisationView } from '../../../shared/settings/channels';
import { useState } from 'react';
import { MessageNotice } from '../../components/message';

type Kind = NonNullable<OrganisationView>['kind'];

export const KIND_LABELS: Record<Kind, string> = { trust: 'An NHS trust', ics: 'An ICS / AHP faculty' };

/** The words on the form follow who the database is for: a trust sends returns, an ICS collects them. */
type FieldName = 'name' | 'odsCode' | 'ics' | 'ahpFaculty';
const WORDING: Record<Kind, { labels: Record<FieldName, string>; hints: Record<Exclude<FieldName, 'name'>, string> }> =
  {
    trust: {
      labels: {
        name: 'Trust name',
        odsCode: 'ODS code',
        ics: 'Integrated care system (ICS)',
        ahpFaculty: 'AHP faculty',
      },
      hints: {
        odsCode: "The trust's organisation code, for example RX1",
        ics: 'The ICS your returns go to',
        ahpFaculty: 'The AHP faculty your returns go through',
      },
    },
    ics: {
      labels: {
        name: 'ICS name',
        odsCode: 'ODS code',
        ics: "Integrated care system (ICS), as your trusts' returns name it",
        ahpFaculty: 'AHP faculty',
      },
      hints: {
        odsCode: "The integrated care board's organisation code, for example QNX",
        ics: 'A return that names another ICS is refused',
        ahpFaculty: 'Your AHP faculty, named on the ICS return',
      },
    },
  };

export function OrganisationForm({ initial, onSaved }: { initial: OrganisationView; onSaved: () => void }) {
  const form = useFormState({
    name: initial?.name ?? '',
    odsCode: initial?.odsCode ?? '',
    ics: initial?.ics ?? '',
    ahpFaculty: initial?.ahpFaculty ?? '',
  });
  // Chosen once, on the first-run screen: a trust's workforce and an ICS's collected returns do not mix.
  const [kind, setKind] = useState<Kind>(initial?.kind ?? 'trust');
  const [saved, setSaved] = useState(false);
  const { labels, hints } = WORDING[kind];

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const checked = validate(organisationSchema, initial ? form.values : { ...form.values, kind });
    if (!checked.ok) return form.setErrors(checked.errors);
    form.setBusy(true);
    const result = await api('settings/organisation-save', checked.value);
    form.setBusy(false);
    if (!result.ok) return form.setErrors(errorsFromApi(result.error));
    form.setErrors({});
    setSaved(true);
    onSaved();
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Organisation">
      <ErrorSummary form="org" errors={form.errors} labels={labels} />
      <MessageNotice message={saved ? { kind: 'success', text: 'Organisation saved.' } : null} />
      {initial ? (
        <dl className="summary-list" data-testid="organisation-kind">
          <div>
            <dt>This database is for</dt>
            <dd>{KIND_LABELS[initial.kind]}</dd>
          </div>
        </dl>
      ) : (
        <fieldset className="fieldset">
          <legend>Who is this database for?</legend>
          {(Object.keys(KIND_LABELS) as Kind[]).map((k) => (
            <div key={k} className="radio">
              <label>
                <input type="radio" name="org-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />{' '}
                {KIND_LABELS[k]}
              </label>
              <div className="field__hint">
                {k === 'trust'
                  ? 'Plan your support workforce and send returns to your ICS.'
                  : "Collect your trusts' returns, compare them and make the ICS's own return."}
              </div>
            </div>
          ))}
        </fieldset>
      )}
      <Field form="org" path="name" label={labels.name} errors={form.errors} width="long">
        {(p) => <input {...p} className="input" type="text" autoComplete="organization" {...form.bind('name')} />}
      </Field>
      <Field form="org" path="odsCode" label={labels.odsCode} hint={hints.odsCode} errors={form.errors} width="short">
        {(p) => <input {...p} className="input" type="text" spellCheck={false} {...form.bind('odsCode')} />}
      </Field>
      <Field form="org" path="ics" label={labels.ics} hint={hints.ics} errors={form.errors} width="long">
        {(p) => <input {...p} className="input" type="text" {...form.bind('ics')} />}
      </Field>
      <Field
        form="org"
        path="ahpFaculty"
        label={labels.ahpFaculty}
        hint={hints.ahpFaculty}
        errors={form.errors}
        width="long"
      >
        {(p) => <input {...p} className="input" type="text" {...form.bind('ahpFaculty')} />}
      </Field>
      <button type="submit" className="button" disabled={form.busy}>
        Save organisation
      </button>
    </form>
  );
}

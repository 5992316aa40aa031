import { api } from '../../api';
import { ErrorSummary, Field, errorsFromApi, useFormState, validate } from '../../components/forms';
import { organisationSchema, type OrganisationView } from '../../../shared/settings/channels';
import { useState } from 'react';
import { MessageNotice } from '../../components/message';

const LABELS = {
  name: 'Trust name',
  odsCode: 'ODS code',
  ics: 'Integrated care system (ICS)',
  ahpFaculty: 'AHP faculty',
};

export function OrganisationForm({ initial, onSaved }: { initial: OrganisationView; onSaved: () => void }) {
  const form = useFormState({
    name: initial?.name ?? '',
    odsCode: initial?.odsCode ?? '',
    ics: initial?.ics ?? '',
    ahpFaculty: initial?.ahpFaculty ?? '',
  });
  const [saved, setSaved] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const checked = validate(organisationSchema, form.values);
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
      <ErrorSummary form="org" errors={form.errors} labels={LABELS} />
      <MessageNotice message={saved ? { kind: 'success', text: 'Organisation saved.' } : null} />
      <Field form="org" path="name" label={LABELS.name} errors={form.errors} width="long">
        {(p) => <input {...p} className="input" type="text" autoComplete="organization" {...form.bind('name')} />}
      </Field>
      <Field
        form="org"
        path="odsCode"
        label={LABELS.odsCode}
        hint="The trust's organisation code, for example RX1"
        errors={form.errors}
        width="short"
      >
        {(p) => <input {...p} className="input" type="text" spellCheck={false} {...form.bind('odsCode')} />}
      </Field>
      <Field form="org" path="ics" label={LABELS.ics} errors={form.errors} width="long">
        {(p) => <input {...p} className="input" type="text" {...form.bind('ics')} />}
      </Field>
      <Field
        form="org"
        path="ahpFaculty"
        label={LABELS.ahpFaculty}
        hint="The AHP faculty your returns go through"
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

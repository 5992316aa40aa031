import { useEffect, type FormEvent } from 'react';
import { api, useApi } from '../../api';
import { ErrorSummary, Field, errorsFromApi, toNumber, useFormState, validate } from '../../components/forms';
import { useMessage } from '../../components/message';
import { returnSettingsSchema } from '../../../shared/returns/channels';

/** The small-number threshold new returns are protected with (returns already built keep theirs until built again). */
export function ThresholdForm() {
  const settings = useApi('returns/settings', {});
  const form = useFormState({ threshold: '' });
  const { notice, setMessage } = useMessage();
  const { setValues } = form;
  useEffect(() => {
    if (settings.data) setValues({ threshold: String(settings.data.threshold) });
  }, [settings.data, setValues]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = validate(returnSettingsSchema, { threshold: toNumber(form.values.threshold) });
    if (!checked.ok) return form.setErrors(checked.errors);
    form.setErrors({});
    form.setBusy(true);
    const result = await api('returns/settings-save', checked.value);
    form.setBusy(false);
    if (!result.ok) return form.setErrors(errorsFromApi(result.error));
    setMessage(
      result.value.warning
        ? { kind: 'warning', text: result.value.warning }
        : {
            kind: 'success',
            text: `Counts from 1 to ${result.value.threshold} will be hidden in returns built from now on.`,
          },
    );
  };

  return (
    <details className="panel">
      <summary>Small-number threshold</summary>
      <form onSubmit={submit} noValidate>
        <ErrorSummary form="threshold" errors={form.errors} labels={{ threshold: 'Hide counts from 1 to' }} />
        <Field
          form="threshold"
          path="threshold"
          label="Hide counts from 1 to"
          hint="Usually 7. Returns built from now on use it; a lower number is flagged in the checks."
          errors={form.errors}
          width="short"
        >
          {(p) => <input {...p} className="input" inputMode="numeric" {...form.bind('threshold')} />}
        </Field>
        {notice}
        <button type="submit" className="button button--secondary" disabled={form.busy}>
          Save the threshold
        </button>
      </form>
    </details>
  );
}

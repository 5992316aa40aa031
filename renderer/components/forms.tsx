import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { z } from 'zod';
import { issuesToDetails, type ApiError } from '../../shared/common/api';
import { useErrorTitle } from './page-title';

/** Field-level errors keyed by the schema's dotted path, from the shared zod schema or from the service. */
export type FieldErrors = Record<string, string>;

export function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
): { ok: true; value: z.output<S> } | { ok: false; errors: FieldErrors } {
  const parsed = schema.safeParse(input);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, errors: issuesToDetails(parsed.error.issues) };
}

export function errorsFromApi(error: ApiError): FieldErrors {
  return error.details && Object.keys(error.details).length > 0 ? error.details : { '(form)': error.message };
}

/** Text boxes give strings; schemas want numbers. Blank stays blank so the schema can say what is missing. */
export function toNumber(text: string): number | undefined {
  const t = text.trim().replace(/,/g, '');
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : Number.NaN;
}

export function fieldId(form: string, path: string): string {
  return `${form}-${path.replace(/\./g, '-')}`;
}

interface FieldProps {
  form: string;
  path: string;
  label: string;
  hint?: string;
  errors: FieldErrors;
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
  width?: 'short' | 'medium' | 'long';
}

export function Field({ form, path, label, hint, errors, children, width }: FieldProps) {
  const id = fieldId(form, path);
  const error = errors[path];
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--error' : ''}${width ? ` field--${width}` : ''}`}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {hint && (
        <div id={`${id}-hint`} className="field__hint">
          {hint}
        </div>
      )}
      {error && (
        <p id={`${id}-error`} className="field__error">
          <span className="visually-hidden">Error:</span> {error}
        </p>
      )}
      {children({ id, 'aria-describedby': describedBy, ...(error ? { 'aria-invalid': true } : {}) })}
    </div>
  );
}

/** NHS.UK error summary: appears at the top of the form, takes focus, links to each field. */
export function ErrorSummary({
  form,
  errors,
  labels,
}: {
  form: string;
  errors: FieldErrors;
  labels: Record<string, string>;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors);
  useEffect(() => {
    if (entries.length > 0) ref.current?.focus();
  }, [entries.length, errors]);
  useErrorTitle(entries.length > 0);
  if (entries.length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby={`${form}-error-title`}>
      <h2 id={`${form}-error-title`} className="error-summary__title">
        There is a problem
      </h2>
      <ul>
        {entries.map(([path, message]) => (
          <li key={path}>
            {path === '(form)' || path === '(input)' ? (
              message
            ) : (
              <a
                href={`#${fieldId(form, path)}`}
                onClick={(e) => {
                  e.preventDefault();
                  document.getElementById(fieldId(form, path))?.focus();
                }}
              >
                {labels[path] ? `${labels[path]}: ` : ''}
                {message}
              </a>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function useFormState<T extends Record<string, string>>(initial: T) {
  const [values, setValues] = useState<T>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const bind = (key: keyof T & string) => ({
    value: values[key],
    onChange: (e: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: e.target.value })),
  });
  return { values, setValues, errors, setErrors, busy, setBusy, bind };
}

/**
 * A labelled control that is not checked against a schema (filters, choices, file pickers): the label, an
 * optional hint, then the control itself, whose id is `htmlFor`. Schema-checked inputs use Field.
 */
export function LabelledField({
  htmlFor,
  label,
  hint,
  width,
  children,
}: {
  htmlFor: string;
  label: ReactNode;
  hint?: ReactNode;
  width?: 'short' | 'medium' | 'long';
  children: ReactNode;
}) {
  return (
    <div className={`field${width ? ` field--${width}` : ''}`}>
      <label className="field__label" htmlFor={htmlFor}>
        {label}
      </label>
      {hint !== undefined && <div className="field__hint">{hint}</div>}
      {children}
    </div>
  );
}

export function Notice({ kind, children }: { kind: 'success' | 'warning' | 'info'; children: ReactNode }) {
  return (
    <div className={`notice notice--${kind}`} role={kind === 'warning' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

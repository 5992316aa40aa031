import { useEffect, useState } from 'react';
import { api, useApi } from '../../api';
import { FormButtons, ItemActions } from '../../components/actions';
import { DataTable } from '../../components/DataTable';
import { useEditing } from '../../components/editing';
import { ErrorSummary, Field, errorsFromApi, useFormState, validate } from '../../components/forms';
import { useMessage } from '../../components/message';
import type { GapView, PersonEducation } from '../../../shared/training/channels';
import {
  APPRENTICESHIP_STANDARDS,
  CARE_CERTIFICATE_STANDARDS,
  EDUCATION_REQUIREMENTS,
  qualificationSchema,
  type Qualification,
  QUALIFICATION_KIND_LABELS,
} from '../../../shared/training/education';
import {
  careerFrameworkLevelLabel,
  functionalSkillsLevelLabel,
  rqfQualificationLabel,
} from '../../../shared/framework/labels';

/** Highest first: level 2 is the one the framework asks for. */
const FUNCTIONAL_SKILLS_LEVELS = ['2', '1', 'entry-3', 'entry-2', 'entry-1'] as const;
import { Loading, StatusTag, stageName } from '../../components/framework';
import { EditorHeading } from '../../components/EditorHeading';

type Kind = Qualification['kind'];
const KINDS = (Object.entries(QUALIFICATION_KIND_LABELS) as [Kind, string][]).map(([kind, label]) => ({ kind, label }));

interface Draft {
  kind: Kind | '';
  standards: number[];
  level: string;
  title: string;
  status: 'enrolled' | 'completed' | 'withdrawn';
  standard: 'ST0216' | 'ST0217' | 'ST0215';
  startDate: string;
  endDate: string;
  achievedOn: string;
}

function draftFrom(q: Qualification | null): Draft {
  const d: Draft = {
    kind: q?.kind ?? '',
    standards: [],
    level: '',
    title: '',
    status: 'completed',
    standard: 'ST0216',
    startDate: '',
    endDate: '',
    achievedOn: '',
  };
  if (!q) return d;
  if ('achievedOn' in q && q.achievedOn) d.achievedOn = q.achievedOn;
  switch (q.kind) {
    case 'care-certificate':
      return { ...d, standards: q.standardsCompleted };
    case 'functional-skills-english':
    case 'functional-skills-maths':
      return { ...d, level: q.level };
    case 'rqf':
      return { ...d, level: String(q.level), title: q.title, status: q.status };
    case 'apprenticeship':
      return { ...d, standard: q.standard, status: q.status, startDate: q.startDate ?? '', endDate: q.endDate ?? '' };
    case 'foundation-degree':
      return { ...d, title: q.title, status: q.status };
    case 'other':
      return { ...d, title: q.title, level: q.level === null ? '' : String(q.level) };
  }
}

function toInput(d: Draft): unknown {
  const achievedOn = d.achievedOn || null;
  const num = (s: string) => (s.trim() === '' ? undefined : Number(s));
  switch (d.kind) {
    case 'care-certificate':
      return { kind: d.kind, standardsCompleted: [...d.standards].sort((a, b) => a - b), achievedOn };
    case 'functional-skills-english':
    case 'functional-skills-maths':
      return { kind: d.kind, level: d.level || undefined, achievedOn };
    case 'rqf':
      return { kind: d.kind, level: num(d.level), title: d.title, status: d.status, achievedOn };
    case 'apprenticeship':
      return {
        kind: d.kind,
        standard: d.standard,
        status: d.status,
        startDate: d.startDate || null,
        endDate: d.endDate || null,
      };
    case 'foundation-degree':
      return { kind: d.kind, title: d.title, status: d.status, achievedOn };
    case 'other':
      return { kind: d.kind, title: d.title, level: d.level.trim() === '' ? null : Number(d.level), achievedOn };
    default:
      return { kind: undefined };
  }
}

function QualificationForm({
  personId,
  editing,
  onSaved,
  onCancel,
}: {
  personId: number;
  editing: { id: number; qualification: Qualification } | null;
  onSaved: (p: PersonEducation, message: string) => void;
  onCancel: () => void;
}) {
  const [initial] = useState(() => draftFrom(editing?.qualification ?? null));
  const { standards: initialStandards, ...fields } = initial;
  const form = useFormState(fields);
  const [standards, setStandards] = useState(initialStandards);
  const d: Draft = { ...form.values, standards };
  const { errors } = form;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const checked = validate(qualificationSchema, toInput(d));
    if (!checked.ok) return form.setErrors(checked.errors);
    form.setBusy(true);
    const r = await api('training/qualification-save', {
      personId,
      ...(editing ? { id: editing.id } : {}),
      qualification: checked.value,
    });
    form.setBusy(false);
    // The service keys its details by the request's path ("qualification.title"); the fields use the inner one.
    if (!r.ok) {
      const apiErrors = Object.entries(errorsFromApi(r.error)).map(([path, text]) => [
        path.replace(/^qualification\./, ''),
        text,
      ]);
      return form.setErrors(Object.fromEntries(apiErrors));
    }
    onSaved(r.value, editing ? 'Qualification changed.' : 'Qualification added.');
  };

  const statusSelect = (
    <Field form="qualification" path="status" label="Status" errors={errors}>
      {(p) => (
        <select {...p} className="select" {...form.bind('status')}>
          <option value="completed">Completed</option>
          <option value="enrolled">Enrolled (in progress)</option>
          <option value="withdrawn">Withdrawn</option>
        </select>
      )}
    </Field>
  );
  const achieved = (
    <Field form="qualification" path="achievedOn" label="Achieved on (optional)" errors={errors}>
      {(p) => <input {...p} className="input" type="date" {...form.bind('achievedOn')} />}
    </Field>
  );

  return (
    <form
      className="panel"
      noValidate
      onSubmit={submit}
      aria-label={editing ? 'Change a qualification' : 'Add a qualification'}
    >
      <EditorHeading>{editing ? 'Change a qualification' : 'Add a qualification'}</EditorHeading>
      <ErrorSummary
        form="qualification"
        errors={errors}
        labels={{
          kind: 'Type',
          level:
            d.kind === 'functional-skills-english' || d.kind === 'functional-skills-maths'
              ? 'Functional Skills level'
              : 'RQF level',
          title: 'Title',
          standardsCompleted: 'Care Certificate standards',
        }}
      />
      <Field form="qualification" path="kind" label="Type of qualification" errors={errors}>
        {(p) => (
          <select {...p} className="select" disabled={!!editing} {...form.bind('kind')}>
            <option value="">Choose a type</option>
            {KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {d.kind === 'care-certificate' && (
        <fieldset
          className={`fieldset${errors.standardsCompleted ? ' field--error' : ''}`}
          id="qualification-standardsCompleted"
          tabIndex={-1}
          aria-describedby={errors.standardsCompleted ? 'qualification-standardsCompleted-error' : undefined}
          aria-invalid={errors.standardsCompleted ? true : undefined}
        >
          <legend>Care Certificate standards completed</legend>
          {errors.standardsCompleted && (
            <p id="qualification-standardsCompleted-error" className="field__error">
              <span className="visually-hidden">Error:</span> {errors.standardsCompleted}
            </p>
          )}
          <button
            type="button"
            className="link-button"
            onClick={() => setStandards(CARE_CERTIFICATE_STANDARDS.map((_, i) => i + 1))}
          >
            Tick all 15
          </button>
          <div className="fw-checklist">
            {CARE_CERTIFICATE_STANDARDS.map((name, i) => (
              <label key={name}>
                <input
                  type="checkbox"
                  checked={standards.includes(i + 1)}
                  onChange={(e) =>
                    setStandards((list) => (e.target.checked ? [...list, i + 1] : list.filter((x) => x !== i + 1)))
                  }
                />{' '}
                {i + 1}. {name}
              </label>
            ))}
          </div>
          {achieved}
        </fieldset>
      )}
      {(d.kind === 'functional-skills-english' || d.kind === 'functional-skills-maths') && (
        <>
          <Field
            form="qualification"
            path="level"
            label="Functional Skills level"
            hint="Functional Skills have their own levels: level 2 is what the framework asks for"
            errors={errors}
          >
            {(p) => (
              <select {...p} className="select" {...form.bind('level')}>
                <option value="">Choose a level</option>
                {FUNCTIONAL_SKILLS_LEVELS.map((level) => (
                  <option key={level} value={level}>
                    {functionalSkillsLevelLabel(level).replace(/^./, (c) => c.toUpperCase())}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {achieved}
        </>
      )}
      {(d.kind === 'rqf' || d.kind === 'foundation-degree' || d.kind === 'other') && (
        <>
          <Field
            form="qualification"
            path="title"
            label="Title"
            hint={
              d.kind === 'rqf' ? 'For example GCSE English (grade 4), Level 3 Diploma in Healthcare Support' : undefined
            }
            errors={errors}
          >
            {(p) => <input {...p} className="input" type="text" {...form.bind('title')} />}
          </Field>
          {d.kind !== 'foundation-degree' && (
            <Field
              form="qualification"
              path="level"
              label={d.kind === 'other' ? 'RQF level (optional)' : 'RQF level'}
              hint="A number from 1 to 8; GCSE grades 4 to 9 are RQF level 2"
              errors={errors}
            >
              {(p) => <input {...p} className="input" type="text" inputMode="numeric" {...form.bind('level')} />}
            </Field>
          )}
          {d.kind !== 'other' && statusSelect}
          {achieved}
        </>
      )}
      {d.kind === 'apprenticeship' && (
        <>
          <Field form="qualification" path="standard" label="Apprenticeship standard" errors={errors}>
            {(p) => (
              <select {...p} className="select" {...form.bind('standard')}>
                {Object.entries(APPRENTICESHIP_STANDARDS).map(([code, st]) => (
                  <option key={code} value={code}>
                    {code} {st.title} (RQF level {st.level})
                  </option>
                ))}
              </select>
            )}
          </Field>
          {statusSelect}
          <Field form="qualification" path="startDate" label="Start date" errors={errors}>
            {(p) => <input {...p} className="input" type="date" {...form.bind('startDate')} />}
          </Field>
          <Field form="qualification" path="endDate" label="End date (planned or actual)" errors={errors}>
            {(p) => <input {...p} className="input" type="date" {...form.bind('endDate')} />}
          </Field>
        </>
      )}
      <FormButtons save="Save qualification" busy={form.busy} onCancel={onCancel} />
    </form>
  );
}

function GapPanel({ title, gap, testId }: { title: string; gap: GapView | null; testId: string }) {
  return (
    <div className="panel" data-testid={testId}>
      <h3>{title}</h3>
      {!gap ? (
        <p>Not applicable.</p>
      ) : (
        <>
          <p>
            {stageName(gap.stage)} ({careerFrameworkLevelLabel(gap.stage)}): <StatusTag status={gap.status} />
          </p>
          <p className="hint">
            Domain 1 education asks for an {rqfQualificationLabel(EDUCATION_REQUIREMENTS[gap.stage].rqfLevel)}, or the
            matching apprenticeship{EDUCATION_REQUIREMENTS[gap.stage].plus.length ? ', plus the Care Certificate' : ''}.
          </p>
          {gap.met.length > 0 && (
            <>
              <h4>Has</h4>
              <ul>
                {gap.met.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            </>
          )}
          {gap.missing.length > 0 && (
            <>
              <h4>Still needed</h4>
              <ul>
                {gap.missing.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </div>
  );
}

export function PersonView({ personId }: { personId: number }) {
  const loaded = useApi('training/person', { personId });
  const [person, setPerson] = useState<PersonEducation>();
  const edit = useEditing<{ id: number; qualification: Qualification }>();
  const message = useMessage();
  useEffect(() => setPerson(loaded.data), [loaded.data]);
  if (!person) return <Loading error={loaded.error} />;

  const remove = async (id: number, label: string) => {
    if (!window.confirm(`Remove ${label}?`)) return;
    const r = await api('training/qualification-delete', { id });
    if (r.ok) setPerson(r.value);
    message.report(r, () => 'Qualification removed.');
  };

  return (
    <section aria-labelledby="person-title">
      <p>
        <a href="#/gaps/people">Back to people</a>
      </p>
      <h2 id="person-title" tabIndex={-1} data-route-focus>
        Staff member <span className="mono">{person.ref}</span>
      </h2>
      <p>
        {person.role
          ? `${person.role.title}, ${person.role.serviceName} (${person.role.professionName}): ${person.role.stage ? `${stageName(person.role.stage)}${person.role.mappingStatus === 'draft' ? ' (draft mapping)' : ''}` : 'the role is not mapped to the framework yet'}.`
          : 'Not in post today.'}
      </p>
      {message.notice}
      <div className="fw-gap-panels">
        <GapPanel title="Education for their current stage" gap={person.gapNow} testId="gap-now" />
        <GapPanel title="Education for the next stage" gap={person.gapNext} testId="gap-next" />
      </div>

      <DataTable
        caption={`Qualifications (${person.qualifications.length})`}
        testId="qualifications"
        empty="None recorded yet, so their education status is unknown."
        columns={[
          { id: 'label', header: 'Qualification', cell: (q) => q.label },
          {
            id: 'source',
            header: 'Recorded',
            cell: (q) =>
              q.importId === null
                ? 'By hand'
                : `From training records import ${q.importId} (changing it makes it yours)`,
          },
        ]}
        actions={(q) => (
          <ItemActions
            name={q.label}
            onChange={() => edit.setEditing({ id: q.id, qualification: q.qualification })}
            onDelete={() => void remove(q.id, q.label)}
            deleteLabel="Remove"
          />
        )}
        rows={person.qualifications}
        rowKey={(q) => q.id}
      />
      {edit.editing ? (
        <QualificationForm
          key={edit.formKey}
          personId={person.personId}
          editing={edit.item}
          onCancel={edit.close}
          onSaved={(p, text) => {
            setPerson(p);
            edit.close();
            message.setMessage({ kind: 'success', text });
          }}
        />
      ) : (
        <button type="button" className="button" onClick={edit.add}>
          Add a qualification
        </button>
      )}
    </section>
  );
}

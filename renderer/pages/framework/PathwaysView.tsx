import { useState } from 'react';
import { api, useApi } from '../../api';
import { FormButtons, ItemActions } from '../../components/actions';
import { useEditing } from '../../components/editing';
import { ErrorSummary, Field, errorsFromApi, useFormState, validate } from '../../components/forms';
import { formatCount } from '../../components/format';
import { DataTable } from '../../components/DataTable';
import { useMessage } from '../../components/message';
import {
  PATHWAY_ROUTES,
  pathwaySaveSchema,
  type PathwayStepInput,
  type PathwayView,
} from '../../../shared/framework/channels';
import type { StageId } from '../../../shared/framework/index';
import { routeName } from '../../../shared/framework/labels';
import { professions } from '../../../shared/common/reference';
import type { RoleView } from '../../../shared/workforce/channels';
import { Loading, STAGES, stageShort } from '../../components/framework';
import { RoleGroupPicker } from './RoleGroupPicker';
import { EditorHeading } from '../../components/EditorHeading';

const BOX_W = 190;
const BOX_H = 96;
const GAP = 150;

const SHORT_ROUTE: Record<string, string> = {
  'care-certificate': 'Care Certificate',
  'functional-skills': 'Functional Skills',
  ST0216: 'ST0216 apprenticeship',
  ST0217: 'ST0217 apprenticeship',
  ST0215: 'ST0215 apprenticeship',
  'foundation-degree': 'Foundation degree',
  'in-house': 'In-house training',
  'pre-registration-degree': 'Degree',
  'degree-apprenticeship': 'Degree apprenticeship',
  appointment: 'Appointment',
};

/** The pathway as boxes and arrows; the table below it carries the same facts for screen readers. */
function Diagram({ pathway }: { pathway: PathwayView }) {
  const n = pathway.steps.length;
  const width = n * BOX_W + (n - 1) * GAP + 20;
  const titleId = `pathway-${pathway.id}-title`;
  return (
    <figure className="chart fw-diagram">
      <figcaption id={titleId}>Diagram: {pathway.name} (the table below has the same information)</figcaption>
      <svg
        viewBox={`0 0 ${width} ${BOX_H + 60}`}
        width="100%"
        role="img"
        aria-labelledby={titleId}
        style={{ maxWidth: width }}
      >
        <defs>
          <marker
            id={`arrow-${pathway.id}`}
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="8"
            markerHeight="8"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#4c6272" />
          </marker>
        </defs>
        {pathway.steps.map((s, i) => {
          const x = 10 + i * (BOX_W + GAP);
          const y = 10;
          const registered = s.kind === 'registered-profession';
          const next = pathway.steps[i + 1];
          return (
            <g key={s.position}>
              <rect
                x={x}
                y={y}
                width={BOX_W}
                height={BOX_H}
                rx={6}
                fill={registered ? '#005eb8' : '#fff'}
                stroke="#005eb8"
                strokeWidth={2}
              />
              <foreignObject x={x + 6} y={y + 4} width={BOX_W - 12} height={BOX_H - 8}>
                <div className={`fw-box${registered ? ' fw-box--registered' : ''}`}>
                  <strong>{s.label}</strong>
                  <span>
                    {registered
                      ? 'Registered profession'
                      : `${stageShort(s.requirementStage)} · ${formatCount(s.people)} in post`}
                  </span>
                </div>
              </foreignObject>
              {next && (
                <>
                  <line
                    x1={x + BOX_W}
                    y1={y + BOX_H / 2}
                    x2={x + BOX_W + GAP - 4}
                    y2={y + BOX_H / 2}
                    stroke="#4c6272"
                    strokeWidth={2}
                    markerEnd={`url(#arrow-${pathway.id})`}
                  />
                  <text x={x + BOX_W + GAP / 2} y={y + BOX_H / 2 - 8} textAnchor="middle" fontSize="11" fill="#212b32">
                    {SHORT_ROUTE[next.route] ?? next.route}
                  </text>
                  {s.meetNextNow !== null && (
                    <text
                      x={x + BOX_W + GAP / 2}
                      y={y + BOX_H / 2 + 18}
                      textAnchor="middle"
                      fontSize="12"
                      fill="#007f3b"
                    >
                      {s.meetNextNow} ready now
                    </text>
                  )}
                </>
              )}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

function StepsTable({ pathway }: { pathway: PathwayView }) {
  return (
    <DataTable
      caption={`${pathway.name}: steps`}
      testId={`pathway-table-${pathway.id}`}
      columns={[
        { id: 'position', header: 'Step', cell: (s) => s.position },
        {
          id: 'label',
          header: 'Roles, stage or profession',
          cell: (s) => (
            <>
              {s.label}
              <div className="fw-sub">{s.detail}</div>
            </>
          ),
        },
        { id: 'route', header: 'Route into this step', cell: (s) => s.routeName },
        {
          id: 'requirement',
          header: 'Education needed (Domain 1)',
          cell: (s) => (
            <>
              {s.requirementStage ? stageShort(s.requirementStage) : 'Not set'}
              {s.requirementSource === 'mapping' && <div className="fw-sub">from the roles' mapping</div>}
              {s.requirementSource === 'stage' && <div className="fw-sub">from the step's stage</div>}
              {s.requirementNote && <div className="fw-sub">{s.requirementNote}</div>}
            </>
          ),
        },
        {
          id: 'people',
          header: 'In post',
          numeric: true,
          cell: (s) => (s.kind === 'registered-profession' ? '' : formatCount(s.people)),
        },
        { id: 'now', header: 'Meet the next step now', numeric: true, cell: (s) => s.meetNextNow ?? '' },
        { id: 'after', header: 'After planned study', numeric: true, cell: (s) => s.meetNextAfterTraining ?? '' },
      ]}
      rows={pathway.steps}
      rowKey={(s) => s.position}
    />
  );
}

interface StepDraft {
  kind: PathwayStepInput['kind'];
  roleIds: number[];
  professionCode: string;
  stage: StageId | '';
  label: string;
  route: string;
  requirementStage: string;
}
const blankStep = (kind: StepDraft['kind'] = 'roles', route = 'appointment'): StepDraft => ({
  kind,
  roleIds: [],
  professionCode: '',
  stage: '',
  label: '',
  route,
  requirementStage: '',
});

const KIND_NAMES: Record<StepDraft['kind'], string> = {
  roles: 'A group of roles',
  stage: 'A stage within a profession',
  'registered-profession': 'A registered profession',
};
const REQUIREMENT_DEFAULT: Record<StepDraft['kind'], string> = {
  roles: "The roles' mapped stage",
  stage: "The step's stage",
  'registered-profession': 'Not set',
};

/** The draft as the contract's input; blanks stay blank so the schema names what is missing. */
function stepInput(s: StepDraft): unknown {
  const common = { route: s.route, requirementStage: s.requirementStage || null };
  if (s.kind === 'roles') return { kind: s.kind, roleIds: s.roleIds, label: s.label, ...common };
  if (s.kind === 'stage')
    return { kind: s.kind, professionCode: s.professionCode, stage: s.stage || undefined, label: s.label, ...common };
  return { kind: s.kind, professionCode: s.professionCode, ...common };
}

function ProfessionSelect(props: {
  id: string;
  value: string;
  onChange: (code: string) => void;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
}) {
  const { value, onChange, ...rest } = props;
  return (
    <select {...rest} className="select" value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">Choose a profession</option>
      {professions.items.map((pr) => (
        <option key={pr.code} value={pr.code}>
          {pr.name}
        </option>
      ))}
    </select>
  );
}

/** One step of the pathway form: what kind of step it is, then the roles, stage or profession it covers. */
function StepFields({
  i,
  step,
  roles,
  errors,
  update,
}: {
  i: number;
  step: StepDraft;
  roles: RoleView[];
  errors: Record<string, string>;
  update: (patch: Partial<StepDraft>) => void;
}) {
  const n = i + 1;
  return (
    <>
      <div className="field-row">
        <Field form="pathway" path={`steps.${i}.kind`} label={`Step ${n} is`} errors={errors} width="medium">
          {(p) => (
            <select
              {...p}
              className="select"
              value={step.kind}
              onChange={(e) => update({ kind: e.target.value as StepDraft['kind'] })}
            >
              {Object.entries(KIND_NAMES).map(([kind, name]) => (
                <option key={kind} value={kind}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </Field>
        {step.kind === 'stage' && (
          <>
            <Field
              form="pathway"
              path={`steps.${i}.professionCode`}
              label={`Step ${n} profession`}
              errors={errors}
              width="medium"
            >
              {(p) => (
                <ProfessionSelect {...p} value={step.professionCode} onChange={(c) => update({ professionCode: c })} />
              )}
            </Field>
            <Field form="pathway" path={`steps.${i}.stage`} label={`Step ${n} stage`} errors={errors} width="medium">
              {(p) => (
                <select
                  {...p}
                  className="select"
                  value={step.stage}
                  onChange={(e) => update({ stage: e.target.value as StageId | '' })}
                >
                  <option value="">Choose a stage</option>
                  {STAGES.map((st) => (
                    <option key={st.id} value={st.id}>
                      {st.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </>
        )}
        {step.kind === 'registered-profession' && (
          <Field
            form="pathway"
            path={`steps.${i}.professionCode`}
            label={`Step ${n} profession`}
            errors={errors}
            width="medium"
          >
            {(p) => (
              <ProfessionSelect {...p} value={step.professionCode} onChange={(c) => update({ professionCode: c })} />
            )}
          </Field>
        )}
        {step.kind !== 'registered-profession' && (
          <Field
            form="pathway"
            path={`steps.${i}.label`}
            label={`Step ${n} name (optional)`}
            errors={errors}
            width="medium"
          >
            {(p) => (
              <input
                {...p}
                className="input"
                type="text"
                value={step.label}
                onChange={(e) => update({ label: e.target.value })}
              />
            )}
          </Field>
        )}
      </div>
      {step.kind === 'roles' && (
        <Field
          form="pathway"
          path={`steps.${i}.roleIds`}
          label={`Step ${n} roles`}
          hint="Search by title, band or service, then tick every role in this step. Each role counts in all its services."
          errors={errors}
          width="long"
        >
          {(p) => (
            <RoleGroupPicker
              id={p.id}
              describedBy={p['aria-describedby']}
              invalid={p['aria-invalid']}
              roles={roles}
              selected={step.roleIds}
              onChange={(roleIds) => update({ roleIds })}
            />
          )}
        </Field>
      )}
      <div className="field-row">
        <Field form="pathway" path={`steps.${i}.route`} label={`Step ${n} route in`} errors={errors} width="medium">
          {(p) => (
            <select {...p} className="select" value={step.route} onChange={(e) => update({ route: e.target.value })}>
              {PATHWAY_ROUTES.map((r) => (
                <option key={r} value={r}>
                  {routeName(r)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          form="pathway"
          path={`steps.${i}.requirementStage`}
          label={`Step ${n} education needed`}
          errors={errors}
          width="medium"
        >
          {(p) => (
            <select
              {...p}
              className="select"
              value={step.requirementStage}
              onChange={(e) => update({ requirementStage: e.target.value })}
            >
              <option value="">{REQUIREMENT_DEFAULT[step.kind]}</option>
              {STAGES.map((st) => (
                <option key={st.id} value={st.id}>
                  Domain 1 education for {st.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
    </>
  );
}

function PathwayForm({
  roles,
  editing,
  onDone,
}: {
  roles: RoleView[];
  editing: PathwayView | null;
  onDone: (message: string) => void;
}) {
  const form = useFormState({ name: editing?.name ?? '', description: editing?.description ?? '' });
  const { errors } = form;
  const [steps, setSteps] = useState<StepDraft[]>(
    editing
      ? editing.steps.map((s) => ({
          kind: s.kind,
          roleIds: s.kind === 'roles' ? s.roles.map((r) => r.id) : [],
          professionCode: s.professionCode ?? '',
          stage: s.stage ?? '',
          label: s.labelChosen ?? '',
          route: s.route,
          requirementStage: s.requirementStageChosen ?? '',
        }))
      : [blankStep(), blankStep('roles', 'ST0217')],
  );
  const update = (i: number, patch: Partial<StepDraft>) =>
    setSteps((all) => all.map((s, j) => (j === i ? { ...s, ...patch } : s)));

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const input = {
      ...(editing ? { id: editing.id } : {}),
      name: form.values.name,
      description: form.values.description,
      steps: steps.map(stepInput),
    };
    const checked = validate(pathwaySaveSchema, input);
    if (!checked.ok) return form.setErrors(checked.errors);
    form.setBusy(true);
    const r = await api('framework/pathway-save', checked.value);
    form.setBusy(false);
    if (!r.ok) return form.setErrors(errorsFromApi(r.error));
    onDone(`Pathway ${r.value.name} saved.`);
  };

  const labels: Record<string, string> = { name: 'Name' };
  steps.forEach((_, i) => {
    labels[`steps.${i}.roleIds`] = `Step ${i + 1} roles`;
    labels[`steps.${i}.professionCode`] = `Step ${i + 1} profession`;
    labels[`steps.${i}.stage`] = `Step ${i + 1} stage`;
    labels[`steps.${i}.label`] = `Step ${i + 1} name`;
    labels[`steps.${i}.kind`] = `Step ${i + 1}`;
  });

  return (
    <form
      className="panel"
      noValidate
      onSubmit={submit}
      aria-label={editing ? `Change ${editing.name}` : 'Draw a pathway'}
    >
      <EditorHeading>{editing ? `Change ${editing.name}` : 'Draw a career pathway'}</EditorHeading>
      <ErrorSummary form="pathway" errors={errors} labels={labels} />
      <Field form="pathway" path="name" label="Pathway name" errors={errors} width="long">
        {(p) => <input {...p} className="input" type="text" {...form.bind('name')} />}
      </Field>
      <Field form="pathway" path="description" label="Description (optional)" errors={errors} width="long">
        {(p) => <input {...p} className="input" type="text" {...form.bind('description')} />}
      </Field>
      {steps.map((s, i) => (
        <fieldset key={i} className="fieldset">
          <legend>Step {i + 1}</legend>
          <StepFields i={i} step={s} roles={roles} errors={errors} update={(patch) => update(i, patch)} />
          {steps.length > 2 && (
            <button
              type="button"
              className="link-button link-button--danger"
              onClick={() => setSteps((all) => all.filter((_, j) => j !== i))}
            >
              Remove step {i + 1}
            </button>
          )}
        </fieldset>
      ))}
      <FormButtons
        save="Save pathway"
        busy={form.busy}
        onCancel={() => onDone('')}
        before={
          <button
            type="button"
            className="button button--secondary"
            onClick={() => setSteps((all) => [...all, blankStep('roles', 'ST0217')])}
            disabled={steps.length >= 10}
          >
            Add a step
          </button>
        }
      />
    </form>
  );
}

export function PathwaysView() {
  const pathways = useApi('framework/pathways', {});
  const roles = useApi('workforce/roles', {});
  const edit = useEditing<PathwayView>();
  const message = useMessage();
  if (!pathways.data || !roles.data) return <Loading error={pathways.error ?? roles.error} />;

  const remove = (p: PathwayView) =>
    message.confirmThen(
      `Delete the pathway ${p.name}?`,
      () => api('framework/pathway-delete', { id: p.id }),
      () => `${p.name} deleted.`,
      pathways.reload,
    );

  return (
    <section aria-labelledby="pathways-title">
      <h2 id="pathways-title">Career pathways</h2>
      <p className="hint">
        Routes from entry roles through intermediate and assistant practitioner roles to a registered profession (for
        example theatre support worker to operating department practitioner by degree apprenticeship). A step is a group
        of roles (each counted in every service it is in) or a stage within a profession (every role of that profession
        mapped to the stage). For each step, the counts show how many people in it already meet the education needed for
        the next step, and how many will once the study they are enrolled on is finished.
      </p>
      {message.notice}
      {edit.editing ? (
        <PathwayForm
          key={edit.formKey}
          roles={roles.data}
          editing={edit.item}
          onDone={(text) => {
            edit.close();
            message.saved(text);
            pathways.reload();
          }}
        />
      ) : (
        <button type="button" className="button" onClick={edit.add}>
          Draw a pathway
        </button>
      )}
      {pathways.data.length === 0 && !edit.editing && <p>No pathways yet.</p>}
      {pathways.data.map((p) => (
        <div key={p.id} className="fw-pathway">
          <h3>{p.name}</h3>
          {p.description && <p>{p.description}</p>}
          <Diagram pathway={p} />
          <StepsTable pathway={p} />
          <ItemActions name={p.name} onChange={() => edit.setEditing(p)} onDelete={() => void remove(p)} />
        </div>
      ))}
    </section>
  );
}

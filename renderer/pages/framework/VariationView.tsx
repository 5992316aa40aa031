import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useApi } from '../../api';
import { formatCount } from '../../components/format';
import { DataTable, type Column } from '../../components/DataTable';
import type { Variation } from '../../../shared/framework/channels';
import type { StageId } from '../../../shared/framework/index';
import { Loading, stageShort } from '../../components/framework';

const KIND_LABELS: Record<Variation['findings'][number]['kind'], string> = {
  'stage-band-spread': 'One stage, several bands',
  'stage-title-spread': 'One stage, many job titles',
  'band-not-typical': 'Band differs from the typical band',
  'same-title-different-stages': 'Same title, different stages',
  unmapped: 'Not mapped',
};

const stageLabel = (s: string) => (s === 'unmapped' ? 'Not mapped' : stageShort(s as StageId));
const bandLabel = (b: string) => (b === 'unknown' ? 'Band unknown' : `Band ${b}`);

function RoleList({
  ids,
  roles,
  caption,
}: {
  ids: string[];
  roles: Map<string, Variation['roles'][number]>;
  caption: string;
}) {
  return (
    <DataTable
      caption={caption}
      columns={[
        { id: 'role', header: 'Role', cell: (r) => <a href={`#/framework/mapping/${r.id}`}>{r.title}</a> },
        { id: 'service', header: 'Service', cell: (r) => r.service },
        { id: 'profession', header: 'Profession', cell: (r) => r.profession },
        { id: 'band', header: 'Band', cell: (r) => r.band ?? '' },
        { id: 'stage', header: 'Stage', cell: (r) => stageShort(r.stage) },
      ]}
      rows={ids.flatMap((id) => roles.get(id) ?? [])}
      rowKey={(r) => r.id}
    />
  );
}

interface MatrixRow {
  profession: string;
  stage: string;
  cells: Map<string, Variation['matrix']['cells'][number]>;
  total: number;
}

/** The matrix (profession x stage x band) with drill-down, then the findings to work through. */
function Matrix({ data, onPick, picked }: { data: Variation; onPick: (key: string) => void; picked: string | null }) {
  const { matrix } = data;
  const byRow = useMemo(() => {
    const rows = new Map<string, MatrixRow>();
    for (const c of matrix.cells) {
      const key = `${c.profession}\u0000${c.stage}`;
      let row = rows.get(key);
      if (!row) rows.set(key, (row = { profession: c.profession, stage: c.stage, cells: new Map(), total: 0 }));
      row.cells.set(c.band, c);
      row.total += c.count;
    }
    return [...rows.values()];
  }, [matrix]);
  return (
    <DataTable
      caption="Roles by profession, stage and band (select a number to see the roles)"
      className="fw-matrix"
      testId="variation-matrix"
      columns={[
        { id: 'profession', header: 'Profession', rowHeader: true, cell: (row) => row.profession },
        { id: 'stage', header: 'Stage', cell: (row) => stageLabel(row.stage) },
        ...matrix.bands.map((b): Column<MatrixRow> => ({
          id: `band-${b}`,
          header: bandLabel(b),
          numeric: true,
          cell: (row) => {
            const cell = row.cells.get(b);
            const key = `${row.profession}\u0000${row.stage}\u0000${b}`;
            return cell ? (
              <button
                type="button"
                className={`link-button${picked === key ? ' fw-picked' : ''}`}
                aria-pressed={picked === key}
                aria-label={`${cell.count} ${row.profession} role${cell.count === 1 ? '' : 's'} at ${stageLabel(row.stage)}, ${bandLabel(b)}`}
                onClick={() => onPick(key)}
              >
                {formatCount(cell.count)}
              </button>
            ) : (
              ''
            );
          },
        })),
        { id: 'roles', header: 'Roles', numeric: true, cell: (row) => formatCount(row.total) },
      ]}
      rows={byRow}
      rowKey={(row) => `${row.profession}-${row.stage}`}
    />
  );
}

export function VariationView() {
  const loaded = useApi('framework/variation', {});
  const [picked, setPicked] = useState<string | null>(null);
  const [open, setOpen] = useState<Set<number>>(new Set());
  const section = useRef<HTMLElement>(null);
  const arrived = useRef<{ data: unknown; at: number } | null>(null);
  if (loaded.data && arrived.current?.data !== loaded.data)
    arrived.current = { data: loaded.data, at: performance.now() };
  // How long the matrix and findings take to render (data received to painted), for the performance check.
  useLayoutEffect(() => {
    if (!loaded.data || !arrived.current) return;
    const started = arrived.current.at;
    requestAnimationFrame(() =>
      section.current?.setAttribute('data-render-ms', (performance.now() - started).toFixed(1)),
    );
  }, [loaded.data]);
  const roles = useMemo(() => new Map((loaded.data?.roles ?? []).map((r) => [r.id, r])), [loaded.data]);
  if (!loaded.data) return <Loading error={loaded.error} />;
  const data = loaded.data;
  const cell = picked
    ? data.matrix.cells.find((c) => `${c.profession}\u0000${c.stage}\u0000${c.band}` === picked)
    : undefined;

  return (
    <section aria-labelledby="variation-title" ref={section} data-testid="variation">
      <h2 id="variation-title">Variation in roles, bands and stages</h2>
      <p className="hint">
        The programme asks services to address variation in roles, banding and progression. Typical bands are guidance
        only: the framework is not a banding guide.
      </p>
      <Matrix data={data} picked={picked} onPick={(k) => setPicked(k === picked ? null : k)} />
      <div aria-live="polite">
        {cell && (
          <div className="panel" data-testid="drill-down">
            <RoleList
              ids={cell.roleIds}
              roles={roles}
              caption={`${cell.profession}, ${stageLabel(cell.stage)}, ${bandLabel(cell.band)}: ${cell.count} role${cell.count === 1 ? '' : 's'}`}
            />
          </div>
        )}
      </div>

      <h2>Findings to work through ({data.findings.length})</h2>
      {data.findings.length === 0 ? (
        <p>No variation found.</p>
      ) : (
        <ol className="fw-findings" data-testid="findings">
          {data.findings.map((f, i) => (
            <li key={i} className="panel">
              <p>
                <span className="tag">{KIND_LABELS[f.kind]}</span> {f.message}
              </p>
              <button
                type="button"
                className="link-button"
                aria-expanded={open.has(i)}
                onClick={() =>
                  setOpen((o) => {
                    const n = new Set(o);
                    if (n.has(i)) n.delete(i);
                    else n.add(i);
                    return n;
                  })
                }
              >
                {open.has(i) ? 'Hide' : 'Show'} the {f.roleIds.length} role{f.roleIds.length === 1 ? '' : 's'}
              </button>
              {open.has(i) && <RoleList ids={f.roleIds} roles={roles} caption={`Roles in this finding`} />}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

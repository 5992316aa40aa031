import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { useApi } from '../../api';
import { LabelledField } from '../../components/forms';
import { Pagination } from '../../components/actions';
import { DataTable } from '../../components/DataTable';
import { formatCount, formatDate } from '../../components/format';
import { AMBER, GREEN, GREY, RED, STACKED_SEGMENT } from '../../components/chart-colours';
import { ChartFigure, Stat, StatCards } from '../../components/stats';
import type { GapCounts } from '../../../shared/training/channels';
import { EDUCATION_REQUIREMENTS, type GapStatus } from '../../../shared/training/education';
import { careerFrameworkLevelLabel, rqfQualificationLabel } from '../../../shared/framework/labels';
import type { StageId } from '../../../shared/framework/index';
import { ExportButtons, Loading, STAGES, StatusTag, stageShort } from '../../components/framework';

function CountsTable({ caption, rows, testId }: { caption: string; rows: GapCounts[]; testId: string }) {
  return (
    <DataTable
      caption={caption}
      testId={testId}
      columns={[
        {
          id: 'label',
          header: caption.replace(/^By /, '').replace(/^./, (c) => c.toUpperCase()),
          rowHeader: true,
          cell: (r) => r.label,
        },
        { id: 'people', header: 'People', numeric: true, cell: (r) => formatCount(r.people) },
        { id: 'meets', header: 'Meets', numeric: true, cell: (r) => formatCount(r.meets) },
        { id: 'partly', header: 'Partly', numeric: true, cell: (r) => formatCount(r.partly) },
        { id: 'doesNot', header: 'Does not', numeric: true, cell: (r) => formatCount(r.doesNot) },
        { id: 'unknown', header: 'Unknown', numeric: true, cell: (r) => formatCount(r.unknown) },
        { id: 'nextMeets', header: 'Meets next stage', numeric: true, cell: (r) => formatCount(r.nextMeets) },
      ]}
      rows={rows}
      rowKey={(r) => r.key}
      rowAttributes={(r) => ({ 'data-key': r.key })}
    />
  );
}

/**
 * What each stage asks for, read from the same table the gap analysis applies. Two kinds of level: the stage's
 * place on the NHS Career Framework, and the RQF level of the qualification it asks for.
 */
function RequirementsTable() {
  const needs = (parts: { need: string }[]) => parts.map((p) => p.need).join(' + ');
  return (
    <DataTable
      caption="What each stage asks for (Domain 1, item 1.1: education)"
      testId="education-requirements"
      columns={[
        { id: 'stage', header: 'Stage', rowHeader: true, cell: (s) => s.name },
        { id: 'career', header: 'Career framework level', cell: (s) => careerFrameworkLevelLabel(s.id) },
        {
          id: 'rqf',
          header: 'Education (RQF level)',
          cell: (s) => rqfQualificationLabel(EDUCATION_REQUIREMENTS[s.id].rqfLevel),
        },
        {
          id: 'routes',
          header: 'Met by',
          cell: (s) =>
            EDUCATION_REQUIREMENTS[s.id].routes
              .map((r) => needs(r.parts))
              .join('; or ')
              .replace(/^./, (c) => c.toUpperCase()),
        },
        { id: 'plus', header: 'Plus', cell: (s) => needs(EDUCATION_REQUIREMENTS[s.id].plus) },
      ]}
      rows={STAGES}
      rowKey={(s) => s.id}
    />
  );
}

export function GapsSummaryView() {
  const gaps = useApi('training/gaps', { limit: 1 });
  if (!gaps.data) return <Loading error={gaps.error} />;
  const g = gaps.data;
  const chartRows = g.byStage.map((r) => ({
    stage: r.label.replace(/\s*\(.*\)$/, ''),
    Meets: r.meets,
    Partly: r.partly,
    'Does not': r.doesNot,
    Unknown: r.unknown,
  }));
  return (
    <section aria-labelledby="gaps-title">
      <h2 id="gaps-title">Education gap analysis</h2>
      <p className="hint">
        Each person in post on {formatDate(g.asAt)} is compared with the Domain 1 education requirement (item 1.1) of
        their main role's stage, and of the next stage. "Unknown" means no qualifications are recorded for them yet, or
        their role is not mapped: that is not the same as "does not meet". Study in progress counts as "partly"; the
        assistant practitioner's Care Certificate is asked for on top of the qualification, so on its own it counts
        towards no stage.
      </p>
      <RequirementsTable />
      <StatCards>
        <Stat label="People" testId="gaps-people">
          {formatCount(g.totals.people)}
        </Stat>
        <Stat label="Meet their stage" testId="gaps-meets">
          {formatCount(g.totals.meets)}
        </Stat>
        <Stat label="Partly" testId="gaps-partly">
          {formatCount(g.totals.partly)}
        </Stat>
        <Stat label="Do not meet" testId="gaps-does-not">
          {formatCount(g.totals.doesNot)}
        </Stat>
        <Stat label="Unknown" testId="gaps-unknown">
          {formatCount(g.totals.unknown)}
        </Stat>
      </StatCards>
      <div className="chart-and-table">
        <ChartFigure
          label="Chart: education status by stage"
          caption="Education status by stage (people)"
          height={Math.max(220, chartRows.length * 50 + 70)}
        >
          <BarChart data={chartRows} layout="vertical" margin={{ left: 16, right: 16 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey="stage" width={170} />
            <Tooltip />
            <Legend />
            <Bar dataKey="Meets" stackId="s" fill={GREEN} {...STACKED_SEGMENT} isAnimationActive={false} />
            <Bar dataKey="Partly" stackId="s" fill={AMBER} {...STACKED_SEGMENT} isAnimationActive={false} />
            <Bar dataKey="Does not" stackId="s" fill={RED} {...STACKED_SEGMENT} isAnimationActive={false} />
            <Bar dataKey="Unknown" stackId="s" fill={GREY} {...STACKED_SEGMENT} isAnimationActive={false} />
          </BarChart>
        </ChartFigure>
        <CountsTable caption="By stage" rows={g.byStage} testId="gaps-by-stage" />
      </div>
      <CountsTable caption="By profession" rows={g.byProfession} testId="gaps-by-profession" />
      <CountsTable caption="By service" rows={g.byService} testId="gaps-by-service" />

      <h2>Training the gaps point to</h2>
      <DataTable
        caption="People who would benefit from each training route"
        testId="route-demand"
        columns={[
          { id: 'route', header: 'Route', rowHeader: true, cell: (r) => r.name },
          { id: 'current', header: 'To meet their current stage', numeric: true, cell: (r) => formatCount(r.current) },
          { id: 'next', header: 'To progress to the next stage', numeric: true, cell: (r) => formatCount(r.next) },
        ]}
        actions={(r) => (
          <a href={`#/gaps/tna/new/${r.route}/${Math.max(1, r.current || r.next)}`}>
            Plan training<span className="visually-hidden"> for {r.name}</span>
          </a>
        )}
        rows={g.routeDemand.filter((r) => r.current + r.next > 0)}
        rowKey={(r) => r.route}
      />
      {g.routeDemand.every((r) => r.current + r.next === 0) && (
        <p>No training need found yet: record qualifications on people (People tab).</p>
      )}
      <h3>Export the gap analysis (one row per person)</h3>
      <ExportButtons what="gaps" label="gap analysis" />
    </section>
  );
}

export function GapsPeopleView() {
  const [filter, setFilter] = useState<{ status: GapStatus | 'all'; stage: StageId | 'unmapped' | 'all' }>({
    status: 'all',
    stage: 'all',
  });
  const [offset, setOffset] = useState(0);
  const [search, setSearch] = useState('');
  const limit = 50;
  const gaps = useApi('training/gaps', { ...filter, offset, limit });
  const found = useApi('workforce/staff', { search: search.trim(), limit: 10 }, search.trim() ? 'search' : 'none');
  return (
    <section aria-labelledby="people-title">
      <h2 id="people-title">People and their education gaps</h2>
      <form className="panel" role="search" onSubmit={(e) => e.preventDefault()}>
        <LabelledField htmlFor="person-search" label="Find a person by staff reference or role title" width="medium">
          <input
            id="person-search"
            className="input"
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </LabelledField>
        {search.trim() && found.data && (
          <ul data-testid="person-matches">
            {found.data.people.map((p) => (
              <li key={p.id}>
                <a href={`#/gaps/person/${p.id}`}>{p.ref}</a> {p.assignments.map((a) => a.roleTitle).join(', ')}
              </li>
            ))}
            {found.data.people.length === 0 && <li>Nobody matches.</li>}
          </ul>
        )}
      </form>
      <div className="field-row">
        <LabelledField htmlFor="gap-status" label="Education status" width="medium">
          <select
            id="gap-status"
            className="select"
            value={filter.status}
            onChange={(e) => (setOffset(0), setFilter({ ...filter, status: e.target.value as GapStatus | 'all' }))}
          >
            <option value="all">All</option>
            <option value="meets">Meets</option>
            <option value="partly">Partly meets</option>
            <option value="does-not">Does not meet</option>
            <option value="unknown">Unknown</option>
          </select>
        </LabelledField>
        <LabelledField htmlFor="gap-stage" label="Stage" width="medium">
          <select
            id="gap-stage"
            className="select"
            value={filter.stage}
            onChange={(e) => (setOffset(0), setFilter({ ...filter, stage: e.target.value as StageId | 'all' }))}
          >
            <option value="all">All</option>
            {STAGES.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
            <option value="unmapped">Role not mapped</option>
          </select>
        </LabelledField>
      </div>
      {!gaps.data ? (
        <Loading error={gaps.error} />
      ) : (
        <>
          <DataTable
            caption={
              gaps.data.people.total === 0
                ? 'Nobody matches'
                : `People ${formatCount(offset + 1)} to ${formatCount(Math.min(offset + limit, gaps.data.people.total))} of ${formatCount(gaps.data.people.total)}`
            }
            testId="gap-people"
            columns={[
              {
                id: 'ref',
                header: 'Staff reference',
                cell: (p) => (
                  <a href={`#/gaps/person/${p.personId}`} className="mono">
                    {p.ref}
                  </a>
                ),
              },
              {
                id: 'role',
                header: 'Role',
                cell: (p) => (
                  <>
                    {p.roleTitle}
                    <div className="fw-sub">{p.serviceName}</div>
                  </>
                ),
              },
              { id: 'stage', header: 'Stage', cell: (p) => stageShort(p.stage) },
              { id: 'status', header: 'Education', cell: (p) => <StatusTag status={p.status} /> },
              { id: 'missing', header: 'Still needed', cell: (p) => p.missing.join('; ') },
              {
                id: 'next',
                header: 'Next stage',
                cell: (p) => (p.nextStatus ? <StatusTag status={p.nextStatus} /> : ''),
              },
            ]}
            rows={gaps.data.people.rows}
            rowKey={(p) => p.personId}
          />
          <Pagination
            hasPrevious={offset !== 0}
            hasNext={offset + limit < gaps.data.people.total}
            onPrevious={() => setOffset(Math.max(0, offset - limit))}
            onNext={() => setOffset(offset + limit)}
          />
        </>
      )}
    </section>
  );
}

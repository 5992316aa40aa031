import { describeVacancyCoverage } from '../../shared/picture/metrics';
import type { VacancyCoverage } from '../../shared/workforce/channels';
import type { Column } from './DataTable';
import { formatFte } from './format';
import { Notice } from './forms';

/**
 * What a vacancy figure covers (only roles with an establishment count), beside the figure. When some roles have no
 * establishment yet it stands out, with the way to cover them.
 */
export function VacancyCoverageNote({ coverage }: { coverage: VacancyCoverage }) {
  const text = <span data-testid="vacancy-coverage">{describeVacancyCoverage(coverage)}</span>;
  if (coverage.rolesWithEstablishment === coverage.roles) return <p className="hint">{text}</p>;
  return (
    <Notice kind="info">
      {text} Set the establishment of the other post lines on the <a href="#/workforce/roles">Roles</a> tab, or import
      it on the <a href="#/workforce/establishment">Establishment</a> tab.
    </Notice>
  );
}

/** A role's vacancy FTE, or a dash when the role has no establishment to be vacant against. */
export function VacancyFte({ fte }: { fte: number | null }) {
  if (fte === null)
    return (
      <span title="No establishment set">
        —<span className="visually-hidden"> (no establishment set)</span>
      </span>
    );
  return <>{formatFte(fte)}</>;
}

/** The establishment, in-post and vacancy FTE columns of a by-role vacancy table. */
export function vacancyFteColumns<
  T extends { establishmentFte: number; inPostFte: number; vacancyFte: number | null },
>(): Column<T>[] {
  return [
    {
      id: 'establishment',
      header: 'Establishment FTE',
      numeric: true,
      value: (r) => r.establishmentFte,
      cell: (r) => formatFte(r.establishmentFte),
    },
    {
      id: 'inPost',
      header: 'In post FTE',
      numeric: true,
      value: (r) => r.inPostFte,
      cell: (r) => formatFte(r.inPostFte),
    },
    {
      id: 'vacancy',
      header: 'Vacancy FTE',
      numeric: true,
      value: (r) => r.vacancyFte,
      className: (r) => ((r.vacancyFte ?? 0) < 0 ? 'over' : undefined),
      cell: (r) => <VacancyFte fte={r.vacancyFte} />,
    },
  ];
}

/** Under a chart of the biggest lines: what the others add up to, and whether they are drawn as one bar. */
export function OtherLinesNote({
  noun,
  rest,
  drawn,
}: {
  noun: string;
  rest: { count: number; establishmentFte: number; inPostFte: number } | null;
  drawn: boolean;
}) {
  if (!rest) return null;
  return (
    <p className="hint" data-testid="chart-rest">
      Other {noun} ({rest.count.toLocaleString('en-GB')}): {formatFte(rest.establishmentFte)} FTE establishment and{' '}
      {formatFte(rest.inPostFte)} FTE in post
      {drawn ? ', the last bar' : ', not drawn as a bar (it would shrink the others to slivers)'}. Every line is in the
      table.
    </p>
  );
}

import { describeVacancyCoverage } from '../../shared/picture/metrics';
import type { VacancyCoverage } from '../../shared/workforce/channels';
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
      {text} Set the establishment of the other roles on the <a href="#/workforce/roles">Roles</a> tab.
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

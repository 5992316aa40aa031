import { useId, useState } from 'react';
import { formatCount } from '../../components/format';
import type { RoleView } from '../../../shared/workforce/channels';

const SHOWN = 40;

const normalise = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim();
const roleName = (r: Pick<RoleView, 'title' | 'band'>) => `${r.title}, band ${r.band}`;

/**
 * Chooses several job roles for one pathway step: a search box (its id comes from the Field around it, so the
 * field's label names it), the chosen roles with a button to take each out, and the matching roles as
 * checkboxes showing band, services and staff. Plain checkboxes and buttons, so the keyboard and screen
 * readers work as everywhere else; the count of matches is announced as the search changes.
 */
export function RoleGroupPicker({
  id,
  roles,
  selected,
  onChange,
  describedBy,
  invalid,
}: {
  id: string;
  roles: RoleView[];
  selected: number[];
  onChange: (roleIds: number[]) => void;
  describedBy?: string;
  invalid?: boolean;
}) {
  const [search, setSearch] = useState('');
  const statusId = useId();
  const chosen = new Set(selected);
  const byId = new Map(roles.map((r) => [r.id, r]));
  const words = normalise(search).split(' ').filter(Boolean);
  const matches = roles.filter((r) => {
    const text = normalise(`${r.title} band ${r.band} ${r.services} ${r.professionName}`);
    return words.every((w) => text.includes(w));
  });
  const shown = matches.slice(0, SHOWN);
  const toggle = (roleId: number, on: boolean) =>
    onChange(on ? [...selected, roleId] : selected.filter((x) => x !== roleId));

  return (
    <div className="fw-role-group">
      {selected.length > 0 && (
        <ul className="fw-role-group__chosen" aria-label="Roles in this step">
          {selected.map((roleId) => {
            const r = byId.get(roleId);
            const name = r ? roleName(r) : `Role ${roleId} (no longer exists)`;
            return (
              <li key={roleId}>
                <span>{name}</span>
                <button type="button" className="link-button" onClick={() => toggle(roleId, false)}>
                  Take out<span className="visually-hidden"> {name}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <input
        id={id}
        className="input"
        type="search"
        value={search}
        autoComplete="off"
        aria-describedby={[describedBy, statusId].filter(Boolean).join(' ')}
        {...(invalid ? { 'aria-invalid': true } : {})}
        onChange={(e) => setSearch(e.target.value)}
      />
      <p id={statusId} className="fw-sub" aria-live="polite">
        {matches.length === 0
          ? 'No role matches the search.'
          : matches.length > SHOWN
            ? `${formatCount(matches.length)} roles match; the first ${SHOWN} are listed, type more to narrow them.`
            : `${formatCount(matches.length)} ${matches.length === 1 ? 'role matches' : 'roles match'}.`}{' '}
        {formatCount(selected.length)} chosen.
      </p>
      <ul className="fw-role-group__list" aria-label="Roles matching the search">
        {shown.map((r) => (
          <li key={r.id}>
            <label className="fw-radio">
              <input type="checkbox" checked={chosen.has(r.id)} onChange={(e) => toggle(r.id, e.target.checked)} />
              <span>
                {roleName(r)}
                <span className="fw-sub">
                  {' '}
                  · {r.serviceCount === 1 ? r.services : `${r.serviceCount} services`} · {formatCount(r.headcount)}{' '}
                  staff
                </span>
              </span>
            </label>
          </li>
        ))}
      </ul>
    </div>
  );
}

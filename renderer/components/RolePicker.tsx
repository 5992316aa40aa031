import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { RoleView } from '../../shared/workforce/channels';
import { NO_FILTER, filterRoles, roleLabel } from '../../shared/workforce/role-list';
import { formatCount } from './format';
import './role-picker.css';

/** Options listed at once; typing narrows the rest down. */
const SHOWN = 50;

const facts = (r: RoleView) =>
  `Band ${r.band} · ${formatCount(r.serviceCount)} ${r.serviceCount === 1 ? 'service' : 'services'} · ${formatCount(r.headcount)} staff`;

/**
 * Chooses a role from thousands: a combobox (ARIA 1.2, list autocomplete) that searches title, band, profession and
 * services as the lead types, and shows each role's band, service count and staff count. Keyboard: Down/Up move,
 * Enter chooses, Escape closes; the id goes on the text box so a Field's label names it.
 */
export function RolePicker({
  id,
  roles,
  value,
  onChange,
  'aria-describedby': describedBy,
  'aria-invalid': invalid,
}: {
  id: string;
  roles: readonly RoleView[];
  /** The chosen role's id as text, '' for none (as a select's value). */
  value: string;
  onChange: (value: string) => void;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
}) {
  const chosen = useMemo(() => roles.find((r) => String(r.id) === value), [roles, value]);
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const listId = `${id}-list`;
  const statusId = useId();
  const listRef = useRef<HTMLUListElement>(null);

  const matches = useMemo(
    () => (open ? filterRoles(roles, { ...NO_FILTER, search: query ?? '' }) : []),
    [open, roles, query],
  );
  const shown = matches.slice(0, SHOWN);
  const text = query ?? (chosen ? roleLabel(chosen) : '');

  const choose = (role: RoleView | undefined) => {
    if (role) onChange(String(role.id));
    setQuery(null);
    setOpen(false);
  };
  const move = (to: number) => {
    const next = Math.max(0, Math.min(shown.length - 1, to));
    setActive(next);
    listRef.current?.children[next]?.scrollIntoView({ block: 'nearest' });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (!open) {
        setOpen(true);
        setActive(0);
      } else move(active + 1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (open) move(active - 1);
    } else if (e.key === 'Enter') {
      if (open) {
        e.preventDefault();
        choose(shown[active]);
      }
    } else if (e.key === 'Escape') {
      if (open || query !== null) {
        e.preventDefault();
        setQuery(null);
        setOpen(false);
      }
    }
  };

  const hintId = `${id}-chosen`;
  return (
    <div className="role-picker">
      <input
        id={id}
        className="input"
        type="text"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open && shown[active] ? `${listId}-${shown[active].id}` : undefined}
        aria-describedby={[describedBy, chosen ? hintId : ''].filter(Boolean).join(' ') || undefined}
        aria-invalid={invalid}
        placeholder="Type to search roles"
        value={text}
        onChange={(e) => {
          setQuery(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onClick={() => setOpen(true)}
        onKeyDown={onKeyDown}
        onBlur={() => {
          // A box emptied on purpose clears the choice; any other text left half-typed goes back to the choice.
          if (query !== null && query.trim() === '') onChange('');
          setQuery(null);
          setOpen(false);
        }}
      />
      {chosen && !open && (
        <div id={hintId} className="role-picker__chosen">
          {chosen.professionName} · {facts(chosen)}
          {chosen.services ? ` (${chosen.services})` : ''}
        </div>
      )}
      <div className="role-picker__popup" hidden={!open}>
        <ul id={listId} ref={listRef} role="listbox" aria-label="Roles" className="role-picker__list">
          {shown.map((r, i) => (
            <li
              key={r.id}
              id={`${listId}-${r.id}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'role-picker__option role-picker__option--active' : 'role-picker__option'}
              // Chosen on mouse down, before the text box's blur closes the list.
              onMouseDown={(e) => {
                e.preventDefault();
                choose(r);
              }}
              onMouseMove={() => setActive(i)}
            >
              <span className="role-picker__title">{roleLabel(r)}</span>
              <span className="role-picker__facts">
                {r.professionName} · {facts(r)}
              </span>
            </li>
          ))}
        </ul>
        {open && shown.length === 0 && <p className="role-picker__note">No role matches “{query}”.</p>}
        {open && matches.length > SHOWN && (
          <p className="role-picker__note">{formatCount(matches.length - SHOWN)} more: type to narrow the list.</p>
        )}
      </div>
      <div id={statusId} className="visually-hidden" role="status" aria-live="polite">
        {open
          ? matches.length > SHOWN
            ? `${formatCount(matches.length)} roles match; the first ${SHOWN} are listed. Type more to narrow them down.`
            : `${formatCount(matches.length)} ${matches.length === 1 ? 'role matches' : 'roles match'}.`
          : ''}
      </div>
    </div>
  );
}

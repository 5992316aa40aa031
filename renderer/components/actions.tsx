import type { ReactNode } from 'react';

/**
 * Small action buttons in tables and lists. The visible word ("Change", "Delete") is followed by a visually
 * hidden name, so each button's accessible name says what it acts on ("Delete Physiotherapy").
 */
export function ActionButton({
  label,
  name,
  danger = false,
  onClick,
}: {
  label: string;
  name: ReactNode;
  danger?: boolean;
  onClick: () => void;
}) {
  return (
    <button type="button" className={danger ? 'link-button link-button--danger' : 'link-button'} onClick={onClick}>
      {label}
      <span className="visually-hidden"> {name}</span>
    </button>
  );
}

interface ItemActionsProps {
  /** What the buttons act on, read out after the visible word. */
  name: ReactNode;
  onChange?: () => void;
  onDelete?: () => void;
  changeLabel?: string;
  deleteLabel?: string;
}

/** "Change" and "Delete" (either may be left out; the words can be changed, e.g. "Rename", "Remove"). */
export function ItemActions({
  name,
  onChange,
  onDelete,
  changeLabel = 'Change',
  deleteLabel = 'Delete',
}: ItemActionsProps) {
  return (
    <>
      {onChange && <ActionButton label={changeLabel} name={name} onClick={onChange} />}
      {onDelete && <ActionButton label={deleteLabel} name={name} danger onClick={onDelete} />}
    </>
  );
}

/** A form's Save and Cancel buttons (anything in `before` comes first in the same group). */
export function FormButtons({
  save,
  busy,
  onCancel,
  before,
}: {
  save: string;
  busy?: boolean;
  onCancel: () => void;
  before?: ReactNode;
}) {
  return (
    <div className="button-group">
      {before}
      <button type="submit" className="button" disabled={busy}>
        {save}
      </button>
      <button type="button" className="button button--secondary" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

/** Previous / Next under a paged table. */
export function Pagination({
  hasPrevious,
  hasNext,
  onPrevious,
  onNext,
}: {
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
}) {
  return (
    <div className="pagination">
      <button type="button" className="button button--secondary" disabled={!hasPrevious} onClick={onPrevious}>
        Previous
      </button>
      <button type="button" className="button button--secondary" disabled={!hasNext} onClick={onNext}>
        Next
      </button>
    </div>
  );
}

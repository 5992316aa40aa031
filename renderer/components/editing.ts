import { useState } from 'react';

/** What an add/edit panel is showing: nothing, a blank form ('new'), or the form for one item. */
export type Editing<T> = T | 'new' | null;

/**
 * State for the "Add a ... / Change" panel above a list. `formKey` and `item` are what the form takes:
 * a fresh form for each item (so its fields start from that item), and null for a new one.
 */
export function useEditing<T extends { id: number }>(initial: Editing<T> = null) {
  const [editing, setEditing] = useState<Editing<T>>(initial);
  return {
    editing,
    setEditing,
    formKey: editing === 'new' ? 'new' : String(editing?.id),
    item: editing === 'new' ? null : editing,
    add: () => setEditing('new'),
    close: () => setEditing(null),
  };
}

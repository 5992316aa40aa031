import { useEffect, useRef, useState } from 'react';

/** What an add/edit panel is showing: nothing, a blank form ('new'), or the form for one item. */
export type Editing<T> = T | 'new' | null;

export interface Opener {
  element: HTMLElement | null;
  /** Its text, to find the same control again if the page drew it afresh (an "Add ..." button hidden while open). */
  text: string;
}

/**
 * Where focus goes when a panel closes (WCAG 2.4.3): back to the control that opened it, or the same control drawn
 * again, or else the page's heading; never lost to the page body.
 */
export function returnFocus(opener: Opener | null) {
  const main = document.getElementById('main');
  if (!main) return;
  const usable = (el: HTMLElement | null | undefined): el is HTMLElement =>
    !!el && el.isConnected && !(el as HTMLButtonElement).disabled;
  let target: HTMLElement | null = usable(opener?.element) ? opener.element : null;
  if (!target && opener?.text) {
    target =
      [...main.querySelectorAll<HTMLElement>('button, a[href]')].find(
        (el) => usable(el) && el.textContent?.trim() === opener.text,
      ) ?? null;
  }
  if (!target) {
    target = main.querySelector<HTMLElement>('h1');
    if (target && !target.hasAttribute('tabindex')) target.tabIndex = -1;
  }
  target?.focus();
}

export function currentOpener(): Opener {
  const active = document.activeElement;
  const element = active instanceof HTMLElement && active !== document.body ? active : null;
  return { element, text: element?.textContent?.trim() ?? '' };
}

/**
 * State for the "Add a ... / Change" panel above a list. `formKey` and `item` are what the form takes:
 * a fresh form for each item (so its fields start from that item), and null for a new one. The panel's heading
 * takes focus as it opens (EditorHeading); closing it, saved or cancelled, returns focus to what opened it.
 */
export function useEditing<T extends { id: number }>(initial: Editing<T> = null) {
  const [editing, setEditingState] = useState<Editing<T>>(initial);
  const opener = useRef<Opener | null>(null);
  const restore = useRef(false);
  useEffect(() => {
    if (editing !== null || !restore.current) return;
    restore.current = false;
    returnFocus(opener.current);
  }, [editing]);
  const setEditing = (next: Editing<T>) => {
    if (next === null) {
      if (editing !== null) restore.current = true;
    } else if (next !== editing) {
      opener.current = currentOpener();
    }
    setEditingState(next);
  };
  return {
    editing,
    setEditing,
    formKey: editing === 'new' ? 'new' : String(editing?.id),
    item: editing === 'new' ? null : editing,
    add: () => setEditing('new'),
    close: () => setEditing(null),
  };
}

import { useEffect, useRef, type ReactNode } from 'react';

/**
 * The heading of a panel or form that opens in the page (add, change, a record): it takes focus as the panel
 * appears, so keyboard and screen-reader users start there (WCAG 2.4.3). `data-route-focus` lets a panel opened by
 * its own address keep focus when the route changes.
 */
export function EditorHeading({ level = 3, id, children }: { level?: 2 | 3 | 4; id?: string; children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const Tag = `h${level}` as const;
  return (
    <Tag id={id} ref={ref} tabIndex={-1} data-route-focus="" className="editor-heading">
      {children}
    </Tag>
  );
}

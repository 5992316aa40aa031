import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * A box that scrolls sideways when what is in it is wider than the page (a wide table on a narrow window or at
 * 400% zoom), so the page itself never does (WCAG 1.4.10). Only while it does scroll is it a named region in
 * the tab order, so the keyboard can scroll it (2.1.1) without adding a tab stop to every table.
 */
export function ScrollBox({
  className,
  labelledBy,
  label,
  children,
}: {
  className?: string;
  /** Id of the element naming what scrolls (a table's caption). */
  labelledBy?: string;
  label?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [overflowing, setOverflowing] = useState(false);
  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    const check = () => setOverflowing(box.scrollWidth > box.clientWidth + 1);
    check();
    const observer = new ResizeObserver(check);
    observer.observe(box);
    if (box.firstElementChild) observer.observe(box.firstElementChild);
    return () => observer.disconnect();
  }, []);
  return (
    <div
      ref={ref}
      className={className ? `table-scroll ${className}` : 'table-scroll'}
      {...(overflowing
        ? {
            tabIndex: 0,
            role: 'region',
            ...(labelledBy ? { 'aria-labelledby': labelledBy } : { 'aria-label': label ?? 'Table' }),
          }
        : {})}
    >
      {children}
    </div>
  );
}

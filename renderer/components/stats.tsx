import { cloneElement, useEffect, useRef, type ReactElement, type ReactNode } from 'react';
import { ResponsiveContainer } from 'recharts';

/** Headline figures as NHS-style stat cards. */
export function StatCards({ label, children }: { label?: string; children: ReactNode }) {
  return (
    <dl className="stats" aria-label={label}>
      {children}
    </dl>
  );
}

export function Stat({
  label,
  testId,
  className,
  children,
}: {
  label: ReactNode;
  testId?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd className={className} data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

/**
 * A recharts chart in a labelled figure; put the table of the same figures beside it (.chart-and-table).
 * The chart is kept out of the tab order: recharts' keyboard layer makes it an unnamed role=application stop
 * that only moves a mouse tooltip, and the table beside it gives the same figures to keyboard and screen reader.
 */
export function ChartFigure({
  label,
  caption,
  height,
  children,
}: {
  label: string;
  caption: ReactNode;
  height: number;
  children: ReactElement<{ accessibilityLayer?: boolean }>;
}) {
  const ref = useRef<HTMLElement>(null);
  // recharts draws layers into <g> portals, and React's listeners on a portal's container make Chromium treat
  // that <g> as a Tab stop: a tabindex of -1 takes each out of the tab order as the chart redraws.
  useEffect(() => {
    const figure = ref.current;
    if (!figure) return;
    const untab = () => {
      for (const g of figure.querySelectorAll('svg g[class^="recharts-zIndex-layer"]:not([tabindex])'))
        g.setAttribute('tabindex', '-1');
    };
    untab();
    const observer = new MutationObserver(untab);
    observer.observe(figure, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, []);
  return (
    <figure className="chart" aria-label={label} ref={ref}>
      <figcaption>{caption}</figcaption>
      <ResponsiveContainer width="100%" height={height}>
        {cloneElement(children, { accessibilityLayer: false })}
      </ResponsiveContainer>
    </figure>
  );
}

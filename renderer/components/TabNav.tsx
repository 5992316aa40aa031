import { usePageTitle } from './page-title';

/**
 * An area's tabs: links to #/<area>/<tab>, the current one marked with aria-current="page". The current tab's
 * label (or `title`, when the page has a more telling one) goes in the window title.
 */
export function TabNav({
  area,
  label,
  tabs,
  current,
  title,
}: {
  area: string;
  label: string;
  tabs: readonly { path: string; label: string }[];
  current: string;
  title?: string;
}) {
  usePageTitle(title ?? tabs.find((t) => t.path === current)?.label);
  return (
    <nav className="tabs" aria-label={label}>
      <ul>
        {tabs.map((t) => (
          <li key={t.path}>
            <a href={`#/${area}/${t.path}`} aria-current={t.path === current ? 'page' : undefined}>
              {t.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

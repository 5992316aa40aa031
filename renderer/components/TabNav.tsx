/** An area's tabs: links to #/<area>/<tab>, the current one marked with aria-current="page". */
export function TabNav({
  area,
  label,
  tabs,
  current,
}: {
  area: string;
  label: string;
  tabs: readonly { path: string; label: string }[];
  current: string;
}) {
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

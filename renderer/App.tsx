import { useEffect, useState, type ComponentType } from 'react';
import { OrganisationProvider, useOrganisation } from './components/organisation';
import { PageTitleProvider } from './components/page-title';
import { useFocusOnRouteChange } from './components/route-focus';
import { FundingPage } from './pages/funding/FundingPage';
import { FrameworkPage } from './pages/framework/FrameworkPage';
import { GapsPage } from './pages/training/GapsPage';
import { CollectedPage } from './pages/ics/CollectedPage';
import { IcsPicturePage } from './pages/ics/IcsPicturePage';
import { TrustsPage } from './pages/ics/TrustsPage';
import { ReturnsPage } from './pages/returns/ReturnsPage';
import { SettingsPage } from './pages/settings/SettingsPage';
import { WorkforcePage } from './pages/workforce/WorkforcePage';

/** The areas of the app, in the order a lead works through them. Each is one folder under pages/. */
interface Area {
  path: string;
  label: string;
  page: ComponentType<{ subpath: string }>;
}

const TRUST_AREAS: Area[] = [
  { path: 'workforce', label: 'Workforce', page: WorkforcePage },
  { path: 'framework', label: 'Roles & framework', page: FrameworkPage },
  { path: 'gaps', label: 'Gap analysis', page: GapsPage },
  { path: 'funding', label: 'Funding', page: FundingPage },
  { path: 'returns', label: 'Returns', page: ReturnsPage },
  { path: 'settings', label: 'Settings', page: SettingsPage },
];

/** An ICS database collects its trusts' returns instead of holding a workforce (issue 13). */
const ICS_AREAS: Area[] = [
  { path: 'trusts', label: 'Trusts', page: TrustsPage },
  { path: 'collected', label: 'Collected returns', page: CollectedPage },
  { path: 'ics-picture', label: 'ICS picture', page: IcsPicturePage },
  { path: 'returns', label: 'ICS return', page: ReturnsPage },
  { path: 'funding', label: 'Funding', page: FundingPage },
  { path: 'settings', label: 'Settings', page: SettingsPage },
];

function useHashRoute(): string[] {
  const read = () => window.location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function App() {
  return (
    <OrganisationProvider>
      <Frame />
    </OrganisationProvider>
  );
}

function Frame() {
  const organisation = useOrganisation();
  const areas = organisation.data?.kind === 'ics' ? ICS_AREAS : TRUST_AREAS;
  const route = useHashRoute();
  const [areaPath = areas[0]!.path, ...rest] = route;
  const area = areas.find((a) => a.path === areaPath) ?? areas[0]!;
  const Page = area.page;
  useFocusOnRouteChange(route.join('/'));
  // An address for an area this kind of database does not have (#/workforce in an ICS's) shows the first area: the
  // address bar says so too, so a copied link or a reload is the page seen.
  const known = organisation.data !== null && areas.some((a) => a.path === areaPath);
  useEffect(() => {
    if (organisation.data && !known) window.history.replaceState(null, '', `#/${area.path}`);
  }, [organisation.data, known, area.path]);

  return (
    <PageTitleProvider area={area.label}>
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to main content
      </a>
      <header className="header">
        <div className="header__inner">
          <div className="header__brand">
            <span className="header__logo" aria-hidden="true">
              NHS
            </span>
            <span className="header__service">AHP Support Workforce Planner</span>
          </div>
          {organisation.data && (
            <div className="header__org">
              {organisation.data.name}
              {organisation.data.isDemo && <strong className="tag tag--demo">Synthetic demo data</strong>}
            </div>
          )}
        </div>
        <nav className="nav" aria-label="Main areas">
          <ul>
            {areas.map((a) => (
              <li key={a.path}>
                <a href={`#/${a.path}`} aria-current={a === area ? 'page' : undefined}>
                  {a.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <Page subpath={rest.join('/')} />
      </main>
    </PageTitleProvider>
  );
}

import { useOrganisation } from '../../components/organisation';
import { Notice } from '../../components/forms';
import { TabNav } from '../../components/TabNav';
import { tnaRouteIdSchema } from '../../../shared/training/tna';
import { GapsPeopleView, GapsSummaryView } from './GapsView';
import { PersonView } from './PersonView';
import { RecordsImportView } from './RecordsImportView';
import { TnaView } from './TnaView';
import '../framework/framework.css';

const TABS = [
  { path: 'summary', label: 'Summary' },
  { path: 'people', label: 'People' },
  { path: 'tna', label: 'Training needs' },
  { path: 'import', label: 'Import training records' },
] as const;

/** The "Gap analysis" area: education gaps per person and overall, and the costed training needs assessment. */
export function GapsPage({ subpath }: { subpath: string }) {
  const organisation = useOrganisation();
  const [tabPath = 'summary', ...rest] = subpath.split('/');
  if (!organisation.loading && !organisation.data) {
    return (
      <Notice kind="info">
        Set up your trust and its staff first. <a href="#/workforce">Go to Workforce</a>
      </Notice>
    );
  }
  const person = tabPath === 'person' && Number(rest[0]) > 0 ? Number(rest[0]) : null;
  const tab = person ? 'people' : (TABS.find((t) => t.path === tabPath) ?? TABS[0]).path;
  const route = tabPath === 'tna' && rest[0] === 'new' ? tnaRouteIdSchema.safeParse(rest[1]) : null;
  const preset =
    tabPath === 'tna' && rest[0] === 'new'
      ? {
          ...(route?.success ? { route: route.data } : {}),
          ...(Number(rest[2]) > 0 ? { cohort: Number(rest[2]) } : {}),
        }
      : null;
  return (
    <>
      <h1>Education gaps and training needs</h1>
      <TabNav area="gaps" label="Gap analysis" tabs={TABS} current={tab} />
      {person ? (
        <PersonView key={person} personId={person} />
      ) : (
        <>
          {tab === 'summary' && <GapsSummaryView />}
          {tab === 'people' && <GapsPeopleView />}
          {tab === 'tna' && <TnaView key={subpath} preset={preset} />}
          {tab === 'import' && <RecordsImportView />}
        </>
      )}
    </>
  );
}

import { useOrganisation } from '../../components/organisation';
import { Notice } from '../../components/forms';
import { TabNav } from '../../components/TabNav';
import { MappingEditor } from './MappingEditor';
import { MappingView } from './MappingView';
import { PathwaysView } from './PathwaysView';
import { VariationView } from './VariationView';
import { VersionsView } from './VersionsView';
import './framework.css';

const TABS = [
  { path: 'mapping', label: 'Role mapping' },
  { path: 'variation', label: 'Variation' },
  { path: 'pathways', label: 'Career pathways' },
  { path: 'versions', label: 'Framework versions' },
] as const;

/** The "Roles & framework" area: map every local role to a framework stage, see variation, draw pathways. */
export function FrameworkPage({ subpath }: { subpath: string }) {
  const organisation = useOrganisation();
  const [tabPath = 'mapping', id] = subpath.split('/');
  const tab = TABS.find((t) => t.path === tabPath) ?? TABS[0];
  if (!organisation.loading && !organisation.data) {
    return (
      <Notice kind="info">
        Set up your trust and its roles first. <a href="#/workforce">Go to Workforce</a>
      </Notice>
    );
  }
  return (
    <>
      <h1>Roles and the framework</h1>
      <TabNav area="framework" label="Roles and the framework" tabs={TABS} current={tab.path} />
      {tab.path === 'mapping' &&
        (id && Number(id) > 0 ? <MappingEditor key={id} roleId={Number(id)} /> : <MappingView />)}
      {tab.path === 'variation' && <VariationView />}
      {tab.path === 'pathways' && <PathwaysView />}
      {tab.path === 'versions' && <VersionsView />}
    </>
  );
}

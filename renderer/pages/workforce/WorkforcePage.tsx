import { useState } from 'react';
import { api, useApi } from '../../api';
import { useOrganisation } from '../../components/organisation';
import { Notice } from '../../components/forms';
import { TabNav } from '../../components/TabNav';
import { OrganisationForm } from '../settings/OrganisationForm';
import { GroupRolesView } from './GroupRolesView';
import { RolesView } from './RolesView';
import { ImportView } from '../import/ImportView';
import { EstablishmentView } from '../establishment/EstablishmentView';
import { PictureView } from '../picture/PictureView';
import { ServicesView } from './ServicesView';
import { StaffView } from './StaffView';
import { SummaryView } from './SummaryView';

const TABS = [
  { path: 'summary', label: 'Summary' },
  { path: 'picture', label: 'Picture' },
  { path: 'staff', label: 'Staff' },
  { path: 'import', label: 'Import' },
  { path: 'establishment', label: 'Establishment' },
  { path: 'roles', label: 'Roles' },
  { path: 'group', label: 'Group roles' },
  { path: 'services', label: 'Services' },
  { path: 'organisation', label: 'Organisation' },
] as const;

export function WorkforcePage({ subpath }: { subpath: string }) {
  const organisation = useOrganisation();
  // A file an import (say, from the command line) filled before anyone named the trust is not a new database.
  const services = useApi('workforce/services', {});
  const [demoError, setDemoError] = useState<string>();
  const [loadingDemo, setLoadingDemo] = useState<'trust' | 'ics' | null>(null);
  const tab = TABS.find((t) => t.path === subpath) ?? TABS[0];

  if (organisation.loading && !organisation.data) return <p>Loading…</p>;
  if (organisation.error) return <Notice kind="warning">{organisation.error}</Notice>;

  if (!organisation.data) {
    const loadDemo = async (kind: 'trust' | 'ics') => {
      setLoadingDemo(kind);
      setDemoError(undefined);
      const result = kind === 'trust' ? await api('settings/demo-load', {}) : await api('ics/demo-load', {});
      setLoadingDemo(null);
      if (!result.ok) return setDemoError(result.error.message);
      // The demo ICS opens on its picture: the trusts side by side are what it is for.
      if (kind === 'ics') window.location.hash = '#/ics-picture';
      organisation.reload();
    };
    return (
      <div className="narrow">
        <h1>Set up your organisation</h1>
        {services.data && services.data.length > 0 ? (
          <p className="lede">
            This database already holds services and staff, but not which trust they belong to. Tell us, and everything
            in it is kept.
          </p>
        ) : (
          <p className="lede">
            This database is new. Tell us who it is for. A trust then adds its services, roles and support staff; an ICS
            adds its trusts and collects their returns.
          </p>
        )}
        <OrganisationForm initial={null} onSaved={() => organisation.reload()} />
        {services.data && services.data.length > 0 ? null : (
          <>
            <h2>Or explore with a demo trust</h2>
            <p>
              Load a <strong>synthetic demo trust</strong>: about 2,000 made-up support staff in 31 job roles across
              nine services, with establishments, framework mappings, qualification records, training needs, a
              pump-prime funding plan and ledger, and two career pathways. Nobody in it is a real person. Use a separate
              database file for it, not your trust's real one.
            </p>
            {demoError && <Notice kind="warning">{demoError}</Notice>}
            <button
              type="button"
              className="button button--secondary"
              onClick={() => void loadDemo('trust')}
              disabled={loadingDemo !== null}
            >
              {loadingDemo === 'trust' ? 'Loading the demo trust…' : 'Load the synthetic demo trust'}
            </button>
            <h2>Or explore with a demo ICS</h2>
            <p>
              Load a <strong>synthetic demo ICS</strong>: five made-up trusts sign off their 2025/26 returns, which are
              collected here through the same checks as real trusts' files, and a sixth trust has not sent yet. Then
              compare the trusts and build the ICS return. It takes about ten seconds.
            </p>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => void loadDemo('ics')}
              disabled={loadingDemo !== null}
            >
              {loadingDemo === 'ics' ? 'Loading the demo ICS…' : 'Load the synthetic demo ICS'}
            </button>
          </>
        )}
      </div>
    );
  }

  return (
    <>
      <h1>Workforce</h1>
      <TabNav area="workforce" label="Workforce" tabs={TABS} current={tab.path} />
      {tab.path === 'summary' && <SummaryView />}
      {tab.path === 'picture' && <PictureView />}
      {tab.path === 'staff' && <StaffView />}
      {tab.path === 'import' && <ImportView />}
      {tab.path === 'establishment' && <EstablishmentView />}
      {tab.path === 'roles' && <RolesView />}
      {tab.path === 'group' && <GroupRolesView />}
      {tab.path === 'services' && <ServicesView />}
      {tab.path === 'organisation' && (
        <div className="narrow">
          <h2>Organisation</h2>
          <OrganisationForm initial={organisation.data} onSaved={() => organisation.reload()} />
        </div>
      )}
    </>
  );
}

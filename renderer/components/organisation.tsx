import { createContext, useContext, type ReactNode } from 'react';
import { useApi, type Loaded } from '../api';
import type { OrganisationView } from '../../shared/settings/channels';

/** The trust, loaded once for the whole app so that the header and every page agree after a change. */
const OrganisationContext = createContext<Loaded<OrganisationView> | null>(null);

export function OrganisationProvider({ children }: { children: ReactNode }) {
  const organisation = useApi('settings/organisation', {});
  return <OrganisationContext.Provider value={organisation}>{children}</OrganisationContext.Provider>;
}

export function useOrganisation(): Loaded<OrganisationView> {
  const value = useContext(OrganisationContext);
  if (!value) throw new Error('useOrganisation needs an OrganisationProvider');
  return value;
}

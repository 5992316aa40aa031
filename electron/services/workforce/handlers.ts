import type { workforceChannels } from '../../../shared/workforce';
import type { HandlerGroup } from '../../ipc/types';
import { getOrganisation, saveOrganisation } from './organisation';
import { deleteRole, listRoles, saveRole } from './roles';
import { deleteService, listServices, saveService } from './services';
import { deletePerson, getPerson, listStaff, savePerson } from './staff';
import { workforceSummary } from './summary';

export const workforceHandlers: HandlerGroup<keyof typeof workforceChannels> = {
  'organisation/get': (ctx) => getOrganisation(ctx.store.db),
  'organisation/save': (ctx, input) => saveOrganisation(ctx.store.db, ctx, input),
  'services/list': (ctx) => listServices(ctx.store.db),
  'services/save': (ctx, input) => saveService(ctx.store.db, ctx, input),
  'services/delete': (ctx, input) => deleteService(ctx.store.db, ctx, input.id),
  'roles/list': (ctx) => listRoles(ctx.store.db),
  'roles/save': (ctx, input) => saveRole(ctx.store.db, ctx, input),
  'roles/delete': (ctx, input) => deleteRole(ctx.store.db, ctx, input.id),
  'staff/list': (ctx, input) => listStaff(ctx.store.db, input),
  'staff/get': (ctx, input) => getPerson(ctx.store.db, input.id),
  'staff/save': (ctx, input) => savePerson(ctx.store.db, ctx, input),
  'staff/delete': (ctx, input) => deletePerson(ctx.store.db, ctx, input.id),
  'workforce/summary': (ctx, input) => workforceSummary(ctx.store.db, input.asAt),
};

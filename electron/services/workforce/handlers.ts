import { todayIso } from '../../../shared/common/clock';
import type { workforceChannels } from '../../../shared/workforce/channels';
import type { HandlerGroup } from '../../handler';
import { deleteRole, listRoles, saveRole } from './roles';
import { deleteService, listServices, saveService } from './services';
import { deletePerson, getPerson, listStaff, savePerson } from './staff';
import { staffIndex, staffRecord, staffRows } from './staff-list';
import { workforceSummary } from './summary';

export const workforceHandlers: HandlerGroup<keyof typeof workforceChannels> = {
  'workforce/services': (ctx) => listServices(ctx.store.db),
  'workforce/service-save': (ctx, input) => saveService(ctx.store.db, ctx, input),
  'workforce/service-delete': (ctx, input) => deleteService(ctx.store.db, ctx, input.id),
  'workforce/roles': (ctx) => listRoles(ctx.store.db, todayIso(ctx.now())),
  'workforce/role-save': (ctx, input) => saveRole(ctx.store.db, ctx, input),
  'workforce/role-delete': (ctx, input) => deleteRole(ctx.store.db, ctx, input.id),
  'workforce/staff': (ctx, input) => listStaff(ctx.store.db, input),
  'workforce/person': (ctx, input) => getPerson(ctx.store.db, input.id),
  'workforce/person-save': (ctx, input) => savePerson(ctx.store.db, ctx, input),
  'workforce/person-delete': (ctx, input) => deletePerson(ctx.store.db, ctx, input.id),
  'workforce/staff-index': (ctx, input) => staffIndex(ctx.store.db, input, todayIso(ctx.now())),
  'workforce/staff-rows': (ctx, input) => staffRows(ctx.store.db, input.ids, todayIso(ctx.now())),
  'workforce/staff-record': (ctx, input) => staffRecord(ctx.store.db, input.id),
  'workforce/summary': (ctx, input) => workforceSummary(ctx.store.db, input.asAt ?? todayIso(ctx.now())),
};

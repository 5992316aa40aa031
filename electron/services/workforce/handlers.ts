import { todayIso } from '../../../shared/common/clock';
import type { workforceChannels } from '../../../shared/workforce/channels';
import type { HandlerGroup } from '../../handler';
import { listMerges, mappingConflicts, mergeRoles, roleSuggestions, settleConflict, undoMerge } from './merge';
import { deletePost, deleteRole, listPosts, listRoles, savePost, savePosts, saveRole } from './roles';
import { findPerson } from './person-find';
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
  'workforce/posts': (ctx, input) => listPosts(ctx.store.db, todayIso(ctx.now()), input.roleId),
  'workforce/post-save': (ctx, input) => savePost(ctx.store.db, ctx, input),
  'workforce/posts-save': (ctx, input) => savePosts(ctx.store.db, ctx, input),
  'workforce/post-delete': (ctx, input) => deletePost(ctx.store.db, ctx, input.id),
  'workforce/roles-merge': (ctx, input) => mergeRoles(ctx.store.db, ctx, input),
  'workforce/role-merges': (ctx) => listMerges(ctx.store.db),
  'workforce/role-merge-undo': (ctx, input) => undoMerge(ctx.store.db, ctx, input.id),
  'workforce/role-suggestions': (ctx) => roleSuggestions(ctx.store.db, todayIso(ctx.now())),
  'workforce/mapping-conflicts': (ctx, input) => mappingConflicts(ctx.store.db, input.roleId),
  'workforce/mapping-conflict-settle': (ctx, input) => settleConflict(ctx.store.db, ctx, input.roleId, input.keep),
  'workforce/staff': (ctx, input) => listStaff(ctx.store.db, input),
  'workforce/person': (ctx, input) => getPerson(ctx.store.db, input.id),
  'workforce/person-save': (ctx, input) => savePerson(ctx.store.db, ctx, input),
  'workforce/person-delete': (ctx, input) => deletePerson(ctx.store.db, ctx, input.id),
  'workforce/staff-index': (ctx, input) => staffIndex(ctx.store.db, input, todayIso(ctx.now())),
  'workforce/staff-rows': (ctx, input) => staffRows(ctx.store.db, input.ids, todayIso(ctx.now())),
  'workforce/staff-record': (ctx, input) => staffRecord(ctx.store.db, input.id),
  'workforce/person-find': (ctx, input) => findPerson(ctx.store.db, input.number),
  'workforce/summary': (ctx, input) => workforceSummary(ctx.store.db, input.asAt ?? todayIso(ctx.now())),
};

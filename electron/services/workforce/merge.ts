import type { z } from 'zod';
import type {
  MappingConflict,
  RoleMergeView,
  RoleSuggestion,
  roleMergeInputSchema,
} from '../../../shared/workforce/channels';
import type { DB } from '../../db/connection';
import type { Actor } from '../common/audit';
import { AppError } from '../common/errors';

// Being built (issue 11, grouping roles): these answer "not available yet" until then.
const notYet = (): never => {
  throw new AppError('internal', 'Merging roles is not available yet.');
};

export function mergeRoles(_db: DB, _actor: Actor, _input: z.output<typeof roleMergeInputSchema>): RoleMergeView {
  return notYet();
}
export function listMerges(_db: DB): RoleMergeView[] {
  return notYet();
}
export function undoMerge(_db: DB, _actor: Actor, _id: number): RoleMergeView {
  return notYet();
}
export function roleSuggestions(_db: DB): RoleSuggestion[] {
  return notYet();
}
export function mappingConflicts(_db: DB, _roleId?: number): MappingConflict[] {
  return notYet();
}
export function settleConflict(_db: DB, _actor: Actor, _roleId: number, _keep: number | null): { id: number } {
  return notYet();
}

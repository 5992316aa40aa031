import { todayIso } from '../../../shared/common/clock';
import type { trainingChannels } from '../../../shared/training/channels';
import type { HandlerGroup } from '../../handler';
import { exportTraining } from './exports';
import { deleteQualification, gapAnalysis, personEducation, saveQualification } from './education';
import { deleteTnaItem, savePayYear, saveTnaItem, saveTnaSettings, tnaOverview } from './tna';

export const trainingHandlers: HandlerGroup<keyof typeof trainingChannels> = {
  'training/person': (ctx, input) => personEducation(ctx.store.db, input.personId, todayIso(ctx.now())),
  'training/qualification-save': (ctx, input) => saveQualification(ctx.store.db, ctx, input),
  'training/qualification-delete': (ctx, input) => deleteQualification(ctx.store.db, ctx, input.id),
  'training/gaps': (ctx, input) => gapAnalysis(ctx.store.db, { ...input, asAt: input.asAt ?? todayIso(ctx.now()) }),
  'training/tna': (ctx) => tnaOverview(ctx.store.db),
  'training/tna-save': (ctx, input) => saveTnaItem(ctx.store.db, ctx, input),
  'training/tna-delete': (ctx, input) => deleteTnaItem(ctx.store.db, ctx, input.id),
  'training/tna-settings-save': (ctx, input) => saveTnaSettings(ctx.store.db, ctx, input),
  'training/pay-save': (ctx, input) => savePayYear(ctx.store.db, ctx, input),
  'training/export': (ctx, input) => exportTraining(ctx.store.db, ctx, input.what, input.format),
};

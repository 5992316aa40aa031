import { todayIso } from '../../../shared/common/clock';
import type { trainingChannels } from '../../../shared/training/channels';
import type { HandlerGroup } from '../../handler';
import { exportTraining } from './exports';
import { deleteQualification, gapAnalysis, personEducation, saveQualification } from './education';
import { commitRecords, inspectRecords, previewRecords } from './records-import';
import { listRecordBatches, undoRecordBatch } from './records-batches';
import { deleteRecordProfile, listRecordProfiles, saveRecordProfile } from './records-profiles';
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
  'training/import-inspect': (ctx, input) => inspectRecords(ctx.store, input.uploadId),
  'training/import-preview': (ctx, input) => previewRecords(ctx.store, ctx, input),
  'training/import-commit': (ctx, input) => commitRecords(ctx.store, ctx, input),
  'training/import-batches': (ctx) => listRecordBatches(ctx.store.db),
  'training/import-undo': (ctx, input) => undoRecordBatch(ctx.store.db, ctx, input.id),
  'training/import-profiles': (ctx) => listRecordProfiles(ctx.store.db),
  'training/import-profile-save': (ctx, input) => saveRecordProfile(ctx.store.db, ctx, input),
  'training/import-profile-delete': (ctx, input) => deleteRecordProfile(ctx.store.db, ctx, input.id),
};

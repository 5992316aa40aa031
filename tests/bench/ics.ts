import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../electron/db/connection';
import { DatabaseStore } from '../../electron/db/store';
import type { HandlerContext } from '../../electron/handler';
import { dispatch } from '../../electron/router';
import type { Actor } from '../../electron/services/common/audit';
import { exportReturn } from '../../electron/services/returns/export';
import { buildReturn, deleteReturn, signReturn } from '../../electron/services/returns/states';
import { checksOf, readReturnRow } from '../../electron/services/returns/store';
import { generateDemoTrust } from '../../electron/services/settings/demo-generate';
import { insertTrust } from '../../electron/services/settings/demo-load';
import { writeOrganisation } from '../../electron/services/settings/organisation';
import type { AddResult } from '../../shared/ics/channels';
import { sendBytes } from '../integration/helpers';
import { time, type BenchContext, type BenchSuite } from './harness';

/**
 * Issue 13: an ICS of 42 trusts. Each trust is a real database (the demo generator, 500 to 5,000 staff, its own
 * seed) whose 2025/26 return is built, signed off and exported as the exact JSON file, as a trust would send it;
 * making them is not timed. Timed: adding the 42 files to a new ICS database (upload, schema, hash, write), the ICS
 * picture, and the ICS return (gather, protect with the trust comparison, audit, write the draft). Target: under
 * 2 s for the three together.
 */

const TRUSTS = 42;
const ICS = 'Bench ICS';
const actor: Actor = { user: 'bench', now: () => new Date('2026-04-20T10:00:00Z') };

/** Trust i's staff: 500 to 5,000 evenly; with `small`, the first `small` trusts have 20 to 60 staff instead. */
const sizeOf = (i: number, count: number, small: number) =>
  i < small
    ? 20 + Math.round((i * 40) / Math.max(1, small - 1))
    : 500 + Math.round((i * 4_500) / Math.max(1, count - 1));

async function trustFile(dir: string, i: number, staff: number): Promise<{ name: string; bytes: Buffer }> {
  const ods = `RB${String(i + 1).padStart(2, '0')}`;
  // A very small generated trust can fail its own disclosure audit and so cannot sign off: take the next seed.
  for (let seed = 1_000 + i * 10; ; seed++) {
    const file = path.join(dir, `${ods}-${staff}-${seed}.sqlite`);
    const db = await openDatabase(file);
    try {
      insertTrust(db, generateDemoTrust(staff, seed, '2026-03-31'), false);
      writeOrganisation(
        db,
        { name: `Bench Trust ${i + 1}`, odsCode: ods, ics: ICS, ahpFaculty: 'Bench Faculty' },
        false,
      );
      const built = await buildReturn(db, actor, { period: '2025/26', asAt: null, correctionReason: null });
      if (built.errors.length > 0 && seed < 1_000 + i * 10 + 9) continue;
      signReturn(db, actor, { id: built.id, name: 'Bench Lead', role: 'AHP lead', acceptWarnings: 'bench' });
      const exported = await exportReturn(db, { id: built.id, format: 'json', version: 'exact' });
      return { name: `${ods}-2025-26-v1.json`, bytes: Buffer.from(exported.base64, 'base64') };
    } finally {
      db.close();
      fs.rmSync(file, { force: true });
    }
  }
}

async function icsStore(file: string): Promise<{ store: DatabaseStore; ctx: HandlerContext }> {
  const store = await DatabaseStore.open(file);
  writeOrganisation(
    store.db,
    { name: 'Bench ICB', odsCode: 'QBX', ics: ICS, ahpFaculty: 'Bench Faculty', kind: 'ics' },
    false,
  );
  return { store, ctx: { store, ...actor } };
}

async function ok<T>(ctx: HandlerContext, channel: string, input: unknown): Promise<T> {
  const r = await dispatch(ctx, channel, input, { slowQueryMs: Number.POSITIVE_INFINITY });
  if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
  return r.value as T;
}

const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Adds the files to three new ICS databases; on each, the picture twice and the ICS return twice. */
async function measure(
  dir: string,
  label: string,
  files: { name: string; bytes: Buffer }[],
  report: BenchContext['report'],
): Promise<void> {
  const addMs: number[] = [];
  const pictureMs: number[] = [];
  const buildMs: number[] = [];
  const auditMs: number[] = [];
  let hidden = 0;
  for (let run = 0; run < 3; run++) {
    const { store, ctx } = await icsStore(path.join(dir, `ics-${label}-${run}.sqlite`));
    try {
      const added = await time(async () => {
        const uploadIds: string[] = [];
        for (const f of files) uploadIds.push(await sendBytes(ctx, f.name, f.bytes, 'return-file'));
        return ok<AddResult>(ctx, 'ics/add', { uploadIds });
      });
      if (added.value.added !== files.length) throw new Error(added.value.summary);
      addMs.push(added.ms);
      for (let i = 0; i < 2; i++) pictureMs.push((await time(() => ok(ctx, 'ics/picture', { period: '2025/26' }))).ms);
      for (let i = 0; i < 2; i++) {
        const built = await time(() =>
          buildReturn(store.db, actor, { period: '2025/26', asAt: null, correctionReason: null }),
        );
        if (built.value.errors.length > 0) throw new Error(JSON.stringify(built.value.errors));
        buildMs.push(built.ms);
        const checks = checksOf(readReturnRow(store.db, built.value.id));
        auditMs.push(checks.audit.ms);
        hidden = checks.audit.hiddenCells;
        deleteReturn(store.db, actor, built.value.id);
      }
    } finally {
      store.close();
    }
  }
  const add = mid(addMs);
  const picture = mid(pictureMs);
  const build = mid(buildMs);
  console.log(`  ${label}`);
  report(`add ${files.length} trusts' return files (median of 3)`, add, 'ms');
  report('ICS picture (median of 6)', picture, 'ms');
  report('ICS return: gather, protect, audit, write (median of 6)', build, 'ms', `${hidden} hidden cells`);
  report('  of which the disclosure audit', mid(auditMs), 'ms');
  report('issue 13 total: add + picture + ICS return', add + picture + build, 'ms', 'target < 2000 ms');
}

export const icsBench: BenchSuite = {
  name: 'ics',
  async run({ dir, scale, report }) {
    const count = Math.max(3, scale(TRUSTS));
    for (const small of [0, Math.min(6, count - 1)]) {
      const made = await time(async () => {
        const files: { name: string; bytes: Buffer }[] = [];
        for (let i = 0; i < count; i++) files.push(await trustFile(dir, i, sizeOf(i, count, small)));
        return files;
      });
      const mb = made.value.reduce((a, f) => a + f.bytes.length, 0) / 2 ** 20;
      const label =
        small === 0
          ? `${count} trusts of 500-5,000 staff`
          : `${count} trusts: ${small} of 20-60 staff (small counts to hide), the rest 500-5,000`;
      report(
        `(setup) ${count} trust databases, returns signed and exported`,
        made.ms,
        'ms',
        `${mb.toFixed(1)} MB of JSON`,
      );
      await measure(dir, label, made.value, report);
    }
  },
};

import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { DB } from '../../electron/db/connection';
import { dispatch } from '../../electron/router';
import { guessMapping } from '../../shared/import/fields';
import { staffCsv } from '../fixtures/bad-inputs';
import { ESR_HEADERS } from '../fixtures/extracts';
import { sendBytes, tempStore, type TempStore } from './helpers';

/**
 * Undo never loses hand-made work (issue 10, item 2): a staff import's Undo is refused, saying what blocks it,
 * while qualifications recorded by hand depend on the people it added (or later hand edits on those it changed);
 * a ledger import cannot be removed while entries it brought in carry allocations or edits made by hand.
 */

let stores: TempStore[] = [];
afterEach(() => {
  for (const s of stores) s.cleanup();
  stores = [];
});

async function setUp() {
  const t = await tempStore();
  stores.push(t);
  const ok = async <T = Record<string, unknown>>(channel: string, input: unknown): Promise<T> => {
    const r = await dispatch(t.ctx, channel, input);
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
    return r.value as T;
  };
  const fail = async (channel: string, input: unknown) => {
    const r = await dispatch(t.ctx, channel, input);
    if (r.ok) throw new Error(`${channel} should have been refused`);
    return r.error;
  };
  return { t, ok, fail };
}

function fingerprint(db: DB): string {
  const hash = createHash('sha256');
  const tables = db
    .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .pluck()
    .all() as string[];
  for (const table of tables)
    hash.update(table).update(JSON.stringify(db.prepare(`SELECT * FROM "${table}"`).raw().all()));
  return hash.digest('hex');
}

const mapping = guessMapping([...ESR_HEADERS]);

describe('undo of a staff import and hand-made education records', () => {
  it('is refused, saying so, while qualifications recorded by hand belong to people it added', async () => {
    const { t, ok, fail } = await setUp();
    const uploadId = await sendBytes(t.ctx, 'march.csv', staffCsv(20, 4), 'staff-extract');
    const imported = await ok<{ batch: { id: number; undoBlockedBy: string | null }; peopleAdded: number }>(
      'import/commit',
      { uploadId, mapping },
    );
    expect(imported.batch.undoBlockedBy).toBeNull();
    const people = t.store.db.prepare('SELECT id FROM person ORDER BY id LIMIT 2').pluck().all() as number[];
    const recorded: number[] = [];
    const record = async (personId: number, qualification: Record<string, unknown>) => {
      const saved = await ok<{ qualifications: { id: number }[] }>('training/qualification-save', {
        personId,
        qualification,
      });
      recorded.push(saved.qualifications.at(-1)!.id);
    };
    await record(people[0]!, { kind: 'care-certificate', standardsCompleted: [1, 2, 3] });
    await record(people[0]!, { kind: 'functional-skills-maths', level: '2' });
    await record(people[1]!, { kind: 'rqf', level: 3, title: 'Diploma in Health', status: 'completed' });

    const expected =
      '3 qualifications recorded by hand for 2 people added by this import since it ran (undo would delete them with the people)';
    const [listed] = await ok<{ undoBlockedBy: string | null }[]>('import/batches', {});
    expect(listed!.undoBlockedBy).toBe(
      `Hand-made changes depend on it: ${expected}. Undoing would lose them, so it is not offered.`,
    );
    const before = fingerprint(t.store.db);
    const refused = await fail('import/undo', { id: imported.batch.id });
    expect(refused.code).toBe('conflict');
    expect(refused.message).toBe(
      `Import ${imported.batch.id} (march.csv) cannot be undone. Hand-made changes depend on it: ${expected}. Undoing would lose them, so it is not offered.`,
    );
    expect(fingerprint(t.store.db)).toBe(before);
    expect(t.store.db.prepare('SELECT count(*) FROM qualification').pluck().get()).toBe(3);

    // Once the records are removed by hand (a choice the user makes, one by one), the undo goes ahead.
    for (const id of recorded) await ok('training/qualification-delete', { id });
    expect((await ok<{ undoBlockedBy: string | null }[]>('import/batches', {}))[0]!.undoBlockedBy).toBeNull();
    await ok('import/undo', { id: imported.batch.id });
    expect(t.store.db.prepare('SELECT count(*) FROM person').pluck().get()).toBe(0);
  });

  it('is refused for qualifications recorded since for people a later import only updated', async () => {
    const { t, ok, fail } = await setUp();
    const first = await sendBytes(t.ctx, 'march.csv', staffCsv(10, 4), 'staff-extract');
    await ok('import/commit', { uploadId: first, mapping });
    // The same staff, one of them with new hours: the April import updates them.
    const april = staffCsv(10, 4).replace(
      /^(10000001,[^,]*,[^,]*,[^,]*,[^,]*,)[^,]*,[^,]*/m,
      (_, start: string) => `${start}11.25,0.30`,
    );
    const second = await sendBytes(t.ctx, 'april.csv', april, 'staff-extract');
    const updated = await ok<{ updated: number; batch: { id: number } }>('import/commit', {
      uploadId: second,
      mapping,
    });
    expect(updated.updated).toBeGreaterThan(0);
    const changedPerson = t.store.db
      .prepare(
        `SELECT a.person_id FROM import_change c JOIN assignment a ON a.id = c.entity_id WHERE c.batch_id = ? AND c.entity = 'assignment'`,
      )
      .pluck()
      .get(updated.batch.id) as number;
    await ok('training/qualification-save', {
      personId: changedPerson,
      qualification: { kind: 'functional-skills-english', level: '2' },
    });
    const refused = await fail('import/undo', { id: updated.batch.id });
    expect(refused.message).toMatch(
      /1 qualification recorded or changed by hand since it ran for 1 person it updated\. Undoing would lose them/,
    );
  });
});

describe('removing a ledger import with entries changed by hand', () => {
  const LEDGER = [
    'Date,Cost Centre,Account Code,Description,Amount',
    '15/04/2021,CC100,4000,Bank staff April,100.00',
    '20/05/2021,CC200,5100,Care Certificate course,200.00',
    '31/05/2021,CC300,6000,Stationery,50.00',
  ].join('\r\n');

  it('is refused while an entry is allocated or edited by hand, and allowed once those entries are gone', async () => {
    const { t, ok, fail } = await setUp();
    const stream = await ok<{ id: number }>('funding/stream-save', {
      source: 'hee-pump-prime',
      name: 'HEE pump prime 2021/22',
      financialYear: '2021/22',
      allocatedPence: 1_000_000,
      receipts: [],
    });
    const line = await ok<{ id: number }>('funding/line-save', {
      streamId: stream.id,
      category: 'backfill',
      description: 'Backfill',
      totalPence: 100_000,
      profile: 'even',
    });
    const uploadId = await sendBytes(t.ctx, 'gl.csv', LEDGER, 'ledger');
    const committed = await ok<{ batchId: number }>('funding/import-commit', { uploadId });
    const entries = (
      await ok<{ rows: { id: number; description: string; planLineId: number | null }[] }>('funding/ledger', {})
    ).rows;
    expect(entries).toHaveLength(3);
    const byText = (text: string) => entries.find((e) => e.description === text)!;

    // A category (plan line) chosen by hand for one entry.
    await ok('funding/ledger-assign', { entryIds: [byText('Bank staff April').id], planLineId: line.id });
    const before = fingerprint(t.store.db);
    const refused = await fail('funding/import-batch-delete', { id: committed.batchId });
    expect(refused.code).toBe('conflict');
    expect(refused.message).toBe(
      'The import of gl.csv cannot be removed: 1 of its entries was allocated to a plan line by hand since it ran (for example the row from line 2). Removing the import would delete that work with it. Delete that entry on the Actuals tab first if you mean to lose it. Nothing was changed.',
    );
    expect(fingerprint(t.store.db)).toBe(before);

    // An entry edited by hand (no plan line) counts too.
    const stationery = byText('Stationery');
    await ok('funding/ledger-save', {
      id: stationery.id,
      kind: 'actual',
      date: '2021-05-31',
      amountPence: 5_500,
      description: 'Stationery (corrected)',
      costCentre: 'CC300',
      accountCode: '6000',
      planLineId: null,
    });
    expect((await fail('funding/import-batch-delete', { id: committed.batchId })).message).toMatch(
      /2 of its entries were changed by hand \(1 of them allocated to a plan line by hand\) since it ran/,
    );

    // Deleting those entries is the user's explicit choice; then the import can go.
    await ok('funding/ledger-delete', { id: byText('Bank staff April').id });
    await ok('funding/ledger-delete', { id: stationery.id });
    expect(await ok('funding/import-batch-delete', { id: committed.batchId })).toEqual({
      id: committed.batchId,
      rowCount: 1,
    });
  });
});

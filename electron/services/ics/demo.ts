import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { returnFile } from '../../../shared/returns/file';
import { DatabaseStore } from '../../db/store';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';
import { buildReturn, signReturn } from '../returns/states';
import { returnSnapshot } from '../returns/snapshot';
import { loadDemoTrust } from '../settings/demo-load';
import { writeOrganisation } from '../settings/organisation';
import { addChecked, checkReturnFile } from './collect';

/**
 * The demo ICS (issue 13): five synthetic trusts are made in throwaway databases (a temporary folder, deleted with
 * their keys afterwards), each signs off its 2025/26 return, and their exact returns are collected into this
 * database exactly as files from real trusts would be (checked, hash included). A sixth trust is on the list but
 * has not sent, so "who has sent" has something to show.
 */

const ICS = {
  name: 'Demo Valley Integrated Care Board (synthetic)',
  odsCode: 'XDICB',
  ics: 'Demo Valley Integrated Care System',
  ahpFaculty: 'Demo Valley AHP Faculty',
};
const TRUSTS = [
  { name: 'Demo Valley NHS Foundation Trust (synthetic)', odsCode: 'XDV01', staff: 2000, seed: 2021 },
  { name: 'Demo Riverside Community Trust (synthetic)', odsCode: 'XDV02', staff: 900, seed: 2022 },
  { name: 'Demo Moorland Hospitals (synthetic)', odsCode: 'XDV03', staff: 1400, seed: 2023 },
  { name: 'Demo Coast and Dales Trust (synthetic)', odsCode: 'XDV04', staff: 600, seed: 2024 },
  { name: 'Demo City Teaching Hospitals (synthetic)', odsCode: 'XDV05', staff: 2600, seed: 2025 },
];
const NOT_SENT = { name: 'Demo Northern Mental Health Trust (synthetic)', odsCode: 'XDV06' };
export const DEMO_ICS_PERIOD = '2025/26';

export async function loadDemoIcs(store: DatabaseStore, actor: Actor): Promise<{ trusts: number; returns: number }> {
  const db = store.db;
  const used = db
    .prepare(
      'SELECT (SELECT count(*) FROM person) + (SELECT count(*) FROM organisation) + (SELECT count(*) FROM ics_trust)',
    )
    .pluck()
    .get() as number;
  if (used > 0)
    throw new AppError(
      'conflict',
      'The demo ICS can only be loaded into an empty database. Start a new database file for it.',
    );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ahp-demo-ics-'));
  const files: { name: string; text: string }[] = [];
  try {
    for (const t of TRUSTS) {
      const trust = await DatabaseStore.open(path.join(dir, `${t.odsCode}.sqlite`), {
        keyDir: path.join(dir, 'keys'),
        backupDir: path.join(dir, 'backups'),
      });
      try {
        loadDemoTrust(trust.db, actor, {
          staff: t.staff,
          seed: t.seed,
          organisation: { name: t.name, odsCode: t.odsCode, ics: ICS.ics, ahpFaculty: ICS.ahpFaculty },
        });
        const built = await buildReturn(trust.db, actor, {
          period: DEMO_ICS_PERIOD,
          asAt: null,
          correctionReason: null,
        });
        if (built.errors.length > 0)
          throw new Error(
            `The demo trust ${t.odsCode} could not sign off: ${built.errors.map((e) => e.message).join(' ')}`,
          );
        signReturn(trust.db, actor, {
          id: built.id,
          name: 'Demo lead (synthetic)',
          role: 'AHP faculty lead',
          acceptWarnings: 'Synthetic demo return',
        });
        const snapshot = returnSnapshot(trust.db, built.id, 'exact');
        files.push({
          name: `${t.odsCode}-2025-26-v1-exact.json`,
          text: JSON.stringify(returnFile(snapshot.summary, snapshot.frozen, snapshot.content)),
        });
      } finally {
        trust.close();
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return db.transaction(() => {
    writeOrganisation(db, { ...ICS, kind: 'ics' }, true);
    db.prepare(`INSERT INTO ics_trust (ods_code, name, added_from, added_at) VALUES (?, ?, 'hand', ?)`).run(
      NOT_SENT.odsCode,
      NOT_SENT.name,
      actor.now().toISOString(),
    );
    for (const f of files) addChecked(db, actor, checkReturnFile(f.text), f.name);
    recordChange(db, actor, {
      entity: 'demo trust',
      entityId: null,
      action: 'load',
      after: { ics: ICS.name, trusts: TRUSTS.length + 1, returns: files.length },
    });
    return { trusts: TRUSTS.length + 1, returns: files.length };
  })();
}

import fs from 'node:fs';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { RETURN_SCHEMA_VERSION, TOTAL } from '../../../shared/returns/channels';
import { frozenFromFile, returnFileSchema, returnJsonSchema, type ReturnFile } from '../../../shared/returns/file';
import type { AddResult, FileOutcome, RefusalCode } from '../../../shared/ics/channels';
import type { DB } from '../../db/connection';
import type { DatabaseStore } from '../../db/store';
import { recordChange, type Actor } from '../common/audit';
import { AppError } from '../common/errors';
import { getUpload, forgetUpload } from '../common/uploads';
import { canonicalJson, chainHash } from '../returns/snapshot';
import { getOrganisation } from '../settings/organisation';
import { requireIcs } from './workspace';

/**
 * Collecting trusts' returns (issue 13). Each file is checked on its own, in this order, and either added in one
 * transaction or refused with the reason, leaving the database as it was:
 * 1. it is JSON, and a return (a schema version, a `return` record, `about` and `tables`);
 * 2. its schema version is this app's (a newer one: update the app);
 * 3. it passes the JSON Schema checked in as shared/returns/return.schema.json;
 * 4. it is the exact (ICS data-sharing) version of a trust's return: a publication version's hidden figures cannot
 *    be added up;
 * 5. its SHA-256 is worked out again from the file (frozenFromFile) and matches: a figure edited by hand fails;
 * 6. it is for this ICS: its trust is on the list, or the ICS it names is this one;
 * 7. it is new: not the same return again, not a different file with the same version number, not a fork of
 *    the trust's hash chain (two returns chained to the same previous one).
 * A later version of a trust's period supersedes the earlier one; both are kept.
 */

let validator: ValidateFunction | null = null;
function validateSchema(value: unknown): string | null {
  validator ??= new Ajv2020({ strict: false, allErrors: false }).compile(JSON.parse(returnJsonSchema()) as object);
  if (validator(value)) return null;
  const e = validator.errors?.[0];
  if (!e) return 'it does not match the return file schema';
  const where = e.instancePath === '' ? 'the file' : e.instancePath.slice(1).replaceAll('/', ' > ');
  return `${where} ${e.message ?? 'is not as the schema says'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`;
}

export class Refusal extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
  }
}

/** Lower case, letters and digits only, without the words every ICS name has. */
export function icsKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/\b(nhs|integrated care (system|board)|ics|icb|the|and)\b/g, ' ')
    .replace(/[^a-z0-9]+/g, '');
}

interface CheckedFile {
  file: ReturnFile;
  staffInPost: number;
}

/** Steps 1 to 5: what the file is, on its own. */
export function checkReturnFile(text: string): CheckedFile {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    if (text.trim() === '') throw new Refusal('not-json', 'It is not a JSON file: the file is empty.');
    const where = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new Refusal(
      'not-json',
      `It is not a JSON file${where ? ` (the text stops being JSON at character ${Number(where).toLocaleString('en-GB')})` : ''}: choose the .json file the trust exported from Returns.`,
    );
  }
  const o =
    value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  if (!o || !('schemaVersion' in o) || !('return' in o) || !('about' in o) || !('tables' in o))
    throw new Refusal(
      'not-a-return',
      'It is JSON, but not an AHP support workforce return: choose the JSON file a trust exported from Returns.',
    );
  if (typeof o.schemaVersion !== 'number' || !Number.isInteger(o.schemaVersion) || o.schemaVersion < 1)
    throw new Refusal(
      'unknown-schema',
      `Its schema version (${JSON.stringify(o.schemaVersion)}) is not one this app knows.`,
    );
  if (o.schemaVersion > RETURN_SCHEMA_VERSION)
    throw new Refusal(
      'newer-schema',
      `It was made by a newer version of the app (return schema version ${o.schemaVersion}; this app reads version ${RETURN_SCHEMA_VERSION}). Update the app, then add it again.`,
    );
  if (o.schemaVersion !== RETURN_SCHEMA_VERSION)
    throw new Refusal('unknown-schema', `Its schema version (${o.schemaVersion}) is not one this app knows.`);
  const problem = validateSchema(value);
  if (problem) throw new Refusal('invalid', `It does not match the return file schema: ${problem}.`);
  const file = returnFileSchema.parse(value);
  if (file.about.organisationKind !== 'trust')
    throw new Refusal('ics-return', "It is an ICS's return, not a trust's: only trusts' returns are added up here.");
  const frozen = frozenFromFile(file);
  if (file.version !== 'exact' || !frozen)
    throw new Refusal(
      'publication-version',
      'It is the publication version, whose small numbers are hidden, so it cannot be added up. Ask the trust for the exact (ICS data-sharing) version of the same return.',
    );
  if (chainHash(file.return.previousHash, canonicalJson(frozen)) !== file.return.hash)
    throw new Refusal(
      'hash-mismatch',
      "Its content does not match its SHA-256: it has been changed since the trust signed it off (for example a figure edited by hand). Ask the trust to export it again; don't edit return files.",
    );
  const b1 = file.tables.find((t) => t.id === 'B1');
  const staffInPost =
    b1?.cells.find((c) => c.row === TOTAL && c.column === TOTAL && c.measure === 'headcount')?.value ?? 0;
  return { file, staffInPost };
}

interface TrustRow {
  id: number;
  ods_code: string;
  name: string;
}

/** Steps 6 and 7, and the write: in one transaction, so a refused file changes nothing. */
export function addChecked(db: DB, actor: Actor, checked: CheckedFile, fileName: string): FileOutcome {
  const { file, staffInPost } = checked;
  const about = file.about;
  const ods = about.odsCode.toUpperCase();
  const trustLabel = { odsCode: ods, name: about.trustName };
  const base = { fileName, trust: trustLabel, period: file.return.period, version: file.return.version };
  return db.transaction((): FileOutcome => {
    const org = getOrganisation(db)!;
    let trust = db.prepare('SELECT id, ods_code, name FROM ics_trust WHERE ods_code = ?').get(ods) as
      TrustRow | undefined;
    if (!trust) {
      const ours = [org.ics, org.name, org.odsCode].map(icsKey).filter((k) => k !== '');
      if (!ours.includes(icsKey(about.ics)) && icsKey(about.ics) !== icsKey(org.odsCode))
        throw new Refusal(
          'another-ics',
          `It is from ${about.trustName} (${ods}) for ${about.ics || 'no ICS'}, not ${org.ics || org.name}. If this trust is one of yours, add it under Trusts first.`,
        );
      const id = Number(
        db
          .prepare(`INSERT INTO ics_trust (ods_code, name, added_from, added_at) VALUES (?, ?, 'return', ?)`)
          .run(ods, about.trustName, actor.now().toISOString()).lastInsertRowid,
      );
      recordChange(db, actor, {
        entity: 'ics trust',
        entityId: id,
        action: 'create',
        after: { ods, name: about.trustName, from: fileName },
      });
      trust = { id, ods_code: ods, name: about.trustName };
    }
    const same = db.prepare('SELECT id, received_at FROM collected_return WHERE hash = ?').get(file.return.hash) as
      { id: number; received_at: string } | undefined;
    if (same)
      throw new Refusal(
        'duplicate',
        `It is already collected (collected return ${same.id}, added ${same.received_at.slice(0, 10)}): nothing to add.`,
      );
    const clash = db
      .prepare('SELECT id FROM collected_return WHERE trust_id = ? AND period = ? AND version = ?')
      .get(trust.id, file.return.period, file.return.version) as { id: number } | undefined;
    if (clash)
      throw new Refusal(
        'same-version-different-content',
        `Collected return ${clash.id} is already version ${file.return.version} of ${ods}'s ${file.return.period} return, with different figures. Ask the trust which is right: a correction must be a new version.`,
      );
    if (file.return.previousHash !== null) {
      const fork = db
        .prepare('SELECT id FROM collected_return WHERE trust_id = ? AND previous_hash = ?')
        .get(trust.id, file.return.previousHash) as { id: number } | undefined;
      if (fork)
        throw new Refusal(
          'chain-fork',
          `Its hash chain forks from collected return ${fork.id}: both follow the same earlier return, so one of them comes from a database that was rebuilt or restored. Ask the trust which is right.`,
        );
    }
    const versions = db
      .prepare('SELECT id, version FROM collected_return WHERE trust_id = ? AND period = ? ORDER BY version DESC')
      .all(trust.id, file.return.period) as { id: number; version: number }[];
    const newest = versions[0];
    const id = Number(
      db
        .prepare(
          `INSERT INTO collected_return (trust_id, period, version, as_at, signed_at, signed_by, correction_reason, hash,
             previous_hash, file_name, file_json, staff_in_post, received_at, received_by, superseded_by_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          trust.id,
          file.return.period,
          file.return.version,
          file.return.asAt,
          file.return.signOff.at,
          `${file.return.signOff.name}, ${file.return.signOff.role}`,
          file.return.correctionReason,
          file.return.hash,
          file.return.previousHash,
          fileName,
          JSON.stringify(file),
          staffInPost,
          actor.now().toISOString(),
          actor.user,
          newest && newest.version > file.return.version ? newest.id : null,
        ).lastInsertRowid,
    );
    let outcome: FileOutcome['outcome'] = 'added';
    let message = `Added ${about.trustName}'s ${file.return.period} return, version ${file.return.version}.`;
    if (newest && newest.version > file.return.version) {
      outcome = 'added-superseded';
      message = `Added, but version ${newest.version} of this return is already collected and replaces it (both are kept).`;
    } else if (newest) {
      db.prepare(
        'UPDATE collected_return SET superseded_by_id = ? WHERE trust_id = ? AND period = ? AND id <> ? AND superseded_by_id IS NULL',
      ).run(id, trust.id, file.return.period, id);
      outcome = 'added-superseding';
      message = `Added version ${file.return.version}, which replaces version ${newest.version} (both are kept). Reason given by the trust: ${file.return.correctionReason ?? 'none'}.`;
    }
    recordChange(db, actor, {
      entity: 'collected return',
      entityId: id,
      action: 'import',
      after: { ods, period: file.return.period, version: file.return.version, hash: file.return.hash, fileName },
    });
    return { ...base, outcome, refusal: null, message, collectedId: id };
  })();
}

/** Adds each uploaded file on its own: the good ones are collected, the bad ones refused with the reason. */
export function addReturns(store: DatabaseStore, actor: Actor, uploadIds: string[]): AddResult {
  requireIcs(store.db);
  const files: FileOutcome[] = [];
  for (const uploadId of uploadIds) {
    const upload = getUpload(store, uploadId, 'return-file');
    const none = { trust: null, period: null, version: null, collectedId: null };
    try {
      const text = fs.readFileSync(upload.path, 'utf8');
      const checked = checkReturnFile(text);
      files.push(addChecked(store.db, actor, checked, upload.fileName));
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      files.push({
        fileName: upload.fileName,
        outcome: 'refused',
        refusal: error.code,
        message: error.message,
        ...none,
      });
    } finally {
      forgetUpload(store, uploadId);
    }
  }
  const added = files.filter((f) => f.outcome !== 'refused').length;
  const refused = files.length - added;
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return {
    files,
    added,
    refused,
    summary:
      `${plural(files.length, 'file', 'files')} checked: ${plural(added, 'return', 'returns')} added` +
      (refused > 0 ? `, ${refused} refused (see each file's reason).` : '.'),
  };
}

/** A collected return's file, parsed (it was checked when it was added). */
export function collectedFile(db: DB, id: number): ReturnFile {
  const row = db.prepare('SELECT file_json FROM collected_return WHERE id = ?').get(id) as
    { file_json: string } | undefined;
  if (!row) throw new AppError('not-found', `There is no collected return with id ${id}.`);
  return returnFileSchema.parse(JSON.parse(row.file_json));
}

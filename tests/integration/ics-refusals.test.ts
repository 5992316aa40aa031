import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/router';
import type { RefusalCode } from '../../shared/ics/channels';
import { addReturnFiles, FIVE_TRUSTS, newIcs, trustReturnFile } from '../fixtures/ics-trusts';
import { tempDir, type TempStore } from './helpers';

/**
 * Every bad file the ICS may be sent (issue 13), checked on real SQLite files: each is refused with its own plain
 * message and leaves the database as it was, also when 195 of them arrive in one go with 5 good returns.
 */

let dir: string;
let good: string[];
let goodText: string[];
let publication: string;
let otherIcs: string;
let sameVersionOtherFigures: string;

/** Everything a refused file could have changed. */
function snapshot(s: TempStore) {
  const db = s.store.db;
  return {
    collected: db.prepare('SELECT id, hash, superseded_by_id FROM collected_return ORDER BY id').all(),
    trusts: db.prepare('SELECT id, ods_code, name FROM ics_trust ORDER BY id').all(),
    audit: db.prepare('SELECT count(*) FROM audit').pluck().get(),
  };
}

type Json = Record<string, unknown>;
const parse = (text: string) => JSON.parse(text) as Json;
const obj = (v: unknown) => v as Json;

/** One bad input: its name, its bytes from a good file, and the refusal it must get with words of its message. */
interface Bad {
  name: string;
  refusal: RefusalCode;
  message: RegExp;
  bytes: () => Buffer | string;
}

function badInputs(): Bad[] {
  const g = goodText[0]!;
  const edited = (change: (f: Json) => void) => () => {
    const f = parse(g);
    change(f);
    return JSON.stringify(f);
  };
  const figureByHand = (f: Json) => {
    const b1 = (f.tables as { id: string; cells: { measure: string; value: number | null }[] }[]).find(
      (t) => t.id === 'B1',
    )!;
    const cell = b1.cells.find((c) => c.measure === 'headcount' && (c.value ?? 0) > 0)!;
    cell.value = cell.value! + 1;
  };
  const deep = 100_000;
  return [
    { name: 'notes.txt', refusal: 'not-json', message: /^It is not a JSON file/, bytes: () => 'this is not json' },
    { name: 'empty.json', refusal: 'not-json', message: /^It is not a JSON file/, bytes: () => '' },
    { name: 'blank.json', refusal: 'not-json', message: /^It is not a JSON file/, bytes: () => ' \r\n\t ' },
    {
      name: 'cut-short.json',
      refusal: 'not-json',
      message: /^It is not a JSON file/,
      bytes: () => g.slice(0, Math.floor(g.length / 2)),
    },
    {
      name: 'utf16.json',
      refusal: 'not-json',
      message: /^It is not a JSON file/,
      bytes: () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(g, 'utf16le')]),
    },
    {
      name: 'archive.zip.json',
      refusal: 'not-json',
      message: /^It is not a JSON file/,
      bytes: () => Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00]),
    },
    {
      name: 'array.json',
      refusal: 'not-a-return',
      message: /not an AHP support workforce return/,
      bytes: () => '[1,2]',
    },
    { name: 'null.json', refusal: 'not-a-return', message: /not an AHP support workforce return/, bytes: () => 'null' },
    {
      name: 'package.json',
      refusal: 'not-a-return',
      message: /not an AHP support workforce return/,
      bytes: () => JSON.stringify({ name: 'x', version: '1.0.0', dependencies: {} }),
    },
    {
      name: 'nested.json',
      refusal: 'not-a-return',
      message: /not an AHP support workforce return/,
      bytes: () => `${'['.repeat(deep)}${']'.repeat(deep)}`,
    },
    {
      name: 'nested-in-a-return.json',
      refusal: 'invalid',
      message: /does not match the return file schema.*\(notes\)/,
      // Spliced in as text: nested this deep, JSON.stringify itself runs out of stack.
      bytes: () => `{"notes":${'{"a":'.repeat(deep)}1${'}'.repeat(deep)},${g.slice(g.indexOf('{') + 1)}`,
    },
    {
      name: 'another-kind.json',
      refusal: 'invalid',
      message: /does not match the return file schema/,
      bytes: () => JSON.stringify({ schemaVersion: 1, return: 'x', about: [], tables: {} }),
    },
    {
      name: 'newer.json',
      refusal: 'newer-schema',
      message:
        /made by a newer version of the app \(return schema version 2; this app reads version 1\)\. Update the app/,
      bytes: edited((f) => {
        f.schemaVersion = 2;
      }),
    },
    {
      name: 'version-text.json',
      refusal: 'unknown-schema',
      message: /schema version \("1"\) is not one this app knows/,
      bytes: edited((f) => {
        f.schemaVersion = '1';
      }),
    },
    {
      name: 'version-zero.json',
      refusal: 'unknown-schema',
      message: /schema version \(0\) is not one this app knows/,
      bytes: edited((f) => {
        f.schemaVersion = 0;
      }),
    },
    {
      name: 'extra-field.json',
      refusal: 'invalid',
      message: /does not match the return file schema: the file must NOT have additional properties \(comment\)/,
      bytes: edited((f) => {
        f.comment = 'added by hand';
      }),
    },
    {
      name: 'extra-in-about.json',
      refusal: 'invalid',
      message: /about must NOT have additional properties \(region\)/,
      bytes: edited((f) => {
        obj(f.about).region = 'North';
      }),
    },
    {
      name: 'missing-hash.json',
      refusal: 'invalid',
      message: /does not match the return file schema/,
      bytes: edited((f) => {
        delete obj(f.return).hash;
      }),
    },
    {
      name: 'figure-edited.json',
      refusal: 'hash-mismatch',
      message: /changed since the trust signed it off \(for example a figure edited by hand\)/,
      bytes: edited(figureByHand),
    },
    {
      name: 'hash-replaced.json',
      refusal: 'hash-mismatch',
      message: /changed since the trust signed it off/,
      bytes: edited((f) => {
        obj(f.return).hash = 'a'.repeat(64);
      }),
    },
    {
      name: 'signer-edited.json',
      refusal: 'hash-mismatch',
      message: /changed since the trust signed it off/,
      bytes: edited((f) => {
        obj(obj(f.return).signOff).name = 'Someone Else';
      }),
    },
    {
      name: 'said-to-be-ics.json',
      refusal: 'ics-return',
      message: /It is an ICS's return, not a trust's/,
      bytes: edited((f) => {
        obj(f.about).organisationKind = 'ics';
      }),
    },
    {
      name: 'publication.json',
      refusal: 'publication-version',
      message: /publication version, whose small numbers are hidden.*exact \(ICS data-sharing\) version/,
      bytes: () => fs.readFileSync(publication),
    },
    {
      name: 'far-away.json',
      refusal: 'another-ics',
      message: /from Far Away NHS Trust \(RZ9\) for Far South ICS, not North Example ICS/,
      bytes: () => fs.readFileSync(otherIcs),
    },
    {
      name: 'copy-of-RN1.json',
      refusal: 'duplicate',
      message: /already collected \(collected return \d+, added 2026-03-31\): nothing to add/,
      bytes: () => g,
    },
    {
      name: 'RN1-rebuilt.json',
      refusal: 'same-version-different-content',
      message: /already version 1 of RN1's 2025\/26 return, with different figures.*a correction must be a new version/,
      bytes: () => fs.readFileSync(sameVersionOtherFigures),
    },
  ];
}

beforeAll(async () => {
  dir = tempDir();
  good = [];
  for (const spec of FIVE_TRUSTS) good.push(...(await trustReturnFile(dir, spec)).map((f) => f.file));
  goodText = good.map((f) => fs.readFileSync(f, 'utf8'));
  publication = (await trustReturnFile(dir, { ...FIVE_TRUSTS[1]!, odsCode: 'RN7' }, { version: 'publication' }))[0]!
    .file;
  otherIcs = (
    await trustReturnFile(dir, {
      name: 'Far Away NHS Trust',
      odsCode: 'RZ9',
      staff: 60,
      seed: 40,
      ics: 'Far South ICS',
    })
  )[0]!.file;
  // The same trust and version built again from another extract: a different file claiming to be the same return.
  sameVersionOtherFigures = (await trustReturnFile(path.join(dir), { ...FIVE_TRUSTS[0]!, seed: 99 }))[0]!.file;
  fs.renameSync(sameVersionOtherFigures, `${sameVersionOtherFigures}.rebuilt`);
  sameVersionOtherFigures = `${sameVersionOtherFigures}.rebuilt`;
}, 180_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('refusing bad return files', () => {
  it('each bad input on its own: its reason, in plain words, and nothing changed', async () => {
    const s = await newIcs('one-by-one.sqlite');
    try {
      expect((await addReturnFiles(s.ctx, [{ name: 'RN1.json', bytes: goodText[0]! }])).added).toBe(1);
      for (const bad of badInputs()) {
        const before = snapshot(s);
        const result = await addReturnFiles(s.ctx, [{ name: bad.name, bytes: bad.bytes() }]);
        expect(result.files[0], bad.name).toMatchObject({
          outcome: 'refused',
          refusal: bad.refusal,
          collectedId: null,
        });
        expect(result.files[0]!.message, bad.name).toMatch(bad.message);
        expect(result.summary).toBe("1 file checked: 0 returns added, 1 refused (see each file's reason).");
        expect(snapshot(s), bad.name).toEqual(before);
      }
    } finally {
      s.cleanup();
    }
  }, 120_000);

  it('200 files at once: 5 good returns added, 195 bad copies each refused with its reason, one summary', async () => {
    const s = await newIcs('two-hundred.sqlite');
    try {
      const bads = badInputs();
      const batch = [
        ...goodText.map((bytes, i) => ({ name: path.basename(good[i]!), bytes, expect: null as Bad | null })),
        ...Array.from({ length: 195 }, (_, i) => {
          const bad = bads[i % bads.length]!;
          return { name: `${String(i + 1).padStart(3, '0')}-${bad.name}`, bytes: bad.bytes(), expect: bad };
        }),
      ];
      const auditBefore = snapshot(s).audit as number;
      const started = performance.now();
      const result = await addReturnFiles(s.ctx, batch);
      const ms = performance.now() - started;
      expect(result.files).toHaveLength(200);
      expect(result.summary).toBe("200 files checked: 5 returns added, 195 refused (see each file's reason).");
      for (const [i, f] of result.files.entries()) {
        const expected = batch[i]!.expect;
        expect(f.fileName).toBe(batch[i]!.name);
        if (expected === null) expect(f.outcome, f.fileName).toBe('added');
        else {
          expect(f.refusal, f.fileName).toBe(expected.refusal);
          expect(f.message, f.fileName).toMatch(expected.message);
        }
      }
      // Only the five good returns left a trace: each trust added from its return, and each return collected.
      const after = snapshot(s);
      expect(after.collected).toHaveLength(5);
      expect((after.trusts as { ods_code: string }[]).map((t) => t.ods_code).sort()).toEqual([
        'RN1',
        'RN2',
        'RN3',
        'RN4',
        'RN5',
      ]);
      expect(after.audit).toBe(auditBefore + 10);
      expect(ms).toBeLessThan(30_000);
    } finally {
      s.cleanup();
    }
  }, 120_000);

  it('the same file twice in one go: added once, then refused as already collected', async () => {
    const s = await newIcs('twice.sqlite');
    try {
      const result = await addReturnFiles(s.ctx, [
        { name: 'RN2.json', bytes: goodText[1]! },
        { name: 'RN2 (1).json', bytes: goodText[1]! },
      ]);
      expect(result.files.map((f) => f.refusal)).toEqual([null, 'duplicate']);
      expect(result.summary).toBe("2 files checked: 1 return added, 1 refused (see each file's reason).");
    } finally {
      s.cleanup();
    }
  });

  it('a byte-order mark in front of a good file is fine', async () => {
    const s = await newIcs('bom.sqlite');
    try {
      const result = await addReturnFiles(s.ctx, [{ name: 'RN3.json', bytes: `\ufeff${goodText[2]!}` }]);
      expect(result.files[0]!.outcome).toBe('added');
    } finally {
      s.cleanup();
    }
  });

  it('a huge file: just under the limit is read and refused for what it is; over it, refused before it is sent', async () => {
    const s = await newIcs('huge.sqlite');
    try {
      const before = snapshot(s);
      const f = parse(goodText[0]!);
      f.padding = 'x'.repeat(19 * 1024 * 1024);
      const nearly = await addReturnFiles(s.ctx, [{ name: 'padded.json', bytes: JSON.stringify(f) }]);
      expect(nearly.files[0]).toMatchObject({ refusal: 'invalid' });
      expect(nearly.files[0]!.message).toMatch(/must NOT have additional properties \(padding\)/);
      const over = await dispatch(s.ctx, 'upload/chunk', {
        uploadId: null,
        kind: 'return-file',
        fileName: 'enormous.json',
        totalBytes: 21 * 1024 * 1024,
        offset: 0,
        base64: '',
        done: false,
      });
      expect(over).toMatchObject({ ok: false });
      expect(over.ok ? '' : over.error.message).toMatch(
        /enormous\.json is larger than 20 MB, which is more than any trust's return \(JSON file\) should be/,
      );
      expect(snapshot(s)).toEqual(before);
    } finally {
      s.cleanup();
    }
  }, 60_000);
});

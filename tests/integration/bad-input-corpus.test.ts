import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseStore } from '../../electron/db/store';
import { dispatch } from '../../electron/router';
import { guessMapping } from '../../shared/import/fields';
import {
  flushedDeflate,
  junk,
  ledgerCsv,
  mixedEncodingCsv,
  repeatedDeflate,
  sharedStringsBomb,
  staffCsv,
  withSharedStrings,
  xlsxParts,
  zipFile,
  ESR_HEADERS,
} from '../fixtures/bad-inputs';
import { esrRows } from '../fixtures/extracts';
import { FIXED_NOW, sendBytes, tempDir } from './helpers';

/**
 * The bad-input corpus (issue 10, "Make it stay fixed"): every kind of file that once crashed an importer or was
 * refused with a misleading message, generated here and run through both importers from the command line, as a
 * user would: the staff `import` and `funding import-ledger`. Each must be refused with exit code 2 and an honest
 * message, leaving the database file byte for byte as it was (and every table's rows the same); files that are
 * merely unusual (old Mac line endings) must import as their ordinary twins do.
 */

const root = path.resolve(import.meta.dirname, '../..');
const dir = tempDir();
const template = path.join(dir, 'template.sqlite');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['build/scripts/run-node.mjs', 'cli', ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs jobs a few at a time (each starts a Node process). */
async function pool<T>(jobs: (() => Promise<T>)[], width = 4): Promise<T[]> {
  const results: T[] = new Array<T>(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await jobs[i]!();
      }
    }),
  );
  return results;
}

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Every row of every table, in order: equal digests mean no table gained, lost or changed a row. */
function tablesDigest(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const hash = createHash('sha256');
    const tables = db
      .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
      .pluck()
      .all() as string[];
    for (const table of tables) {
      hash.update(`\u0000${table}\u0000`);
      for (const row of db.prepare(`SELECT * FROM "${table}" ORDER BY 1`).raw().iterate())
        hash.update(JSON.stringify(row, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
    }
    return hash.digest('hex');
  } finally {
    db.close();
  }
}

type Importer = 'staff' | 'ledger';

interface Case {
  name: string;
  /** The file for each importer: one file for both, or one per importer. */
  bytes: Buffer | Record<Importer, Buffer>;
  /** Both importers refuse it with this message (on stderr, or stdout for the ledger's row list), exit code 2. */
  refused?: Partial<Record<Importer, RegExp>>;
}

const withLongLine = (text: string) => Buffer.from(text.replace(/\r\n$/, `\r\n${'x'.repeat(10 * 1024 * 1024)}\r\n`));

function buildCorpus(): Case[] {
  const staffRows = [[...ESR_HEADERS], ...esrRows(40, 5)];
  const goodXlsx = zipFile(xlsxParts(staffRows));
  const mixedStaff = mixedEncodingCsv('staff');
  const mixedLedger = mixedEncodingCsv('ledger');
  const longTitleRows = [[...ESR_HEADERS], ...esrRows(3, 9)];
  const longTitle = `Therapy support worker ${'with a very long title '.repeat(10)}`.trim();
  longTitleRows[2]![2] = longTitle;
  const sqlite = new Database(':memory:');
  sqlite.exec(`CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO person (name) VALUES ('A'), ('B')`);
  const sqliteBytes = sqlite.serialize();
  sqlite.close();
  const ledgerLines = ledgerCsv(5).split('\r\n');
  ledgerLines[2] = ledgerLines[2]!.replace(/CC10\d/, `CC-${'9'.repeat(60)}`);
  const count = 6_000_000;
  const oneString = Buffer.from('<si><t>1</t></si>');
  const stringsBlock = Buffer.concat(Array<Buffer>(65_536).fill(oneString));
  const blocks = Math.ceil(count / 65_536);
  const stringsHead = Buffer.from(
    '<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
  );
  return [
    {
      name: 'zip-bomb.xlsx',
      bytes: zipFile(withSharedStrings(xlsxParts(staffRows), () => sharedStringsBomb(6144, 'true'))),
      refused: {
        staff:
          /would unpack to more than any staff extract or ledger: its table of text values \(shared strings\) is 6,144 MB once unpacked .*"zip bomb"; nothing has been read from it/,
        ledger:
          /would unpack to more than any staff extract or ledger: its table of text values \(shared strings\) is 6,144 MB/,
      },
    },
    {
      name: 'zip-bomb-lying.xlsx',
      bytes: zipFile(withSharedStrings(xlsxParts(staffRows), () => sharedStringsBomb(6144, 'small'))),
      refused: {
        staff:
          /unpacks to more than its own directory says: its table of text values \(shared strings\) passed the 1 MB declared for it\. It may be a "zip bomb"/,
        ledger: /unpacks to more than its own directory says/,
      },
    },
    {
      name: 'strings-bomb.xlsx',
      bytes: zipFile(
        withSharedStrings(xlsxParts(staffRows), () => ({
          name: 'xl/sharedStrings.xml',
          deflated: Buffer.concat([
            flushedDeflate(stringsHead), // not final: the repeated blocks follow
            repeatedDeflate(stringsBlock, blocks),
          ]),
          declaredSize: stringsHead.length + blocks * stringsBlock.length,
        })),
      ),
      refused: {
        staff: /holds 5,000,001 different text values, more than the 5,000,000 any staff extract or ledger needs/,
        ledger: /different text values/,
      },
    },
    {
      name: 'truncated.xlsx',
      bytes: goodXlsx.subarray(0, Math.floor(goodXlsx.length / 2)),
      refused: {
        staff: /This Excel workbook is damaged or incomplete \(it may have been cut short/,
        ledger: /damaged or incomplete/,
      },
    },
    {
      name: 'junk.xlsx',
      bytes: junk(5000, 7),
      refused: { staff: /is named \.xlsx but is not an Excel workbook/, ledger: /is named \.xlsx but is not/ },
    },
    {
      name: 'long-line.csv',
      bytes: { staff: withLongLine(staffCsv(5)), ledger: withLongLine(ledgerCsv(5)) },
      refused: {
        staff: /Line 7 is longer than 1,000,000 characters, far longer than any row of a staff extract or ledger/,
        ledger: /Line 7 is longer than 1,000,000 characters/,
      },
    },
    {
      name: 'database.csv',
      bytes: sqliteBytes,
      refused: { staff: /This is a SQLite database file, not a data extract/, ledger: /SQLite database file/ },
    },
    {
      name: 'mixed.csv',
      bytes: { staff: mixedStaff.bytes, ledger: mixedLedger.bytes },
      refused: {
        staff: new RegExp(
          `mixes two text encodings: line 2 has text in UTF-8 and line ${mixedStaff.line} in Windows-1252, so a name such as "Café" would be stored garbled`,
        ),
        ledger: new RegExp(
          `mixes two text encodings: line 2 has text in UTF-8 and line ${mixedLedger.line.toLocaleString('en-GB')} in Windows-1252`,
        ),
      },
    },
    {
      name: 'long-title.csv',
      bytes: {
        staff: Buffer.from(
          longTitleRows.map((r) => r.map((v) => (v.includes(',') ? `"${v}"` : v)).join(',')).join('\r\n'),
        ),
        ledger: Buffer.from(ledgerLines.join('\r\n')),
      },
      refused: {
        staff: new RegExp(
          String.raw`1 row\(s\) of long-title\.csv have problems[^]*line 3, Position Title: Position title is ${longTitle.length} characters long; a role title can be at most 120 characters \(as on the Roles tab\)`,
        ),
        ledger: /line 3, Cost Centre: The cost centre is longer than 40 characters/,
      },
    },
    { name: 'empty.csv', bytes: Buffer.alloc(0), refused: { staff: /The file is empty/, ledger: /The file is empty/ } },
    {
      name: 'header-only.csv',
      bytes: { staff: Buffer.from(`${ESR_HEADERS.join(',')}\r\n`), ledger: Buffer.from('Date,Cost Centre,Amount\r\n') },
      refused: {
        staff: /a header row \(line 1\) but no data rows/,
        ledger: /a header row \(line 1\) but no data rows/,
      },
    },
    {
      name: 'junk.csv',
      bytes: junk(20_000),
      refused: { staff: /holds binary data, not text/, ledger: /holds binary data, not text/ },
    },
    {
      name: 'workbook-as.csv',
      bytes: goodXlsx,
      refused: { staff: /is named \.csv but is a compressed \(zip\) file/, ledger: /compressed \(zip\) file/ },
    },
  ];
}

const args: Record<Importer, (file: string, db: string) => string[]> = {
  staff: (file, db) => ['import', file, '--db', db],
  ledger: (file, db) => ['funding', 'import-ledger', file, '--year', '2021/22', '--db', db],
};

beforeAll(async () => {
  // A database with a trust, a funding stream for 2021/22 and 30 staff, closed (checkpointed) as a user leaves it.
  const store = await DatabaseStore.open(template);
  const ctx = { store, user: 'test-user', now: () => FIXED_NOW };
  const ok = async (channel: string, input: unknown) => {
    const r = await dispatch(ctx, channel, input);
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
    return r.value as Record<string, unknown>;
  };
  await ok('settings/organisation-save', {
    name: 'Northshire NHS Trust',
    odsCode: 'RX9',
    ics: 'Northshire ICS',
    ahpFaculty: 'Northshire AHP Faculty',
  });
  await ok('funding/stream-save', {
    source: 'hee-pump-prime',
    name: 'HEE pump prime 2021/22',
    financialYear: '2021/22',
    allocatedPence: 1_000_000,
    receipts: [],
  });
  const uploadId = await sendBytes(ctx, 'first.csv', staffCsv(30, 1), 'staff-extract');
  await ok('import/commit', { uploadId, mapping: guessMapping([...ESR_HEADERS]) });
  store.close();
  // One command first, so that the bundle is rebuilt (if it must be) before commands run side by side.
  const warm = await cli(['summary', '--db', path.join(dir, 'warm.sqlite')]);
  expect(warm.code).toBe(0);
}, 120_000);

describe('the bad-input corpus, through both importers', () => {
  it('refuses every bad file with exit code 2 and an honest message, and leaves the database byte for byte as it was', async () => {
    const corpus = buildCorpus();
    const before = { file: sha256(template), tables: tablesDigest(template) };
    const jobs = corpus.flatMap((c) =>
      (['staff', 'ledger'] as const).map((importer) => async () => {
        const file = path.join(dir, importer, c.name);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, Buffer.isBuffer(c.bytes) ? c.bytes : c.bytes[importer]);
        const db = path.join(dir, importer, `${c.name}.sqlite`);
        fs.copyFileSync(template, db);
        const started = Date.now();
        const run = await cli(args[importer](file, db));
        return { c, importer, run, db, seconds: (Date.now() - started) / 1000 };
      }),
    );
    const results = await pool(jobs);
    const failures: string[] = [];
    for (const { c, importer, run, db, seconds } of results) {
      const where = `${importer} import of ${c.name}`;
      const expected = c.refused?.[importer];
      if (!expected) continue;
      const said = `${run.stderr}${run.stdout}`;
      if (run.code !== 2) failures.push(`${where}: exit code ${run.code}, not 2\n${said}`);
      if (!expected.test(said)) failures.push(`${where}: message ${JSON.stringify(said)} does not match ${expected}`);
      if (/at .*\.(ts|js|cjs):\d+/.test(run.stderr)) failures.push(`${where}: a stack trace was printed`);
      if (sha256(db) !== before.file) failures.push(`${where}: the database file changed`);
      if (tablesDigest(db) !== before.tables) failures.push(`${where}: a table changed`);
      if (seconds > 60) failures.push(`${where}: took ${seconds} s`);
      if (fs.existsSync(`${db}-wal`) && fs.statSync(`${db}-wal`).size > 0)
        failures.push(`${where}: left a write-ahead log`);
    }
    expect(failures).toEqual([]);
  }, 240_000);

  it('reads old Mac (CR-only) line endings as it reads CRLF, in both importers', async () => {
    const runs = await pool(
      (['\r\n', '\r'] as const).flatMap((eol) =>
        (['staff', 'ledger'] as const).map((importer) => async () => {
          const name = `${importer}-${eol === '\r' ? 'cr' : 'crlf'}.csv`;
          const file = path.join(dir, name);
          fs.writeFileSync(file, importer === 'staff' ? staffCsv(25, 11, eol) : ledgerCsv(25, eol));
          const db = path.join(dir, `${name}.sqlite`);
          fs.copyFileSync(template, db);
          const run = await cli([...args[importer](file, db), '--json']);
          return { importer, eol, run };
        }),
      ),
    );
    const result = (importer: Importer, eol: string) => {
      const run = runs.find((r) => r.importer === importer && r.eol === eol)!.run;
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const out = JSON.parse(run.stdout) as Record<string, unknown>;
      delete out.file;
      delete out.batch;
      delete out.batchId;
      return out;
    };
    const staffCr = result('staff', '\r');
    expect(staffCr).toMatchObject({ rowsRead: 25, rejected: 0 });
    expect(staffCr).toEqual(result('staff', '\r\n'));
    const ledgerCr = result('ledger', '\r');
    expect(ledgerCr).toMatchObject({ rowCount: 25 });
    expect(ledgerCr).toEqual(result('ledger', '\r\n'));
  }, 120_000);
});

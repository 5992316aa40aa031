import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createHmac, randomBytes } from 'node:crypto';
import { openExtract } from '../../electron/services/common/file-reader';
import { ESR_HEADERS, writeLargeCsv } from '../fixtures/extracts';
import { type BenchSuite } from './harness';
import { pictureFigures } from './picture';

/**
 * Import of generated ESR-like extracts (UTF-8 and Windows-1252) at 10k, 100k and 500k rows: our full import
 * (upload, parse, validate, normalise, pseudonymise, stage, write in one transaction) in a child process, against
 * `sqlite3 :memory: '.mode csv' '.import FILE t'` on the same file. Then the workforce picture at 100k staff.
 * `AHP_BENCH_IMPORT_ROWS=100000 npx tsx tests/bench/run.ts --only import` imports that one size only.
 */

const SQLITE3 = '/usr/bin/sqlite3';
const TIME = '/usr/bin/time';
const ROOT = path.resolve(import.meta.dirname, '../..');

function baseline(file: string): { ms: number; maxRssMb: number | null } | null {
  if (!fs.existsSync(SQLITE3)) return null;
  const hasTime = fs.existsSync(TIME);
  const started = performance.now();
  const run = hasTime
    ? spawnSync(TIME, ['-f', '%M', SQLITE3, ':memory:', '.mode csv', `.import ${file} t`], { encoding: 'utf8' })
    : spawnSync(SQLITE3, [':memory:', '.mode csv', `.import ${file} t`], { encoding: 'utf8' });
  const ms = performance.now() - started;
  const kb = hasTime ? Number(/(\d+)\s*$/.exec(run.stderr.trim())?.[1]) : NaN;
  return { ms, maxRssMb: Number.isFinite(kb) ? kb / 1024 : null };
}

function ours(file: string, db: string): { ms: number; uploadMs: number; rows: number; maxRssMb: number } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'tests/bench/import-child.ts', file, db], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as { ms: number; uploadMs: number; rows: number; maxRssMb: number };
}

const perSecond = (rows: number, ms: number) => Math.round(rows / (ms / 1000));

/**
 * Where the baseline's speed comes from, and the least our import must spend, on the same file (context for the
 * ">= 50% of baseline" target; see the README's performance notes):
 * - sqlite3's own .import into an on-disk database kept as ours is (WAL, synchronous=FULL) with one unique index
 *   on the assignment number, where the baseline writes to memory with no index;
 * - our CSV reader alone (read, decode, split into fields; no checks);
 * - the two keyed hashes per row (HMAC-SHA-256 of the employee and assignment numbers) alone.
 */
function durableBaseline(file: string, dir: string): number | null {
  if (!fs.existsSync(SQLITE3)) return null;
  const db = path.join(dir, 'durable-baseline.sqlite');
  const columns = ESR_HEADERS.map((_, i) => `c${i + 1}`).join(', ');
  const setup = `PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE t (${columns}); CREATE UNIQUE INDEX t_assignment ON t(c2);`;
  spawnSync(SQLITE3, [db, setup], { encoding: 'utf8' });
  const started = performance.now();
  const run = spawnSync(SQLITE3, [db, 'PRAGMA synchronous = FULL', '.mode csv', `.import --skip 1 ${file} t`], {
    encoding: 'utf8',
  });
  const ms = performance.now() - started;
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(db + suffix, { force: true });
  return run.status === 0 ? ms : null;
}

async function readerOnly(file: string): Promise<number> {
  const started = performance.now();
  const extract = await openExtract(file);
  for await (const _batch of extract.batches) {
    // Reading every batch is what is timed.
  }
  return performance.now() - started;
}

function hashesOnly(rows: number): number {
  const key = randomBytes(32);
  const started = performance.now();
  for (let i = 0; i < rows; i++) {
    const employee = String(10_000_000 + i);
    createHmac('sha256', key).update(`person:${employee}`).digest('hex');
    createHmac('sha256', key).update(`assignment:${employee}-1`).digest('hex');
  }
  return performance.now() - started;
}

export const importBench: BenchSuite = {
  name: 'import',
  async run({ dir, scale, report }) {
    if (!fs.existsSync(SQLITE3))
      console.log(`  (baseline skipped: ${SQLITE3} is not installed; apt-get install sqlite3)`);
    // AHP_BENCH_IMPORT_ROWS=100000 runs one size only (to iterate on the import quickly).
    const only = Number(process.env.AHP_BENCH_IMPORT_ROWS);
    const sizes = Number.isInteger(only) && only > 0 ? [only] : [10_000, 100_000, 500_000].map(scale);
    for (const rows of sizes) {
      for (const encoding of ['utf-8', 'windows-1252'] as const) {
        const file = path.join(dir, `extract-${rows}-${encoding}.csv`);
        const bytes = await writeLargeCsv(file, { rows, encoding });
        const label = `${rows.toLocaleString('en-GB')} rows ${encoding} (${(bytes / 1048576).toFixed(1)} MB)`;
        const base = baseline(file);
        const db = path.join(dir, `import-${rows}-${encoding}.sqlite`);
        const mine = ours(file, db);
        const ourRate = perSecond(rows, mine.ms);
        if (base) {
          const baseRate = perSecond(rows, base.ms);
          report(
            `${label}: sqlite3 .import`,
            baseRate,
            'rows/s',
            `${base.ms.toFixed(0)} ms, peak RSS ${base.maxRssMb?.toFixed(0) ?? '?'} MB`,
          );
          report(
            `${label}: our import`,
            ourRate,
            'rows/s',
            `${mine.ms.toFixed(0)} ms (upload ${mine.uploadMs.toFixed(0)} ms), peak RSS ${mine.maxRssMb.toFixed(0)} MB, ${((ourRate / baseRate) * 100).toFixed(0)}% of baseline (target >= 50%)`,
          );
          if (encoding === 'utf-8') {
            const durable = durableBaseline(file, dir);
            if (durable !== null)
              report(
                `  sqlite3 .import, on disk, FULL sync, 1 unique index`,
                perSecond(rows, durable),
                'rows/s',
                `${durable.toFixed(0)} ms`,
              );
            // Best of two: the first run in this process also compiles the code.
            const reader = Math.min(await readerOnly(file), await readerOnly(file));
            report(`  our CSV reader alone (no checks)`, perSecond(rows, reader), 'rows/s', `${reader.toFixed(0)} ms`);
            const hashes = Math.min(hashesOnly(rows), hashesOnly(rows));
            report(`  2 HMAC-SHA-256 per row alone`, perSecond(rows, hashes), 'rows/s', `${hashes.toFixed(0)} ms`);
          }
        } else {
          report(
            `${label}: our import`,
            ourRate,
            'rows/s',
            `${mine.ms.toFixed(0)} ms, peak RSS ${mine.maxRssMb.toFixed(0)} MB`,
          );
        }
        fs.rmSync(file, { force: true });
        for (const suffix of ['', '-wal', '-shm']) fs.rmSync(db + suffix, { force: true });
      }
    }

    await pictureFigures(dir, scale(100_000), report);
  },
};

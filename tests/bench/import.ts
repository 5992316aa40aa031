import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { writeLargeCsv } from '../fixtures/extracts';
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
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'tests/bench/import-child.ts', file, db], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').at(-1)!) as { ms: number; uploadMs: number; rows: number; maxRssMb: number };
}

const perSecond = (rows: number, ms: number) => Math.round(rows / (ms / 1000));

export const importBench: BenchSuite = {
  name: 'import',
  async run({ dir, scale, report }) {
    if (!fs.existsSync(SQLITE3)) console.log(`  (baseline skipped: ${SQLITE3} is not installed; apt-get install sqlite3)`);
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
          report(`${label}: sqlite3 .import`, baseRate, 'rows/s', `${base.ms.toFixed(0)} ms, peak RSS ${base.maxRssMb?.toFixed(0) ?? '?'} MB`);
          report(`${label}: our import`, ourRate, 'rows/s', `${mine.ms.toFixed(0)} ms (upload ${mine.uploadMs.toFixed(0)} ms), peak RSS ${mine.maxRssMb.toFixed(0)} MB, ${((ourRate / baseRate) * 100).toFixed(0)}% of baseline (target >= 50%)`);
        } else {
          report(`${label}: our import`, ourRate, 'rows/s', `${mine.ms.toFixed(0)} ms, peak RSS ${mine.maxRssMb.toFixed(0)} MB`);
        }
        fs.rmSync(file, { force: true });
        for (const suffix of ['', '-wal', '-shm']) fs.rmSync(db + suffix, { force: true });
      }
    }

    await pictureFigures(dir, scale(100_000), report);
  },
};

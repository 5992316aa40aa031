import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../electron/db/connection';
import { DatabaseStore } from '../../electron/db/store';
import type { HandlerContext } from '../../electron/handler';
import { dispatch } from '../../electron/router';
import { backupToFile } from '../../electron/services/settings/database';
import { firstPhaseChecklist } from '../../shared/funding/streams';
import { esrExtract, seededRandom, writeCsvFixture } from '../fixtures/extracts';

/**
 * The fault suite: the command line is killed (SIGKILL, as a power cut or the task manager would) at a random
 * moment of a write path, and the database it was writing must then pass SQLite's integrity check and hold
 * either exactly what it held before or exactly what an uninterrupted run leaves: never part of a change.
 *
 * Each path builds its starting database once, runs the command uninterrupted twice (the complete state, which
 * must come out the same both times, and how long the command takes), then, per trial, copies the starting
 * database, starts the command and kills it at a moment drawn between the command's start-up and its end.
 */

export const FAULT_PATHS = ['staff import', 'ledger import', 'restore', 'migration'] as const;
export type FaultPath = (typeof FAULT_PATHS)[number];

const root = path.resolve(import.meta.dirname, '../..');
const DB_NAME = 'workforce.sqlite';
const NOW = new Date('2026-03-31T10:00:00Z');

export interface Trial {
  kill: KillAt;
  /** Killed before it finished (false: the command ended first). */
  killed: boolean;
  /** Killed after it had begun writing beside the database. */
  whileWriting: boolean;
  state: 'unchanged' | 'complete' | 'inconsistent';
  /** What was wrong, for an inconsistent trial. */
  problem: string | null;
}

export interface PathReport {
  path: FaultPath;
  trials: Trial[];
  /** How long the uninterrupted command ran, and for how long of that it wrote, in ms. */
  runMs: number;
  writingMs: number;
}

interface Scenario {
  /** Builds the starting database at `file` (closed) and any input files in `dir`; answers the command's words. */
  prepare(file: string, dir: string, keyDir: string): Promise<string[]>;
}

// ---------- the database's contents, as a digest ----------

/**
 * Times and time-stamped file names change from run to run; everything else an uninterrupted run writes is the
 * same every time, so it is compared exactly.
 */
function normalise(value: unknown): unknown {
  if (typeof value !== 'string') return Buffer.isBuffer(value) ? value.toString('hex') : value;
  return value.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g, '<time>').replace(/\d{8}-\d{6}/g, '<stamp>');
}

/**
 * Rows that say "housekeeping to finish at the next open", left when a kill falls after a change committed but
 * before work that cannot share its transaction: wiping a moved key's old bytes (VACUUM) marks itself pending first.
 * A database holding one is complete; the check after the next open (strict) makes sure it was finished.
 */
const RESUMABLE: Record<string, (row: unknown[]) => boolean> = {
  setting: (row) => row[0] === 'pseudonymisation-key-scrub',
};

/**
 * The schema, the schema version and every table's rows (sorted), each table hashed on its own; `strict: false`
 * leaves out the pending-housekeeping rows above.
 */
export function tableDigests(db: Database.Database, strict = true): Map<string, string> {
  const out = new Map<string, string>();
  const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);
  const schema = db.prepare(`SELECT type, name, sql FROM sqlite_schema ORDER BY type, name`).raw().all() as unknown[][];
  out.set('(schema)', hash(`${db.pragma('user_version', { simple: true })}\n${JSON.stringify(schema)}`));
  for (const [type, name] of schema as [string, string][]) {
    if (type !== 'table' || name.startsWith('sqlite_stat')) continue;
    const resumable = strict ? undefined : RESUMABLE[name];
    const rows = (db.prepare(`SELECT * FROM "${name}"`).raw().all() as unknown[][])
      .filter((row) => !resumable?.(row))
      .map((row) => JSON.stringify(row.map(normalise)))
      .sort();
    out.set(name, hash(rows.join('\n')));
  }
  return out;
}

const whole = (digests: Map<string, string>) =>
  createHash('sha256')
    .update([...digests].map(([k, v]) => `${k}=${v}`).join('\n'))
    .digest('hex');

function differences(a: Map<string, string>, b: Map<string, string>): string[] {
  const names = new Set([...a.keys(), ...b.keys()]);
  return [...names].filter((n) => a.get(n) !== b.get(n)).sort();
}

/** Opens the file as the next program would (SQLite recovers a cut-short write), checks it and digests it. */
function examine(file: string, strict = true): { integrity: string; digests: Map<string, string> | null } {
  if (!fs.existsSync(file)) return { integrity: 'the database file is gone', digests: null };
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true });
    const integrity = (db.prepare('PRAGMA integrity_check').pluck().all() as string[]).join('; ');
    return { integrity, digests: integrity === 'ok' ? tableDigests(db, strict) : null };
  } catch (error) {
    return { integrity: `cannot be opened: ${(error as Error).message}`, digests: null };
  } finally {
    db?.close();
  }
}

// ---------- running the command line ----------

function childEnv(base: string, keyDir: string): NodeJS.ProcessEnv {
  const tmp = path.join(base, 'tmp');
  fs.mkdirSync(tmp, { recursive: true });
  return { ...process.env, AHP_KEY_DIR: keyDir, TMPDIR: tmp, TMP: tmp, TEMP: tmp };
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  stderr: string;
  /** When the command first wrote in the watched folder (ms after its start), if it was watched and wrote. */
  firstWriteMs: number | null;
}

/**
 * What the database folder holds, as far as writing goes: every file's size and time, leaving out SQLite's shared
 * memory file and an empty write-ahead log, which opening a database creates without writing to it.
 */
function writeSignature(dir: string): string {
  const parts: string[] = [];
  for (const folder of [dir, path.join(dir, 'backups')]) {
    let names: string[];
    try {
      names = fs.readdirSync(folder).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const stat = fs.statSync(path.join(folder, name), { throwIfNoEntry: false });
      if (!stat?.isFile() || name.endsWith('-shm') || (name.endsWith('-wal') && stat.size === 0)) continue;
      parts.push(`${name}:${stat.size}:${stat.mtimeMs}`);
    }
  }
  return parts.join('|');
}

/** When to kill: so many ms after the start, or so many ms after the command's first write in the watched folder. */
export type KillAt = { afterStartMs: number } | { afterFirstWriteMs: number };

/**
 * Starts `npm run cli -- ...` (as node build/scripts/run-node.mjs cli ...), noting when it first writes in `watch`,
 * and kills it (SIGKILL) at `kill` if it is still running then.
 */
function runCli(args: string[], env: NodeJS.ProcessEnv, watch?: string, kill?: KillAt): Promise<Run> {
  return new Promise((resolve, reject) => {
    const initial = watch ? writeSignature(watch) : '';
    let firstWriteMs: number | null = null;
    let timer: NodeJS.Timeout | null = null;
    const started = performance.now();
    const child = spawn(process.execPath, ['build/scripts/run-node.mjs', 'cli', ...args], {
      cwd: root,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const killIn = (ms: number) => (timer = setTimeout(() => child.kill('SIGKILL'), ms));
    if (kill && 'afterStartMs' in kill) killIn(kill.afterStartMs);
    const poll = watch
      ? setInterval(() => {
          if (firstWriteMs !== null || writeSignature(watch) === initial) return;
          firstWriteMs = performance.now() - started;
          if (kill && 'afterFirstWriteMs' in kill) killIn(kill.afterFirstWriteMs);
        }, 2)
      : null;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (poll) clearInterval(poll);
      resolve({ code, signal, ms: performance.now() - started, stderr, firstWriteMs });
    });
  });
}

// ---------- the four write paths ----------

async function withStore(file: string, keyDir: string, use: (ctx: HandlerContext) => Promise<void>): Promise<void> {
  const store = await DatabaseStore.open(file, { keyDir, now: () => NOW });
  try {
    await use({ store, user: 'fault-suite', now: () => NOW });
    store.db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    store.close();
  }
}

async function ok(ctx: HandlerContext, channel: string, input: unknown): Promise<unknown> {
  const result = await dispatch(ctx, channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value;
}

const scenarios: Record<FaultPath, Scenario> = {
  /** 10,000 extract rows into a trust of 1,500 people: adds, updates and leavers in one import. */
  'staff import': {
    async prepare(file, dir, keyDir) {
      await withStore(file, keyDir, async (ctx) => {
        await ok(ctx, 'settings/demo-load', { staff: 1500 });
      });
      return ['import', await writeCsvFixture(dir, 'extract.csv', esrExtract(10_000, 11))];
    },
  },

  /** 60,000 ledger rows matched by rule to 20 plan lines. */
  'ledger import': {
    async prepare(file, dir, keyDir) {
      await withStore(file, keyDir, async (ctx) => {
        const stream = (await ok(ctx, 'funding/stream-save', {
          source: 'hee-pump-prime',
          name: 'HEE pump prime 2021/22',
          financialYear: '2021/22',
          allocatedPence: 50_000_000,
          receipts: [{ date: '2021-10-15', amountPence: 50_000_000 }],
          conditions: 'First phase of the framework',
          checklist: firstPhaseChecklist(),
          deadline: '2022-03-31',
          owner: 'AHP faculty lead',
        })) as { id: number };
        for (let i = 0; i < 20; i++) {
          const line = (await ok(ctx, 'funding/line-save', {
            streamId: stream.id,
            category: i % 2 ? 'backfill' : 'training-places',
            description: `Plan line ${i + 1}`,
            totalPence: 1_000_000 + i * 12_345,
            profile: 'even',
          })) as { id: number };
          await ok(ctx, 'funding/rule-save', {
            priority: i,
            planLineId: line.id,
            costCentre: `CC${100 + i}`,
            accountCode: null,
            descriptionContains: null,
          });
        }
      });
      const random = seededRandom(7);
      const lines = ['Date,Cost Centre,Account Code,Description,Amount'];
      for (let i = 0; i < 60_000; i++) {
        const month = Math.floor(random() * 12);
        const date = `${String(1 + Math.floor(random() * 28)).padStart(2, '0')}/${String(((month + 3) % 12) + 1).padStart(2, '0')}/${month < 9 ? 2021 : 2022}`;
        const costCentre = random() < 0.05 ? 'CC999' : `CC${100 + Math.floor(random() * 20)}`;
        lines.push(
          `${date},${costCentre},${4000 + (i % 50)},Ledger row ${i},${(100 + Math.floor(random() * 50_000)) / 100}`,
        );
      }
      const ledger = path.join(dir, 'ledger.csv');
      fs.writeFileSync(ledger, lines.join('\r\n'));
      return ['funding', 'import-ledger', ledger, '--year', '2021/22'];
    },
  },

  /** A backup of a 3,000-person trust restored over the same trust after a staff import changed it. */
  restore: {
    async prepare(file, dir, keyDir) {
      const backup = path.join(dir, 'backup.sqlite');
      await withStore(file, keyDir, async (ctx) => {
        await ok(ctx, 'settings/demo-load', { staff: 3000 });
        await backupToFile(ctx.store, ctx, backup);
      });
      const extract = await writeCsvFixture(dir, 'extract.csv', esrExtract(1000, 5));
      const env = childEnv(dir, keyDir);
      const imported = await runCli(['import', extract, '--db', file], env);
      if (imported.code !== 0) throw new Error(`Setting up the restore path: ${imported.stderr}`);
      return ['restore', backup];
    },
  },

  /**
   * A schema 3 database (before framework mapping) of 4,000 people, a third with qualification records, whose
   * pseudonymisation key is still inside: opening it backs it up, runs migrations 4 onwards with the reference
   * data in one transaction, and moves the key out.
   */
  migration: {
    async prepare(file) {
      const db = await openDatabase(file, { targetVersion: 3, now: () => NOW });
      const random = seededRandom(3);
      const hex = (n: number) =>
        Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join('');
      db.transaction(() => {
        db.exec(`
          INSERT INTO ethnic_category (code, name, grp, bme, sort) VALUES ('99', 'Not known', 'Not known', NULL, 0);
          INSERT INTO profession (code, name, sort) VALUES ('PHY', 'Physiotherapy', 0), ('OT', 'Occupational therapy', 1);
          INSERT INTO service (id, name) VALUES (1, 'Therapies'), (2, 'Imaging');`);
        const role = db.prepare(
          `INSERT INTO role (id, title, service_id, profession_code, band) VALUES (?, ?, ?, ?, ?)`,
        );
        for (let r = 1; r <= 12; r++)
          role.run(r, `Support worker ${r}`, 1 + (r % 2), r % 3 ? 'PHY' : 'OT', String(2 + (r % 3)));
        const person = db.prepare(`INSERT INTO person (id, pseudo_id, year_of_birth) VALUES (?, ?, ?)`);
        const assignment = db.prepare(
          `INSERT INTO assignment (person_id, pseudo_id, role_id, hours_centi, start_date) VALUES (?, ?, ?, ?, ?)`,
        );
        const qualification = db.prepare(
          `INSERT INTO qualification (person_id, kind, title, level, status, details) VALUES (?, 'other', ?, ?, 'completed', ?)`,
        );
        for (let p = 1; p <= 4000; p++) {
          person.run(p, hex(64), 1960 + Math.floor(random() * 45));
          assignment.run(p, hex(64), 1 + Math.floor(random() * 12), 3750, '2020-04-01');
          if (p % 3 === 0) {
            const title = `Course ${Math.floor(random() * 40)}`;
            qualification.run(p, title, '2', JSON.stringify({ kind: 'other', title, level: '2' }));
          }
        }
        const setting = db.prepare(`INSERT INTO setting (key, value) VALUES (?, ?)`);
        setting.run('pseudonymisation-key', hex(64));
        setting.run('database-id', hex(32));
      })();
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
      return ['init'];
    },
  },
};

// ---------- trials ----------

export const describeKill = (kill: KillAt) =>
  'afterStartMs' in kill ? `${kill.afterStartMs} ms after start` : `${kill.afterFirstWriteMs} ms after its first write`;

function slug(name: string): string {
  return name.replace(/\W+/g, '-');
}

/**
 * Where each trial's kill falls, drawn from a seeded generator so that a failing run can be repeated with the seed
 * it printed: three in four while the command writes (from its first write in the database's folder, which start-up
 * jitter moves from run to run, to as long after it as the uninterrupted run went on), one in four anywhere
 * from its start to its end.
 */
function killPlan(seed: number, count: number, runMs: number, writingMs: number): KillAt[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) =>
    i % 4 === 3
      ? { afterStartMs: Math.round(random() * runMs) }
      : { afterFirstWriteMs: Math.round(random() * writingMs) },
  );
}

export interface RunOptions {
  trials: number;
  /** A folder of its own for this run; removed by the caller. */
  workDir: string;
  seed?: number;
  log?: (line: string) => void;
}

export async function runFaultPath(name: FaultPath, options: RunOptions): Promise<PathReport> {
  const log = options.log ?? (() => undefined);
  const dir = path.join(options.workDir, slug(name));
  const keyDir = path.join(options.workDir, 'keys');
  fs.mkdirSync(dir, { recursive: true });
  const base = path.join(dir, 'start.sqlite');
  const words = await scenarios[name].prepare(base, dir, keyDir);
  const env = childEnv(options.workDir, keyDir);
  const before = examine(base);
  if (!before.digests) throw new Error(`The starting database of ${name} fails its check: ${before.integrity}`);

  // Every trial runs in the same folder, so that the paths an uninterrupted run records are the same each time.
  const trialDir = path.join(dir, 'trial');
  const trialFile = path.join(trialDir, DB_NAME);
  const fresh = () => {
    fs.rmSync(trialDir, { recursive: true, force: true });
    fs.mkdirSync(trialDir, { recursive: true });
    fs.copyFileSync(base, trialFile);
  };
  const args = [...words, '--db', trialFile];

  let complete: Map<string, string> | null = null;
  let fastest: Run | null = null;
  for (let i = 0; i < 2; i++) {
    fresh();
    const run = await runCli(args, env, trialDir);
    if (run.code !== 0) throw new Error(`${name}: the uninterrupted command failed (${run.code}): ${run.stderr}`);
    // The fastest run: the other was slowed by whatever else the machine was doing.
    if (!fastest || run.ms < fastest.ms) fastest = run;
    const after = examine(trialFile);
    if (!after.digests)
      throw new Error(`${name}: an uninterrupted run leaves a database that fails: ${after.integrity}`);
    if (complete && whole(complete) !== whole(after.digests)) {
      throw new Error(
        `${name}: two uninterrupted runs leave different databases (${differences(complete, after.digests).join(', ')}); the suite cannot tell complete from partial`,
      );
    }
    complete = after.digests;
  }
  if (whole(complete!) === whole(before.digests)) throw new Error(`${name}: the command changes nothing`);
  const runMs = fastest!.ms;
  if (fastest!.firstWriteMs === null) throw new Error(`${name}: no write was seen beside the database`);
  const writingMs = Math.max(10, runMs - fastest!.firstWriteMs);
  log(
    `${name}: first write at ${Math.round(fastest!.firstWriteMs)} ms, writing for ${Math.round(writingMs)} ms, whole run ${Math.round(runMs)} ms`,
  );

  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const trials: Trial[] = [];
  for (const kill of killPlan(seed, options.trials, runMs, writingMs)) {
    fresh();
    const run = await runCli(args, env, trialDir, kill);
    const killed = run.signal === 'SIGKILL';
    const trial: Trial = {
      kill,
      whileWriting: killed && run.firstWriteMs !== null,
      killed,
      state: 'inconsistent',
      problem: null,
    };
    trials.push(trial);
    if (!killed && run.code !== 0) {
      trial.problem = `the command failed on its own (exit ${run.code}): ${run.stderr.trim()}`;
      continue;
    }
    const after = examine(trialFile, false);
    if (!after.digests) {
      trial.problem = `integrity_check: ${after.integrity}`;
      continue;
    }
    const digest = whole(after.digests);
    if (digest === whole(before.digests)) trial.state = 'unchanged';
    else if (digest === whole(complete!)) trial.state = 'complete';
    else {
      trial.problem = `neither unchanged nor complete: ${differences(before.digests, after.digests).join(', ')} differ from before; ${differences(complete!, after.digests).join(', ')} from complete`;
      continue;
    }
    // The next start opens it, and what a killed run left beside the database is gone.
    try {
      (await DatabaseStore.open(trialFile, { keyDir })).close();
    } catch (error) {
      trial.state = 'inconsistent';
      trial.problem = `the next start cannot open it: ${(error as Error).message}`;
      continue;
    }
    // After that start, exactly as before or as complete: any housekeeping left pending is finished.
    const reopened = examine(trialFile);
    const settled = reopened.digests && whole(reopened.digests);
    if (settled !== whole(before.digests) && settled !== whole(complete!)) {
      trial.state = 'inconsistent';
      trial.problem = `after the next start, neither unchanged nor complete: ${reopened.digests ? differences(complete!, reopened.digests).join(', ') : reopened.integrity}`;
      continue;
    }
    const left = [trialDir, path.join(trialDir, 'backups')]
      .flatMap((d) => (fs.existsSync(d) ? fs.readdirSync(d) : []))
      .filter((f) => /\.tmp/.test(f));
    if (left.length > 0) {
      trial.state = 'inconsistent';
      trial.problem = `temporary files left after the next start: ${left.join(', ')}`;
    }
  }
  const count = (state: Trial['state']) => trials.filter((t) => t.state === state).length;
  log(
    `${name}: ${trials.length} trials (seed ${seed}), ${trials.filter((t) => t.killed).length} killed: ${count('unchanged')} unchanged, ${count('complete')} complete, ${count('inconsistent')} inconsistent`,
  );
  for (const t of trials.filter((x) => x.state === 'inconsistent'))
    log(`  killed ${describeKill(t.kill)}: ${t.problem ?? ''}`);
  return { path: name, trials, runMs, writingMs };
}

/** The bundle the command line runs, rebuilt once here rather than by the first trial (which would skew its timing). */
export function ensureCliBuilt(): void {
  const result = spawnSync(process.execPath, ['build/scripts/bundle-node.mjs', '--if-stale', '--quiet'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`Building the command line failed:\n${result.stderr}`);
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureCliBuilt, FAULT_PATHS, runFaultPath, type FaultPath, type PathReport } from './harness';

/**
 * `npm run test:faults -- [--trials N] [--path NAME] [--seed N]`: kills the command line N times (default 100) at
 * random moments of each write path and prints, per path, how many kills left the database unchanged, complete
 * or neither. Exits 1 if any did not hold.
 */
function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  if (at >= 0) return process.argv[at + 1];
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

const trials = Number(option('trials') ?? 100);
if (!Number.isInteger(trials) || trials < 1) {
  console.error('--trials is a whole number of trials per path, e.g. --trials 100');
  process.exit(2);
}
const only = option('path');
const paths = only ? FAULT_PATHS.filter((p) => p === only || p.replace(' ', '-') === only) : [...FAULT_PATHS];
if (paths.length === 0) {
  console.error(`--path is one of: ${FAULT_PATHS.map((p) => p.replace(' ', '-')).join(', ')}`);
  process.exit(2);
}
const seed = option('seed') === undefined ? undefined : Number(option('seed'));

ensureCliBuilt();
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ahp-faults-'));
const reports: PathReport[] = [];
try {
  for (const name of paths as FaultPath[]) {
    const started = Date.now();
    reports.push(
      await runFaultPath(name, {
        trials,
        workDir,
        log: (line) => console.log(line),
        ...(seed === undefined ? {} : { seed }),
      }),
    );
    console.log(`${name}: ${Math.round((Date.now() - started) / 1000)} s\n`);
  }
} finally {
  fs.rmSync(workDir, { recursive: true, force: true });
}

const rows = reports.map((r) => {
  const n = (f: (t: PathReport['trials'][number]) => boolean) => String(r.trials.filter(f).length);
  return [
    r.path,
    String(r.trials.length),
    n((t) => t.killed),
    n((t) => t.whileWriting),
    n((t) => t.killed && t.state === 'unchanged'),
    n((t) => t.killed && t.state === 'complete'),
    n((t) => !t.killed),
    `${n((t) => t.state !== 'inconsistent')} of ${r.trials.length}`,
    `${Math.round(r.writingMs)} / ${Math.round(r.runMs)} ms`,
  ];
});
const header = [
  'Path',
  'Trials',
  'Killed',
  'While writing',
  'Unchanged',
  'Complete',
  'Finished first',
  'Consistent',
  'Writing / whole run',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
for (const row of [header, ...rows])
  console.log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
process.exit(reports.every((r) => r.trials.every((t) => t.state !== 'inconsistent')) ? 0 : 1);

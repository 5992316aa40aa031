import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Benchmarks print figures; they never pass or fail on time. Each suite gets its own temporary folder. */
export interface BenchContext {
  dir: string;
  scale: (full: number) => number;
  report(label: string, value: number, unit: string, note?: string): void;
}

export interface BenchSuite {
  name: string;
  run(ctx: BenchContext): Promise<void>;
}

export async function time<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

/** Median of several runs: one run on a 2-core machine is mostly noise. */
export async function median(runs: number, fn: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await time(fn)).ms);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export async function runSuites(suites: BenchSuite[], options: { only?: string; quick: boolean }): Promise<void> {
  console.log(
    `Benchmarks on ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}${options.quick ? ' (quick: reduced sizes)' : ''}`,
  );
  for (const suite of suites) {
    if (options.only && !suite.name.includes(options.only)) continue;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ahp-bench-${suite.name}-`));
    console.log(`\n== ${suite.name}`);
    try {
      await suite.run({
        dir,
        scale: (full) => (options.quick ? Math.max(1, Math.round(full / 20)) : full),
        report: (label, value, unit, note) =>
          console.log(
            `  ${label.padEnd(48)} ${value.toLocaleString('en-GB', { maximumFractionDigits: 1 }).padStart(12)} ${unit}${note ? `  (${note})` : ''}`,
          ),
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

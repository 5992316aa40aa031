import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeKill, ensureCliBuilt, FAULT_PATHS, runFaultPath } from './harness';

/**
 * A few kills per write path inside `npm test`; `npm run test:faults -- --trials 100` runs many more and prints
 * the figures. Every kill must leave the database passing integrity_check, and unchanged or complete.
 */
const TRIALS = 4;
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ahp-faults-'));
beforeAll(() => ensureCliBuilt());
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

describe('killed at a random moment, the database is unchanged or complete (issue 10)', () => {
  for (const name of FAULT_PATHS) {
    it(
      name,
      async () => {
        const report = await runFaultPath(name, { trials: TRIALS, workDir });
        const bad = report.trials.filter((t) => t.state === 'inconsistent');
        expect(bad.map((t) => `killed ${describeKill(t.kill)}: ${t.problem}`)).toEqual([]);
        expect(report.trials).toHaveLength(TRIALS);
      },
      120_000,
    );
  }
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runSuites, type BenchSuite } from './harness';
import { workforceBench } from './workforce';
import { frameworkBench } from './framework';
import { fundingBench } from './funding';
import { importBench } from './import';
import { establishmentBench } from './establishment';
import { pictureBench } from './picture';
import { returnExportsBench } from './return-exports';
import { returnsBench } from './returns';
import { rolesBench } from './roles';
import { rolesMigrationBench } from './roles-migration';
import { trainingImportBench } from './training-import';
import { disclosureBench } from './disclosure';
import { icsBench } from './ics';

/** `npm run bench [-- --only NAME] [--quick]`. Add a capability's suite to this list. */
const suites: BenchSuite[] = [
  workforceBench,
  fundingBench,
  frameworkBench,
  importBench,
  establishmentBench,
  pictureBench,
  rolesBench,
  rolesMigrationBench,
  trainingImportBench,
  returnsBench,
  returnExportsBench,
  disclosureBench,
  icsBench,
];

// The benches' throwaway databases keep their pseudonymisation keys in a folder of this run, not the user's store.
if (!process.env.AHP_KEY_DIR) {
  const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ahp-bench-keys-'));
  process.env.AHP_KEY_DIR = keyDir;
  process.once('exit', () => fs.rmSync(keyDir, { recursive: true, force: true }));
}

const { values } = parseArgs({ options: { only: { type: 'string' }, quick: { type: 'boolean' } } });
await runSuites(suites, { only: values.only, quick: values.quick === true });

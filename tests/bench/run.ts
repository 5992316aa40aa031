import { parseArgs } from 'node:util';
import { runSuites, type BenchSuite } from './harness';
import { workforceBench } from './workforce';
import { frameworkBench } from './framework';
import { fundingBench } from './funding';
import { importBench } from './import';
import { pictureBench } from './picture';

/** `npm run bench [-- --only NAME] [--quick]`. Add a capability's suite to this list. */
const suites: BenchSuite[] = [workforceBench, fundingBench, frameworkBench, importBench, pictureBench];

const { values } = parseArgs({ options: { only: { type: 'string' }, quick: { type: 'boolean' } } });
await runSuites(suites, { only: values.only, quick: values.quick === true });

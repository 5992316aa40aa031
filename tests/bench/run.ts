import { parseArgs } from '../../electron/db/location';
import { runSuites, type BenchSuite } from './harness';
import { workforceBench } from './workforce';
import { frameworkBench } from './framework';
import { fundingBench } from './funding';
import { importBench } from './import';
import { pictureBench } from './picture';

/** `npm run bench [-- --only NAME] [--quick]`. Add a capability's suite to this list. */
const suites: BenchSuite[] = [workforceBench, fundingBench, frameworkBench, importBench, pictureBench];

const { options } = parseArgs(process.argv.slice(2));
const only = options.get('only');
await runSuites(suites, { only: typeof only === 'string' ? only : undefined, quick: options.has('quick') });

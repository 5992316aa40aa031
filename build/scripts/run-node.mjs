// `npm run cli` and `npm run serve`: checks the database driver and the bundle cheaply, rebuilding only what is
// stale, then runs the bundle in this same process (a second Node start would cost as much as the checks).
//   node build/scripts/run-node.mjs cli|serve [arguments for it]
import { pathToFileURL } from 'node:url';
import { bundlePath, ensureFresh } from './bundle-node.mjs';
import { ensureNodeDriver } from './native.mjs';

const name = process.argv[2];
if (name !== 'cli' && name !== 'serve') {
  console.error('usage: node build/scripts/run-node.mjs cli|serve [arguments]');
  process.exit(2);
}
ensureNodeDriver({ quiet: name === 'cli' });
try {
  await ensureFresh({ quiet: name === 'cli' });
} catch {
  // esbuild has already printed where the source does not compile.
  console.error(`[bundle] dist/node/${name}.mjs could not be rebuilt; fix the error above and run again.`);
  process.exit(1);
}
const bundle = bundlePath(name);
// The bundle reads its arguments from process.argv.slice(2), as if started as `node dist/node/<name>.mjs`.
process.argv.splice(1, 2, bundle);
await import(pathToFileURL(bundle).href);

// Keeps better-sqlite3 compiled for whichever runtime is about to load it, so a NODE_MODULE_VERSION mismatch
// never reaches the user:
//   node build/scripts/native.mjs node      (npm test, serve, cli, bench): rebuild for Node if it does not load
//   node build/scripts/native.mjs electron  (npm start, dist): rebuild for Electron unless the stamp says so
// For Node, a stamp newer than the compiled driver is trusted without loading it (a probe costs a process start
// at every `npm run cli`); the CLI and the web host still check that the driver loads and name this script if not.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..', '..');
const stamp = path.join(root, 'node_modules', '.ahp-native-target');
const driver = path.join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const nodeTarget = `node-${process.versions.modules}`;

const readStamp = () => (fs.existsSync(stamp) ? fs.readFileSync(stamp, 'utf8').trim() : '');
const mtime = (file) => fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;

/** The happy path: the stamp names this Node ABI and nothing has rebuilt the driver since it was written. */
export function nodeStampFresh() {
  const stampTime = mtime(stamp);
  return stampTime > 0 && stampTime >= mtime(driver) && readStamp() === nodeTarget;
}

function loadsInNode() {
  const probe = spawnSync(
    process.execPath,
    ['-e', "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  return probe.status === 0;
}

/** Returns when better-sqlite3 loads in this Node.js; exits the process if it cannot be made to. */
export function ensureNodeDriver({ quiet = false } = {}) {
  const log = (m) => quiet || console.log(`[native] ${m}`);
  if (nodeStampFresh()) return;
  if (loadsInNode()) {
    fs.writeFileSync(stamp, nodeTarget);
    return;
  }
  log('better-sqlite3 is not built for this Node.js: rebuilding it from source (about a minute)...');
  execFileSync(npm, ['rebuild', 'better-sqlite3'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (!loadsInNode()) {
    console.error(
      '[native] better-sqlite3 still does not load in Node.js. Check that python3, make and a C++ compiler are installed.',
    );
    process.exit(1);
  }
  fs.writeFileSync(stamp, nodeTarget);
  log('better-sqlite3 is ready for Node.js.');
}

function ensureElectronDriver({ quiet = false } = {}) {
  const log = (m) => quiet || console.log(`[native] ${m}`);
  const require = createRequire(import.meta.url);
  const electronVersion = require('electron/package.json').version;
  const want = `electron-${electronVersion}`;
  if (readStamp() === want) return;
  log(`rebuilding better-sqlite3 for Electron ${electronVersion}...`);
  execFileSync(
    process.execPath,
    [
      path.join(root, 'node_modules', '@electron', 'rebuild', 'lib', 'cli.js'),
      '--force',
      '--only',
      'better-sqlite3',
      '--version',
      electronVersion,
    ],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  fs.writeFileSync(stamp, want);
  log('better-sqlite3 is ready for Electron.');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const target = process.argv[2];
  const quiet = process.argv.includes('--quiet');
  if (target === 'node') ensureNodeDriver({ quiet });
  else if (target === 'electron') ensureElectronDriver({ quiet });
  else {
    console.error('usage: node build/scripts/native.mjs node|electron [--quiet]');
    process.exit(2);
  }
}

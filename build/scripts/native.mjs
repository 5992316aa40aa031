// Keeps better-sqlite3 compiled for whichever runtime is about to load it, so a NODE_MODULE_VERSION mismatch
// never reaches the user:
//   node build/scripts/native.mjs node      (npm test, serve, cli, bench): rebuild for Node if it does not load
//   node build/scripts/native.mjs electron  (npm start, dist): rebuild for Electron unless the stamp says so
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const target = process.argv[2];
const quiet = process.argv.includes('--quiet');
const root = path.resolve(import.meta.dirname, '..', '..');
const stamp = path.join(root, 'node_modules', '.ahp-native-target');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const log = (m) => quiet || console.log(`[native] ${m}`);
const readStamp = () => (fs.existsSync(stamp) ? fs.readFileSync(stamp, 'utf8').trim() : '');

function loadsInNode() {
  const probe = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"], {
    cwd: root,
    encoding: 'utf8',
  });
  return probe.status === 0;
}

if (target === 'node') {
  const want = `node-${process.versions.modules}`;
  if (readStamp() === want && loadsInNode()) process.exit(0);
  if (loadsInNode()) {
    fs.writeFileSync(stamp, want);
    process.exit(0);
  }
  log('better-sqlite3 is not built for this Node.js: rebuilding it from source (about a minute)...');
  execFileSync(npm, ['rebuild', 'better-sqlite3'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (!loadsInNode()) {
    console.error('[native] better-sqlite3 still does not load in Node.js. Check that python3, make and a C++ compiler are installed.');
    process.exit(1);
  }
  fs.writeFileSync(stamp, want);
  log('better-sqlite3 is ready for Node.js.');
} else if (target === 'electron') {
  const require = createRequire(import.meta.url);
  const electronVersion = require('electron/package.json').version;
  const want = `electron-${electronVersion}`;
  if (readStamp() === want) process.exit(0);
  log(`rebuilding better-sqlite3 for Electron ${electronVersion}...`);
  execFileSync(process.execPath, [path.join(root, 'node_modules', '@electron', 'rebuild', 'lib', 'cli.js'), '--force', '--only', 'better-sqlite3', '--version', electronVersion], {
    cwd: root,
    stdio: 'inherit',
  });
  fs.writeFileSync(stamp, want);
  log('better-sqlite3 is ready for Electron.');
} else {
  console.error('usage: node build/scripts/native.mjs node|electron [--quiet]');
  process.exit(2);
}

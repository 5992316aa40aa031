// Bundles the Electron main process and the preload into dist/electron. The preload must be one self-contained
// CommonJS file because a sandboxed preload may only require('electron').
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };

await build({
  ...common,
  entryPoints: ['electron/main.ts'],
  outfile: 'dist/electron/main.cjs',
  format: 'cjs',
  // highs finds its highs.wasm beside its own loader in node_modules (packaged: electron-builder.yml `files`).
  external: ['electron', 'better-sqlite3', 'highs'],
});
await build({
  ...common,
  entryPoints: ['electron/preload.ts'],
  outfile: 'dist/electron/preload.cjs',
  format: 'cjs',
  external: ['electron'],
});
console.log('Bundled dist/electron/main.cjs and dist/electron/preload.cjs');

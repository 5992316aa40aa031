// Bundles the command line and the local web host into dist/node, as bundle-electron.mjs does for the Electron
// main process: Node then starts from one CommonJS file instead of tsx compiling every TypeScript source at
// each start (about 0.2 s for `cli help` rather than 0.8 s or more).
//   node build/scripts/bundle-node.mjs             build (part of npm run build)
//   node build/scripts/bundle-node.mjs --if-stale  rebuild only if a file the bundle was built from has changed
// inputs.json lists every file esbuild read (sources under electron/ and shared/, bundled packages, this
// script), so an edit anywhere, or a dependency upgrade, is noticed without guessing which folders matter.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..', '..');
const outDir = path.join(root, 'dist', 'node');
const inputsFile = path.join(outDir, 'inputs.json');
export const entries = { cli: 'electron/transports/cli.ts', serve: 'electron/transports/serve.ts' };
export const bundlePath = (name) => path.join(outDir, `${name}.mjs`);

/** Why the bundles must be rebuilt, or null when they are up to date. */
export function staleReason() {
  let recorded;
  try {
    recorded = JSON.parse(fs.readFileSync(inputsFile, 'utf8'));
  } catch {
    return 'not built yet';
  }
  for (const name of Object.keys(entries)) if (!fs.existsSync(bundlePath(name))) return `${name}.mjs is missing`;
  for (const input of recorded.inputs) {
    const time = fs.statSync(path.join(root, input), { throwIfNoEntry: false })?.mtimeMs;
    if (time === undefined) return `${input} is gone`;
    if (time > recorded.startedAt) return `${input} changed`;
  }
  return null;
}

export async function bundleNode() {
  const { build } = await import('esbuild');
  const startedAt = Date.now();
  const result = await build({
    absWorkingDir: root,
    entryPoints: entries,
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    // ES modules with code splitting, so what only some commands use (the PDF libraries, 3.4 MB) is a chunk of
    // its own, loaded by its dynamic import only when a PDF is made: `cli help` does not parse it.
    format: 'esm',
    splitting: true,
    chunkNames: 'chunk-[hash]',
    // The bundled CommonJS packages (exceljs, csv-parse, pdfkit...) call require() for Node's own modules, and some
    // find their files from __dirname: both are given to every output file, as CommonJS would have them.
    banner: {
      js: [
        "import { createRequire as __createRequire } from 'node:module';",
        "import { fileURLToPath as __fileURLToPath } from 'node:url';",
        "import { dirname as __pathDirname } from 'node:path';",
        'const require = __createRequire(import.meta.url);',
        'const __filename = __fileURLToPath(import.meta.url);',
        'const __dirname = __pathDirname(__filename);',
      ].join(' '),
    },
    sourcemap: true,
    // Native code cannot be bundled. exceljs, csv-parse and iconv-lite are bundled: measured, one file loads
    // faster than node_modules resolution of their many small ones. highs (the disclosure audit's solver) loads
    // its highs.wasm from beside its own loader, so it stays in node_modules too.
    external: ['better-sqlite3', 'highs'],
    // serve.ts finds the built renderer from import.meta.dirname: dist/node/ sits as deep as electron/transports/,
    // and the chunks sit beside the entries for the same reason.
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  fs.mkdirSync(outDir, { recursive: true });
  // Written aside and renamed: parallel test workers may run the bundle while another worker rebuilds it.
  const writeAtomically = (file, contents) => {
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, contents);
    fs.renameSync(temp, file);
  };
  for (const file of result.outputFiles) writeAtomically(file.path, file.contents);
  // Chunks of earlier builds, once no process started in the last minutes can still be loading them.
  const current = new Set(result.outputFiles.map((f) => path.basename(f.path)));
  for (const name of fs.readdirSync(outDir))
    if (/^chunk-.*\.mjs(\.map)?$/.test(name) && !current.has(name)) {
      const file = path.join(outDir, name);
      if (Date.now() - fs.statSync(file).mtimeMs > 10 * 60 * 1000) fs.rmSync(file, { force: true });
    }
  for (const old of ['cli.cjs', 'serve.cjs', 'cli.cjs.map', 'serve.cjs.map'])
    fs.rmSync(path.join(outDir, old), { force: true });
  const inputs = [...Object.keys(result.metafile.inputs), path.relative(root, import.meta.filename)];
  writeAtomically(inputsFile, JSON.stringify({ startedAt, inputs }, null, 1));
}

/** The fast check `npm run cli` and `npm run serve` make before starting: about 10 ms when nothing changed. */
export async function ensureFresh({ quiet = false } = {}) {
  const reason = staleReason();
  if (reason === null) return;
  const started = Date.now();
  await bundleNode();
  if (!quiet) console.error(`[bundle] rebuilt dist/node (${reason}) in ${Date.now() - started} ms`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv.includes('--if-stale')) await ensureFresh({ quiet: process.argv.includes('--quiet') });
  else {
    await bundleNode();
    console.log('Bundled dist/node/cli.mjs and dist/node/serve.mjs');
  }
}

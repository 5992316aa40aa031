import Database from 'better-sqlite3';

/**
 * `npm run cli` and `npm run serve` trust the native build's stamp instead of probing the driver in a child
 * process at every start (build/scripts/native.mjs); this catches the rare stale build with a way out.
 */
export function assertDriverLoads(): void {
  try {
    new Database(':memory:').close();
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new Error(
      `The database driver (better-sqlite3) does not load in this Node.js ${process.version}: ${reason}\nRebuild it with: node build/scripts/native.mjs node`,
    );
  }
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseStore } from '../../electron/db/store';
import type { HandlerContext } from '../../electron/handler';

/** A real SQLite file in a fresh temporary folder, with a handler context as the app would build it. */
export interface TempStore {
  dir: string;
  file: string;
  store: DatabaseStore;
  ctx: HandlerContext;
  cleanup(): void;
}

export const FIXED_NOW = new Date('2026-03-31T10:00:00Z');

export async function tempStore(name = 'workforce.sqlite'): Promise<TempStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ahp-test-'));
  const file = path.join(dir, name);
  const store = await DatabaseStore.open(file);
  return {
    dir,
    file,
    store,
    ctx: { store, user: 'test-user', now: () => FIXED_NOW },
    cleanup() {
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ahp-test-'));
}

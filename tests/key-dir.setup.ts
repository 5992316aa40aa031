import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { KEY_DIR_ENV } from '../electron/db/location';

/**
 * Every test file gets a key folder of its own (inherited by the command lines and web hosts it starts), so no
 * test ever reads or writes the real pseudonymisation keys in the user's config folder.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ahp-keys-'));
process.env[KEY_DIR_ENV] = dir;
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

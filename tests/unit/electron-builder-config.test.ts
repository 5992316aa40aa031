import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

describe('electron-builder.yml', () => {
  it('validates against the schema electron-builder ships', async () => {
    const { getConfig, validateConfiguration } = await import('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = await import('builder-util');
    const config = await getConfig(root, path.join(root, 'electron-builder.yml'), null);
    const targets = JSON.stringify([config.linux, config.win, config.mac]);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config).toMatchObject({
      appId: expect.any(String),
      productName: 'AHP Support Workforce Planner',
      npmRebuild: false,
    });
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**/*');
    for (const t of ['AppImage', 'deb', 'nsis', 'dmg']) expect(targets).toContain(t);
  });

  it('points main at the bundle the build writes', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/electron/main.cjs');
    expect(fs.readFileSync(path.join(root, 'build/scripts/bundle-electron.mjs'), 'utf8')).toContain(
      "outfile: 'dist/electron/main.cjs'",
    );
  });
});

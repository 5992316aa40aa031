import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

describe('electron-builder.yml', () => {
  it('validates against the schema electron-builder ships', async () => {
    const { getConfig, validateConfiguration } = (await import('app-builder-lib/out/util/config/config.js')) as {
      getConfig: (dir: string, file: string, extra: null) => Promise<Record<string, unknown>>;
      validateConfiguration: (config: Record<string, unknown>, logger: unknown) => Promise<void>;
    };
    const { DebugLogger } = (await import('builder-util')) as { DebugLogger: new (enabled: boolean) => unknown };
    const config = await getConfig(root, path.join(root, 'electron-builder.yml'), null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config).toMatchObject({ appId: expect.any(String), productName: 'AHP Support Workforce Planner', npmRebuild: false });
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**/*');
    const targets = JSON.stringify([config.linux, config.win, config.mac]);
    for (const t of ['AppImage', 'deb', 'nsis', 'dmg']) expect(targets).toContain(t);
  });

  it('points main at the bundle the build writes', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/electron/main.cjs');
    expect(fs.readFileSync(path.join(root, 'build/scripts/bundle-electron.mjs'), 'utf8')).toContain("outfile: 'dist/electron/main.cjs'");
  });
});

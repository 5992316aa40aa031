import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** electron-builder.yml as electron-builder reads it, checked against the schema it ships (offline). */
async function validConfig() {
  const { getConfig, validateConfiguration } = await import('app-builder-lib/out/util/config/config.js');
  const { DebugLogger } = await import('builder-util');
  const config = await getConfig(root, path.join(root, 'electron-builder.yml'), null);
  await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  return config;
}

describe('electron-builder.yml', () => {
  it('validates against the schema electron-builder ships', async () => {
    const config = await validConfig();
    const targets = JSON.stringify([config.linux, config.win, config.mac]);
    expect(config).toMatchObject({
      appId: expect.any(String),
      productName: 'AHP Support Workforce Planner',
      npmRebuild: false,
    });
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**/*');
    // The main bundle leaves highs (the disclosure audit) external: it must ship with its highs.wasm.
    expect(JSON.stringify(config.files)).toContain('node_modules/highs/**/*');
    for (const t of ['AppImage', 'deb', 'nsis', 'dmg']) expect(targets).toContain(t);
  });

  it('flips the Electron fuses: no Node mode, NODE_OPTIONS or --inspect; only a checked app.asar', async () => {
    const config = await validConfig();
    const fuses = config.electronFuses;
    expect(fuses, 'electronFuses is missing').toBeTruthy();
    expect(fuses!.runAsNode).toBe(false);
    expect(fuses!.enableNodeOptionsEnvironmentVariable).toBe(false);
    expect(fuses!.enableNodeCliInspectArguments).toBe(false);
    expect(fuses!.enableEmbeddedAsarIntegrityValidation).toBe(true);
    expect(fuses!.onlyLoadAppFromAsar).toBe(true);
    expect(fuses!.grantFileProtocolExtraPrivileges).toBe(false);
    // The integrity fuse checks the packaged app.asar: the app must be packed as one.
    expect(config.asar).not.toBe(false);
  });

  it('points main at the bundle the build writes', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/electron/main.cjs');
    expect(fs.readFileSync(path.join(root, 'build/scripts/bundle-electron.mjs'), 'utf8')).toContain(
      "outfile: 'dist/electron/main.cjs'",
    );
  });
});

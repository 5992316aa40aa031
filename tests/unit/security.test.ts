import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideNavigation, isTrustedSender, permissionAllowed, secureWebPreferences } from '../../electron/security';
import { resolveStaticPath } from '../../electron/transports/static-files';
import { CONTENT_SECURITY_POLICY } from '../../shared/common/security';

describe('Electron window settings', () => {
  it('keeps every item of the security checklist on', () => {
    const prefs = secureWebPreferences('/app/preload.cjs');
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('keeps navigation inside the app and opens only allow-listed help pages outside', () => {
    expect(decideNavigation('app://ahp/index.html#/funding')).toBe('stay');
    expect(decideNavigation('https://www.hee.nhs.uk/our-work/allied-health-professions')).toBe('open-externally');
    expect(decideNavigation('https://evil.example/')).toBe('deny');
    expect(decideNavigation('http://www.hee.nhs.uk/')).toBe('deny');
    expect(decideNavigation('file:///etc/passwd')).toBe('deny');
    expect(decideNavigation('app://other/index.html')).toBe('deny');
    expect(decideNavigation('javascript:alert(1)')).toBe('deny');
  });

  it('accepts IPC only from the app page in the main frame', () => {
    expect(isTrustedSender('app://ahp/index.html', true)).toBe(true);
    expect(isTrustedSender('app://ahp/index.html', false)).toBe(false);
    expect(isTrustedSender('https://evil.example/', true)).toBe(false);
    expect(isTrustedSender(undefined, true)).toBe(false);
  });

  it('denies every permission', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal'])
      expect(permissionAllowed(p)).toBe(false);
  });

  it('has a strict Content-Security-Policy', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe/);
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });
});

describe('static file containment (app:// protocol and web host)', () => {
  const root = path.resolve('/srv/app/renderer');
  it('serves files inside the renderer folder', () => {
    expect(resolveStaticPath(root, '/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveStaticPath(root, '/assets/index-1.js')).toBe(path.join(root, 'assets', 'index-1.js'));
  });
  it('refuses anything that escapes it', () => {
    for (const attempt of [
      '/../secret.txt',
      '/assets/../../secret',
      '/%2e%2e/secret',
      '/..%2fsecret',
      '/assets/%2e%2e%2f%2e%2e%2fetc/passwd',
      '/a\0b',
      '/%E0%A4%A',
    ]) {
      expect(resolveStaticPath(root, attempt), attempt).toBeNull();
    }
  });
});

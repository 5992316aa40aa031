import type { WebPreferences } from 'electron';
import { isAllowedExternalLink } from '../shared/common/security';

/**
 * Electron security policy as plain data and functions (no Electron import at run time), so that unit tests
 * fail if any setting is undone. main.ts only applies what is decided here.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'ahp';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** In-app links stay in the app; allow-listed https help pages open in the user's browser; nothing else. */
export function decideNavigation(url: string): 'stay' | 'open-externally' | 'deny' {
  if (isAppUrl(url)) return 'stay';
  if (isAllowedExternalLink(url)) return 'open-externally';
  return 'deny';
}

/** Every IPC call must come from our own page in the main frame of our window. */
export function isTrustedSender(frameUrl: string | undefined, isMainFrame: boolean): boolean {
  return isMainFrame && frameUrl !== undefined && isAppUrl(frameUrl);
}

/** Camera, microphone, notifications, geolocation...: the app needs none of them. */
export function permissionAllowed(_permission: string): boolean {
  return false;
}

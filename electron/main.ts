import { app, BrowserWindow, dialog, Menu, net, protocol, screen, session, shell, type Rectangle } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CONTENT_SECURITY_POLICY } from '../shared/common/security';
import { DatabaseStore } from './db/store';
import { currentUser, defaultDatabasePath } from './db/location';
import { registerIpc } from './transports/ipc.main';
import {
  APP_HOST,
  APP_SCHEME,
  APP_START_URL,
  decideNavigation,
  permissionAllowed,
  secureWebPreferences,
} from './security';
import { resolveStaticPath } from './transports/static-files';
import { sweepStaleUploads } from './services/common/uploads';

/** The Electron shell: window, menu, protocol and security. Everything else is shared with the web host. */

const rendererDir = path.join(__dirname, '..', 'renderer');
const stateFile = () => path.join(app.getPath('userData'), 'window-state.json');

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let mainWindow: BrowserWindow | null = null;
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (decideNavigation(url) !== 'stay') event.preventDefault();
      if (decideNavigation(url) === 'open-externally') void shell.openExternal(url);
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (decideNavigation(url) === 'open-externally') void shell.openExternal(url);
      return { action: 'deny' };
    });
  });

  void app.whenReady().then(async () => {
    sweepStaleUploads(); // clear-text uploads left by a run that was killed outright
    session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) =>
      callback(permissionAllowed(permission)),
    );
    session.defaultSession.setPermissionCheckHandler((_wc, permission) => permissionAllowed(permission));

    protocol.handle(APP_SCHEME, (request) => {
      const url = new URL(request.url);
      const file =
        url.host === APP_HOST
          ? resolveStaticPath(rendererDir, url.pathname === '/' ? '/index.html' : url.pathname)
          : null;
      if (!file || !fs.existsSync(file)) return new Response('Not found', { status: 404 });
      return net.fetch(pathToFileURL(file).toString()).then((response) => {
        const headers = new Headers(response.headers);
        headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
        headers.set('X-Content-Type-Options', 'nosniff');
        return new Response(response.body, { status: response.status, headers });
      });
    });

    // Not strict: Chromium's own switches share the command line.
    const { values } = parseArgs({
      args: process.argv.slice(app.isPackaged ? 1 : 2),
      options: { db: { type: 'string' } },
      strict: false,
      allowPositionals: true,
    });
    let store: DatabaseStore;
    try {
      store = await DatabaseStore.open(typeof values.db === 'string' ? values.db : defaultDatabasePath());
    } catch (err) {
      dialog.showErrorBox('The workforce database cannot be opened', err instanceof Error ? err.message : String(err));
      app.exit(1);
      return;
    }
    registerIpc({ store, user: currentUser(), now: () => new Date() });
    Menu.setApplicationMenu(buildMenu());
    mainWindow = createWindow();
    app.on('before-quit', () => store.close());
  });

  app.on('window-all-closed', () => app.quit());
}

function buildMenu(): Menu {
  return Menu.buildFromTemplate([
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        {
          label: 'HEE AHP support workforce programme',
          click: () => void shell.openExternal('https://www.hee.nhs.uk/our-work/allied-health-professions'),
        },
      ],
    },
  ]);
}

function readWindowState(): Rectangle & { maximised?: boolean } {
  const fallback = { width: 1280, height: 860, x: 0, y: 0 };
  try {
    const saved = JSON.parse(fs.readFileSync(stateFile(), 'utf8')) as Rectangle & { maximised?: boolean };
    const visible = screen.getAllDisplays().some((d) => {
      const a = d.workArea;
      return saved.x >= a.x - 50 && saved.y >= a.y - 50 && saved.x < a.x + a.width && saved.y < a.y + a.height;
    });
    return visible && saved.width >= 600 && saved.height >= 400 ? saved : fallback;
  } catch {
    return fallback;
  }
}

function createWindow(): BrowserWindow {
  const state = readWindowState();
  const window = new BrowserWindow({
    x: state.x || undefined,
    y: state.y || undefined,
    width: state.width,
    height: state.height,
    minWidth: 800,
    minHeight: 600,
    title: 'AHP Support Workforce Planner',
    show: false,
    webPreferences: secureWebPreferences(path.join(__dirname, 'preload.cjs')),
  });
  if (state.maximised) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.on('close', () => {
    const bounds = window.getNormalBounds();
    try {
      fs.writeFileSync(stateFile(), JSON.stringify({ ...bounds, maximised: window.isMaximized() }));
    } catch {
      // Losing the window position is not worth an error.
    }
  });
  void window.loadURL(APP_START_URL);
  return window;
}

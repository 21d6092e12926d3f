// Every security setting of the Electron shell, as plain functions over the Electron interface,
// so a unit test in Node can check each one. The renderer is sandboxed and isolated, has no Node,
// loads only our own bundle, cannot navigate or open windows, gets no permission, and only our
// own top-level page may ask main for a channel to the runtime.
import { contentSecurityPolicy } from '../core/api/content-security-policy.js';
import type { TerminalMode } from '../core/api/status.js';
import type { BrowserWindowOptionsLike, IpcEventLike, SessionLike, WebContentsLike, WebPreferencesLike } from './electron-api.js';

export function hardenedWebPreferences(preloadPath: string, devTools = false): WebPreferencesLike {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools,
  };
}

/** The counter terminal is a kiosk: full screen, no menu, no way out to the desktop. */
export function windowOptionsFor(mode: TerminalMode, preloadPath: string): BrowserWindowOptionsLike {
  const kiosk = mode === 'counter';
  return {
    width: 1280,
    height: 800,
    kiosk,
    fullscreen: kiosk,
    autoHideMenuBar: true,
    title: `DevPay Edge (${mode})`,
    show: false,
    backgroundColor: '#f4f5f7',
    webPreferences: hardenedWebPreferences(preloadPath, mode === 'diagnostics'),
  };
}

/** True only for our own bundled page, loaded from file:// at exactly the expected path. */
export function isTrustedRendererUrl(url: string, trustedIndexUrl: string): boolean {
  try {
    const candidate = new URL(url);
    const trusted = new URL(trustedIndexUrl);
    return candidate.protocol === 'file:' && candidate.host === trusted.host && candidate.pathname === trusted.pathname;
  } catch {
    return false;
  }
}

export function guardWebContents(contents: WebContentsLike, trustedIndexUrl: string): void {
  // Reloading our own page is the only navigation allowed; links and scripts cannot leave it.
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedRendererUrl(url, trustedIndexUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isTrustedRendererUrl(url, trustedIndexUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export function guardSession(session: SessionLike): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy] } });
  });
}

/** IPC is accepted only from the top frame of our own page, never from a subframe or elsewhere. */
export function isTrustedIpcSender(event: IpcEventLike, trustedIndexUrl: string): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isTrustedRendererUrl(frame.url, trustedIndexUrl);
}

// The Electron shell's security settings, checked in Node against fakes of the Electron objects
// (the Electron binary cannot be installed on the machines that run these tests).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { guardSession, guardWebContents, hardenedWebPreferences, isTrustedIpcSender, isTrustedRendererUrl, windowOptionsFor } from './hardening.js';
import type { FrameLike, NavigationEventLike, SessionLike, WebContentsLike } from './electron-api.js';
import { contentSecurityPolicy } from '../core/api/content-security-policy.js';

const trusted = 'file:///opt/devpay/dist/renderer/index.html';

test('web preferences isolate and sandbox the renderer with no Node', () => {
  const preferences = hardenedWebPreferences('/opt/devpay/dist/main/preload.cjs');
  assert.equal(preferences.contextIsolation, true);
  assert.equal(preferences.sandbox, true);
  assert.equal(preferences.nodeIntegration, false);
  assert.equal(preferences.nodeIntegrationInWorker, false);
  assert.equal(preferences.nodeIntegrationInSubFrames, false);
  assert.equal(preferences.webSecurity, true);
  assert.equal(preferences.allowRunningInsecureContent, false);
  assert.equal(preferences.webviewTag, false);
  assert.equal(preferences.devTools, false);
});

test('counter mode is a kiosk; field and diagnostics are windows; only diagnostics has devtools', () => {
  assert.equal(windowOptionsFor('counter', '/p').kiosk, true);
  assert.equal(windowOptionsFor('counter', '/p').fullscreen, true);
  assert.equal(windowOptionsFor('field', '/p').kiosk, false);
  assert.equal(windowOptionsFor('diagnostics', '/p').kiosk, false);
  assert.equal(windowOptionsFor('diagnostics', '/p').webPreferences.devTools, true);
  assert.equal(windowOptionsFor('counter', '/p').webPreferences.sandbox, true);
});

test('only our own bundled page is trusted', () => {
  assert.equal(isTrustedRendererUrl(`${trusted}?mode=counter`, trusted), true);
  for (const url of ['https://example.com/', 'file:///etc/passwd', 'file:///opt/devpay/dist/renderer/other.html', 'http://127.0.0.1/index.html', 'javascript:alert(1)', 'not a url']) {
    assert.equal(isTrustedRendererUrl(url, trusted), false, url);
  }
});

function fakeContents() {
  const handlers = new Map<string, (event: NavigationEventLike, url: string) => void>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  const contents: WebContentsLike = {
    on: ((event: string, listener: (event: NavigationEventLike, url: string) => void) => handlers.set(event, listener)) as WebContentsLike['on'],
    setWindowOpenHandler: (handler) => (openHandler = handler),
    postMessage: () => {},
    isDestroyed: () => false,
  };
  const fire = (event: string, url = ''): boolean => {
    let prevented = false;
    handlers.get(event)?.({ preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  return { contents, fire, open: (url: string) => openHandler?.({ url }) };
}

test('navigation away, redirects, webviews and new windows are denied', () => {
  const { contents, fire, open } = fakeContents();
  guardWebContents(contents, trusted);
  assert.equal(fire('will-navigate', 'https://evil.example/'), true);
  assert.equal(fire('will-navigate', 'file:///etc/passwd'), true);
  assert.equal(fire('will-navigate', `${trusted}?mode=field`), false, 'reloading our own page is allowed');
  assert.equal(fire('will-redirect', 'https://evil.example/'), true);
  assert.equal(fire('will-attach-webview'), true);
  assert.deepEqual(open('https://evil.example/'), { action: 'deny' });
  assert.deepEqual(open(trusted), { action: 'deny' });
});

test('every permission is refused and the CSP header is set on every response', () => {
  let requestHandler: Parameters<SessionLike['setPermissionRequestHandler']>[0] | null = null;
  let checkHandler: Parameters<SessionLike['setPermissionCheckHandler']>[0] | null = null;
  let headersListener: Parameters<SessionLike['webRequest']['onHeadersReceived']>[0] | null = null;
  guardSession({
    setPermissionRequestHandler: (handler) => (requestHandler = handler),
    setPermissionCheckHandler: (handler) => (checkHandler = handler),
    webRequest: { onHeadersReceived: (listener) => (headersListener = listener) },
  });
  for (const permission of ['media', 'geolocation', 'notifications', 'hid', 'serial', 'usb', 'clipboard-read']) {
    let granted: boolean | null = null;
    requestHandler!(null, permission, (answer) => (granted = answer));
    assert.equal(granted, false, permission);
    assert.equal(checkHandler!(null, permission), false, permission);
  }
  let headers: Record<string, string[]> = {};
  headersListener!({ responseHeaders: { 'Content-Type': ['text/html'] } }, (response) => (headers = response.responseHeaders));
  assert.deepEqual(headers['Content-Security-Policy'], [contentSecurityPolicy]);
  assert.deepEqual(headers['Content-Type'], ['text/html']);
  assert.match(contentSecurityPolicy, /default-src 'none'/);
  assert.doesNotMatch(contentSecurityPolicy, /unsafe-inline|unsafe-eval/);
});

test('IPC is accepted only from the top frame of our own page', () => {
  const top: FrameLike = { url: trusted, parent: null };
  const sender = fakeContents().contents;
  assert.equal(isTrustedIpcSender({ senderFrame: top, sender }, trusted), true);
  assert.equal(isTrustedIpcSender({ senderFrame: { url: trusted, parent: top }, sender }, trusted), false, 'a subframe');
  assert.equal(isTrustedIpcSender({ senderFrame: { url: 'https://evil.example/', parent: null }, sender }, trusted), false);
  assert.equal(isTrustedIpcSender({ senderFrame: null, sender }, trusted), false, 'a frame already gone');
});

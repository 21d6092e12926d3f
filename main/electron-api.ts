// The slice of Electron's API that main uses, declared structurally. Electron's binary (and, on
// Node 20, its package) cannot be installed on every machine that builds and tests this code, so
// main is written and unit-tested against this interface; main.ts hands it the real module.
export interface WebPreferencesLike {
  preload: string;
  contextIsolation: boolean;
  sandbox: boolean;
  nodeIntegration: boolean;
  nodeIntegrationInWorker: boolean;
  nodeIntegrationInSubFrames: boolean;
  webSecurity: boolean;
  allowRunningInsecureContent: boolean;
  webviewTag: boolean;
  experimentalFeatures: boolean;
  navigateOnDragDrop: boolean;
  spellcheck: boolean;
  devTools: boolean;
}

export interface BrowserWindowOptionsLike {
  width: number;
  height: number;
  kiosk: boolean;
  fullscreen: boolean;
  autoHideMenuBar: boolean;
  title: string;
  show: boolean;
  backgroundColor: string;
  webPreferences: WebPreferencesLike;
}

export interface NavigationEventLike {
  preventDefault(): void;
}

export interface WebContentsLike {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: NavigationEventLike, url: string) => void): void;
  on(event: 'will-attach-webview', listener: (event: NavigationEventLike) => void): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  postMessage(channel: string, message: unknown, transfer?: unknown[]): void;
  isDestroyed(): boolean;
}

export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
}

export interface IpcEventLike {
  readonly senderFrame: FrameLike | null;
  readonly sender: WebContentsLike;
}

export interface SessionLike {
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void;
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders: Record<string, string[]> }) => void,
      ) => void,
    ): void;
  };
}

export interface MessagePortMainLike {
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
}

export interface UtilityProcessLike {
  readonly pid: number | undefined;
  postMessage(message: unknown, transfer?: MessagePortMainLike[]): void;
  on(event: 'exit', listener: (code: number) => void): void;
  kill(): boolean;
}

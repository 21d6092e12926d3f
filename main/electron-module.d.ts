// The electron package is optional and absent wherever its binary cannot be installed (and on
// Node 20, below its engines), so main/ is type-checked against this declaration of what it
// uses: the preload's contextBridge and ipcRenderer. main.ts casts the module to ElectronMain
// (electron-api.ts), which names everything main touches.
declare module 'electron' {
  export interface RendererPortLike {
    postMessage(message: string): void;
    close(): void;
    onmessage: ((event: { data: unknown }) => void) | null;
  }
  export interface IpcRendererEventLike {
    readonly ports: RendererPortLike[];
  }
  export const contextBridge: {
    exposeInMainWorld(key: string, api: unknown): void;
  };
  export const ipcRenderer: {
    on(channel: string, listener: (event: IpcRendererEventLike) => void): void;
    send(channel: string, ...args: unknown[]): void;
  };
}

// The few node-hid calls the HID drivers use, as a small interface, so that a replayed
// transcript (drivers/replay/replay-hid-api.ts) or a simulated device (drivers/sim/) can stand
// where node-hid stands and the driver above cannot tell. node-hid is an optional native module,
// loaded at first use: where it does not load, asking for it is a named DeviceError with the fix,
// and the rest of the process keeps working.
import { createRequire } from 'node:module';
import { DeviceError } from '../../device/capabilities.js';
import { nativeModuleMessage, nativeModuleProblems } from '../native-modules.js';

export interface HidDeviceEntry {
  /** What open() takes: a hidraw node on Linux, an IOService path on macOS. */
  path: string;
  vendorId: number;
  productId: number;
  usagePage?: number;
  product?: string;
}

/** One open HID device. write() and close() may throw; failures while reading arrive as 'error'. */
export interface HidHandle {
  /** Sends one output report: the report id, then its bytes. */
  write(report: Uint8Array): void;
  /** Input reports, each with its report id first (the reader uses numbered reports). */
  on(event: 'data', listener: (report: Uint8Array) => void): void;
  /** A failed read or write: node-hid's sign that the device went away. */
  on(event: 'error', listener: (error: Error) => void): void;
  close(): void;
}

export interface HidApi {
  devices(): HidDeviceEntry[];
  open(path: string): HidHandle;
}

interface NodeHidDevice {
  path?: string;
  vendorId: number;
  productId: number;
  usagePage?: number;
  product?: string;
}

interface NodeHidHandle {
  write(values: number[] | Buffer): number;
  on(event: 'data', listener: (data: Buffer) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  close(): void;
}

interface NodeHidModule {
  devices(): NodeHidDevice[];
  HID: new (path: string) => NodeHidHandle;
}

/** node-hid behind HidApi, or a named DeviceError saying it is not installed and how to install it. */
export function loadNodeHid(): HidApi {
  const problem = nativeModuleProblems().find((candidate) => candidate.subject === 'node-hid');
  if (problem) throw new DeviceError('service_unavailable', nativeModuleMessage(problem));
  const nodeHid = createRequire(import.meta.url)('node-hid') as NodeHidModule;
  return {
    devices: () =>
      nodeHid.devices().flatMap((device) =>
        device.path
          ? [{ path: device.path, vendorId: device.vendorId, productId: device.productId, usagePage: device.usagePage, product: device.product }]
          : [],
      ),
    open(path: string): HidHandle {
      const device = new nodeHid.HID(path);
      return {
        write: (report) => {
          device.write(Buffer.from(report));
        },
        on: (event: 'data' | 'error', listener: (value: never) => void) => {
          if (event === 'data') device.on('data', (data: Buffer) => (listener as (report: Uint8Array) => void)(new Uint8Array(data)));
          else device.on('error', listener as (error: Error) => void);
        },
        close: () => device.close(),
      };
    },
  };
}

// A virtual HID device made by the Linux kernel through /dev/uhid, whose reports are answered by
// a device-side HidHandle (the simulated fingerprint reader's). The kernel gives it a hidraw
// node, so node-hid finds and opens it like a USB reader. Event layout from linux/uhid.h: every
// event is a packed `struct uhid_event` of 4 + 4372 bytes (u32 type, then a union whose largest
// member is uhid_create2_req), in host byte order (little-endian on every machine we run on).
// /dev/uhid is opened non-blocking and polled, so no libuv thread sits in a blocking read.
import { closeSync, constants, openSync, readSync, writeSync } from 'node:fs';
import type { HidHandle } from '../../drivers/hid/hid-api.js';

const eventLength = 4 + 4372;
const eventTypes = { destroy: 1, start: 2, stop: 3, open: 4, close: 5, output: 6, getReport: 9, getReportReply: 10, create2: 11, input2: 12, setReport: 13, setReportReply: 14 };
const busUsb = 0x03;
const uhidDataMax = 4096;
const errorIo = 5;

/**
 * The reader's report descriptor: a vendor page (0xFF00) application collection with output
 * report 1 and input report 2, 63 bytes each (docs/devices.md, "USB HID fingerprint reader").
 */
export const fingerprintReportDescriptor = Uint8Array.from([
  0x06, 0x00, 0xff, 0x09, 0x01, 0xa1, 0x01, 0x15, 0x00, 0x26, 0xff, 0x00, 0x75, 0x08,
  0x85, 0x01, 0x95, 0x3f, 0x09, 0x02, 0x91, 0x02,
  0x85, 0x02, 0x95, 0x3f, 0x09, 0x03, 0x81, 0x02,
  0xc0,
]);

export interface UhidDeviceOptions {
  name: string;
  vendorId: number;
  productId: number;
  /** The device side: what the host writes goes to write(); its 'data' goes to the host. */
  device: HidHandle;
  pollMs?: number;
}

export class UhidDevice {
  private readonly fd: number;
  private readonly timer: NodeJS.Timeout;
  private destroyed = false;
  readonly events: string[] = [];

  constructor(private readonly options: UhidDeviceOptions) {
    this.fd = openSync('/dev/uhid', constants.O_RDWR | constants.O_NONBLOCK);
    const event = Buffer.alloc(eventLength);
    event.writeUInt32LE(eventTypes.create2, 0);
    let offset = 4;
    event.write(options.name.slice(0, 127), offset, 'ascii'); // name[128]
    offset += 128 + 64 + 64; // phys[64], uniq[64] left empty
    event.writeUInt16LE(fingerprintReportDescriptor.length, offset); // rd_size
    event.writeUInt16LE(busUsb, offset + 2); // bus
    event.writeUInt32LE(options.vendorId, offset + 4); // vendor
    event.writeUInt32LE(options.productId, offset + 8); // product
    event.writeUInt32LE(0x0100, offset + 12); // version
    event.writeUInt32LE(0, offset + 16); // country
    Buffer.from(fingerprintReportDescriptor).copy(event, offset + 20); // rd_data
    writeSync(this.fd, event);
    options.device.on('data', (report) => this.input(report));
    this.timer = setInterval(() => this.poll(), options.pollMs ?? 2);
  }

  /** Sends one input report (report id first) to the host through UHID_INPUT2. */
  private input(report: Uint8Array): void {
    if (this.destroyed) return;
    const event = Buffer.alloc(eventLength);
    event.writeUInt32LE(eventTypes.input2, 0);
    event.writeUInt16LE(report.length, 4);
    Buffer.from(report).copy(event, 6);
    writeSync(this.fd, event);
  }

  private poll(): void {
    const event = Buffer.alloc(eventLength);
    for (;;) {
      let length: number;
      try {
        length = readSync(this.fd, event, 0, eventLength, null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') return;
        throw error;
      }
      if (length < 4) return;
      this.handle(event);
    }
  }

  private handle(event: Buffer): void {
    const type = event.readUInt32LE(0);
    this.events.push(String(type));
    if (type === eventTypes.output) {
      // struct uhid_output_req { u8 data[4096]; u16 size; u8 rtype; }: data starts with the report id.
      const size = event.readUInt16LE(4 + uhidDataMax);
      this.options.device.write(new Uint8Array(event.subarray(4, 4 + size)));
    } else if (type === eventTypes.setReport) {
      // struct uhid_set_report_req { u32 id; u8 rnum; u8 rtype; u16 size; u8 data[]; }, for a
      // kernel that sends an output report as SET_REPORT; the reply carries the same id.
      const id = event.readUInt32LE(4);
      const size = event.readUInt16LE(10);
      this.options.device.write(new Uint8Array(event.subarray(12, 12 + size)));
      this.reply(eventTypes.setReportReply, id, 0);
    } else if (type === eventTypes.getReport) {
      // The reader has no feature reports; answer EIO rather than leave the kernel waiting.
      this.reply(eventTypes.getReportReply, event.readUInt32LE(4), errorIo);
    }
  }

  private reply(type: number, id: number, error: number): void {
    const event = Buffer.alloc(eventLength);
    event.writeUInt32LE(type, 0);
    event.writeUInt32LE(id, 4);
    event.writeUInt16LE(error, 8);
    writeSync(this.fd, event);
  }

  /** UHID_DESTROY: the kernel removes the device, as if it were unplugged. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    clearInterval(this.timer);
    const event = Buffer.alloc(eventLength);
    event.writeUInt32LE(eventTypes.destroy, 0);
    try {
      writeSync(this.fd, event);
    } finally {
      closeSync(this.fd);
    }
  }
}

// Holds the devices the drivers found and reports their health. Drivers announce devices as
// they appear and disappear (a reader unplugged, pcscd stopped); listeners learn of every change
// so the status bar stays current without polling.
import type { DeviceStatus } from '../core/api/status.js';
import type { Device } from './capabilities.js';

export class DeviceManager {
  private readonly devices = new Map<string, Device>();
  private readonly listeners = new Set<() => void>();
  /** Each device's health when last looked at, so a change a driver made by itself is announced. */
  private lastHealth = new Map<string, string>();

  add(device: Device): void {
    this.devices.set(device.info.descriptor, device);
    this.changed();
  }

  remove(descriptor: string): void {
    if (this.devices.delete(descriptor)) this.changed();
  }

  get(descriptor: string): Device | undefined {
    return this.devices.get(descriptor);
  }

  all(): Device[] {
    return [...this.devices.values()];
  }

  /** Signals that a device's health changed without the set of devices changing. */
  changed(): void {
    for (const listener of this.listeners) listener();
  }

  /**
   * Looks at every device's health and announces a change if any differs from the last look.
   * Some drivers recover by themselves (a fingerprint module reopened after a replug, a USB
   * reader found again): polled now and then, their recovery reaches the status bar and the
   * operator session like any other change.
   */
  noticeHealthChanges(): void {
    const now = new Map(this.all().map((device) => [device.info.descriptor, device.health().health] as const));
    const changed = now.size !== this.lastHealth.size || [...now].some(([descriptor, health]) => this.lastHealth.get(descriptor) !== health);
    this.lastHealth = now;
    if (changed) this.changed();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  statuses(): DeviceStatus[] {
    return this.all()
      .map((device) => ({ ...device.info, ...device.health() }))
      .sort((left, right) => left.descriptor.localeCompare(right.descriptor));
  }

  async closeAll(): Promise<void> {
    const devices = this.all();
    this.devices.clear();
    await Promise.allSettled(devices.map((device) => device.close()));
    this.changed();
  }
}

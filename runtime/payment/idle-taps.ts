// A card presented while no charge is open pays nothing, now or later: the runtime announces it
// (`reader.cardIgnored`) so the screen can say so, and the payment flow reads only a card
// presented after its charge began. Watched on every card reader, the ones plugged in later too.
import type { CardReader } from '../../device/capabilities.js';
import type { DeviceManager } from '../../device/device-manager.js';

/** The card readers among the devices. */
export function cardReadersOf(devices: DeviceManager): CardReader[] {
  return devices.all().filter((device): device is CardReader => 'transmit' in device && device.info.kind === 'card_reader');
}

/** Calls `onIgnored` for each card presented while `chargeOpen()` is false; returns the unsubscribe. */
export function watchIdleTaps(devices: DeviceManager, chargeOpen: () => boolean, onIgnored: (reader: CardReader) => void): () => void {
  const watched = new Map<CardReader, () => void>();
  const watch = (): void => {
    const present = new Set(cardReadersOf(devices));
    for (const [reader, unsubscribe] of watched) {
      if (present.has(reader)) continue;
      unsubscribe();
      watched.delete(reader);
    }
    for (const reader of present) {
      if (watched.has(reader)) continue;
      watched.set(reader, reader.onCard((event) => event.type === 'card_present' && !chargeOpen() && onIgnored(reader)));
    }
  };
  const unsubscribeDevices = devices.onChange(watch);
  watch();
  return () => {
    unsubscribeDevices();
    for (const unsubscribe of watched.values()) unsubscribe();
    watched.clear();
  };
}

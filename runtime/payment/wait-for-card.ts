// The first moment of a charge: waiting for a card presented on any card reader after the charge
// began. A card already in the field is not taken: it was read by an earlier charge or presented
// while none was open, and is taken away and presented again to pay.
import type { CardReader } from '../../device/capabilities.js';
import type { DeviceManager } from '../../device/device-manager.js';
import type { Logger } from '../logger.js';
import { cardReadersOf } from './idle-taps.js';

/** Resolves with the reader a card is presented on, or null if aborted or timed out. */
export function waitForPresentedCard(devices: DeviceManager, logger: Logger, timeoutMs: number, signal: AbortSignal): Promise<CardReader | null> {
  return new Promise((resolve) => {
    const unsubscribes: Array<() => void> = [];
    const watched = new Set<CardReader>();
    const done = (reader: CardReader | null): void => {
      for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
      clearTimeout(timer);
      resolve(reader);
    };
    const watch = (): void => {
      for (const reader of cardReadersOf(devices)) {
        if (watched.has(reader)) continue;
        watched.add(reader);
        if (reader.hasCard?.()) logger.info({ reader: reader.info.descriptor }, 'a card was already in the field; waiting for it to be presented again');
        unsubscribes.push(reader.onCard((event) => event.type === 'card_present' && done(reader)));
      }
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    timer.unref?.();
    signal.addEventListener('abort', () => done(null), { once: true });
    unsubscribes.push(devices.onChange(watch));
    watch();
  });
}

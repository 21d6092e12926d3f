// What the enrolment crash test and its worker share: the terminal's identity and sync key (for
// the setup code) and the PINs, seven digits each.
export const crashTerminalId = 't-enrolcrash';
export const crashSyncKey = new Uint8Array(32).fill(0x5d);
export const crashAdminPin = '6402917';
export const crashCashierPin = '3819054';

// Operator PINs, hashed with scrypt (@noble/hashes) under a 16-byte salt of the operator's own,
// and checked in constant time. The parameters are stored beside each hash, so they can be raised
// later without invalidating the PINs already enrolled (a hash is checked with its own).
//
// Why N = 2^15, r = 8, p = 1: on the reference two-core machine one hash takes about 190-230 ms
// in pure JavaScript (2^14 took about 100-110 ms, at the bottom of the 100-300 ms aim and below
// it on a faster PC; 2^16 took 360-540 ms, too slow for a sign-in). A PIN has few digits, so the
// hash's cost, 32 MiB of memory per guess, is what slows an attacker holding a stolen ledger
// (which is sealed as well); the lockout after a few wrong PINs is what stops one at the counter.
//
// The hash runs through scryptAsync, which yields to the event loop every few milliseconds
// (asyncTick), so a sign-in does not hold up the API, device events or sync for 200 ms; the
// hash takes a little longer in total, a fair price for a runtime that keeps serving.
import { scrypt, scryptAsync } from '@noble/hashes/scrypt.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import type { Clock, Random } from '../../core/clock.js';
import type { StoredPinHash } from '../../ledger/stores/operators-store.js';
import { systemClock } from '../system-clock.js';

export interface PinHashParameters {
  N: number;
  r: number;
  p: number;
}

export const defaultPinHashParameters: PinHashParameters = { N: 2 ** 15, r: 8, p: 1 };
const saltBytes = 16;
const hashBytes = 32;
/** The longest stretch, in ms, the hash holds the event loop before yielding. */
const asyncTickMs = 10;
const encoder = new TextEncoder();

export async function hashPin(pin: string, random: Random, parameters: PinHashParameters = defaultPinHashParameters): Promise<StoredPinHash> {
  const salt = random.bytes(saltBytes);
  const hash = await derive(pin, salt, parameters);
  return { algorithm: 'scrypt', ...parameters, salt: bytesToHex(salt), hash: bytesToHex(hash) };
}

/** Whether the PIN is the one hashed, checked with the hash's own parameters, in constant time. */
export async function verifyPin(pin: string, stored: StoredPinHash): Promise<boolean> {
  const expected = hexToBytes(stored.hash);
  const actual = await derive(pin, hexToBytes(stored.salt), stored, expected.length);
  return constantTimeEqual(actual, expected);
}

/** Compares every byte whatever the first difference, so the time says nothing of where it is. */
export function constantTimeEqual(left: Uint8Array, right: Uint8Array): boolean {
  if (left.length !== right.length) return false;
  let difference = 0;
  for (let index = 0; index < left.length; index += 1) difference |= left[index]! ^ right[index]!;
  return difference === 0;
}

function derive(pin: string, salt: Uint8Array, parameters: PinHashParameters, length = hashBytes): Promise<Uint8Array> {
  return scryptAsync(encoder.encode(pin), salt, { N: parameters.N, r: parameters.r, p: parameters.p, dkLen: length, asyncTick: asyncTickMs, maxmem: 2 ** 26 });
}

export interface PinHashBench {
  /** One hash with the parameters in use, as a sign-in pays it (the median of the runs). */
  pin_hash_ms: number;
  /** The same hash without yielding to the event loop: what the yields cost. */
  pin_hash_blocking_ms: number;
  pin_hash_n: number;
  pin_hash_r: number;
  pin_hash_p: number;
}

/** Times the PIN hash for `npm run bench -- operators`; `clock` measures with its monotonic time. */
export async function benchPinHash(clock: Clock = systemClock, runs = 5): Promise<PinHashBench> {
  const salt = new Uint8Array(saltBytes).fill(0x5a);
  const parameters = defaultPinHashParameters;
  const yielding: number[] = [];
  const blocking: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    let startMs = clock.monotonicMs();
    await derive('123456', salt, parameters);
    yielding.push(clock.monotonicMs() - startMs);
    startMs = clock.monotonicMs();
    scrypt(encoder.encode('123456'), salt, { ...parameters, dkLen: hashBytes, maxmem: 2 ** 26 });
    blocking.push(clock.monotonicMs() - startMs);
  }
  return { pin_hash_ms: median(yielding), pin_hash_blocking_ms: median(blocking), pin_hash_n: parameters.N, pin_hash_r: parameters.r, pin_hash_p: parameters.p };
}

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return Math.round(sorted[Math.floor(sorted.length / 2)]! * 10) / 10;
}

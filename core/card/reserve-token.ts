// Reserve tokens: what central gives a terminal so it can approve a card offline. One token per
// card and ATC holds a commitment to that ATC's one-time secret, a per-payment cap, a currency,
// an expiry and the terminal it is for. Central signs a batch of tokens once (Ed25519 over a
// Merkle root); each stored token keeps its proof, so the terminal checks central's signature
// again at the moment of use, and an altered byte anywhere fails. The terminal never holds a
// secret: a stolen terminal cannot mint payments from its tokens.
import { z } from 'zod';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { canonicalJson } from '../canonical-json.js';
import { fromHex, toHex } from '../clock.js';
import { currencyCodes } from '../currency.js';
import { terminalIdPattern } from '../wire/topics.js';

const encoder = new TextEncoder();
const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
export const maxReserveBatchTokens = 256;

export const reserveTokenFieldsSchema = z
  .object({
    cardId: hex(8),
    atc: z.number().int().min(1).max(0xffff_ffff),
    commitment: hex(32),
    capMinor: z.string().regex(/^[1-9]\d{0,18}$/),
    currency: z.enum(currencyCodes),
    expiresAtMs: z.number().int().nonnegative(),
  })
  .strict();
export type ReserveTokenFields = z.infer<typeof reserveTokenFieldsSchema>;

export const reserveBatchSchema = z
  .object({
    batchId: z.string().regex(/^[0-9A-Za-z-]{8,40}$/),
    terminalId: z.string().regex(terminalIdPattern),
    issuedAtMs: z.number().int().nonnegative(),
    root: hex(32),
    signature: hex(64),
    tokens: z.array(reserveTokenFieldsSchema).min(1).max(maxReserveBatchTokens),
  })
  .strict();
export type ReserveBatch = z.infer<typeof reserveBatchSchema>;

/** What the batch signature covers besides the tokens. */
export interface BatchHeader {
  batchId: string;
  terminalId: string;
  issuedAtMs: number;
  tokenCount: number;
}

/** A token as a terminal stores it: its fields, the batch header and signature, and its Merkle proof. */
export interface StoredReserveToken extends ReserveTokenFields {
  header: BatchHeader;
  root: string;
  signature: string;
  leafIndex: number;
  proof: string[];
}

export function reserveTokenId(cardIdHex: string, atc: number): string {
  return `${cardIdHex}:${atc}`;
}

export function deriveReserveSigningKey(masterKey: Uint8Array): Uint8Array {
  return hmac(sha256, masterKey, encoder.encode('devpay-reserve-signing-v1'));
}

export function reservePublicKey(signingKey: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(signingKey);
}

function leafHash(token: ReserveTokenFields): Uint8Array {
  return sha256(new Uint8Array([0x00, ...encoder.encode(canonicalJson(token))]));
}

function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const input = new Uint8Array(65);
  input[0] = 0x01;
  input.set(left, 1);
  input.set(right, 33);
  return sha256(input);
}

/** Every level of the tree, leaves first; an odd node at the end of a level moves up unchanged. */
function merkleLevels(leaves: Uint8Array[]): Uint8Array[][] {
  const levels = [leaves];
  while (levels.at(-1)!.length > 1) {
    const level = levels.at(-1)!;
    const next: Uint8Array[] = [];
    for (let index = 0; index < level.length; index += 2) next.push(index + 1 < level.length ? nodeHash(level[index]!, level[index + 1]!) : level[index]!);
    levels.push(next);
  }
  return levels;
}

function signedMessage(header: BatchHeader, root: Uint8Array): Uint8Array {
  return new Uint8Array([...encoder.encode(`devpay-reserve-v1\n${canonicalJson(header)}\n`), ...root]);
}

export function signReserveBatch(signingKey: Uint8Array, header: Omit<BatchHeader, 'tokenCount'>, tokens: ReserveTokenFields[]): ReserveBatch {
  const fullHeader: BatchHeader = { ...header, tokenCount: tokens.length };
  const root = merkleLevels(tokens.map(leafHash)).at(-1)![0]!;
  return { ...header, root: toHex(root), signature: toHex(ed25519.sign(signedMessage(fullHeader, root), signingKey)), tokens };
}

export type ReserveVerifyFailure = 'malformed_batch' | 'wrong_terminal' | 'bad_signature';

/** Checks a whole batch as received and returns its tokens with their proofs, ready to store. */
export function openReserveBatch(publicKey: Uint8Array, input: unknown, terminalId: string): { ok: true; tokens: StoredReserveToken[] } | { ok: false; reason: ReserveVerifyFailure } {
  const parsed = reserveBatchSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: 'malformed_batch' };
  const batch = parsed.data;
  if (batch.terminalId !== terminalId) return { ok: false, reason: 'wrong_terminal' };
  const header: BatchHeader = { batchId: batch.batchId, terminalId: batch.terminalId, issuedAtMs: batch.issuedAtMs, tokenCount: batch.tokens.length };
  const levels = merkleLevels(batch.tokens.map(leafHash));
  const root = levels.at(-1)![0]!;
  if (toHex(root) !== batch.root || !verifySignature(publicKey, header, root, batch.signature)) return { ok: false, reason: 'bad_signature' };
  const tokens = batch.tokens.map((token, leafIndex): StoredReserveToken => {
    const proof: string[] = [];
    let index = leafIndex;
    for (const level of levels.slice(0, -1)) {
      const sibling = index % 2 === 0 ? level[index + 1] : level[index - 1];
      if (sibling) proof.push(toHex(sibling));
      index = Math.floor(index / 2);
    }
    return { ...token, header, root: batch.root, signature: batch.signature, leafIndex, proof };
  });
  return { ok: true, tokens };
}

function verifySignature(publicKey: Uint8Array, header: BatchHeader, root: Uint8Array, signatureHex: string): boolean {
  try {
    return ed25519.verify(fromHex(signatureHex), signedMessage(header, root), publicKey);
  } catch {
    return false;
  }
}

/** Rechecks one stored token against central's signature, through its Merkle proof. */
export function verifyStoredToken(publicKey: Uint8Array, token: StoredReserveToken): boolean {
  if (typeof token.header !== 'object' || token.header === null || !Array.isArray(token.proof)) return false;
  const fields = reserveTokenFieldsSchema.safeParse({
    cardId: token.cardId,
    atc: token.atc,
    commitment: token.commitment,
    capMinor: token.capMinor,
    currency: token.currency,
    expiresAtMs: token.expiresAtMs,
  });
  if (!fields.success || !/^[0-9a-f]{64}$/.test(token.root) || !/^[0-9a-f]{128}$/.test(token.signature)) return false;
  const { tokenCount } = token.header;
  if (!Number.isInteger(token.leafIndex) || token.leafIndex < 0 || token.leafIndex >= tokenCount) return false;
  let hash = leafHash(fields.data);
  let index = token.leafIndex;
  let width = tokenCount;
  let used = 0;
  while (width > 1) {
    const isLastOdd = index === width - 1 && width % 2 === 1;
    if (!isLastOdd) {
      const siblingHex = token.proof[used];
      if (siblingHex === undefined || !/^[0-9a-f]{64}$/.test(siblingHex)) return false;
      const sibling = fromHex(siblingHex);
      hash = index % 2 === 0 ? nodeHash(hash, sibling) : nodeHash(sibling, hash);
      used += 1;
    }
    index = Math.floor(index / 2);
    width = Math.ceil(width / 2);
  }
  if (used !== token.proof.length || toHex(hash) !== token.root) return false;
  return verifySignature(publicKey, token.header, hash, token.signature);
}

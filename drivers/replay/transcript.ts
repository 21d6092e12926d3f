// Transcripts of a card reader's APDU exchanges, kept as LedgerHQ's hw-transport-mocker keeps
// its RecordStore: one `=> <hex>` line per command the terminal sent, followed by one
// `<= <hex>` line with the card's answer (data and status word). Lines starting with `#` are
// comments and blank lines are ignored. This file is the pure codec: text in, exchanges out, and
// back. A transcript that does not follow the format is a TranscriptError naming the line, so a
// hand-edited fixture fails where it is wrong and not somewhere in the test that replays it.
import { fromHex, toHex } from '../../core/clock.js';

export type TranscriptErrorCode = 'malformed_transcript' | 'unfinished_transcript';

export class TranscriptError extends Error {
  constructor(
    readonly code: TranscriptErrorCode,
    message: string,
    /** The 1-based line of the transcript text the error is about, when there is one. */
    readonly lineNumber?: number,
  ) {
    super(message);
    this.name = 'TranscriptError';
  }
}

export interface TranscriptExchange {
  /** Comment lines just before the command, without their `#`. */
  comments: string[];
  command: Uint8Array;
  response: Uint8Array;
}

/** An exchange as parsed from text, with the lines it came from. */
export interface ParsedExchange extends TranscriptExchange {
  commandLine: number;
  responseLine: number;
}

export interface Transcript {
  exchanges: TranscriptExchange[];
  /** Comment lines after the last exchange. */
  trailingComments: string[];
}

export interface ParsedTranscript extends Transcript {
  exchanges: ParsedExchange[];
  /** The number of the text's last line, so a reader can say where the transcript ended. */
  lastLine: number;
}

const exchangeLine = /^(=>|<=)\s*(\S*)$/;

function hexOf(text: string, lineNumber: number): Uint8Array {
  if (text.length === 0) throw new TranscriptError('malformed_transcript', `line ${lineNumber}: no bytes after the arrow`, lineNumber);
  if (!/^[0-9a-fA-F]*$/.test(text)) throw new TranscriptError('malformed_transcript', `line ${lineNumber}: "${text.slice(0, 16)}" is not hex`, lineNumber);
  if (text.length % 2 !== 0) throw new TranscriptError('malformed_transcript', `line ${lineNumber}: odd number of hex digits`, lineNumber);
  return fromHex(text);
}

export function parseTranscript(text: string): ParsedTranscript {
  const lines = text.split('\n');
  const exchanges: ParsedExchange[] = [];
  let comments: string[] = [];
  let pending: { command: Uint8Array; line: number; comments: string[] } | null = null;
  for (const [index, raw] of lines.entries()) {
    const lineNumber = index + 1;
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      if (pending) {
        throw new TranscriptError('malformed_transcript', `line ${lineNumber}: comment between the command of line ${pending.line} and its response`, lineNumber);
      }
      comments.push(line.slice(1).replace(/^ /, ''));
      continue;
    }
    const match = exchangeLine.exec(line);
    if (!match) throw new TranscriptError('malformed_transcript', `line ${lineNumber}: expected "=> hex", "<= hex" or a "# comment"`, lineNumber);
    const bytes = hexOf(match[2]!, lineNumber);
    if (match[1] === '=>') {
      if (pending) {
        throw new TranscriptError('malformed_transcript', `line ${lineNumber}: command follows the command of line ${pending.line}, which has no response`, lineNumber);
      }
      pending = { command: bytes, line: lineNumber, comments };
      comments = [];
    } else {
      if (!pending) throw new TranscriptError('malformed_transcript', `line ${lineNumber}: response without a command before it`, lineNumber);
      exchanges.push({ comments: pending.comments, command: pending.command, response: bytes, commandLine: pending.line, responseLine: lineNumber });
      pending = null;
    }
  }
  if (pending) throw new TranscriptError('malformed_transcript', `line ${pending.line}: the transcript ends before this command's response`, pending.line);
  return { exchanges, trailingComments: comments, lastLine: text.endsWith('\n') ? lines.length - 1 : lines.length };
}

function commentLine(comment: string): string {
  if (/[\r\n]/.test(comment)) throw new TranscriptError('malformed_transcript', 'a comment cannot span lines');
  return comment === '' ? '#' : `# ${comment}`;
}

/** The canonical text of a transcript: lower-case hex, one space after each arrow and `#`. */
export function serializeTranscript(transcript: Transcript): string {
  const lines: string[] = [];
  for (const exchange of transcript.exchanges) {
    if (exchange.command.length === 0 || exchange.response.length === 0) {
      throw new TranscriptError('malformed_transcript', 'an exchange needs at least one byte each way');
    }
    lines.push(...exchange.comments.map(commentLine), `=> ${toHex(exchange.command)}`, `<= ${toHex(exchange.response)}`);
  }
  lines.push(...transcript.trailingComments.map(commentLine));
  return lines.map((line) => `${line}\n`).join('');
}

// Transcripts of a HID device's reports, in the spirit of transcript.ts's APDU transcripts: one
// `=> <hex>` line per report the host wrote, one `<= <hex>` line per report the device sent, in
// the order they happened. A HID device speaks without being asked, so unlike an APDU
// transcript the arrows need not alternate. Two more lines record the cable: `! unplug` (the
// device vanished: its open handle failed and the device list no longer has it) and `! replug`
// (it is back in the list). `#` starts a comment; blank lines are ignored. Pure: text in, events
// out, and back; a line that breaks the format is a TranscriptError naming it.
import { fromHex, toHex } from '../../core/clock.js';
import { TranscriptError } from './transcript.js';

export type HidTranscriptEvent =
  | { type: 'host_report'; bytes: Uint8Array }
  | { type: 'device_report'; bytes: Uint8Array }
  | { type: 'unplug' }
  | { type: 'replug' };

/** An event as parsed, with its 1-based line and the comments just before it. */
export type ParsedHidEvent = HidTranscriptEvent & { line: number; comments: string[] };

export interface ParsedHidTranscript {
  events: ParsedHidEvent[];
  lastLine: number;
}

const reportLine = /^(=>|<=)\s*(\S*)$/;

export function parseHidTranscript(text: string): ParsedHidTranscript {
  const lines = text.split('\n');
  const events: ParsedHidEvent[] = [];
  let comments: string[] = [];
  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      comments.push(trimmed.slice(1).replace(/^ /, ''));
      continue;
    }
    if (trimmed === '! unplug' || trimmed === '! replug') {
      events.push({ type: trimmed === '! unplug' ? 'unplug' : 'replug', line, comments });
      comments = [];
      continue;
    }
    const match = reportLine.exec(trimmed);
    if (!match) throw new TranscriptError('malformed_transcript', `line ${line}: expected "=> hex", "<= hex", "! unplug", "! replug" or a "# comment"`, line);
    const hex = match[2]!;
    if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) {
      throw new TranscriptError('malformed_transcript', `line ${line}: "${hex.slice(0, 16)}" is not an even number of hex digits`, line);
    }
    events.push({ type: match[1] === '=>' ? 'host_report' : 'device_report', bytes: fromHex(hex), line, comments });
    comments = [];
  }
  return { events, lastLine: text.endsWith('\n') ? lines.length - 1 : lines.length };
}

/** Lower-case hex, one space after each arrow, `!` and `#`; comments go before their event. */
export function serializeHidTranscript(events: readonly (HidTranscriptEvent & { comments?: readonly string[] })[]): string {
  const lines: string[] = [];
  for (const event of events) {
    for (const comment of event.comments ?? []) {
      if (/[\r\n]/.test(comment)) throw new TranscriptError('malformed_transcript', 'a comment cannot span lines');
      lines.push(comment === '' ? '#' : `# ${comment}`);
    }
    if (event.type === 'unplug' || event.type === 'replug') lines.push(`! ${event.type}`);
    else lines.push(`${event.type === 'host_report' ? '=>' : '<='} ${toHex(event.bytes)}`);
  }
  return lines.map((line) => `${line}\n`).join('');
}

// Table tests of the transcript codec: what parses, what is a TranscriptError naming its line,
// and that the canonical text round-trips.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fromHex, toHex } from '../../core/clock.js';
import { parseTranscript, serializeTranscript, TranscriptError, type Transcript } from './transcript.js';

test('commands, responses, comments and blank lines', () => {
  const text = ['# a tap', '', '=> 00A4040000', '<= 9000', '  ', '#second', '=>80ae00', '   <=   6d00   ', '# the end', ''].join('\r\n');
  const parsed = parseTranscript(text);
  assert.deepEqual(
    parsed.exchanges.map((exchange) => [exchange.comments, toHex(exchange.command), toHex(exchange.response), exchange.commandLine, exchange.responseLine]),
    [
      [['a tap'], '00a4040000', '9000', 3, 4],
      [['second'], '80ae00', '6d00', 7, 8],
    ],
  );
  assert.deepEqual(parsed.trailingComments, ['the end']);
  assert.equal(parsed.lastLine, 9);
  assert.equal(
    serializeTranscript(parsed),
    '# a tap\n=> 00a4040000\n<= 9000\n# second\n=> 80ae00\n<= 6d00\n# the end\n',
  );
});

test('empty and comment-only transcripts have no exchanges', () => {
  for (const text of ['', '\n\n', '# nothing was said\n']) {
    assert.deepEqual(parseTranscript(text).exchanges, [], JSON.stringify(text));
  }
});

test('malformed transcripts name the line', () => {
  const table: Array<[string, string, number]> = [
    ['text that is no exchange', '=> 00\n<= 9000\nhello\n', 3],
    ['response first', '\n<= 9000\n', 2],
    ['two commands in a row', '=> 00a4\n=> 00a4\n<= 9000\n', 2],
    ['command without response at the end', '=> 00\n<= 9000\n\n=> 80ae\n', 4],
    ['comment inside an exchange', '=> 00a4\n# hm\n<= 9000\n', 2],
    ['odd hex', '=> 00a\n<= 9000\n', 1],
    ['not hex', '=> 00a4\n<= 90zz\n', 2],
    ['no bytes', '=>\n<= 9000\n', 1],
    ['no response bytes', '=> 00\n<=   \n', 2],
    ['space inside the hex', '=> 00 a4\n<= 9000\n', 1],
    ['wrong arrow', '-> 00a4\n<= 9000\n', 1],
    ['two responses', '=> 00a4\n<= 9000\n<= 9000\n', 3],
  ];
  for (const [what, text, line] of table) {
    assert.throws(
      () => parseTranscript(text),
      (error: unknown) =>
        error instanceof TranscriptError && error.code === 'malformed_transcript' && error.lineNumber === line && error.message.startsWith(`line ${line}:`),
      what,
    );
  }
});

test('what cannot be written is a TranscriptError', () => {
  const exchange = { comments: [], command: fromHex('00a4'), response: fromHex('9000') };
  const table: Array<[string, Transcript]> = [
    ['empty command', { exchanges: [{ ...exchange, command: new Uint8Array(0) }], trailingComments: [] }],
    ['empty response', { exchanges: [{ ...exchange, response: new Uint8Array(0) }], trailingComments: [] }],
    ['comment with a line break', { exchanges: [{ ...exchange, comments: ['one\ntwo'] }], trailingComments: [] }],
  ];
  for (const [what, transcript] of table) assert.throws(() => serializeTranscript(transcript), TranscriptError, what);
});

test('property: any transcript survives serialize and parse exactly', () => {
  // Comments come back as written when they have no line break and no whitespace at either end
  // (the parser trims lines).
  const commentArb = fc.string({ maxLength: 30 }).filter((text) => !/[\r\n]/.test(text) && text === text.trim());
  const exchangeArb = fc.record({
    comments: fc.array(commentArb, { maxLength: 2 }),
    command: fc.uint8Array({ minLength: 1, maxLength: 64 }),
    response: fc.uint8Array({ minLength: 1, maxLength: 64 }),
  });
  const plain = (transcript: Transcript) => ({
    exchanges: transcript.exchanges.map((exchange) => [exchange.comments, toHex(exchange.command), toHex(exchange.response)]),
    trailingComments: transcript.trailingComments,
  });
  fc.assert(
    fc.property(fc.array(exchangeArb, { maxLength: 6 }), fc.array(commentArb, { maxLength: 2 }), (exchanges, trailingComments) => {
      const transcript: Transcript = { exchanges, trailingComments };
      const text = serializeTranscript(transcript);
      const parsed = parseTranscript(text);
      assert.deepEqual(plain(parsed), plain(transcript));
      assert.equal(serializeTranscript(parsed), text);
    }),
  );
});

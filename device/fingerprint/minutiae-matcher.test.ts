// The host-side matcher: impressions of one synthetic finger (shifted, rotated, jittered, with
// missed and spurious minutiae) score at or above the threshold, impressions of different
// fingers below it, the same inputs always give the same score, and a malformed template is a
// named TemplateFormatError rather than a low score.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../core/clock.js';
import { matchScore, matchTemplates, matchThreshold } from './minutiae-matcher.js';
import { encodeTemplate, TemplateFormatError } from './minutiae-template.js';
import { impression, syntheticFinger } from './synthetic-fingers.js';

test('impressions of the same finger match and of different fingers do not (40 seeded pairs)', () => {
  const random = seededRandom(4242);
  for (let trial = 0; trial < 40; trial += 1) {
    const finger = syntheticFinger(random);
    const other = syntheticFinger(random);
    const enrolled = encodeTemplate(impression(finger, random, 80));
    const again = encodeTemplate(impression(finger, random, 70));
    const stranger = encodeTemplate(impression(other, random, 80));
    const same = matchTemplates(again, enrolled);
    const different = matchTemplates(stranger, enrolled);
    assert.ok(same.matched && same.score >= matchThreshold, `trial ${trial}: same finger scored ${same.score}`);
    assert.ok(!different.matched && different.score < matchThreshold, `trial ${trial}: different finger scored ${different.score}`);
  }
});

test('a heavily shifted, rotated and partial impression still matches', () => {
  const random = seededRandom(77);
  const finger = syntheticFinger(random);
  const hard = { shiftPixels: 40, rotationUnits: 20, jitterPixels: 4, angleJitterUnits: 6, dropPercent: 30, spuriousCount: 6 };
  const result = matchTemplates(encodeTemplate(impression(finger, random, 40, hard)), encodeTemplate(impression(finger, random, 80)));
  assert.ok(result.matched, `scored ${result.score}`);
});

test('the score is deterministic and an identical template pairs every minutia', () => {
  const random = seededRandom(9);
  const template = impression(syntheticFinger(random), random, 90);
  const probe = impression(syntheticFinger(random), random, 90);
  assert.equal(matchScore(template, template), template.minutiae.length);
  const first = matchScore(probe, template);
  for (let repeat = 0; repeat < 3; repeat += 1) assert.equal(matchScore(probe, template), first);
});

test('an empty template matches nothing, without error', () => {
  const random = seededRandom(3);
  const empty = encodeTemplate({ quality: 0, widthPixels: 256, heightPixels: 360, minutiae: [] });
  const some = encodeTemplate(impression(syntheticFinger(random), random, 80));
  assert.deepEqual(matchTemplates(empty, some), { score: 0, matched: false });
  assert.deepEqual(matchTemplates(some, empty), { score: 0, matched: false });
});

test('a malformed or corrupted template is a named TemplateFormatError, either side', () => {
  const random = seededRandom(5);
  const good = encodeTemplate(impression(syntheticFinger(random), random, 80));
  const corrupted = good.map((byte, index) => (index === 30 ? byte ^ 0x10 : byte));
  const cases: [Uint8Array, Uint8Array, string][] = [
    [corrupted, good, 'crc_mismatch'],
    [good, corrupted, 'crc_mismatch'],
    [good.slice(0, 12), good, 'malformed_template'],
    [new Uint8Array(0), good, 'malformed_template'],
  ];
  for (const [probe, candidate, code] of cases) {
    assert.throws(() => matchTemplates(probe, candidate), (error: unknown) => error instanceof TemplateFormatError && error.code === code);
  }
});

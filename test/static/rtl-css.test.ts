// The renderer's styles mirror for right-to-left languages by <html dir> alone: every direction
// is logical (margin-inline-start, inset-inline, text-align: start). A physical left or right in
// a property or a value fails here unless its line says why it is meant (a "physical:" comment).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function cssFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? cssFiles(join(dir, entry.name)) : entry.name.endsWith('.css') ? [join(dir, entry.name)] : [],
  );
}

test('renderer styles use logical directions only', () => {
  const physical = /(^|[\s;{])(margin|padding|border)-(left|right)\b|(^|[\s;{])(left|right)\s*:|(text-align|float|clear)\s*:\s*(left|right)\b|border-(top|bottom)-(left|right)-radius/;
  const offending = cssFiles('renderer').flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line, index) => ({ line, where: `${file}:${index + 1}` }))
      .filter(({ line }) => physical.test(line) && !/physical:/.test(line))
      .map(({ line, where }) => `${where} ${line.trim()}`),
  );
  assert.deepEqual(offending, []);
});

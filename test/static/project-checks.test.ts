// The whole tree lints clean and type-checks under each layer's tsconfig (core without Node or
// DOM types, the renderer without Node types, everything else with Node's).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { ESLint } from 'eslint';

const require = createRequire(import.meta.url);

test('eslint finds no problem in the tree', { timeout: 120_000 }, async () => {
  const results = await new ESLint({ cwd: process.cwd() }).lintFiles(['.']);
  const problems = results.flatMap((result) => result.messages.map((message) => `${result.filePath}:${message.line} ${message.ruleId}: ${message.message}`));
  assert.deepEqual(problems, []);
});

for (const project of ['tsconfig.core.json', 'tsconfig.renderer.json', 'tsconfig.json']) {
  test(`tsc -p ${project} passes`, { timeout: 180_000 }, () => {
    const result = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', project], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });
}

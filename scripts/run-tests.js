#!/usr/bin/env node
// `npm test`: finds every *.test.ts outside node_modules, dist and test-output and runs them with
// Node's test runner through tsx. Extra arguments narrow the set to files whose path contains
// any of them (npm test -- pcsc e2e).
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const skipped = new Set(['node_modules', 'dist', 'test-output', 'scratch', '.git']);
function collect(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (skipped.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return collect(path);
    return entry.name.endsWith('.test.ts') ? [relative(process.cwd(), path)] : [];
  });
}

const filters = process.argv.slice(2);
const files = collect(process.cwd())
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();
if (files.length === 0) {
  process.stderr.write(`no test files match ${filters.join(' ')}\n`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);

// Each test writes its artefacts (screenshots, logs, data folders) under test-output/<name>/.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';

export const outputRoot = join(process.cwd(), 'test-output');

export function testOutputDir(name: string): string {
  const dir = join(outputRoot, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function freshDir(name: string): string {
  mkdirSync(outputRoot, { recursive: true });
  return mkdtempSync(join(outputRoot, `${name}-`));
}

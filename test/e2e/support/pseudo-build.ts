// Builds the renderer a second time, with the pseudo-locale catalogues in the place of the real
// ones, into test-output/, and serves that build's script and styles to a page in place of the
// real ones (the page still talks to the real runtime over the real API). Nothing in the shipped
// code knows.
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { build, type Plugin } from 'vite';
import { testOutputDir } from '../../harness/output-dir.js';

const catalogueSource = resolve('renderer/i18n/catalogue-source.ts');
const pseudoSource = resolve('test/e2e/support/pseudo-catalogue-source.ts');

function pseudoCatalogues(): Plugin {
  return {
    name: 'pseudo-catalogues',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (importer === pseudoSource) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id === catalogueSource ? pseudoSource : null;
    },
  };
}

/** Builds the pseudo-locale renderer and returns its folder. */
export async function buildPseudoRenderer(): Promise<string> {
  const outDir = join(testOutputDir('e2e-pseudo'), 'renderer');
  await build({ configFile: resolve('vite.config.ts'), logLevel: 'silent', plugins: [pseudoCatalogues()], build: { outDir, emptyOutDir: true } });
  return outDir;
}

/**
 * Serves the pseudo build's script and stylesheet in place of the real ones. The page itself
 * still comes from the real server, so it keeps its origin, its CSP and its right to open the
 * loopback API WebSocket (Chromium refuses that to a page a test fulfilled itself).
 */
export async function servePseudoRenderer(page: Page, origin: string, dir: string): Promise<void> {
  const assets = await readdir(join(dir, 'assets'));
  const pick = (extension: string): string => {
    const matches = assets.filter((name) => extname(name) === extension);
    if (matches.length !== 1) throw new Error(`the pseudo build has ${matches.length} ${extension} files: ${assets.join(', ')}`);
    return join(dir, 'assets', matches[0]!);
  };
  const replacements: Record<string, { file: string; contentType: string }> = {
    '.js': { file: pick('.js'), contentType: 'text/javascript' },
    '.css': { file: pick('.css'), contentType: 'text/css' },
  };
  await page.route(
    (url) => url.origin === origin && url.pathname.startsWith('/assets/'),
    async (route) => {
      const replacement = replacements[extname(new URL(route.request().url()).pathname)];
      if (!replacement) return route.continue();
      await route.fulfill({ status: 200, contentType: replacement.contentType, body: await readFile(replacement.file) });
    },
  );
}

// Builds what runs outside tsx: the renderer with Vite into dist/renderer, and for Electron the
// main process and preload (CommonJS, as sandboxed preloads require) and the runtime's utility
// entry (ESM, dependencies left to node_modules) with esbuild.
import { build as viteBuild } from 'vite';
import { build as esbuild } from 'esbuild';

const started = performance.now();
await viteBuild({ configFile: 'vite.config.ts' });
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' } as const;
await Promise.all([
  esbuild({ ...common, entryPoints: ['main/main.ts'], outfile: 'dist/main/main.cjs', format: 'cjs', external: ['electron'] }),
  esbuild({ ...common, entryPoints: ['main/preload.ts'], outfile: 'dist/main/preload.cjs', format: 'cjs', external: ['electron'] }),
  esbuild({ ...common, entryPoints: ['runtime/utility-entry.ts'], outfile: 'dist/runtime/utility-entry.mjs', format: 'esm', packages: 'external' }),
]);
process.stdout.write(`built dist/ in ${Math.round(performance.now() - started)} ms\n`);

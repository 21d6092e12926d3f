// Builds the renderer into dist/renderer with relative paths, so the same files load from the
// headless server and from file:// in Electron. Preact's JSX runtime comes through esbuild.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'renderer',
  base: './',
  logLevel: 'warn',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Inline assets would need a looser CSP; everything ships as files.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: {
      // zod's bundler hints are written for esbuild; Rollup's notice about them is noise.
      onwarn(warning, warn) {
        if (warning.code !== 'INVALID_ANNOTATION') warn(warning);
      },
    },
  },
});

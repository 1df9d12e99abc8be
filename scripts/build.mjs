// Bundles the extension host entry, the headless CLI and the three webviews with esbuild.
// One bundle per entry keeps the VSIX small and free of node_modules (no native modules).
import { build } from 'esbuild';
import { chmod, copyFile, mkdir, readFile } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  // VS Code 1.82 ships Node 18: the lowest runtime the bundle must run on.
  target: 'node18',
  format: 'cjs',
  sourcemap: true,
  minify: !watch && !process.argv.includes('--no-minify'),
  keepNames: true,
  logLevel: 'warning',
  define: { SPANLIGHT_VERSION: JSON.stringify(pkg.version) },
};

// Webviews run in the editor's Chromium: browser bundles, one self-contained script each (the CSP
// allows only our nonce'd script, no module loading).
const webview = {
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  format: 'iife',
  sourcemap: true,
  minify: common.minify,
  logLevel: 'warning',
  outdir: 'dist/webview',
};

await mkdir('dist/webview', { recursive: true });
await Promise.all([
  build({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  // The ingest worker thread (src/ingest/spanIndexer.ts), loaded by both bundles from their own folder.
  build({ ...common, entryPoints: ['src/ingest/indexWorker.ts'], outfile: 'dist/indexWorker.js' }),
  build({ ...webview, entryPoints: { sidebar: 'webview/src/sidebar/main.ts', detail: 'webview/src/detail/main.ts', replay: 'webview/src/replay/main.ts' } }),
  build({ ...webview, entryPoints: { sidebar: 'webview/src/sidebar/sidebar.css', detail: 'webview/src/detail/detail.css', replay: 'webview/src/replay/replay.css' } }),
  // localResourceRoots admits dist/webview and media only, so the codicon font ships inside dist/webview.
  copyFile('node_modules/@vscode/codicons/dist/codicon.css', 'dist/webview/codicon.css'),
  copyFile('node_modules/@vscode/codicons/dist/codicon.ttf', 'dist/webview/codicon.ttf'),
]);
await chmod('dist/cli.js', 0o755);

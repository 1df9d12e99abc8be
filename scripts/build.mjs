// Bundles the extension host entry and the headless CLI with esbuild.
// One bundle per entry keeps the VSIX small and free of node_modules (no native modules).
import { build } from 'esbuild';
import { chmod, readFile } from 'node:fs/promises';

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

await Promise.all([
  build({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
]);
await chmod('dist/cli.js', 0o755);

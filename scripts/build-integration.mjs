// Bundles the extension-host integration suite (test/integration) into out/integration/: index.js is
// the extensionTestsPath module (exports run()), suite/*.test.js are the files mocha loads.
//   node scripts/build-integration.mjs
// `vscode` is provided by the extension host; mocha stays external and is required from this repo's
// node_modules at run time (bundling mocha drags in its CLI and optional watchers).
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const INTEGRATION_OUT = join(ROOT, 'out', 'integration');
export const INTEGRATION_ENTRY = join(INTEGRATION_OUT, 'index.js');

export async function buildIntegration() {
  const suiteDir = join(ROOT, 'test', 'integration', 'suite');
  const suites = readdirSync(suiteDir).filter((name) => name.endsWith('.test.ts'));
  // A stale suite file from a renamed test would otherwise still be loaded.
  rmSync(INTEGRATION_OUT, { recursive: true, force: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints: [
      { in: 'test/integration/index.ts', out: 'index' },
      ...suites.map((name) => ({ in: `test/integration/suite/${name}`, out: `suite/${name.replace(/\.ts$/, '')}` })),
    ],
    outdir: INTEGRATION_OUT,
    bundle: true,
    platform: 'node',
    // Desktop VS Code 1.82 (our engines minimum) runs extensions on Node 18.
    target: 'node18',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return { entry: INTEGRATION_ENTRY, suites: suites.length };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { entry, suites } = await buildIntegration();
  console.log(`integration suite: ${suites} files -> ${entry}`);
}

// Demo launcher core: builds and packages the extension, then opens `folder` in a VS Code with
// it installed — the desktop `code` when there is one, otherwise code-server on 127.0.0.1:8080+
// (this machine has no desktop VS Code; code-server is the same workbench served to a browser).
//
//   node scripts/vscode/open.mjs [folder]      Ctrl-C stops code-server and cleans up.
// SPANLIGHT_VSIX=path/to.vsix skips the build and packaging step.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureCodeServer } from './ensureCodeServer.mjs';
import { firstFreePort, packageVsix, startCodeServer } from './launch.mjs';

function hasDesktopCode() {
  const probe = spawnSync('code', ['--version'], { encoding: 'utf8' });
  return probe.status === 0;
}

function vsixForDemo() {
  if (process.env.SPANLIGHT_VSIX) return resolve(process.env.SPANLIGHT_VSIX);
  const { vsixPath, bytes, ms } = packageVsix();
  console.log(`packaged ${vsixPath} (${(bytes / 1024).toFixed(0)} KB in ${(ms / 1000).toFixed(1)} s)`);
  return vsixPath;
}

/**
 * Opens `folder` with the freshly packaged extension. Resolves once the editor is reachable;
 * `stop()` ends code-server (a no-op for the desktop editor, which the user closes).
 */
export async function openDemo({ folder = process.cwd(), port = 8080, settings = {} } = {}) {
  const workspace = resolve(folder);
  if (hasDesktopCode()) {
    const vsixPath = vsixForDemo();
    spawnSync('code', ['--install-extension', vsixPath, '--force'], { stdio: 'inherit' });
    spawnSync('code', [workspace], { stdio: 'inherit' });
    return { mode: 'desktop', url: undefined, stop: async () => {} };
  }
  ensureCodeServer();
  const vsixPath = vsixForDemo();
  const server = await startCodeServer({ workspace, vsixPath, port: await firstFreePort(port), settings });
  const url = `${server.url}/?folder=${encodeURI(workspace)}`;
  return { mode: 'code-server', url, stop: () => server.stop() };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const demo = await openDemo({ folder: process.argv[2] });
  if (demo.mode === 'code-server') {
    console.log(`\nVS Code (code-server) with Spanlight is running. Open:\n\n  ${demo.url}\n\nCtrl-C to stop.`);
    for (const signal of ['SIGINT', 'SIGTERM']) {
      process.once(signal, async () => {
        console.log('\nstopping code-server…');
        await demo.stop();
        process.exit(0);
      });
    }
  }
}

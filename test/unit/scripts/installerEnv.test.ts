// The code-server installer runs npm from inside `npm test` and `npm start`. On a fresh machine the outer
// npm's exported config (an empty npm_config_allow_scripts made the inner npm run code-server's install
// script at once, on Node 20) and the test runner's `--import tsx` (unresolvable in the staging dir) broke
// the install; the installers must get neither, but must keep how to reach the registry (a mirror, a proxy).
import assert from 'node:assert/strict';
import { test } from 'node:test';
// @ts-expect-error: a plain .mjs script without type declarations
import { installerEnv } from '../../../scripts/vscode/ensureCodeServer.mjs';

test('installers get the environment without the outer npm run and the tsx loader, but with how to reach the registry', (t) => {
  const saved = { ...process.env };
  t.after(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });
  process.env.npm_config_allow_scripts = '';
  process.env.npm_config_local_prefix = '/work/main';
  process.env.npm_node_execpath = '/usr/bin/node';
  process.env.npm_lifecycle_event = 'test';
  process.env.npm_config_registry = 'https://mirror.example/npm/';
  process.env.npm_config_https_proxy = 'http://proxy.example:3128';
  process.env.npm_config_cafile = '/etc/ssl/certs/ca-certificates.crt';
  process.env.INIT_CWD = '/work/main';
  process.env.NODE_OPTIONS = '--max-old-space-size=4096 --import tsx';
  process.env.SPANLIGHT_KEEP_ME = '1';
  const env = (installerEnv as (extra?: Record<string, string>) => Record<string, string>)({ npm_config_nodedir: '/opt/node24' });
  const npmKeys = Object.keys(env).filter((k) => /^npm_/i.test(k)).sort();
  for (const key of ['npm_config_registry', 'npm_config_https_proxy', 'npm_config_cafile', 'npm_config_nodedir']) {
    assert.ok(npmKeys.includes(key), `${key} is kept: how to reach the registry, or an explicit addition`);
  }
  for (const key of ['npm_config_allow_scripts', 'npm_config_local_prefix', 'npm_node_execpath', 'npm_lifecycle_event']) {
    assert.ok(!npmKeys.includes(key), `${key} is dropped: it belongs to the outer npm's run`);
  }
  assert.equal(env.npm_config_registry, 'https://mirror.example/npm/');
  assert.equal(env.INIT_CWD, undefined);
  assert.equal(env.NODE_OPTIONS, '--max-old-space-size=4096');
  assert.equal(env.SPANLIGHT_KEEP_ME, '1');
  assert.equal(env.PATH, process.env.PATH);

  process.env.NODE_OPTIONS = '--import=tsx';
  assert.equal('NODE_OPTIONS' in (installerEnv as () => Record<string, string>)(), false, 'nothing left: no empty NODE_OPTIONS');
});

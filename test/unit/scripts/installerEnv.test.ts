// The code-server installer runs npm from inside `npm test` and `npm start`. On a fresh machine the outer
// npm's exported config (an empty npm_config_allow_scripts made the inner npm run code-server's install
// script at once, on Node 20) and the test runner's `--import tsx` (unresolvable in the staging dir) broke
// the install; the installers must get neither.
import assert from 'node:assert/strict';
import { test } from 'node:test';
// @ts-expect-error: a plain .mjs script without type declarations
import { installerEnv } from '../../../scripts/vscode/ensureCodeServer.mjs';

test('installers get the environment without npm_* and without the tsx loader, plus their own additions', (t) => {
  const saved = { ...process.env };
  t.after(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });
  process.env.npm_config_allow_scripts = '';
  process.env.npm_node_execpath = '/usr/bin/node';
  process.env.INIT_CWD = '/work/main';
  process.env.NODE_OPTIONS = '--max-old-space-size=4096 --import tsx';
  process.env.SPANLIGHT_KEEP_ME = '1';
  const env = (installerEnv as (extra?: Record<string, string>) => Record<string, string>)({ npm_config_nodedir: '/opt/node24' });
  assert.equal(Object.keys(env).filter((k) => /^npm_/i.test(k)).join(), 'npm_config_nodedir', 'only the explicit addition');
  assert.equal(env.INIT_CWD, undefined);
  assert.equal(env.NODE_OPTIONS, '--max-old-space-size=4096');
  assert.equal(env.SPANLIGHT_KEEP_ME, '1');
  assert.equal(env.PATH, process.env.PATH);

  process.env.NODE_OPTIONS = '--import=tsx';
  assert.equal('NODE_OPTIONS' in (installerEnv as () => Record<string, string>)(), false, 'nothing left: no empty NODE_OPTIONS');
});

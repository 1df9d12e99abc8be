// Runs every test file under the given folders (default: test/unit) with Node's test runner,
// prints the spec report and ends with a counted "N passed, N failed" line.
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const roots = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const only = process.argv.find((a) => a.startsWith('--grep='))?.slice('--grep='.length);

function findTests(dir) {
  if (!statSync(dir).isDirectory()) return [dir];
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const isE2e = (f) => f.split(/[\\/]/).includes('e2e');
let files = (roots.length ? roots : ['test/unit']).flatMap(findTests).sort();
/** Failures of set-up steps, counted with the tests' so the summary line cannot hide them. */
let setupFailures = 0;

// On a fresh machine the end-to-end files would each install code-server (apt packages, Node 24,
// npm) at once, in parallel: the second apt-get fails on the first one's lock. Install once, here,
// before any starts; each then finds the cache. Done before NODE_OPTIONS gets tsx (installers must
// not inherit it). If it fails, the other tests still run and the install counts as one failure.
if (files.some(isE2e)) {
  const ensure = join(dirname(fileURLToPath(import.meta.url)), 'vscode', 'ensureCodeServer.mjs');
  const ensured = spawnSync(process.execPath, [ensure], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (ensured.status !== 0) {
    console.log('✖ installing code-server failed (see the lines above): the end-to-end tests are not run');
    files = files.filter((f) => !isE2e(f));
    setupFailures++;
  }
}
const e2e = files.some(isE2e);

// Node 20's run() has no execArgv option: test files inherit the TypeScript loader through NODE_OPTIONS.
process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import tsx`.trim();

// End-to-end files package the extension, each in its own process and in parallel. One build here,
// before any of them starts: a build inside each would rewrite dist/ while another packages it
// (vsce then fails with "file data stream has unexpected number of bytes").
if (e2e && process.env.SPANLIGHT_BUILT !== '1') {
  const built = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (built.status !== 0) {
    console.log('\n0 passed, 1 failed (npm run build)');
    process.exit(1);
  }
  process.env.SPANLIGHT_BUILT = '1';
}
let passed = 0;
let failed = 0;
const stream = run({
  files,
  concurrency: Number(process.env.TEST_CONCURRENCY ?? 2),
  testNamePatterns: only ? [only] : undefined,
});
stream.on('test:pass', (e) => { if (e.details?.type !== 'suite') passed++; });
stream.on('test:fail', (e) => { if (e.details?.type !== 'suite') failed++; });
stream.compose(spec).pipe(process.stdout);
stream.on('end', () => {
  failed += setupFailures;
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
});

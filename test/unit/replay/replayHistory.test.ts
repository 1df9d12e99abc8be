// The replay history file: a call's last request and latest runs kept across restarts and windows,
// bounded, and a damaged file set aside rather than failing a replay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPLAY_VARIANTS_KEPT, type ReplayDraft, type ReplayRun } from '../../../src/protocol/replay';
import { MAX_CALLS, MAX_RUNS, ReplayHistory } from '../../../src/replay/replayHistory';

const draft = (content: string): ReplayDraft => ({ baseUrl: 'http://127.0.0.1:8787/v1', model: 'gpt-4o-mini', messages: [{ role: 'user', content }], params: { temperature: 0 }, tools: '' });
const run = (id: number): ReplayRun => ({ id, model: 'gpt-4o-mini', outcome: { ok: true, messages: [{ role: 'assistant', content: `answer ${id}` }], usage: { inputTokens: 3 }, latencyMs: 12 } });
const failed = (id: number): ReplayRun => ({ id, model: 'fail-500', outcome: { ok: false, error: 'answered 500', latencyMs: 4 } });

function fresh(): string {
  return join(mkdtempSync(join(tmpdir(), 'spanlight-replays-')), 'nested', 'replays.json');
}

test('a call\'s last request and its runs are kept, and read back by another instance (a restart, another window)', async () => {
  const file = fresh();
  const errors: Error[] = [];
  const first = await ReplayHistory.open(file, (e) => errors.push(e));
  await first.record('t/1', draft('first try'), run(1));
  await first.record('t/1', draft('second try'), failed(2));
  await first.record('t/2', draft('another call'), run(1));
  const second = await ReplayHistory.open(file, (e) => errors.push(e));
  const kept = await second.get('t/1');
  assert.deepEqual(kept?.draft, draft('second try'));
  assert.deepEqual(kept?.runs, [run(1), failed(2)]);
  assert.equal(await second.get('t/3'), undefined);
  // What the other instance wrote meanwhile is read before each change, not overwritten.
  await second.record('t/3', draft('from the second window'), run(1));
  await first.record('t/1', draft('third try'), run(3));
  const third = await ReplayHistory.open(file, (e) => errors.push(e));
  assert.ok(await third.get('t/3'));
  assert.equal((await third.get('t/1'))?.runs.length, 3);
  assert.deepEqual(errors, []);
});

test('bounded: the latest runs per call, the calls replayed most recently', async () => {
  const history = await ReplayHistory.open(fresh(), () => undefined);
  for (let i = 1; i <= MAX_RUNS + 3; i++) await history.record('t/1', draft(`try ${i}`), run(i));
  assert.deepEqual((await history.get('t/1'))?.runs.map((r) => r.id), Array.from({ length: MAX_RUNS }, (_, i) => i + 4));
  for (let c = 0; c < MAX_CALLS; c++) await history.record(`t/c${c}`, draft('x'), run(1));
  assert.equal(await history.get('t/1'), undefined, 'the call replayed longest ago is dropped');
  assert.ok(await history.get(`t/c${MAX_CALLS - 1}`));
});

test('a damaged file is set aside with a message, and entries that are not replays are left out', async () => {
  const file = fresh();
  const errors: Error[] = [];
  const history = await ReplayHistory.open(file, (e) => errors.push(e));
  await history.record('t/1', draft('kept'), run(1));
  const data = JSON.parse(readFileSync(file, 'utf8')) as { calls: unknown[] };
  data.calls.push({ key: 't/2', draft: { model: 7 }, runs: [] }, 'junk');
  writeFileSync(file, JSON.stringify(data));
  assert.ok(await history.get('t/1'));
  assert.equal(await history.get('t/2'), undefined);

  writeFileSync(file, '{"calls": [');
  assert.equal(await history.get('t/1'), undefined);
  assert.equal(errors.length, 1);
  assert.match(errors[0].message, /could not read the replay history .*moved to .*corrupt-/);
  assert.ok(readdirSync(join(file, '..')).some((name) => name.startsWith('replays.json.corrupt-')));
  // And replays are kept again from there.
  await history.record('t/1', draft('after'), run(2));
  assert.deepEqual((await history.get('t/1'))?.runs, [run(2)]);
});

test('variants: saved by name per call, replaced under the same name, deleted, read back by another instance, never evicted with the runs', async () => {
  const file = fresh();
  const errors: Error[] = [];
  const history = await ReplayHistory.open(file, (e) => errors.push(e));
  await history.record('t/1', draft('last sent'), run(1));
  assert.deepEqual(await history.saveVariant('t/1', 'brief', draft('Be brief.')), { replaced: false });
  assert.deepEqual(await history.saveVariant('t/1', 'with examples', draft('Example: …')), { replaced: false });
  await history.saveVariant('t/2', 'brief', draft('another call\'s'));
  assert.deepEqual(await history.saveVariant('t/1', 'brief', draft('Be very brief.')), { replaced: true });
  const other = await ReplayHistory.open(file, (e) => errors.push(e));
  const variants = await other.variants('t/1');
  assert.deepEqual(variants.map((v) => [v.name, v.draft.messages[0].content]), [['brief', 'Be very brief.'], ['with examples', 'Example: …']]);
  // Recording runs keeps them, however many calls go by.
  for (let c = 0; c < MAX_CALLS + 1; c++) await other.record(`t/c${c}`, draft('x'), run(1));
  assert.equal(await history.get('t/1'), undefined);
  assert.equal((await history.variants('t/1')).length, 2);
  await history.deleteVariant('t/1', 'brief');
  assert.deepEqual((await other.variants('t/1')).map((v) => v.name), ['with examples']);
  assert.deepEqual((await other.variants('t/2')).map((v) => v.name), ['brief']);
  assert.deepEqual(errors, []);
});

test('variants: a call keeps a bounded number, the one past it refused with what to do; damaged ones are left out', async () => {
  const file = fresh();
  const history = await ReplayHistory.open(file, () => undefined);
  for (let i = 1; i <= REPLAY_VARIANTS_KEPT; i++) await history.saveVariant('t/1', `v${i}`, draft(`try ${i}`));
  await assert.rejects(history.saveVariant('t/1', 'one more', draft('x')), /has 20 saved variants, as many as are kept: delete one first/);
  // Saving over one is not one more; another call has its own.
  assert.deepEqual(await history.saveVariant('t/1', 'v3', draft('again')), { replaced: true });
  await history.saveVariant('t/2', 'first', draft('y'));
  assert.equal((await history.variants('t/1')).length, REPLAY_VARIANTS_KEPT);
  const data = JSON.parse(readFileSync(file, 'utf8')) as { variants: unknown[] };
  data.variants.push({ key: 't/1', name: '', draft: draft('no name') }, { key: 't/1', name: 'bad', draft: { model: 1 } }, 'junk');
  writeFileSync(file, JSON.stringify(data));
  assert.equal((await history.variants('t/1')).length, REPLAY_VARIANTS_KEPT);
});

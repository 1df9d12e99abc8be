import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gcByRole, summarizeGcTrace } from '../../../bench/gcSummary';

// Two receivers (an A/B run) with their workers, lines interleaved as they are in a log, plus noise.
const LOG = [
  '[100:0xaaa]       69 ms: pause=0.7 mutator=65.4 gc=s scavenge=0.56 background.scavenge.parallel=0.39 allocated=6809656 promoted=1439688',
  '[200:0xbbb]       70 ms: pause=0.5 mutator=60.0 gc=s background.scavenge.parallel=0.11 allocated=1000000 promoted=0',
  'spanlight 0.1.0: OTLP/HTTP and JSON API on http://127.0.0.1:4318',
  '[100:0x7f01]     1157 ms: pause=0.8 mutator=20.0 gc=s background.scavenge.parallel=0.20 allocated=23000000 promoted=100000',
  '[100:0xaaa]     1406 ms: pause=9.5 mutator=30.0 gc=mc mark=3.8 background.mark=67.1 allocated=2000000 promoted=12000000',
  // Node 24 numbers the isolates of a process, the main thread's 0: this worker's line comes first.
  '[300:0x7f03:1]     1200 ms: pause=1.0 mutator=10.0 gc=s allocated=20000000 promoted=0',
  '[300:0x300a:0]     1300 ms: pause=2.0 mutator=10.0 gc=mc background.mark=5.0 allocated=1000000 promoted=0',
  '[200:0x7f02]     1500 ms: pause=1.0 mutator=10.0 gc=s allocated=20000000 promoted=0',
  '[100:0xaaa]     1450 ms: Scavenge 38.9 (63.1) -> 33.0 (64.8) MB, 6.95 / 0.00 ms  (average mu = 0.958) external memory pressure;',
].join('\n');

test("the GC trace is summed per isolate; the main thread's is the one numbered 0, or else each process's first", () => {
  const rows = gcByRole(summarizeGcTrace(LOG));
  assert.deepEqual(rows.map((r) => [r.key, r.role]), [
    ['100:0xaaa', 'main'],
    ['200:0xbbb', 'main'],
    ['100:0x7f01', 'worker'],
    ['300:0x7f03', 'worker'],
    ['300:0x300a', 'main'],
    ['200:0x7f02', 'worker'],
  ]);
  assert.equal(rows[4].gc.markCompacts, 1);
  const main = rows[0].gc;
  assert.equal(main.scavenges, 1);
  assert.equal(main.markCompacts, 1);
  assert.ok(Math.abs(main.pauseMs - 10.2) < 1e-9);
  assert.ok(Math.abs(main.backgroundMarkMs - 67.1) < 1e-9);
  assert.ok(Math.abs(main.backgroundScavengeMs - 0.39) < 1e-9);
  assert.ok(Math.abs(main.promotedMb - 13.439688) < 1e-9);
  assert.equal(rows[5].gc.scavenges, 1);
  assert.equal(rows[5].gc.backgroundScavengeMs, 0);
});

// Where the receiver's garbage collection time goes, per process and isolate (its main thread, then the
// index worker), from V8's --trace-gc-nvp lines. On two cores the GC's background threads take CPU from
// the worker and the sender, and no JS profile shows them: this is how the main isolate's concurrent
// marking (the bulk of its GC) and the worker's scavenges were told apart.
//   node --import tsx bench/ingest.ts --node-arg=--trace-gc-nvp 2> gc.log
//   node --import tsx bench/gcSummary.ts gc.log
// The figures cover the receiver's whole run (warm-up and the growth points included), so compare runs of
// the same length, not these totals with the per-request figures of bench/ingest.ts. bench/ingest.ts
// itself runs the receiver with --trace-gc-nvp and prints the main isolate's and the worker's totals.
import { readFileSync } from 'node:fs';

interface IsolateGc {
  scavenges: number;
  markCompacts: number;
  /** Main-thread pauses, ms. */
  pauseMs: number;
  /** On V8's helper threads, ms: parallel scavenging and concurrent marking. */
  backgroundScavengeMs: number;
  backgroundMarkMs: number;
  allocatedMb: number;
  promotedMb: number;
  /** Its number in its process, where the trace says it (Node 24): 0 is the main thread's isolate. */
  isolateNumber?: number;
}

// `[pid:isolate]   1234 ms: pause=0.7 mutator=65.4 gc=s …` (gc=s: scavenge, gc=mc: mark-compact);
// Node 24's V8 adds a third part, the isolate's number in its process: `[pid:isolate:0]` is the main
// thread's, the workers' count up from 1.
const LINE = /^\[(\d+):(0x[0-9a-f]+)(?::(\d+))?\]\s+[\d.]+ ms: (.*\bgc=.*)$/;

export function summarizeGcTrace(text: string): Map<string, IsolateGc> {
  const isolates = new Map<string, IsolateGc>();
  for (const line of text.split('\n')) {
    const match = LINE.exec(line);
    if (!match) continue;
    const fields = new Map(match[4].split(' ').map((pair) => pair.split('=') as [string, string]));
    const num = (name: string) => Number(fields.get(name) ?? 0) || 0;
    const key = `${match[1]}:${match[2]}`;
    let gc = isolates.get(key);
    if (!gc) {
      gc = { scavenges: 0, markCompacts: 0, pauseMs: 0, backgroundScavengeMs: 0, backgroundMarkMs: 0, allocatedMb: 0, promotedMb: 0 };
      if (match[3] !== undefined) gc.isolateNumber = Number(match[3]);
      isolates.set(key, gc);
    }
    if (fields.get('gc') === 's') gc.scavenges++;
    else if (fields.get('gc') === 'mc') gc.markCompacts++;
    gc.pauseMs += num('pause');
    gc.backgroundScavengeMs += num('background.scavenge.parallel');
    gc.backgroundMarkMs += num('background.mark');
    gc.allocatedMb += num('allocated') / 1e6;
    gc.promotedMb += num('promoted') / 1e6;
  }
  return isolates;
}

/**
 * Each isolate with its role: the one numbered 0 where the trace numbers them, otherwise a process's
 * first isolate is its main thread (it collects during start-up, before any worker exists).
 */
export function gcByRole(isolates: Map<string, IsolateGc>): Array<{ key: string; role: 'main' | 'worker'; gc: IsolateGc }> {
  const pids = new Set<string>();
  return [...isolates].map(([key, gc]) => {
    const pid = key.split(':')[0];
    const first = !pids.has(pid);
    pids.add(pid);
    const role = gc.isolateNumber !== undefined ? (gc.isolateNumber === 0 ? 'main' : 'worker') : first ? 'main' : 'worker';
    return { key, role, gc };
  });
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node --import tsx bench/gcSummary.ts <log of a receiver run with --trace-gc-nvp>');
    process.exit(2);
  }
  const isolates = summarizeGcTrace(readFileSync(file, 'utf8'));
  if (isolates.size === 0) console.log('no --trace-gc-nvp lines in', file);
  for (const { key, role, gc } of gcByRole(isolates)) {
    console.log(
      `${key} ${role.padEnd(6)} scavenges ${gc.scavenges} · mark-compacts ${gc.markCompacts} · pauses ${gc.pauseMs.toFixed(0)} ms · ` +
        `background: scavenging ${gc.backgroundScavengeMs.toFixed(0)} ms, marking ${gc.backgroundMarkMs.toFixed(0)} ms · ` +
        `allocated ${gc.allocatedMb.toFixed(0)} MB, promoted ${gc.promotedMb.toFixed(0)} MB`,
    );
  }
}

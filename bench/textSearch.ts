// Search of all stored text (TraceStore.searchText): how long "Search All Trace Text" takes over a full
// store, against the physical limit of the job: reading the same segment files (from the OS's cache),
// which any search of every record must do.
//   node --import tsx bench/textSearch.ts [--spans 100000] [--rounds 5]
// The store is filled with the ingest benchmark's spans (agent traces, 2–8 KB of messages per model call)
// through the real pipeline, so the records are binary OTLP as received. Searches:
// - a word no span holds: every record read, none read back (the common case of a specific phrase);
// - a name every agent run holds: stops at the first 200 matches, newest first;
// - "Größe" spelled "GRÖSSE" and "straße" spelled "STRASSE": found through the ß spellings;
// - "Ünï" (short runs of ASCII between cased non-ASCII letters: no byte test is sure): every span read
//   back and matched, the worst case.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IngestPipeline } from '../src/ingest/ingestPipeline';
import { SpanNormalizer } from '../src/ingest/normalizeSpan';
import { TraceStore } from '../src/store';
import { buildRequest, SPANS_PER_REQUEST } from './ingestPayloads';

const argValue = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const SPANS = argValue('--spans', 100_000);
const ROUNDS = argValue('--rounds', 5);

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'spanlight-textsearch-'));
  try {
    const normalizer = new SpanNormalizer();
    const options = { dir, maxSpans: SPANS * 2, maxBytes: 8 * 1024 ** 3, deriveSpan: normalizer.normalize };
    let store = await TraceStore.open(options);
    const pipeline = new IngestPipeline(store, normalizer);
    for (let i = 0; i * SPANS_PER_REQUEST < SPANS; i++) await pipeline.acceptTracesProtobuf(buildRequest(i));
    await store.flush();
    await store.close();
    // Reopened: nothing of it in the record cache, as after a restart (the files are in the OS's cache).
    store = await TraceStore.open(options);
    const segments = join(dir, 'segments');
    const files = readdirSync(segments).filter((f) => f.endsWith('.ndjson')).map((f) => join(segments, f));
    const storedMB = files.reduce((n, f) => n + readFileSync(f).length, 0) / 1024 ** 2;
    console.log(`Store: ${store.stats().spans.toLocaleString('en-US')} spans in ${store.stats().traces.toLocaleString('en-US')} traces, ${storedMB.toFixed(0)} MB of records`);

    // The limit: the same files read, nothing else.
    const floor: number[] = [];
    let read = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const start = performance.now();
      for (const file of files) read += readFileSync(file).length;
      floor.push(performance.now() - start);
    }
    const floorMs = median(floor);
    console.log(`Limit (read the segment files): ${floorMs.toFixed(0)} ms, ${(storedMB / (floorMs / 1000)).toFixed(0)} MB/s (${(read / ROUNDS / 1024 ** 2).toFixed(0)} MB a round)`);
    console.log('');
    console.log('  search                                    ms (median)   spans read   matches   MB/s   limit ÷ search');
    const cases: [string, string][] = [
      ['a word no span holds', 'zanzibar'],
      ['a name every agent run holds (first 200)', 'support-agent'],
      ['ß spellings ("GRÖSSE")', 'GRÖSSE'],
      ['no byte test ("Ünï"): every span read back', 'Ünï'],
    ];
    for (const [label, typed] of cases) {
      const times: number[] = [];
      let last = await store.searchText(typed);
      for (let r = 0; r < ROUNDS; r++) {
        const start = performance.now();
        last = await store.searchText(typed);
        times.push(performance.now() - start);
      }
      const ms = median(times);
      const readMB = storedMB * (last.scannedSpans / last.totalSpans);
      const ratio = ms > 0 ? (floorMs * (last.scannedSpans / last.totalSpans)) / ms : 0;
      console.log(
        `  ${label.padEnd(42)}${ms.toFixed(0).padStart(13)}${last.scannedSpans.toLocaleString('en-US').padStart(13)}${String(last.matches.length).padStart(10)}${(readMB / (ms / 1000)).toFixed(0).padStart(7)}${ratio.toFixed(2).padStart(11)}`,
      );
    }
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();

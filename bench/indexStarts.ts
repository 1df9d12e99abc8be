// How steady the index worker's speed is from one start of the process to the next: V8 decides early in
// a process's life, from what survives its first young-generation collections, whether objects from an
// allocation site go straight to the old generation. A walk that kept a whole export's previews alive
// until it ended made that call come out wrong in about one start out of two, and the worker then ran
// at two thirds of its speed for good (bench/ingest.ts, measuring one process, could not tell). This
// starts fresh processes, each running the worker's job (indexPreviews) on the benchmark's exports.
//   node --import tsx bench/indexStarts.ts [--starts 8] [--seconds 1.5]
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { indexPreviews } from '../src/ingest/indexTraces';
import { buildRequest, SPANS_PER_REQUEST } from './ingestPayloads';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? Number(argv[at + 1]) : fallback;
};

function child(seconds: number): void {
  const payloads = Array.from({ length: 8 }, (_, i) => buildRequest(i));
  const start = performance.now();
  let requests = 0;
  while (performance.now() - start < seconds * 1000) {
    for (const payload of payloads) indexPreviews(payload, {});
    requests += payloads.length;
  }
  const spansPerS = (requests * SPANS_PER_REQUEST) / ((performance.now() - start) / 1000);
  process.stdout.write(JSON.stringify({ spansPerS }));
}

function parent(starts: number, seconds: number): void {
  console.log(`Index worker speed over ${starts} fresh starts, ${seconds} s each — ${cpus().length} cores, node ${process.version}`);
  const speeds: number[] = [];
  for (let i = 0; i < starts; i++) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', __filename, '--child', '--seconds', String(seconds)], { encoding: 'utf8' });
    const { spansPerS } = JSON.parse(out) as { spansPerS: number };
    speeds.push(spansPerS);
    console.log(`  start ${i + 1}: ${Math.round(spansPerS).toLocaleString('en-US')} spans/s`);
  }
  const sorted = [...speeds].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(`median ${Math.round(median).toLocaleString('en-US')} spans/s; slowest start ÷ median ${(sorted[0] / median).toFixed(2)}, fastest ÷ median ${(sorted[sorted.length - 1] / median).toFixed(2)}`);
}

if (argv.includes('--child')) child(option('seconds', 1.5));
else parent(option('starts', 8), option('seconds', 1.5));

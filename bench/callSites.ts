// What the editor's call-site lenses cost the extension host (views/callSiteLenses.ts), for the window
// they count (the latest 200 traces): grouping the spans of those traces by site and computing each
// site's stats, done after every batch of changes, and placing a prompt site's lens in an open file as
// it is now, done on every render of that file's lenses. The traces are the ingest benchmark's agent
// traces (bench/ingestPayloads.ts: 8 spans, 2–3 chat calls with 2–8 KB of messages each), normalized
// as the store reads them. Reading the traces from the store is not included (bench/store.ts measures it).
//   node --import tsx bench/callSites.ts [--rounds 9]
import { parseArgs } from 'node:util';
import { normalizeSpan } from '../src/ingest/normalizeSpan';
import { decodeTracesProtobuf } from '../src/otlp';
import type { Span } from '../src/protocol/model';
import { CallSiteSamples, siteTitle, statsOf } from '../src/source/callSites';
import { locatePrompt } from '../src/source/promptLocator';
import { buildRequest, SPANS_PER_TRACE } from './ingestPayloads';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '9' } } });
const ROUNDS = Number(values.rounds);
const WINDOW = 200;

const spans: Span[] = [];
for (let request = 0; spans.length < WINDOW * SPANS_PER_TRACE; request++) {
  for (const raw of decodeTracesProtobuf(buildRequest(request)).spans) spans.push(normalizeSpan(raw, []));
}
// A request's spans are grouped by scope, not by trace: whole traces are gathered, then the first WINDOW kept.
const byTrace = new Map<string, Span[]>();
for (const span of spans) byTrace.set(span.traceId, [...(byTrace.get(span.traceId) ?? []), span]);
const traces = new Map([...byTrace].slice(0, WINDOW));

// A source file of 2,000 lines with one of the traces' system prompts written as a literal at line 1,500.
const chat = spans.find((s) => s.llm?.inputMessages.some((m) => m.role === 'system'));
const systemPrompt = chat?.llm?.inputMessages.find((m) => m.role === 'system')?.content;
if (typeof systemPrompt !== 'string') throw new Error('no system prompt in the payload');
const lines = Array.from({ length: 2000 }, (_, i) => `  const value${i} = compute(${i}, 'step ${i} of the pipeline'); // line ${i + 1}`);
lines[1499] = `  const SYSTEM = ${JSON.stringify(systemPrompt.slice(0, 400))};`;
const file = { path: 'src/agent.ts', text: lines.join('\n') };

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const timed = (run: () => void): number => {
  const t0 = performance.now();
  run();
  return performance.now() - t0;
};

const grouping: number[] = [];
const placing: number[] = [];
let sites = 0;
let title = '';
let line = 0;
for (let round = 0; round <= ROUNDS; round++) {
  const samples = new CallSiteSamples();
  const groupMs = timed(() => {
    for (const [traceId, traceSpans] of traces) samples.setTrace(traceId, traceSpans);
    const groups = [...samples.groups().values()];
    sites = groups.length;
    for (const group of groups) title = siteTitle(statsOf(group.samples));
  });
  const chatSite = [...samples.groups().values()].find((g) => g.samples.some((s) => s.spanId === chat?.spanId));
  if (!chatSite) throw new Error('the chat call has no site');
  const placeMs = timed(() => {
    const located = locatePrompt(chatSite.site.kind === 'prompt' ? chatSite.site.needles : [], [file]);
    line = located.kind === 'found' ? located.match.location.line : -1;
  });
  if (round === 0) continue; // warm-up
  grouping.push(groupMs);
  placing.push(placeMs);
}

console.log(`Call-site lenses — ${traces.size} traces, ${[...traces.values()].reduce((n, t) => n + t.length, 0)} spans (the lens window), ${ROUNDS} rounds`);
console.log(`  sites: ${sites} (e.g. "${title}")`);
console.log(`  group by site + stats of every site: ${median(grouping).toFixed(2)} ms median (after each batch of changes)`);
console.log(`  place a prompt site in a 2,000-line file: ${median(placing).toFixed(2)} ms median, found at line ${line} (each render of its lenses)`);

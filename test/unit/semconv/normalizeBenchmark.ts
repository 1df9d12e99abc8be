// Micro-benchmark of the dispatcher, run by hand (not part of the test suite):
//   node --import tsx test/unit/semconv/normalizeBenchmark.ts
// Targets on a 2-core machine: ≥ 200k non-LLM spans/s, ≥ 50k LLM spans/s with ~4 KB of messages.
import { normalizeLlmCall } from '../../../src/semconv';
import type { RawLogRecord, RawSpan } from '../../../src/otlp/types';
import type { Attributes } from '../../../src/protocol/model';
import { logRecord, rawSpan } from './spanBuilder';

const VARIANTS = 512;
const words = 'the order shipped yesterday and should arrive within three business days please keep the receipt'.split(' ');
function text(chars: number, seed: number): string {
  let out = '';
  for (let i = seed; out.length < chars; i++) out += `${words[i % words.length]} `;
  return out.slice(0, chars);
}

function httpSpan(i: number): RawSpan {
  return rawSpan(
    {
      'http.request.method': 'GET',
      'url.full': `https://shop.example.com/orders/${i}`,
      'url.path': `/orders/${i}`,
      'server.address': 'shop.example.com',
      'server.port': 443,
      'http.response.status_code': 200,
      'network.protocol.version': '1.1',
      'user_agent.original': 'node',
      'http.route': '/orders/:id',
      'code.function': 'getOrder',
    },
    { name: 'GET /orders/:id' },
  );
}

/** Decoded OTLP attributes do not share one hidden class: 24 keys in varying order, dictionary-mode objects. */
function varyingSpan(i: number): RawSpan {
  const entries: [string, string | number][] = [];
  const names = ['http.request.method', 'url.full', 'url.path', 'server.address', 'server.port', 'http.response.status_code',
    'network.protocol.version', 'user_agent.original', 'http.route', 'code.function', 'code.filepath', 'code.lineno',
    'db.system', 'db.statement', 'messaging.system', 'rpc.method', 'thread.id', 'thread.name', 'service.component',
    'otel.scope.name', 'error.type', 'exception.type', 'peer.service', 'net.host.name'];
  for (let k = 0; k < names.length; k++) entries.push([names[(k * 7 + i) % names.length] + (k % 3 === 0 ? `.${i % 5}` : ''), k]);
  const attributes: Attributes = Object.fromEntries(entries);
  attributes['tmp'] = 1;
  delete attributes['tmp'];
  return rawSpan(attributes, { name: 'varying' });
}

/** ~4 KB of conversation as a JSON string, as Traceloop 0.27 / Logfire record it. */
function genAiSpan(i: number): RawSpan {
  const messages = [
    { role: 'system', parts: [{ type: 'text', content: text(900, i) }] },
    { role: 'user', parts: [{ type: 'text', content: text(1200, i + 1) }] },
    { role: 'assistant', parts: [{ type: 'tool_call', id: `call_${i}`, name: 'lookup_order', arguments: { order_id: i } }] },
    { role: 'tool', parts: [{ type: 'tool_call_response', id: `call_${i}`, response: text(800, i + 2) }] },
  ];
  return rawSpan({
    'gen_ai.provider.name': 'openai',
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.request.temperature': 0.2,
    'gen_ai.input.messages': JSON.stringify(messages),
    'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', finish_reason: 'stop', parts: [{ type: 'text', content: text(600, i + 3) }] }]),
    'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
    'gen_ai.usage.input_tokens': 900,
    'gen_ai.usage.output_tokens': 120,
    'gen_ai.response.finish_reasons': ['stop'],
    'server.address': 'api.openai.com',
    'server.port': 443,
  });
}

/** ~4 KB spread over OpenInference's flattened attributes. */
function openInferenceSpan(i: number): RawSpan {
  const a: Attributes = {
    'openinference.span.kind': 'LLM',
    'llm.model_name': 'gpt-4o-mini-2024-07-18',
    'llm.invocation_parameters': '{"model":"gpt-4o-mini","temperature":0.2}',
    'llm.system': 'openai',
    'llm.provider': 'openai',
    'llm.token_count.prompt': 900,
    'llm.token_count.completion': 120,
    'llm.token_count.total': 1020,
  };
  for (let m = 0; m < 6; m++) {
    a[`llm.input_messages.${m}.message.role`] = m % 2 ? 'assistant' : 'user';
    a[`llm.input_messages.${m}.message.content`] = text(550, i + m);
  }
  a['llm.output_messages.0.message.role'] = 'assistant';
  a['llm.output_messages.0.message.content'] = text(600, i);
  return rawSpan(a);
}

/** Metadata-only span + its message log records (instrumentation-openai 0.21.0), ~4 KB of content. */
function genAiWithLogs(i: number): [RawSpan, RawLogRecord[]] {
  const span = rawSpan({ 'gen_ai.operation.name': 'chat', 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 900 });
  const logs = [
    logRecord('gen_ai.system.message', { content: text(900, i) }),
    logRecord('gen_ai.user.message', { content: text(1500, i + 1) }),
    logRecord('gen_ai.choice', { index: 0, finish_reason: 'stop', message: { content: text(1500, i + 2) } }),
  ];
  return [span, logs];
}

function measure(label: string, run: (i: number) => void, seconds = 1.5): number {
  for (let i = 0; i < 20_000; i++) run(i); // warm-up
  let n = 0;
  const start = performance.now();
  const budget = seconds * 1000;
  while (performance.now() - start < budget) {
    for (let k = 0; k < 1000; k++) run(n++);
  }
  const perSecond = Math.round(n / ((performance.now() - start) / 1000));
  console.log(`${label.padEnd(44)} ${perSecond.toLocaleString('en-US').padStart(12)} spans/s`);
  return perSecond;
}

const http = Array.from({ length: VARIANTS }, (_, i) => httpSpan(i));
const varying = Array.from({ length: VARIANTS }, (_, i) => varyingSpan(i));
const genai = Array.from({ length: VARIANTS }, (_, i) => genAiSpan(i));
const oi = Array.from({ length: VARIANTS }, (_, i) => openInferenceSpan(i));
const withLogs = Array.from({ length: VARIANTS }, (_, i) => genAiWithLogs(i));
console.log(`message payload: gen_ai ≈ ${(genai[0].attributes['gen_ai.input.messages'] as string).length + (genai[0].attributes['gen_ai.output.messages'] as string).length} chars`);

let sink = 0;
measure('non-LLM HTTP span', (i) => { if (normalizeLlmCall(http[i % VARIANTS]) === undefined) sink++; });
measure('non-LLM span, 24 keys, varying shapes', (i) => { if (normalizeLlmCall(varying[i % VARIANTS]) === undefined) sink++; });
measure('non-LLM HTTP span + unrelated log record', (i) => { if (normalizeLlmCall(http[i % VARIANTS], [withLogs[0][1][0]].map((r) => ({ ...r, attributes: {} }))) === undefined) sink++; });
measure('gen_ai JSON messages (~4 KB)', (i) => { sink += normalizeLlmCall(genai[i % VARIANTS])?.inputMessages.length ?? 0; });
measure('OpenInference flattened messages (~4 KB)', (i) => { sink += normalizeLlmCall(oi[i % VARIANTS])?.inputMessages.length ?? 0; });
measure('gen_ai metadata + 3 log records (~4 KB)', (i) => { const [s, l] = withLogs[i % VARIANTS]; sink += normalizeLlmCall(s, l)?.inputMessages.length ?? 0; });
console.log(`(sink ${sink})`);

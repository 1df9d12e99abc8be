// Realistic OTLP export requests for bench/ingest.ts: agent traces of 8 spans as an OTel-instrumented
// Node app sends them (BatchSpanProcessor: 512 spans per request), encoded with the receiver's own
// protobufjs types. Deterministic: request N is the same bytes in every process and every run, and its
// trace/span ids are unique (drawn from a generator seeded with N).
import { createHash } from 'node:crypto';
import { otlpTypes } from '../src/otlp';

export const SPANS_PER_REQUEST = 512;
export const SPANS_PER_TRACE = 8;

/** mulberry32: tiny, fast and good enough to vary text and ids. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A few hundred distinct words, some non-ASCII (French, German, CJK, emoji) so UTF-8 decoding is exercised.
const WORDS = (
  'the a an order refund customer shipping policy invoice weather tool agent answer question context retrieved ' +
  'document summary city price delay account please thanks need help with my last package arrived damaged box ' +
  'return label warehouse carrier tracking number status update estimated delivery window business days premium ' +
  'subscription plan upgrade downgrade cancel renewal charge credit card declined payment method billing address ' +
  'you are a helpful support assistant for acme store answer concisely cite the policy section when relevant never ' +
  'invent order numbers if unsure ask clarifying question use tools to look up orders and search documentation ' +
  'function call result json object field value error timeout retry succeeded failed pending processing shipped ' +
  'delivered returned exchanged warranty coverage months years receipt proof purchase store credit gift card balance ' +
  'café résumé naïve Größe Straße 配送 注文 返品 ありがとう 🙂 📦 ✅ — “quoted” ‘text’ ' +
  'step first second third finally however therefore because although while since until unless'
).split(' ');

export function prose(random: () => number, chars: number): string {
  const parts: string[] = [];
  let length = 0;
  let sentence = 0;
  while (length < chars) {
    let word = WORDS[Math.floor(random() * WORDS.length)];
    if (sentence === 0) word = word.charAt(0).toUpperCase() + word.slice(1);
    sentence++;
    const r = random();
    // Punctuation, quotes and newlines: JSON-escaped characters in the message attributes, as in real prompts.
    const tail = sentence > 8 && r < 0.15 ? (r < 0.02 ? '.\n\n' : r < 0.04 ? '?\n' : '. ') : r < 0.02 ? ', "' : ' ';
    if (tail !== ' ') sentence = 0;
    parts.push(word + tail);
    length += word.length + tail.length;
  }
  return parts.join('').slice(0, chars);
}

type AnyValue =
  | { stringValue: string }
  | { intValue: number }
  | { doubleValue: number }
  | { boolValue: boolean }
  | { arrayValue: { values: AnyValue[] } };
interface KeyValue { key: string; value: AnyValue }
type AttrInput = string | number | boolean | string[];

function attrs(record: Record<string, AttrInput>): KeyValue[] {
  return Object.entries(record).map(([key, v]) => ({ key, value: anyValue(v) }));
}

function anyValue(v: AttrInput): AnyValue {
  if (Array.isArray(v)) return { arrayValue: { values: v.map((s) => ({ stringValue: s })) } };
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  return Number.isInteger(v) ? { intValue: v } : { doubleValue: v };
}

interface ProtoSpan {
  traceId: Buffer;
  spanId: Buffer;
  parentSpanId?: Buffer;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  status?: { code: number; message?: string };
}

const KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3 } as const;
const EPOCH_MS = 1_760_000_000_000;
const nanos = (ms: number) => (BigInt(Math.round(ms * 1000)) * 1000n).toString();

const MODELS = [
  { provider: 'openai', model: 'gpt-4o-mini', response: 'gpt-4o-mini-2024-07-18', server: 'api.openai.com' },
  { provider: 'anthropic', model: 'claude-sonnet-4', response: 'claude-sonnet-4-20250514', server: 'api.anthropic.com' },
  { provider: 'gcp.gemini', model: 'gemini-2.5-flash', response: 'gemini-2.5-flash', server: 'generativelanguage.googleapis.com' },
];
const TOOLS = ['get_order', 'search_docs', 'create_return_label', 'lookup_customer'];

class TraceBuilder {
  readonly spans: { scope: 'agent' | 'genai' | 'http'; span: ProtoSpan }[] = [];
  private readonly traceId: Buffer;

  constructor(private readonly random: () => number, private readonly t0: number) {
    this.traceId = this.bytes(16);
  }

  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = Math.floor(this.random() * 256);
    return out;
  }

  add(scope: 'agent' | 'genai' | 'http', parent: ProtoSpan | undefined, name: string, kind: number,
    startMs: number, durMs: number, attributes: Record<string, AttrInput>): ProtoSpan {
    const span: ProtoSpan = {
      traceId: this.traceId,
      spanId: this.bytes(8),
      parentSpanId: parent?.spanId,
      name,
      kind,
      startTimeUnixNano: nanos(this.t0 + startMs),
      endTimeUnixNano: nanos(this.t0 + startMs + durMs),
      attributes: attrs(attributes),
    };
    if (this.random() < 0.02) span.status = { code: 2, message: 'upstream timeout after 30000 ms' };
    this.spans.push({ scope, span });
    return span;
  }
}

/** The chat span's message attributes: 2–8 KB of JSON in all (input + output), OTel GenAI structured form. */
function chatMessages(random: () => number, step: number, toolName: string, callId: string): { input: string; output: string; finish: string } {
  // Text is ~90% of the budget; JSON structure, ids and the tool call make up the rest.
  const budget = 2048 + Math.floor(random() * 6144);
  const input: unknown[] = [
    { role: 'system', parts: [{ type: 'text', content: prose(random, Math.floor(budget * 0.35)) }] },
    { role: 'user', parts: [{ type: 'text', content: prose(random, Math.floor(budget * (step === 0 ? 0.3 : 0.15))) }] },
  ];
  let output: unknown[];
  let finish: string;
  if (step === 0) {
    finish = 'tool_calls';
    output = [{ role: 'assistant', finish_reason: finish, parts: [
      { type: 'text', content: prose(random, Math.floor(budget * 0.2)) },
      { type: 'tool_call', id: callId, name: toolName, arguments: { order_id: `A-${Math.floor(random() * 1e6)}`, include: ['items', 'shipping'] } },
    ] }];
  } else {
    input.push(
      { role: 'assistant', parts: [{ type: 'tool_call', id: callId, name: toolName, arguments: { order_id: 'A-1042' } }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: callId, response: prose(random, Math.floor(budget * 0.15)) }] },
    );
    finish = 'stop';
    output = [{ role: 'assistant', finish_reason: finish, parts: [{ type: 'text', content: prose(random, Math.floor(budget * 0.2)) }] }];
  }
  return { input: JSON.stringify(input), output: JSON.stringify(output), finish };
}

function chatSpan(b: TraceBuilder, random: () => number, parent: ProtoSpan, startMs: number, step: number, toolName: string, callId: string): ProtoSpan {
  const m = MODELS[Math.floor(random() * MODELS.length)];
  const { input, output, finish } = chatMessages(random, step, toolName, callId);
  const inputTokens = Math.round(input.length / 4);
  const outputTokens = Math.round(output.length / 4);
  return b.add('genai', parent, `chat ${m.model}`, KIND.CLIENT, startMs, 400 + random() * 2500, {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': m.provider,
    'gen_ai.request.model': m.model,
    'gen_ai.request.temperature': Math.round(random() * 10) / 10 + 0.05,
    'gen_ai.request.top_p': 0.95,
    'gen_ai.request.max_tokens': 1024,
    'server.address': m.server,
    'server.port': 443,
    'gen_ai.response.model': m.response,
    'gen_ai.response.id': `resp_${b.bytes(12).toString('hex')}`,
    'gen_ai.response.finish_reasons': [finish],
    'gen_ai.usage.input_tokens': inputTokens,
    'gen_ai.usage.output_tokens': outputTokens,
    'gen_ai.input.messages': input,
    'gen_ai.output.messages': output,
  });
}

/** One agent turn: HTTP request → agent → retrieval, 2–3 chat calls, a tool (and its HTTP call). Always 8 spans. */
function agentTrace(random: () => number, t0: number): TraceBuilder {
  const b = new TraceBuilder(random, t0);
  const toolName = TOOLS[Math.floor(random() * TOOLS.length)];
  const callId = `call_${b.bytes(9).toString('base64url')}`;
  const root = b.add('http', undefined, 'POST /api/chat', KIND.SERVER, 0, 6000, {
    'http.request.method': 'POST', 'url.path': '/api/chat', 'http.route': '/api/chat', 'url.scheme': 'http',
    'http.response.status_code': 200, 'server.address': 'localhost', 'server.port': 3000,
    'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36',
    'client.address': '127.0.0.1', 'network.protocol.version': '1.1',
  });
  const agent = b.add('agent', root, 'invoke_agent support-agent', KIND.INTERNAL, 2, 5900, {
    'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'support-agent', 'gen_ai.agent.id': 'agt_support_v3',
    'gen_ai.provider.name': 'openai', 'gen_ai.conversation.id': `conv_${b.bytes(8).toString('hex')}`,
    'code.function': 'runAgent', 'code.filepath': 'src/agent/support.ts', 'code.lineno': 88,
  });
  const query = prose(random, 60 + Math.floor(random() * 100));
  const documents = JSON.stringify(Array.from({ length: 3 }, (_, i) => ({
    id: `doc-${Math.floor(random() * 5000)}`, score: Math.round((0.9 - i * 0.1) * 1000) / 1000, content: prose(random, 150 + Math.floor(random() * 250)),
  })));
  b.add('agent', agent, 'retrieval policy-docs', KIND.CLIENT, 5, 120, {
    'gen_ai.operation.name': 'retrieval', 'gen_ai.data_source.id': 'policy-docs', 'db.system.name': 'pgvector',
    'gen_ai.retrieval.query.text': query, 'gen_ai.retrieval.documents': documents,
  });
  chatSpan(b, random, agent, 130, 0, toolName, callId);
  const tool = b.add('agent', agent, `execute_tool ${toolName}`, KIND.INTERNAL, 2000, 300, {
    'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': toolName, 'gen_ai.tool.call.id': callId, 'gen_ai.tool.type': 'function',
    'gen_ai.tool.call.arguments': '{"order_id":"A-1042","include":["items","shipping"]}',
    'gen_ai.tool.call.result': prose(random, 200 + Math.floor(random() * 400)),
  });
  const thirdChat = random() < 0.5;
  b.add('http', tool, 'GET', KIND.CLIENT, 2010, 250, {
    'http.request.method': 'GET', 'url.full': `https://orders.internal.example.com/v2/orders/A-${Math.floor(random() * 1e6)}?include=items`,
    'server.address': 'orders.internal.example.com', 'server.port': 443, 'http.response.status_code': 200, 'network.protocol.version': '1.1',
  });
  chatSpan(b, random, agent, 2400, 1, toolName, callId);
  if (thirdChat) chatSpan(b, random, agent, 4500, 2, toolName, callId);
  else {
    b.add('agent', agent, 'guardrail output-check', KIND.INTERNAL, 4500, 40, {
      'guardrail.name': 'pii-filter', 'guardrail.passed': true, 'code.function': 'checkOutput', 'code.filepath': 'src/agent/guardrails.ts', 'code.lineno': 21,
    });
  }
  return b;
}

const RESOURCE = attrs({
  'service.name': 'support-bot', 'service.version': '2.14.1', 'deployment.environment.name': 'development',
  'telemetry.sdk.language': 'nodejs', 'telemetry.sdk.name': 'opentelemetry', 'telemetry.sdk.version': '2.12.1',
  'host.name': 'dev-laptop', 'host.arch': 'amd64', 'os.type': 'linux', 'process.pid': 48213,
  'process.runtime.name': 'nodejs', 'process.runtime.version': '20.20.2',
});
const SCOPES = {
  http: { name: '@opentelemetry/instrumentation-http', version: '0.223.0' },
  genai: { name: '@opentelemetry/instrumentation-openai', version: '0.21.0' },
  agent: { name: 'support-agent', version: '' },
};

/** The protobuf bytes of request `index` (512 spans = 64 traces), deterministic. */
export function buildRequest(index: number, seed = 1): Buffer {
  const random = rng(seed * 1_000_003 + index);
  const byScope: Record<keyof typeof SCOPES, ProtoSpan[]> = { http: [], genai: [], agent: [] };
  for (let t = 0; t < SPANS_PER_REQUEST / SPANS_PER_TRACE; t++) {
    const trace = agentTrace(random, EPOCH_MS + (index * 64 + t) * 250);
    // Spans are exported as they end: children before parents.
    for (const { scope, span } of trace.spans.reverse()) byScope[scope].push(span);
  }
  const request = {
    resourceSpans: [{
      resource: { attributes: RESOURCE },
      scopeSpans: (Object.keys(SCOPES) as (keyof typeof SCOPES)[]).map((k) => ({ scope: SCOPES[k], spans: byScope[k] })),
    }],
  };
  const type = otlpTypes.ExportTraceServiceRequest;
  return Buffer.from(type.encode(type.fromObject(request)).finish());
}

export function digest(buffers: readonly Buffer[]): string {
  const hash = createHash('sha256');
  for (const b of buffers) hash.update(b);
  return hash.digest('hex').slice(0, 16);
}

/** The export as an OTLP/JSON exporter writes it: hex ids, int64 as decimal strings, enums as numbers. */
export function otlpJsonOf(protobufBytes: Uint8Array): Record<string, unknown> {
  const type = otlpTypes.ExportTraceServiceRequest;
  const object = type.toObject(type.decode(protobufBytes), { longs: String, enums: Number, bytes: String }) as {
    resourceSpans?: { scopeSpans?: { spans?: Record<string, unknown>[] }[] }[];
  };
  const hex = (base64: unknown) => Buffer.from(String(base64), 'base64').toString('hex');
  for (const rs of object.resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        for (const id of ['traceId', 'spanId', 'parentSpanId'] as const) if (span[id] !== undefined) span[id] = hex(span[id]);
        for (const link of (span.links ?? []) as Record<string, unknown>[]) for (const id of ['traceId', 'spanId'] as const) link[id] = hex(link[id]);
      }
    }
  }
  return object as Record<string, unknown>;
}

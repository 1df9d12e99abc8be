// "Send a sample trace": a realistic support-agent run in the OTel GenAI form (semconv 1.37+), built as
// raw spans and fed through the ingest pipeline, so it is normalized, priced and stored exactly like an
// exporter's data. Shape: agent → retrieval → LLM call asking for a tool → tool execution (one failed HTTP
// attempt, one retry) → second LLM call answering the user.
import { randomBytes } from 'node:crypto';
import type { DecodedTraces, RawSpan } from '../otlp/types';
import type { Attributes, SpanEvent, SpanKind, SpanStatus } from '../protocol/model';

export const SAMPLE_SERVICE = 'spanlight-sample';

const RESOURCE: Attributes = {
  'service.name': SAMPLE_SERVICE,
  'service.version': '0.1.0',
  'telemetry.sdk.language': 'python',
  'telemetry.sdk.name': 'opentelemetry',
  'telemetry.sdk.version': '1.37.0',
};

const SYSTEM_PROMPT =
  'You are the support assistant of Acme Outdoor. Answer in two sentences at most. Use lookup_order for anything about an order; never invent tracking numbers.';
const USER_TEXT = 'Hi! My order #1042 still says "processing" after 5 days. Where is it? Photo of the confirmation attached.';
const TOOL_ARGS = '{"order_id":"1042","include_tracking":true}';
const TOOL_RESULT = '{"order_id":"1042","status":"shipped","carrier":"UPS","tracking":"1Z999AA10123456784","eta":"2025-03-14"}';
const ANSWER =
  'Good news: order #1042 shipped with UPS (tracking 1Z999AA10123456784) and should arrive by March 14. The status page lags behind the carrier by a day or two.';

const TOOLS = [
  {
    type: 'function',
    name: 'lookup_order',
    description: 'Current status, carrier and tracking number of an order.',
    parameters: {
      type: 'object',
      properties: { order_id: { type: 'string' }, include_tracking: { type: 'boolean' } },
      required: ['order_id'],
    },
  },
];

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

interface SpanSpec {
  name: string;
  parent?: string;
  kind?: SpanKind;
  startMs: number;
  endMs: number;
  attributes: Attributes;
  status?: SpanStatus;
  events?: SpanEvent[];
  scope?: string;
}

/** Sample spans with fresh ids, ending about now. Pure apart from the clock and the random ids. */
export function buildSampleTrace(nowMs: number = Date.now()): RawSpan[] {
  const traceId = hex(16);
  const ids = { root: hex(8), retrieval: hex(8), chat1: hex(8), tool: hex(8), http1: hex(8), http2: hex(8), chat2: hex(8) };
  // Nanoseconds as decimal strings: ms epoch * 1e6 overflows a double's exact range, so BigInt.
  const t0 = BigInt(Math.round(nowMs - 3600)) * 1_000_000n;
  const nano = (ms: number): string => (t0 + BigInt(Math.round(ms * 1000)) * 1000n).toString();
  const callId = `call_${hex(12)}`;

  const specs: [string, SpanSpec][] = [
    [ids.root, {
      name: 'invoke_agent support-agent',
      startMs: 0,
      endMs: 3480,
      attributes: {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': 'support-agent',
        'gen_ai.provider.name': 'openai',
        'gen_ai.conversation.id': 'conv_7f3a',
        'code.file.path': 'app/agent.py',
        'code.line.number': 42,
        'code.function.name': 'handle_ticket',
      },
    }],
    [ids.retrieval, {
      name: 'retrieval help-center',
      parent: ids.root,
      kind: 'CLIENT',
      startMs: 35,
      endMs: 290,
      attributes: {
        'gen_ai.operation.name': 'retrieval',
        'gen_ai.data_source.id': 'help-center',
        'gen_ai.retrieval.query.text': 'order stuck in processing status',
        'gen_ai.retrieval.documents': JSON.stringify([
          { id: 'kb-112', score: 0.83, content: 'Orders show "processing" until the carrier scans the parcel.' },
          { id: 'kb-087', score: 0.71, content: 'Tracking numbers are e-mailed within 48 hours of shipping.' },
        ]),
      },
    }],
    [ids.chat1, {
      name: 'chat gpt-4o-mini',
      parent: ids.root,
      kind: 'CLIENT',
      startMs: 310,
      endMs: 1420,
      scope: 'opentelemetry.instrumentation.openai_v2',
      attributes: {
        ...chatAttributes('gpt-4o-mini', 'chatcmpl-sample-1', 612, 24, ['tool_calls']),
        'gen_ai.usage.cache_read.input_tokens': 384,
        'gen_ai.tool.definitions': JSON.stringify(TOOLS),
        'gen_ai.input.messages': JSON.stringify([
          { role: 'system', parts: [{ type: 'text', content: SYSTEM_PROMPT }] },
          {
            role: 'user',
            parts: [
              { type: 'text', content: USER_TEXT },
              { type: 'uri', modality: 'image', mime_type: 'image/png', uri: 'https://files.example.com/uploads/confirmation-1042.png' },
            ],
          },
        ]),
        'gen_ai.output.messages': JSON.stringify([
          { role: 'assistant', parts: [{ type: 'tool_call', id: callId, name: 'lookup_order', arguments: JSON.parse(TOOL_ARGS) }], finish_reason: 'tool_calls' },
        ]),
        'code.file.path': 'app/agent.py',
        'code.line.number': 57,
        'code.function.name': 'ask_model',
      },
    }],
    [ids.tool, {
      name: 'execute_tool lookup_order',
      parent: ids.root,
      startMs: 1440,
      endMs: 2060,
      attributes: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'lookup_order',
        'gen_ai.tool.type': 'function',
        'gen_ai.tool.call.id': callId,
        'gen_ai.tool.call.arguments': TOOL_ARGS,
        'gen_ai.tool.call.result': TOOL_RESULT,
      },
    }],
    [ids.http1, {
      name: 'GET /orders/{order_id}',
      parent: ids.tool,
      kind: 'CLIENT',
      startMs: 1450,
      endMs: 1750,
      scope: 'opentelemetry.instrumentation.httpx',
      attributes: httpAttributes(503, 1),
      status: { code: 'ERROR', message: 'Server error 503 Service Unavailable for url http://orders.internal:8080/orders/1042' },
      events: [
        {
          name: 'exception',
          timeUnixNano: nano(1749),
          attributes: {
            'exception.type': 'httpx.HTTPStatusError',
            'exception.message': "Server error '503 Service Unavailable' for url 'http://orders.internal:8080/orders/1042'",
            'exception.stacktrace': [
              'Traceback (most recent call last):',
              '  File "/srv/app/tools/orders.py", line 31, in lookup_order',
              '    response.raise_for_status()',
              '  File "/srv/app/.venv/lib/python3.12/site-packages/httpx/_models.py", line 829, in raise_for_status',
              '    raise HTTPStatusError(message, request=request, response=self)',
              "httpx.HTTPStatusError: Server error '503 Service Unavailable' for url 'http://orders.internal:8080/orders/1042'",
            ].join('\n'),
            'exception.escaped': false,
          },
        },
      ],
    }],
    [ids.http2, {
      name: 'GET /orders/{order_id}',
      parent: ids.tool,
      kind: 'CLIENT',
      startMs: 1800,
      endMs: 2040,
      scope: 'opentelemetry.instrumentation.httpx',
      attributes: httpAttributes(200, 2),
    }],
    [ids.chat2, {
      name: 'chat gpt-4o-mini',
      parent: ids.root,
      kind: 'CLIENT',
      startMs: 2080,
      endMs: 3450,
      scope: 'opentelemetry.instrumentation.openai_v2',
      attributes: {
        ...chatAttributes('gpt-4o-mini', 'chatcmpl-sample-2', 704, 61, ['stop']),
        'gen_ai.input.messages': JSON.stringify([
          { role: 'system', parts: [{ type: 'text', content: SYSTEM_PROMPT }] },
          { role: 'user', parts: [{ type: 'text', content: USER_TEXT }] },
          { role: 'assistant', parts: [{ type: 'tool_call', id: callId, name: 'lookup_order', arguments: JSON.parse(TOOL_ARGS) }] },
          { role: 'tool', parts: [{ type: 'tool_call_response', id: callId, response: JSON.parse(TOOL_RESULT) }] },
        ]),
        'gen_ai.output.messages': JSON.stringify([
          { role: 'assistant', parts: [{ type: 'text', content: ANSWER }], finish_reason: 'stop' },
        ]),
        'code.file.path': 'app/agent.py',
        'code.line.number': 57,
        'code.function.name': 'ask_model',
      },
    }],
  ];

  return specs.map(([spanId, s]) => ({
    traceId,
    spanId,
    ...(s.parent ? { parentSpanId: s.parent } : {}),
    name: s.name,
    kind: s.kind ?? 'INTERNAL',
    startTimeUnixNano: nano(s.startMs),
    endTimeUnixNano: nano(s.endMs),
    durationMs: s.endMs - s.startMs,
    status: s.status ?? { code: 'UNSET' },
    attributes: s.attributes,
    events: s.events ?? [],
    links: [],
    resource: RESOURCE,
    scope: { name: s.scope ?? 'spanlight.sample', version: '0.1.0' },
  }));
}

function chatAttributes(model: string, responseId: string, input: number, output: number, finish: string[]): Attributes {
  return {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': model,
    'gen_ai.response.model': `${model}-2024-07-18`,
    'gen_ai.response.id': responseId,
    'gen_ai.request.temperature': 0.2,
    'gen_ai.request.max_tokens': 512,
    'gen_ai.usage.input_tokens': input,
    'gen_ai.usage.output_tokens': output,
    'gen_ai.response.finish_reasons': finish,
    'server.address': 'api.openai.com',
    'server.port': 443,
  };
}

function httpAttributes(statusCode: number, attempt: number): Attributes {
  return {
    'http.request.method': 'GET',
    'url.full': 'http://orders.internal:8080/orders/1042',
    'server.address': 'orders.internal',
    'server.port': 8080,
    'http.response.status_code': statusCode,
    'http.request.resend_count': attempt - 1,
    ...(statusCode >= 500 ? { 'error.type': String(statusCode) } : {}),
  };
}

/** What `sendSampleTrace` needs from the engine: the same entry the receivers use. */
export interface SampleSink {
  acceptTraces(decoded: DecodedTraces): void;
}

/** Feeds a fresh sample through `sink` and returns its trace id. */
export function sendSampleTrace(sink: SampleSink, nowMs: number = Date.now()): string {
  const spans = buildSampleTrace(nowMs);
  sink.acceptTraces({ spans, rejected: 0, errors: [] });
  return spans[0].traceId;
}

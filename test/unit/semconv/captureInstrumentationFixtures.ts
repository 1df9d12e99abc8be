// Regenerates test/unit/semconv/fixtures/*.json by running the REAL instrumentations installed in
// node_modules against a local mock OpenAI server and recording the spans and log records they emit.
// Run by hand after upgrading an instrumentation:
//   node --import tsx test/unit/semconv/captureInstrumentationFixtures.ts <otel|openinference|traceloop|vercel>
// One instrumentation per process: they patch the same `openai` module.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import type { RawLogRecord, RawSpan } from '../../../src/otlp/types';
import type { Attributes, JsonValue } from '../../../src/protocol/model';

// Loaded with require() after the instrumentations are registered, so their require hooks patch them.
const load = createRequire(__filename);
const which = process.argv[2] ?? 'otel';
const MODEL = 'gpt-4o-mini-2024-07-18';

function chatCompletion(body: { tools?: unknown }): object {
  const message = body.tools
    ? { role: 'assistant', content: null, refusal: null, tool_calls: [{ id: 'call_w', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] }
    : { role: 'assistant', content: 'It is rainy.', refusal: null };
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: MODEL,
    choices: [{ index: 0, finish_reason: body.tools ? 'tool_calls' : 'stop', message }],
    usage: { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60, prompt_tokens_details: { cached_tokens: 32 }, completion_tokens_details: { reasoning_tokens: 0 } },
  };
}

const response = {
  id: 'resp_1',
  object: 'response',
  created_at: 1,
  status: 'completed',
  model: MODEL,
  output: [
    { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Rain expected.' }] },
    { type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Take an umbrella.', annotations: [] }] },
  ],
  usage: { input_tokens: 20, output_tokens: 12, total_tokens: 32, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 6 } },
};

const chunk = (delta: object, finish: string | null): object => ({ id: 'chunk', object: 'chat.completion.chunk', created: 1, model: MODEL, choices: [{ index: 0, delta, finish_reason: finish }] });
const streamChunks = [
  chunk({ role: 'assistant', content: '1, ' }, null),
  chunk({ content: '2, 3' }, null),
  chunk({}, 'stop'),
  { id: 'chunk', object: 'chat.completion.chunk', created: 1, model: MODEL, choices: [], usage: { prompt_tokens: 8, completion_tokens: 5, total_tokens: 13 } },
];

function handle(req: IncomingMessage, res: ServerResponse): void {
  let data = '';
  req.on('data', (c: Buffer) => (data += c.toString()));
  req.on('end', () => {
    const body = JSON.parse(data || '{}') as { stream?: boolean; tools?: unknown };
    if (req.url?.endsWith('/responses')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(response));
    } else if (body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const c of streamChunks) res.write(`data: ${JSON.stringify(c)}\n\n`);
      res.end('data: [DONE]\n\n');
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(chatCompletion(body)));
    }
  });
}

async function instrumentation(): Promise<Instrumentation[]> {
  switch (which) {
    case 'otel': {
      const { OpenAIInstrumentation } = await import('@opentelemetry/instrumentation-openai');
      return [new OpenAIInstrumentation({ captureMessageContent: true })];
    }
    case 'openinference': {
      const { OpenAIInstrumentation } = await import('@arizeai/openinference-instrumentation-openai');
      return [new OpenAIInstrumentation()];
    }
    case 'traceloop': {
      const { OpenAIInstrumentation } = await import('@traceloop/instrumentation-openai');
      return [new OpenAIInstrumentation()];
    }
    default:
      return [];
  }
}

interface OpenAIClient {
  chat: { completions: { create(body: object): Promise<AsyncIterable<unknown> & object> } };
  responses: { create(body: object): Promise<object> };
}

async function exerciseOpenAI(baseURL: string): Promise<void> {
  const { OpenAI } = load('openai') as { OpenAI: new (options: object) => OpenAIClient };
  const client = new OpenAI({ baseURL, apiKey: 'test' });
  await client.chat.completions.create({
    model: 'gpt-4o-mini',
    temperature: 0.2,
    stop: ['END'],
    seed: 7,
    tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
    messages: [
      { role: 'system', content: 'You are a weather bot.' },
      { role: 'user', content: [{ type: 'text', text: 'Weather here?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'locate', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_0', content: 'Paris' },
    ],
  });
  const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Count to 3' }] });
  for await (const part of stream) void part;
  await client.responses.create({ model: 'gpt-4.1-mini', instructions: 'Be brief.', input: 'Weather in Paris?' });
}

async function exerciseVercel(baseURL: string): Promise<void> {
  const ai = load('ai') as typeof import('ai');
  const { createOpenAI } = load('@ai-sdk/openai') as typeof import('@ai-sdk/openai');
  const openai = createOpenAI({ baseURL, apiKey: 'test' });
  await ai.generateText({
    model: openai.chat('gpt-4o-mini'),
    system: 'You are a weather bot.',
    prompt: 'Weather in Paris?',
    temperature: 0.3,
    maxOutputTokens: 100,
    tools: {
      get_weather: ai.tool({
        description: 'Weather by city',
        inputSchema: ai.jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } } }),
        execute: async () => ({ temp: 14 }),
      }),
    },
    experimental_telemetry: { isEnabled: true, functionId: 'weather' },
  });
  const streamed = ai.streamText({ model: openai.chat('gpt-4o-mini'), prompt: 'Count to 3', experimental_telemetry: { isEnabled: true } });
  for await (const part of streamed.textStream) void part;
}

/** ReadableSpan / ReadableLogRecord → the plain RawSpan / RawLogRecord shapes src/otlp produces. */
function toFixture(spans: InMemorySpanExporter, logs: InMemoryLogRecordExporter): { spans: RawSpan[]; logs: RawLogRecord[] } {
  const nanos = ([s, ns]: [number, number]): string => `${s}${String(ns).padStart(9, '0')}`;
  return {
    spans: spans.getFinishedSpans().map((s) => ({
      traceId: s.spanContext().traceId,
      spanId: s.spanContext().spanId,
      parentSpanId: s.parentSpanContext?.spanId,
      name: s.name,
      kind: 'CLIENT',
      startTimeUnixNano: nanos(s.startTime),
      endTimeUnixNano: nanos(s.endTime),
      durationMs: s.duration[0] * 1000 + s.duration[1] / 1e6,
      status: { code: 'UNSET' },
      attributes: s.attributes as Attributes,
      events: s.events.map((e) => ({ name: e.name, timeUnixNano: nanos(e.time), attributes: (e.attributes ?? {}) as Attributes })),
      links: [],
      resource: {},
      scope: { name: s.instrumentationScope.name, version: s.instrumentationScope.version },
    })),
    logs: logs.getFinishedLogRecords().map((r) => ({
      timeUnixNano: nanos(r.hrTime),
      observedTimeUnixNano: nanos(r.hrTimeObserved),
      severityNumber: r.severityNumber ?? 0,
      ...(r.eventName ? { eventName: r.eventName } : {}),
      body: (r.body ?? null) as JsonValue,
      attributes: r.attributes as Attributes,
      traceId: r.spanContext?.traceId,
      spanId: r.spanContext?.spanId,
      resource: {},
      scope: { name: r.instrumentationScope.name, version: r.instrumentationScope.version },
    })),
  };
}

async function main(): Promise<void> {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  const spans = new InMemorySpanExporter();
  const tracerProvider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  tracerProvider.register();
  const logs = new InMemoryLogRecordExporter();
  const loggerProvider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: logs })] });
  registerInstrumentations({ instrumentations: await instrumentation(), tracerProvider, loggerProvider });
  if (which === 'vercel') await exerciseVercel(baseURL);
  else await exerciseOpenAI(baseURL);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const file = join(__dirname, 'fixtures', `${which}.json`);
  writeFileSync(file, `${JSON.stringify(toFixture(spans, logs), null, 1)}\n`);
  console.log(`wrote ${file}`);
  server.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

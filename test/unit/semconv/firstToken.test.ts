// Time to first token of a streamed call (firstToken.ts), from each way recorders report it: a duration
// attribute (GenAI, OpenLIT, Vercel AI SDK, Claude Code), a moment (Langfuse) or a first-chunk span
// event (OpenInference, Vercel AI SDK, OpenLLMetry). The span runs 1,250 ms (spanBuilder.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Attributes, JsonValue } from '../../../src/protocol/model';
import { normalizeLlmCall } from '../../../src/semconv';
import { rawSpan, spanEvent } from './spanBuilder';

const chat: Attributes = { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini' };
const START = 1732368000000000000n;
const at = (ms: number) => (START + BigInt(ms * 1e6)).toString();
const ttft = (attributes: Attributes, events = [] as ReturnType<typeof spanEvent>[]) =>
  normalizeLlmCall(rawSpan(attributes, { events }))?.timeToFirstTokenMs;

test('GenAI: gen_ai.response.time_to_first_chunk, in seconds', () => {
  assert.equal(ttft({ ...chat, 'gen_ai.response.time_to_first_chunk': 0.42 }), 420);
});

test("OpenLIT: gen_ai.server.time_to_first_token, in seconds; the current GenAI attribute wins over it", () => {
  assert.equal(ttft({ ...chat, 'gen_ai.server.time_to_first_token': 0.3 }), 300);
  assert.equal(ttft({ ...chat, 'gen_ai.server.time_to_first_token': 0.3, 'gen_ai.response.time_to_first_chunk': 0.2 }), 200);
});

test('Pydantic AI: gen_ai.client.operation.time_to_first_chunk, in seconds (named after the GenAI client metric)', () => {
  assert.equal(ttft({ ...chat, 'gen_ai.client.operation.time_to_first_chunk': 0.25 }), 250);
});

test('Vercel AI SDK: ai.response.msToFirstChunk, in milliseconds', () => {
  const attributes: Attributes = { 'ai.operationId': 'ai.streamText.doStream', 'ai.model.id': 'gpt-4o-mini', 'ai.response.msToFirstChunk': 104.3 };
  assert.equal(ttft(attributes), 104.3);
});

test('Claude Code: ttft_ms of a model request span, numbers or text', () => {
  const llmRequest: Attributes = { 'span.type': 'llm_request', model: 'claude-sonnet-4-5', input_tokens: '12' };
  assert.equal(normalizeLlmCall(rawSpan({ ...llmRequest, ttft_ms: 850 }, { name: 'claude_code.llm_request' }))?.timeToFirstTokenMs, 850);
  assert.equal(normalizeLlmCall(rawSpan({ ...llmRequest, ttft_ms: '850' }, { name: 'claude_code.llm_request' }))?.timeToFirstTokenMs, 850);
});

test("Langfuse: completion_start_time, a moment (JSON-quoted or not), counted from the span's start", () => {
  const generation = (start: JsonValue): Attributes => ({
    'langfuse.observation.type': 'generation',
    'langfuse.observation.model.name': 'gpt-4o',
    'langfuse.observation.completion_start_time': start,
  });
  const startIso = new Date(Number(START / 1_000_000n)).toISOString();
  assert.equal(startIso, '2024-11-23T13:20:00.000Z');
  assert.equal(ttft(generation('"2024-11-23T13:20:00.250Z"')), 250);
  assert.equal(ttft(generation('2024-11-23T13:20:00.250123+00:00')), 250);
  // Before the span started, or after it ended: not a wait this span saw.
  assert.equal(ttft(generation('2024-11-23T13:19:59.000Z')), undefined);
  assert.equal(ttft(generation('2024-11-23T13:20:02.000Z')), undefined);
});

test('a first-chunk span event gives it when no attribute does: OpenInference, Vercel AI SDK, MLflow, OpenLLMetry (earliest chunk)', () => {
  const oi: Attributes = { 'openinference.span.kind': 'LLM', 'llm.model_name': 'gpt-4o' };
  assert.equal(ttft(oi, [spanEvent('First Token Stream Event', {}, at(380))]), 380);
  assert.equal(ttft({ 'ai.operationId': 'ai.streamText.doStream', 'ai.model.id': 'gpt-4o' }, [spanEvent('ai.stream.firstChunk', {}, at(95))]), 95);
  const mlflowChunks = [0, 1, 2].map((i) => spanEvent(`mlflow.chunk.item.${i}`, { 'mlflow.chunk.value': '{}' }, at(240 + i * 30)));
  assert.equal(ttft({ 'mlflow.spanType': '"CHAT_MODEL"' }, mlflowChunks), 240);
  const chunks = [at(300), at(120), at(200)].map((t) => spanEvent('llm.content.completion.chunk', {}, t));
  assert.equal(ttft({ 'llm.request.type': 'chat', 'gen_ai.request.model': 'gpt-4o' }, chunks), 120);
  // A reported figure wins over the event (the SDKs stamp their event a little after measuring).
  assert.equal(ttft({ ...chat, 'gen_ai.response.time_to_first_chunk': 0.1 }, [spanEvent('First Token Stream Event', {}, at(104))]), 100);
});

test("a reported figure longer than the span is no wait it saw: the unit differs from the name's", () => {
  // Strands Agents writes milliseconds under OpenLIT's name for seconds; on a span that is not its own, 412 s.
  assert.equal(ttft({ ...chat, 'gen_ai.server.time_to_first_token': 412 }), undefined);
  assert.equal(ttft({ ...chat, 'gen_ai.response.time_to_first_chunk': 1.25 }), 1250, 'the whole span');
  assert.equal(ttft({ ...chat, 'gen_ai.response.time_to_first_chunk': 1.251 }), 1251, 'rounded apart from the span by up to a millisecond');
  assert.equal(ttft({ ...chat, 'gen_ai.response.time_to_first_chunk': 1.252 }), undefined);
});

test('no figure for an unstreamed call, a span that is no model call, or values that cannot be one', () => {
  assert.equal(ttft(chat), undefined);
  assert.equal(normalizeLlmCall(rawSpan({ 'http.method': 'GET' }, { events: [spanEvent('First Token Stream Event', {}, at(10))] })), undefined);
  for (const bad of [-1, 'soon', '', NaN, Infinity, 1e308, true, null, [0.2], { s: 1 }] as JsonValue[]) {
    assert.equal(ttft({ ...chat, 'gen_ai.response.time_to_first_chunk': bad }), undefined, JSON.stringify(bad));
  }
  for (const time of ['0', 'later', '-5', at(-10), at(5000), '99999999999999999999999']) {
    assert.equal(ttft(chat, [spanEvent('First Token Stream Event', {}, time)]), undefined, time);
  }
});

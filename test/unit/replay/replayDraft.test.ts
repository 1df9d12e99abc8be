// A captured call as a replay draft, and the draft as the request the `openai` SDK sends: from spans
// recorded by the real instrumentations (test/unit/semconv/fixtures), and from hand-made ones for the edges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RawLogRecord, RawSpan } from '../../../src/otlp/types';
import type { Span } from '../../../src/protocol/model';
import type { ReplayDraft } from '../../../src/protocol/replay';
import { baseUrlOf, isLoopbackUrl, keyOrigin, replayDestination } from '../../../src/replay/endpoints';
import { chatRequestOf, isReplayDraft, replayRequestOf, replayStartOf, type ReplayStart } from '../../../src/replay/replayDraft';
import { normalizeLlmCall } from '../../../src/semconv';
import { rawSpan } from '../semconv/spanBuilder';
import { span } from '../store/storeFixtures';

interface Capture {
  spans: RawSpan[];
  logs: RawLogRecord[];
}

/** The n-th span named `name` of a real instrumentation's capture, normalized as the store reads it. */
function captured(fixture: string, name: string, n = 0): Span {
  const capture = JSON.parse(readFileSync(join(__dirname, '..', 'semconv', 'fixtures', `${fixture}.json`), 'utf8')) as Capture;
  const raw = capture.spans.filter((s) => s.name === name)[n];
  assert.ok(raw, `no span ${name} #${n}`);
  return { ...raw, llm: normalizeLlmCall(raw, capture.logs.filter((l) => l.spanId === raw.spanId)) } as Span;
}

function started(s: Span): ReplayStart {
  const start = replayStartOf(s);
  assert.ok(!('reason' in start), 'reason' in start ? start.reason : '');
  return start;
}

test('a tool round trip recorded by instrumentation-openai is sent again as the app sent it', () => {
  const { draft, original, warnings } = started(captured('otel', 'chat gpt-4o-mini'));
  assert.equal(draft.model, 'gpt-4o-mini');
  assert.deepEqual(draft.params, { temperature: 0.2, stop: ['END'] });
  assert.match(draft.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  assert.deepEqual(warnings, []);
  const built = chatRequestOf(draft);
  assert.ok('request' in built);
  assert.deepEqual(built.request, {
    model: 'gpt-4o-mini',
    temperature: 0.2,
    stop: ['END'],
    messages: [
      { role: 'system', content: 'You are a weather bot.' },
      { role: 'user', content: 'Weather here?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'locate', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_0', content: 'Paris' },
    ],
  });
  // What it answered then, to show beside each replay.
  assert.deepEqual(original.messages[0].toolCalls, [{ id: 'call_w', name: 'get_weather', arguments: '{"city":"Paris"}' }]);
  assert.equal(original.model, 'gpt-4o-mini-2024-07-18');
});

test('the tools a call offered are in the draft as Chat Completions JSON, and sent with its tool choice', () => {
  const call = span({
    traceId: 'a'.repeat(32),
    spanId: '1'.repeat(16),
    llm: {
      requestModel: 'gpt-4o',
      provider: 'openai',
      inputMessages: [{ role: 'user', content: 'Weather in Lyon?' }],
      params: { tools: [{ name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } }], tool_choice: 'auto', max_tokens: 64, seed: 7 },
    },
  });
  const { draft } = started(call);
  assert.equal(draft.baseUrl, 'https://api.openai.com/v1');
  assert.deepEqual(JSON.parse(draft.tools), [{ type: 'function', function: { name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }]);
  const built = chatRequestOf(draft);
  assert.ok('request' in built);
  assert.equal(built.request.tool_choice, 'auto');
  assert.equal(built.request.max_tokens, 64);
  assert.equal(built.request.seed, 7);
  assert.equal(built.request.tools?.length, 1);
});

test('a call recorded through the Responses API is sent through it again, spelled as that API takes it', () => {
  const image = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
  const parameters = { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] };
  const call = span({
    traceId: 'b'.repeat(32),
    spanId: '2'.repeat(16),
    llm: {
      operation: 'responses',
      requestModel: 'gpt-5-codex',
      provider: 'openai',
      inputMessages: [
        { role: 'developer', content: 'You fix TypeScript.' },
        { role: 'user', content: [{ type: 'text', text: 'Why does this fail?' }, { type: 'image', mimeType: 'image/png', data: image }] },
        { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'read_file', arguments: '{"path":"a.ts"}' }] },
        { role: 'tool', content: 'export const a: number = "1";', toolCallId: 'call_1' },
      ],
      params: {
        temperature: 0.1,
        max_tokens: 500,
        tools: [{ name: 'read_file', description: 'Reads a file', parameters }],
        tool_choice: { type: 'function', function: { name: 'read_file' } },
        response_format: { type: 'json_schema', json_schema: { name: 'fix', schema: { type: 'object' }, strict: true } },
        // As a Responses request body keeps it (OpenInference's invocation parameters).
        reasoning: { effort: 'low' },
      },
    },
  });
  const { draft } = started(call);
  assert.equal(draft.api, 'responses');
  const built = replayRequestOf(draft);
  assert.ok('request' in built, 'error' in built ? built.error : '');
  assert.deepEqual(built.request, {
    api: 'responses',
    body: {
      model: 'gpt-5-codex',
      input: [
        { role: 'developer', content: 'You fix TypeScript.' },
        { role: 'user', content: [{ type: 'input_text', text: 'Why does this fail?' }, { type: 'input_image', image_url: `data:image/png;base64,${image}`, detail: 'auto' }] },
        { type: 'function_call', call_id: 'call_1', name: 'read_file', arguments: '{"path":"a.ts"}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'export const a: number = "1";' },
      ],
      temperature: 0.1,
      max_output_tokens: 500,
      reasoning: { effort: 'low' },
      // Flat, and not strict unless recorded so: Responses would take a missing `strict` as true.
      tools: [{ type: 'function', name: 'read_file', parameters, strict: false, description: 'Reads a file' }],
      tool_choice: { type: 'function', name: 'read_file' },
      text: { format: { type: 'json_schema', name: 'fix', schema: { type: 'object' }, strict: true } },
    },
  });
  // The same draft switched to Chat Completions by the user is the request chatRequestOf makes.
  const chat = replayRequestOf({ ...draft, api: 'chat' });
  const plain = chatRequestOf(draft);
  assert.ok('request' in chat && 'request' in plain);
  assert.deepEqual(chat.request, { api: 'chat', body: plain.request });
  assert.equal(plain.request.reasoning_effort, 'low');
  // What the Responses API has no equivalent of is said, not dropped.
  const seeded = replayRequestOf({ ...draft, params: { ...draft.params, seed: 7 } });
  assert.ok('error' in seeded);
  assert.match(seeded.error, /no seed: clear Seed, or send the request as Chat Completions/);
  const stopped = replayRequestOf({ ...draft, params: { ...draft.params, stop: ['END'] } });
  assert.ok('error' in stopped);
  assert.match(stopped.error, /no stop sequences/);
  // A tool already in Responses' form, or built in, is sent as written.
  const written = replayRequestOf({ ...draft, tools: JSON.stringify([{ type: 'web_search' }, { type: 'function', name: 'f', parameters: null, strict: true }]), toolChoice: 'auto' });
  assert.ok('request' in written && written.request.api === 'responses');
  assert.deepEqual(written.request.body.tools, [{ type: 'web_search' }, { type: 'function', name: 'f', parameters: null, strict: true }]);
  assert.equal(written.request.body.tool_choice, 'auto');
  // A call recorded through Chat Completions stays there (a draft kept from before names no API).
  assert.equal(started(captured('otel', 'chat gpt-4o-mini')).draft.api, undefined);
  const kept = replayRequestOf(started(captured('otel', 'chat gpt-4o-mini')).draft);
  assert.ok('request' in kept);
  assert.equal(kept.request.api, 'chat');
  assert.equal(isReplayDraft({ ...draft, api: 'completions' }), false);
  assert.equal(isReplayDraft({ ...draft, params: { reasoning_effort: 3 } }), false);
  assert.equal(isReplayDraft(draft), true);
});

test('a Responses call that continued a stored response is sent with its id, which Chat Completions cannot take', () => {
  const call = span({
    traceId: 'c'.repeat(32),
    spanId: '3'.repeat(16),
    llm: {
      operation: 'responses',
      requestModel: 'gpt-5-mini',
      inputMessages: [{ role: 'user', content: 'And in Rome?' }],
      // As OpenInference's invocation parameters and the serialized request bodies keep it.
      params: { previous_response_id: 'resp_paris' },
    },
  });
  const { draft, warnings } = started(call);
  assert.equal(draft.previousResponseId, 'resp_paris');
  assert.deepEqual(warnings, []);
  const built = replayRequestOf(draft);
  assert.ok('request' in built && built.request.api === 'responses');
  assert.deepEqual(built.request.body, { model: 'gpt-5-mini', input: [{ role: 'user', content: 'And in Rome?' }], previous_response_id: 'resp_paris' });
  const chat = replayRequestOf({ ...draft, api: 'chat' });
  assert.ok('error' in chat);
  assert.match(chat.error, /^Chat Completions cannot continue a stored response \(resp_paris\): send the request through Responses, or clear Continues response/);
  assert.ok('request' in replayRequestOf({ ...draft, api: 'chat', previousResponseId: undefined }));
  assert.equal(isReplayDraft({ ...draft, previousResponseId: 7 }), false);
  // A conversation is the server's to change: not sent, and said.
  for (const conversation of ['conv_68f', { id: 'conv_68f' }]) {
    const inConversation = span({ traceId: 'c'.repeat(32), spanId: '5'.repeat(16), llm: { operation: 'responses', requestModel: 'gpt-5-mini', inputMessages: [{ role: 'user', content: 'And in Rome?' }], params: { conversation } } });
    const started2 = started(inConversation);
    assert.deepEqual(started2.warnings, [
      'This call continued conversation conv_68f, whose earlier turns the server keeps. The replay is not sent in it (its turns would be added there), so it has only the messages recorded here.',
    ]);
    const sent = replayRequestOf(started2.draft);
    assert.ok('request' in sent && sent.request.api === 'responses');
    assert.equal('conversation' in sent.request.body, false);
  }
  // Recorded as a chat (OpenInference records every model call so), the id still says it was a Responses call.
  const recordedAsChat = span({ traceId: 'c'.repeat(32), spanId: '4'.repeat(16), llm: { requestModel: 'gpt-4o', inputMessages: [{ role: 'user', content: 'Hi' }], params: { previous_response_id: 'resp_x' } } });
  assert.deepEqual([started(recordedAsChat).draft.api, started(recordedAsChat).draft.previousResponseId], ['responses', 'resp_x']);
});

test("a recorded Responses history with a tool the provider ran: its call is left out, said, and its result kept as text", () => {
  // As Langfuse's OpenAI integration records a Responses request: the input items whole.
  const raw = rawSpan({
    'langfuse.observation.type': 'generation',
    'langfuse.observation.model.name': 'gpt-5-mini',
    'langfuse.observation.input': JSON.stringify([
      { role: 'user', content: 'Where is parcel 12, and what is in the news there?' },
      { type: 'function_call', call_id: 'call_12', name: 'track_parcel', arguments: '{"parcel":12}' },
      { type: 'function_call_output', call_id: 'call_12', output: 'In Lyon' },
      { type: 'mcp_call', id: 'mcp_1', server_label: 'news', name: 'headlines', arguments: '{"city":"Lyon"}', output: 'Fête des Lumières opens' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'In Lyon, where the festival opens.' }] },
      { role: 'user', content: 'When does it arrive?' },
    ]),
    'langfuse.observation.output': JSON.stringify({ role: 'assistant', content: 'Tomorrow.' }),
  });
  // A Responses call by its items (Langfuse calls every generation a chat): replayed through that API.
  const call = { ...raw, llm: normalizeLlmCall(raw) } as Span;
  const { draft, warnings } = started(call);
  assert.deepEqual(draft.messages, [
    { role: 'user', content: 'Where is parcel 12, and what is in the news there?' },
    { role: 'assistant', content: '', toolCalls: [{ id: 'call_12', name: 'track_parcel', arguments: '{"parcel":12}' }] },
    { role: 'tool', content: 'In Lyon', toolCallId: 'call_12' },
    { role: 'assistant', content: 'Fête des Lumières opens\nIn Lyon, where the festival opens.' },
    { role: 'user', content: 'When does it arrive?' },
  ]);
  assert.deepEqual(warnings, [
    'The call to headlines is left out: no tool message answers it (a tool the provider ran itself, or a result the recording lacks), and the API refuses an unanswered call.',
  ]);
  const built = replayRequestOf(draft);
  assert.ok('request' in built && built.request.api === 'responses', 'error' in built ? built.error : '');
  assert.deepEqual(built.request.body.input, [
    { role: 'user', content: 'Where is parcel 12, and what is in the news there?' },
    { type: 'function_call', call_id: 'call_12', name: 'track_parcel', arguments: '{"parcel":12}' },
    { type: 'function_call_output', call_id: 'call_12', output: 'In Lyon' },
    { role: 'assistant', content: 'Fête des Lumières opens\nIn Lyon, where the festival opens.' },
    { role: 'user', content: 'When does it arrive?' },
  ]);
});

test("a Gemini tool round trip (a user turn answers the model's id-less call) is sent as a call and the tool message answering it", () => {
  const call = span({
    traceId: 'a'.repeat(32),
    spanId: '5'.repeat(16),
    llm: {
      requestModel: 'gemini-2.5-flash',
      provider: 'gcp.gemini',
      inputMessages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'model', content: '', toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }] },
        { role: 'user', content: [{ type: 'tool_result', result: 'sunny' }, { type: 'text', text: 'And tomorrow?' }] },
      ],
    },
  });
  const { draft } = started(call);
  const built = chatRequestOf(draft);
  assert.ok('request' in built);
  assert.deepEqual(built.request.messages, [
    { role: 'user', content: 'Weather in Paris?' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_2_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
    { role: 'tool', tool_call_id: 'call_2_1', content: 'sunny' },
    // What else the turn says follows its results.
    { role: 'user', content: 'And tomorrow?' },
  ]);
});

test('what Chat Completions cannot carry is said, not silently changed', () => {
  const call = span({
    traceId: 'a'.repeat(32),
    spanId: '2'.repeat(16),
    llm: {
      requestModel: 'gemini-2.5-flash',
      provider: 'gcp.gemini',
      inputMessages: [
        { role: 'user', content: [{ type: 'text', text: 'What is in this picture?' }, { type: 'audio', mimeType: 'audio/wav', data: 'UklGRg==' }] },
        { role: 'model', content: 'A cat.' },
        { role: 'user', content: 'And its colour?' },
      ],
    },
  });
  const { draft, warnings } = started(call);
  assert.equal(draft.baseUrl, 'https://generativelanguage.googleapis.com/v1beta/openai');
  assert.deepEqual(draft.messages.map((m) => [m.role, m.content]), [['user', 'What is in this picture?'], ['assistant', 'A cat.'], ['user', 'And its colour?']]);
  assert.deepEqual(warnings, ['Message 1 is sent without its audio.', 'Message 2\'s role "model" is sent as "assistant".']);
});

test('a user message\'s images are sent again as image parts: recorded bytes as data URIs, recorded URLs as they were', () => {
  const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
  const call = span({
    traceId: 'a'.repeat(32),
    spanId: '6'.repeat(16),
    llm: {
      requestModel: 'gpt-4o',
      inputMessages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare these.' },
            { type: 'image', mimeType: 'image/png', data: png },
            { type: 'image', uri: 'https://example.com/cat.jpg' },
            { type: 'image', mimeType: 'image/jpeg', data: `/9j/4AAQ…[truncated, original length 900000]` },
            { type: 'image', uri: 'file:///tmp/local.png' },
            // Cut on its way (no IEND): a provider would refuse it, or see half a picture.
            { type: 'image', mimeType: 'image/png', data: Buffer.from(png, 'base64').subarray(0, 48).toString('base64') },
            // Line-wrapped as Python's base64.encodebytes writes it, and recorded without its type.
            { type: 'image', data: `${png.slice(0, 40)}\n${png.slice(40)}` },
          ],
        },
      ],
    },
  });
  const { draft, warnings } = started(call);
  assert.deepEqual(draft.messages[0].images, [
    { url: `data:image/png;base64,${png}`, mimeType: 'image/png' },
    { url: 'https://example.com/cat.jpg' },
    { url: `data:image/png;base64,${png}`, mimeType: 'image/png' },
  ]);
  assert.deepEqual(warnings, ['Message 1 is sent without an image that was not recorded whole.']);
  const built = chatRequestOf(draft);
  assert.ok('request' in built);
  assert.deepEqual(built.request.messages[0], {
    role: 'user',
    content: [
      { type: 'text', text: 'Compare these.' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
      { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
    ],
  });
});

test('a call that cannot be replayed says why', () => {
  const noPrompt = replayStartOf(span({ traceId: 'a'.repeat(32), spanId: '3'.repeat(16), llm: { requestModel: 'gpt-4o' } }));
  assert.match('reason' in noPrompt ? noPrompt.reason : '', /no prompt messages/);
  const tool = replayStartOf(span({ traceId: 'a'.repeat(32), spanId: '4'.repeat(16), llm: { operation: 'tool', inputMessages: [{ role: 'user', content: 'x' }] } }));
  assert.match('reason' in tool ? tool.reason : '', /Only a call to a chat or completion model/);
  assert.ok('reason' in replayStartOf(span({ traceId: 'a'.repeat(32), spanId: '5'.repeat(16) })));
});

test('a draft the user broke gets a message that says what to fix', () => {
  const base: ReplayDraft = { baseUrl: 'http://127.0.0.1:1/v1', model: 'm', messages: [{ role: 'user', content: 'hi' }], params: {}, tools: '' };
  const errorOf = (draft: ReplayDraft) => {
    const built = chatRequestOf(draft);
    return 'error' in built ? built.error : '';
  };
  assert.match(errorOf({ ...base, model: '  ' }), /Name the model/);
  assert.match(errorOf({ ...base, messages: [] }), /at least one message/);
  assert.match(errorOf({ ...base, tools: '[{"type": "function",' }), /not valid JSON/);
  assert.match(errorOf({ ...base, tools: '{"type": "function"}' }), /must be a JSON array/);
  assert.match(errorOf({ ...base, messages: [{ role: 'tool', content: '42' }] }), /no assistant message before it calls a tool/);
  // Tool calls recorded without ids get ones, and the tool message answers the first unanswered.
  const built = chatRequestOf({
    ...base,
    messages: [
      { role: 'user', content: 'weather?' },
      { role: 'assistant', content: '', toolCalls: [{ name: 'get_weather', arguments: '{}' }] },
      { role: 'tool', content: 'sunny' },
    ],
  });
  assert.ok('request' in built);
  assert.deepEqual(built.request.messages.slice(1), [
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_2_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
    { role: 'tool', tool_call_id: 'call_2_1', content: 'sunny' },
  ]);
});

test('the base URL follows the recorded server, then the provider', () => {
  assert.equal(baseUrlOf({ serverAddress: '127.0.0.1', serverPort: 8787 }), 'http://127.0.0.1:8787/v1');
  assert.equal(baseUrlOf({ serverAddress: 'localhost:11434' }), 'http://localhost:11434/v1');
  assert.equal(baseUrlOf({ serverAddress: 'api.openai.com', serverPort: 443 }), 'https://api.openai.com/v1');
  assert.equal(baseUrlOf({ serverAddress: 'api.groq.com' }), 'https://api.groq.com/openai/v1');
  assert.equal(baseUrlOf({ serverAddress: 'llm.internal.example.com', serverPort: 8443 }), 'https://llm.internal.example.com:8443/v1');
  assert.equal(baseUrlOf({ provider: 'anthropic' }), 'https://api.anthropic.com/v1');
  assert.equal(baseUrlOf({}), 'https://api.openai.com/v1');
  assert.ok(isLoopbackUrl('http://127.0.0.1:8787/v1'));
  assert.ok(isLoopbackUrl('http://[::1]:8000/v1'));
  assert.ok(!isLoopbackUrl('https://api.openai.com/v1'));
  assert.ok(!isLoopbackUrl('not a url'));
  assert.equal(keyOrigin('https://api.openai.com/v1'), 'https://api.openai.com');
  assert.equal(keyOrigin('file:///etc/passwd'), undefined);
});

test('a draft coming back from the webview is used only with a draft\'s shape', () => {
  const draft: ReplayDraft = {
    baseUrl: 'http://127.0.0.1:1/v1',
    model: 'm',
    messages: [{ role: 'assistant', content: '', toolCalls: [{ id: 'c', name: 'f', arguments: '{}' }] }, { role: 'tool', content: 'x', toolCallId: 'c' }],
    params: { temperature: 0.5, stop: ['END'] },
    tools: '',
  };
  assert.ok(isReplayDraft(draft));
  const broken: unknown[] = [
    null,
    'draft',
    { ...draft, model: 7 },
    { ...draft, params: { temperature: Number.NaN } },
    { ...draft, params: { max_tokens: '64' } },
    { ...draft, params: { stop: [1] } },
    { ...draft, messages: [{ role: 'admin', content: 'x' }] },
    { ...draft, messages: [{ role: 'user', content: { html: '<b>' } }] },
    { ...draft, messages: [{ role: 'assistant', content: '', toolCalls: [{ name: 'f' }] }] },
    { ...draft, tools: [] },
    { ...draft, messages: [{ role: 'user', content: 'x', images: [{ src: 'x' }] }] },
  ];
  for (const value of broken) assert.equal(isReplayDraft(value), false, JSON.stringify(value));
});

test('beyond this machine only from a trusted workspace; only to http(s)', () => {
  assert.deepEqual(replayDestination('http://127.0.0.1:8787/v1', false), { origin: 'http://127.0.0.1:8787' });
  assert.deepEqual(replayDestination('http://localhost:11434/v1', false), { origin: 'http://localhost:11434' });
  assert.deepEqual(replayDestination('https://api.openai.com/v1', true), { origin: 'https://api.openai.com' });
  const untrusted = replayDestination('https://api.openai.com/v1', false);
  assert.ok('refusal' in untrusted && untrusted.untrusted);
  assert.match(untrusted.refusal, /^Replaying to https:\/\/api\.openai\.com sends this prompt beyond this machine, which an untrusted workspace does not allow/);
  // A host that only looks local is not.
  assert.ok('refusal' in replayDestination('http://127.0.0.1.example.com/v1', false));
  for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'api.openai.com/v1', '']) {
    const refused = replayDestination(url, true);
    assert.ok('refusal' in refused && !refused.untrusted, url);
    assert.match(refused.refusal, /must be an http:\/\/ or https:\/\/ URL/);
  }
});

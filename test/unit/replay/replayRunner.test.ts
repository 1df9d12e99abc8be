// Replays through the real `openai` SDK to a fake OpenAI-compatible server on loopback (a peer on the
// wire, test/support/fakeOpenAI.ts): the answer, the usage, and each way a run can fail.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import { chatRequestOf, replayRequestOf } from '../../../src/replay/replayDraft';
import { runChatReplay, runReplay } from '../../../src/replay/replayRunner';
import type { ReplayDraft } from '../../../src/protocol/replay';
import { startFakeOpenAI, type FakeOpenAIServer } from '../../support/fakeOpenAI';
import { storedToolCall, TRACK_PARCEL_PARAMETERS } from '../../support/storedToolCall';

let fake: FakeOpenAIServer;
before(async () => {
  fake = await startFakeOpenAI();
});
after(() => fake.close());

function request(draft: Partial<ReplayDraft>) {
  const built = chatRequestOf({ baseUrl: fake.url, model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }], params: {}, tools: '', ...draft });
  assert.ok('request' in built);
  return built.request;
}

/**
 * A one-off OpenAI-compatible peer on loopback for `run`: `answer` writes the response to each request,
 * whose JSON body is also kept in `bodies`, in order.
 */
async function withPeer(answer: (body: Record<string, unknown>, res: ServerResponse) => void, run: (baseUrl: string, bodies: Record<string, unknown>[]) => Promise<void>): Promise<void> {
  const bodies: Record<string, unknown>[] = [];
  const server = createHttpServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw) as Record<string, unknown>;
      bodies.push(body);
      res.setHeader('content-type', 'application/json');
      answer(body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as { port: number }).port}/v1`, bodies);
  } finally {
    server.close();
  }
}

/** A 400 with OpenAI's error body. */
function refuse(res: ServerResponse, error: Record<string, unknown>): void {
  res.statusCode = 400;
  res.end(JSON.stringify({ error }));
}

test('an edited prompt is sent as edited, and its answer and usage come back', async () => {
  const before = fake.requests.length;
  const outcome = await runChatReplay(
    request({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Is order 7 shipped yet?' }], params: { temperature: 0 } }),
    { baseUrl: fake.url, apiKey: 'sk-test' },
  );
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.error);
  assert.equal(outcome.messages.length, 1);
  assert.equal(outcome.messages[0].content, 'This is a deterministic reply from the fake OpenAI server. You said: "Is order 7 shipped yet?"');
  assert.equal(outcome.messages[0].finishReason, 'stop');
  assert.ok((outcome.usage.inputTokens ?? 0) > 0 && (outcome.usage.outputTokens ?? 0) > 0);
  assert.ok(outcome.latencyMs >= 0);
  const sent = fake.requests[before];
  assert.equal(sent.path, '/v1/chat/completions');
  assert.deepEqual((sent.body as { messages: unknown }).messages, [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Is order 7 shipped yet?' }]);
  assert.equal((sent.body as { temperature: unknown }).temperature, 0);
});

test('a user message\'s images go to the server as image parts after its text', async () => {
  const before = fake.requests.length;
  const image = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
  const outcome = await runChatReplay(request({ messages: [{ role: 'user', content: 'What is this?', images: [{ url: image, mimeType: 'image/png' }] }] }), { baseUrl: fake.url, apiKey: 'sk-test' });
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.error);
  assert.deepEqual((fake.requests[before].body as { messages: unknown }).messages, [
    { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: image } }] },
  ]);
});

test('tools offered come back as tool calls, and a tool result is answered', async () => {
  const tools = JSON.stringify([{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }]);
  const call = await runChatReplay(request({ messages: [{ role: 'user', content: 'Weather in Paris?' }], tools }), { baseUrl: fake.url, apiKey: 'sk-test' });
  assert.ok(call.ok);
  assert.equal(call.messages[0].toolCalls?.[0].name, 'get_weather');
  assert.equal(call.messages[0].finishReason, 'tool_calls');
  const answer = await runChatReplay(
    request({
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: '', toolCalls: call.messages[0].toolCalls },
        { role: 'tool', content: 'Sunny, 21 °C' },
      ],
      tools,
    }),
    { baseUrl: fake.url, apiKey: 'sk-test' },
  );
  assert.ok(answer.ok);
  assert.equal(answer.messages[0].content, 'According to get_weather: Sunny, 21 °C.');
  // As OpenAI's APIs do, the fake refuses a call that no tool message answers (here a user turn holds the
  // result, as Anthropic's API has it): what a replay must never send.
  const unanswered: ReplayDraft = {
    baseUrl: fake.url,
    model: 'gpt-4o-mini',
    messages: [
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: '', toolCalls: call.messages[0].toolCalls },
      { role: 'user', content: 'Sunny, 21 °C' },
    ],
    params: {},
    tools,
  };
  for (const api of ['chat', 'responses'] as const) {
    const built = replayRequestOf({ ...unanswered, api });
    assert.ok('request' in built);
    const refused = await runReplay(built.request, { baseUrl: fake.url, apiKey: 'sk-test' });
    assert.ok(!refused.ok);
    assert.match(refused.error, /answered 400: .*(did not have response messages:|No tool output found for function call) call_/, api);
  }
});

test('through the Responses API: the request as that API takes it, and its answer, usage and tool calls, whole or streamed', async () => {
  const responsesRequest = (draft: Partial<ReplayDraft>) => {
    const built = replayRequestOf({ api: 'responses', baseUrl: fake.url, model: 'gpt-4o-mini', messages: [], params: {}, tools: '', ...draft });
    assert.ok('request' in built, 'error' in built ? built.error : '');
    return built.request;
  };
  const asked = responsesRequest({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Is order 7 shipped yet?' }], params: { max_tokens: 200 } });
  const before = fake.requests.length;
  const whole = await runReplay(asked, { baseUrl: fake.url, apiKey: 'sk-test' });
  assert.ok(whole.ok, whole.ok ? '' : whole.error);
  const sent = fake.requests[before];
  assert.equal(sent.path, '/v1/responses');
  assert.deepEqual((sent.body as { input: unknown }).input, [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Is order 7 shipped yet?' }]);
  assert.equal((sent.body as { max_output_tokens: unknown }).max_output_tokens, 200);
  assert.deepEqual(whole.messages, [{ role: 'assistant', content: 'This is a deterministic reply from the fake OpenAI server. You said: "Is order 7 shipped yet?"' }]);
  assert.ok((whole.usage.inputTokens ?? 0) > 0 && (whole.usage.outputTokens ?? 0) > 0 && whole.usage.totalTokens === (whole.usage.inputTokens ?? 0) + (whole.usage.outputTokens ?? 0));
  assert.equal(whole.model, 'gpt-4o-mini-2024-07-18');

  const texts: string[] = [];
  const streamed = await runReplay(asked, { baseUrl: fake.url, apiKey: 'sk-test', onText: (text) => texts.push(text) });
  assert.equal((fake.requests[before + 1].body as { stream?: boolean }).stream, true);
  assert.deepEqual({ ...streamed, latencyMs: 0 }, { ...whole, latencyMs: 0 });
  assert.ok(texts.length > 1, `the text came in ${texts.length} pieces`);
  assert.equal(texts[texts.length - 1], whole.messages[0].content);

  // Tools in the draft's Chat Completions JSON are offered as Responses tools; the call comes back as a tool call.
  const tools = JSON.stringify([{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }]);
  const call = await runReplay(responsesRequest({ messages: [{ role: 'user', content: 'Weather in Paris?' }], tools }), { baseUrl: fake.url, apiKey: 'sk-test', onText: () => undefined });
  assert.ok(call.ok, call.ok ? '' : call.error);
  const toolCall = call.messages[0].toolCalls?.[0];
  assert.equal(toolCall?.name, 'get_weather');
  assert.match(toolCall?.id ?? '', /^call_/);
  const answer = await runReplay(
    responsesRequest({ messages: [{ role: 'user', content: 'Weather in Paris?' }, { role: 'assistant', content: '', toolCalls: call.messages[0].toolCalls }, { role: 'tool', content: 'Sunny, 21 °C' }], tools }),
    { baseUrl: fake.url, apiKey: 'sk-test' },
  );
  assert.ok(answer.ok, answer.ok ? '' : answer.error);
  assert.equal(answer.messages[0].content, 'According to get_weather: Sunny, 21 °C.');

  // A failure says why, as through Chat Completions.
  const failed = await runReplay(responsesRequest({ model: 'fail-401', messages: [{ role: 'user', content: 'hi' }] }), { baseUrl: fake.url, apiKey: 'sk-test' });
  assert.ok(!failed.ok);
  assert.match(failed.error, /answered 401: .*Check the API key/);
});

test('Responses: a call that continued a stored response is sent with its id, and the server answers from the turns it keeps', async () => {
  const tools = JSON.stringify([{ type: 'function', function: { name: 'track_parcel', parameters: TRACK_PARCEL_PARAMETERS } }]);
  const { responseId: previousResponseId, callId } = await storedToolCall(fake.url);
  // The app's next call, as recorded: only the tool's output, continuing the first response.
  const continued: ReplayDraft = { api: 'responses', baseUrl: fake.url, model: 'gpt-4o-mini', messages: [{ role: 'tool', content: 'In Lyon', toolCallId: callId }], params: {}, tools, previousResponseId };
  const built = replayRequestOf(continued);
  assert.ok('request' in built && built.request.api === 'responses');
  assert.equal(built.request.body.previous_response_id, previousResponseId);
  const answer = await runReplay(built.request, { baseUrl: fake.url, apiKey: 'sk-test' });
  assert.ok(answer.ok, answer.ok ? '' : answer.error);
  assert.equal(answer.messages[0].content, 'According to track_parcel: In Lyon.');
  // Without the id, the output answers no call the request holds: refused, as the API does.
  const { previousResponseId: _id, ...alone } = continued;
  const orphan = replayRequestOf(alone);
  assert.ok('request' in orphan);
  const refused = await runReplay(orphan.request, { baseUrl: fake.url, apiKey: 'sk-test' });
  assert.ok(!refused.ok);
  assert.match(refused.error, /answered 400: No tool call found for function call output/);
  // A response the server no longer keeps is named in its answer.
  const gone = replayRequestOf({ ...continued, previousResponseId: 'resp_gone' });
  assert.ok('request' in gone);
  const missing = await runReplay(gone.request, { baseUrl: fake.url, apiKey: 'sk-test' });
  assert.ok(!missing.ok);
  assert.match(missing.error, /Previous response with id 'resp_gone' not found/);
});

test('Responses: a reasoning summary is shown before the text, a response cut short says why, and a server that does not stream is asked again', async () => {
  const answer = (body: Record<string, unknown>, res: ServerResponse) => {
    if (body.stream) return refuse(res, { message: 'stream is not supported by this server', type: 'invalid_request_error' });
    res.end(
      JSON.stringify({
        id: 'resp_1',
        object: 'response',
        created_at: 1,
        model: 'local-reasoner',
        status: 'incomplete',
        incomplete_details: { reason: 'max_output_tokens' },
        output: [
          { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'The user wants a haiku.' }] },
          { type: 'message', id: 'msg_1', role: 'assistant', status: 'incomplete', content: [{ type: 'output_text', text: 'Autumn moonlight—', annotations: [] }] },
        ],
        usage: { input_tokens: 12, input_tokens_details: { cached_tokens: 4 }, output_tokens: 30, output_tokens_details: { reasoning_tokens: 25 }, total_tokens: 42 },
      }),
    );
  };
  await withPeer(answer, async (baseUrl, bodies) => {
    const built = replayRequestOf({ api: 'responses', baseUrl, model: 'local-reasoner', messages: [{ role: 'user', content: 'A haiku, please.' }], params: {}, tools: '' });
    assert.ok('request' in built);
    const texts: string[] = [];
    const outcome = await runReplay(built.request, { baseUrl, apiKey: 'sk-test', onText: (t) => texts.push(t) });
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.error);
    assert.deepEqual(bodies.map((b) => b.stream === true), [true, false]);
    assert.deepEqual(outcome.messages, [
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'The user wants a haiku.' },
          { type: 'text', text: 'Autumn moonlight—' },
        ],
        finishReason: 'max_output_tokens',
      },
    ]);
    assert.deepEqual(outcome.usage, { inputTokens: 12, outputTokens: 30, totalTokens: 42, cachedInputTokens: 4, reasoningTokens: 25 });
    assert.equal(outcome.model, 'local-reasoner');
  });
});

test('streamed, the answer grows as it arrives and ends as the same outcome as asked for whole', async () => {
  const tools = JSON.stringify([{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }]);
  for (const draft of [{ messages: [{ role: 'user' as const, content: 'Tell me about the parcel that arrived damaged in Lyon last week.' }] }, { messages: [{ role: 'user' as const, content: 'Weather in Paris?' }], tools }]) {
    const whole = await runChatReplay(request(draft), { baseUrl: fake.url, apiKey: 'sk-test' });
    const texts: string[] = [];
    const before = fake.requests.length;
    const streamedOutcome = await runChatReplay(request(draft), { baseUrl: fake.url, apiKey: 'sk-test', onText: (text) => texts.push(text) });
    assert.ok(whole.ok && streamedOutcome.ok);
    assert.equal((fake.requests[before].body as { stream?: boolean }).stream, true);
    assert.deepEqual({ ...streamedOutcome, latencyMs: 0 }, { ...whole, latencyMs: 0 });
    if (whole.messages[0].toolCalls) assert.deepEqual(texts, [], 'a tool call has no text to show');
    else {
      assert.ok(texts.length > 1, `the text came in ${texts.length} pieces`);
      for (let i = 1; i < texts.length; i++) assert.ok(texts[i].startsWith(texts[i - 1]) && texts[i].length > texts[i - 1].length);
      assert.equal(texts[texts.length - 1], whole.messages[0].content);
    }
  }
});

test('a server that does not stream is asked again for the whole answer', async () => {
  const answer = (body: Record<string, unknown>, res: ServerResponse) => {
    if (body.stream) return refuse(res, { message: 'stream_options is not supported', type: 'invalid_request_error' });
    res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'local-model', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'whole answer' } }] }));
  };
  await withPeer(answer, async (baseUrl, bodies) => {
    const texts: string[] = [];
    const outcome = await runChatReplay(request({}), { baseUrl, apiKey: 'sk-test', onText: (t) => texts.push(t) });
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.error);
    assert.equal(outcome.messages[0].content, 'whole answer');
    assert.deepEqual(bodies.map((b) => b.stream === true), [true, false]);
    assert.deepEqual(texts, []);
  });
});

test('a model that takes its output limit only as max_completion_tokens gets it so, streamed or not', async () => {
  const answer = (body: Record<string, unknown>, res: ServerResponse) => {
    if ('max_tokens' in body) {
      return refuse(res, { message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", type: 'invalid_request_error', param: 'max_tokens', code: 'unsupported_parameter' });
    }
    if (body.stream) {
      res.setHeader('content-type', 'text/event-stream');
      for (const piece of ['thought ', 'it over']) res.write(`data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'o4-mini', choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'o4-mini', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'thought it over' } }] }));
  };
  await withPeer(answer, async (baseUrl, bodies) => {
    for (const onText of [undefined, () => undefined]) {
      bodies.length = 0;
      const outcome = await runChatReplay(request({ model: 'o4-mini', params: { max_tokens: 300 } }), { baseUrl, apiKey: 'sk-test', onText });
      assert.ok(outcome.ok, outcome.ok ? '' : outcome.error);
      assert.equal(outcome.messages[0].content, 'thought it over');
      const last = bodies[bodies.length - 1];
      assert.equal(last.max_completion_tokens, 300);
      assert.ok(!('max_tokens' in last));
    }
    // Without a limit to rename, the refusal is the answer.
    const other = await runChatReplay(request({ model: 'fail-400' }), { baseUrl: fake.url, apiKey: 'sk-test' });
    assert.ok(!other.ok);
  });
});

test('a failure says what the endpoint answered, and never the key', async () => {
  const refused = await runChatReplay(request({ model: 'fail-429' }), { baseUrl: fake.url, apiKey: 'sk-secret-key-123' });
  assert.ok(!refused.ok);
  assert.match(refused.error, new RegExp(`^${fake.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} answered 429: \\S`));
  assert.doesNotMatch(refused.error, /sk-secret/);
  const unauthorized = await runChatReplay(request({ model: 'fail-401' }), { baseUrl: fake.url, apiKey: 'sk-test' });
  assert.ok(!unauthorized.ok);
  assert.match(unauthorized.error, /answered 401: .*Check the API key/);
});

test('a server that is not there, one that is too slow, and a cancel each end the run with a reason', async () => {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => resolve(free));
    });
  });
  const nowhere = `http://127.0.0.1:${port}/v1`;
  const unreachable = await runChatReplay(request({}), { baseUrl: nowhere, apiKey: 'sk-test' });
  assert.ok(!unreachable.ok);
  assert.match(unreachable.error, new RegExp(`^Could not reach ${nowhere.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*Check the base URL`));

  // A server that takes the request and never answers.
  const silent = createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const slow = await runChatReplay(request({}), { baseUrl: `http://127.0.0.1:${(silent.address() as { port: number }).port}/v1`, apiKey: 'sk-test', timeoutMs: 100 });
    assert.ok(!slow.ok);
    assert.match(slow.error, /did not answer in time/);
  } finally {
    silent.close();
  }

  const controller = new AbortController();
  const running = runChatReplay(request({}), { baseUrl: fake.url, apiKey: 'sk-test', signal: controller.signal });
  controller.abort();
  const cancelled = await running;
  assert.ok(!cancelled.ok);
  assert.equal(cancelled.error, 'Cancelled.');
});

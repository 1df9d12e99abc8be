// A fake OpenAI-compatible HTTP server: a real peer on the wire for the fixture generator, replay tests and the demo.
//
//   const fake = await startFakeOpenAI();           // 127.0.0.1, ephemeral port
//   const client = new OpenAI({ baseURL: fake.url, apiKey: 'test' });
//   ... fake.requests holds every request received ...
//   await fake.close();
//
// Endpoints: POST /v1/chat/completions (JSON, or SSE with `stream: true`, final usage chunk with
// `stream_options.include_usage`), POST /v1/embeddings (float or base64), POST /v1/responses (JSON or SSE),
// GET /v1/models. Replies are deterministic (see fakeOpenAIReplies.ts): offered tools + a user turn → a tool
// call; a tool result → a text answer quoting it; `n` > 1 → several choices.
//
// Failures on demand: a model named `fail-<status>` (`fail-429`, `fail-500`, any other `fail-*` → 500), or the
// header `x-fake-error: <status>`, answers with OpenAI's error JSON. Errors carry `x-should-retry: false` so the
// SDK fails at once instead of retrying with backoff. `x-fake-delay-ms: <ms>` delays the reply (slow-call demos).
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  LISTED_MODELS,
  parseToolChoice,
  planTurn,
  planUsage,
  responseModelFor,
  stableId,
  unansweredCallId,
  type ConversationMessage,
  type OfferedTool,
  type PlannedTurn,
  type PlannedUsage,
} from './fakeOpenAIReplies';
import { handleResponses } from './fakeOpenAIResponses';
import { contentText, isObject, listenFake, recordRequest, sendJson, splitForStreaming, startSse, writeSse, type JsonObject, type RecordedRequest } from './fakeOpenAIWire';

export type { RecordedRequest } from './fakeOpenAIWire';

export interface FakeOpenAIOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the fake never listens beyond loopback unless asked. */
  host?: string;
}

export interface FakeOpenAIServer {
  /** Base URL ending in `/v1`, ready for `new OpenAI({ baseURL })`. */
  url: string;
  port: number;
  /** Every request in arrival order (including failed ones). */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeOpenAI(opts: FakeOpenAIOptions = {}): Promise<FakeOpenAIServer> {
  const host = opts.host ?? '127.0.0.1';
  const requests: RecordedRequest[] = [];
  const server = await listenFake(
    (req, res) => {
      handle(req, res, requests).catch((err: unknown) => {
        sendError(res, 500, 'server_error', `fake server bug: ${err instanceof Error ? err.message : String(err)}`);
      });
    },
    host,
    opts.port ?? 0,
  );
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return { url: `http://${urlHost}:${server.port}/v1`, port: server.port, requests, close: server.close };
}

async function handle(req: IncomingMessage, res: ServerResponse, requests: RecordedRequest[]): Promise<void> {
  const { method, path, body } = await recordRequest(req, requests);
  res.setHeader('x-request-id', stableId('req_', requests.length, path));

  const delayMs = Number(header(req, 'x-fake-delay-ms') ?? 0);
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));

  if (method === 'GET' && path === '/v1/models') return sendJson(res, 200, listModels());
  if (method !== 'POST' || !['/v1/chat/completions', '/v1/embeddings', '/v1/responses'].includes(path)) {
    return sendError(res, 404, 'invalid_request_error', `Invalid URL (${method} ${path})`);
  }
  if (!isObject(body)) return sendError(res, 400, 'invalid_request_error', 'We could not parse the JSON body of your request.');
  const model = typeof body.model === 'string' ? body.model : '';
  if (!model) return sendError(res, 400, 'invalid_request_error', 'you must provide a model parameter', 'model');

  const failure = requestedFailure(req, model);
  if (failure) return sendFailure(res, failure, model);

  if (path === '/v1/chat/completions') return chatCompletions(res, body, model);
  if (path === '/v1/embeddings') return embeddings(res, body, model);
  return handleResponses(res, body, model);
}

// ---------------------------------------------------------------------------------------------------------------
// Chat Completions

function chatCompletions(res: ServerResponse, body: JsonObject, model: string): void {
  const conversation = chatConversation(body.messages);
  const unanswered = unansweredCallId(conversation);
  if (unanswered !== undefined) {
    // The API's own words.
    const message = `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${unanswered}`;
    return sendError(res, 400, 'invalid_request_error', message, 'messages');
  }
  const tools = chatTools(body.tools);
  const toolChoice = parseToolChoice(body.tool_choice);
  const n = typeof body.n === 'number' && body.n > 1 ? Math.min(Math.floor(body.n), 8) : 1;
  const turns = Array.from({ length: n }, (_, i) => planTurn(conversation, tools, toolChoice, i));
  const usage = planUsage(model, conversation, turns.map(turnText).join(''));
  const id = stableId('chatcmpl-', body);
  const created = Math.floor(Date.now() / 1000);
  const responseModel = responseModelFor(model);

  if (body.stream === true) {
    const streamOptions = isObject(body.stream_options) ? body.stream_options : {};
    return streamChat(res, { id, created, model: responseModel, turns, usage: streamOptions.include_usage === true ? usage : undefined });
  }
  sendJson(res, 200, {
    id,
    object: 'chat.completion',
    created,
    model: responseModel,
    choices: turns.map((turn, index) => ({
      index,
      message:
        turn.kind === 'text'
          ? { role: 'assistant', content: turn.text, refusal: null, annotations: [] }
          : { role: 'assistant', content: null, refusal: null, annotations: [], tool_calls: turn.calls.map(wireToolCall) },
      logprobs: null,
      finish_reason: turn.kind === 'text' ? 'stop' : 'tool_calls',
    })),
    usage: chatUsage(usage),
    service_tier: 'default',
    system_fingerprint: 'fp_fake',
  });
}

interface ChatStream {
  id: string;
  created: number;
  model: string;
  turns: PlannedTurn[];
  usage?: PlannedUsage;
}

/** Streams like the real API: a role chunk, content (or tool-call argument) pieces, a finish chunk per choice, then the usage chunk with no choices. */
function streamChat(res: ServerResponse, stream: ChatStream): void {
  startSse(res);
  const chunk = (choices: unknown[], usage?: PlannedUsage) => ({
    id: stream.id,
    object: 'chat.completion.chunk',
    created: stream.created,
    model: stream.model,
    service_tier: 'default',
    system_fingerprint: 'fp_fake',
    choices,
    // With include_usage every chunk carries `usage: null` except the last one.
    ...(stream.usage ? { usage: usage ? chatUsage(usage) : null } : {}),
  });
  const delta = (index: number, d: JsonObject, finish: string | null = null) => ({ index, delta: d, logprobs: null, finish_reason: finish });
  stream.turns.forEach((turn, index) => {
    if (turn.kind === 'text') {
      writeSse(res, chunk([delta(index, { role: 'assistant', content: '', refusal: null })]));
      for (const piece of splitForStreaming(turn.text)) writeSse(res, chunk([delta(index, { content: piece })]));
      writeSse(res, chunk([delta(index, {}, 'stop')]));
      return;
    }
    turn.calls.forEach((call, callIndex) => {
      const head = { index: callIndex, id: call.id, type: 'function', function: { name: call.name, arguments: '' } };
      writeSse(res, chunk([delta(index, callIndex === 0 ? { role: 'assistant', content: null, tool_calls: [head] } : { tool_calls: [head] })]));
      for (const piece of splitForStreaming(call.arguments)) {
        writeSse(res, chunk([delta(index, { tool_calls: [{ index: callIndex, function: { arguments: piece } }] })]));
      }
    });
    writeSse(res, chunk([delta(index, {}, 'tool_calls')]));
  });
  if (stream.usage) writeSse(res, chunk([], stream.usage));
  res.end('data: [DONE]\n\n');
}

function chatConversation(messages: unknown): ConversationMessage[] {
  if (!Array.isArray(messages)) return [];
  return messages.filter(isObject).map((m) => ({
    role: typeof m.role === 'string' ? m.role : 'user',
    text: contentText(m.content),
    toolCallId: typeof m.tool_call_id === 'string' ? m.tool_call_id : undefined,
    toolCalls: Array.isArray(m.tool_calls)
      ? m.tool_calls.filter(isObject).map((c) => ({ id: String(c.id ?? ''), name: String(isObject(c.function) ? c.function.name : '') }))
      : undefined,
  }));
}

function chatTools(tools: unknown): OfferedTool[] {
  if (!Array.isArray(tools)) return [];
  return tools
    .filter(isObject)
    .map((t) => (isObject(t.function) ? t.function : t))
    .filter((f) => typeof f.name === 'string')
    .map((f) => ({ name: f.name as string, parameters: f.parameters }));
}

function wireToolCall(call: { id: string; name: string; arguments: string }) {
  return { id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } };
}

function chatUsage(usage: PlannedUsage) {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.totalTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function turnText(turn: PlannedTurn): string {
  return turn.kind === 'text' ? turn.text : turn.calls.map((c) => c.name + c.arguments).join('');
}

// ---------------------------------------------------------------------------------------------------------------
// Embeddings

const DEFAULT_EMBEDDING_DIMENSIONS = 8; // small on purpose: OpenInference records vectors, and fixtures stay small

function embeddings(res: ServerResponse, body: JsonObject, model: string): void {
  const inputs: unknown[] = Array.isArray(body.input) && !body.input.every((x) => typeof x === 'number') ? body.input : [body.input];
  const dimensions = typeof body.dimensions === 'number' && body.dimensions > 0 ? Math.min(body.dimensions, 3072) : DEFAULT_EMBEDDING_DIMENSIONS;
  // The openai SDK asks for base64 unless told otherwise and decodes little-endian float32 itself.
  const base64 = body.encoding_format === 'base64';
  let promptTokens = 0;
  const data = inputs.map((input, index) => {
    const text = typeof input === 'string' ? input : JSON.stringify(input);
    promptTokens += Math.max(1, Math.ceil(text.length / 4));
    const vector = embeddingVector(text, dimensions);
    return { object: 'embedding', index, embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector };
  });
  sendJson(res, 200, { object: 'list', data, model: responseModelFor(model), usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } });
}

/** A unit-length vector derived from a hash of the text: equal texts embed equally. */
function embeddingVector(text: string, dimensions: number): number[] {
  const seed = stableId('', text);
  const raw = Array.from({ length: dimensions }, (_, i) => (parseInt(seed.slice((i * 2) % 22, ((i * 2) % 22) + 2), 16) - 127.5) / 127.5);
  const norm = Math.hypot(...raw) || 1;
  return raw.map((x) => Math.round((x / norm) * 1e6) / 1e6);
}

// ---------------------------------------------------------------------------------------------------------------
// Models, failures, plumbing

function listModels() {
  return { object: 'list', data: LISTED_MODELS.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'openai' })) };
}

function requestedFailure(req: IncomingMessage, model: string): number | undefined {
  const forced = header(req, 'x-fake-error');
  if (forced && /^\d{3}$/.test(forced)) return Number(forced);
  if (!model.startsWith('fail-')) return undefined;
  const status = Number(/^fail-(\d{3})$/.exec(model)?.[1] ?? 500);
  return status >= 400 && status <= 599 ? status : 500;
}

function sendFailure(res: ServerResponse, status: number, model: string): void {
  if (status === 429) {
    return sendError(res, 429, 'requests', `Rate limit reached for ${model} on requests per min (RPM): Limit 3, Used 3, Requested 1. (fake)`, null, 'rate_limit_exceeded');
  }
  if (status === 401) return sendError(res, 401, 'invalid_request_error', 'Incorrect API key provided. (fake)', null, 'invalid_api_key');
  if (status < 500) return sendError(res, status, 'invalid_request_error', `The fake server rejected this request for ${model}.`);
  return sendError(res, status, 'server_error', 'The server had an error while processing your request. Sorry about that! (fake)');
}

function sendError(res: ServerResponse, status: number, type: string, message: string, param: string | null = null, code: string | null = null): void {
  if (res.headersSent) return void res.end();
  res.setHeader('x-should-retry', 'false');
  sendJson(res, status, { error: { message, type, param, code } });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

// A fake Anthropic Messages API: a real peer on the wire for the fixture generator's Anthropic scenarios.
//
//   const fake = await startFakeAnthropic();           // 127.0.0.1, ephemeral port
//   const client = new Anthropic({ baseURL: fake.url, apiKey: 'test' });
//   ... fake.requests holds every request received ...
//   await fake.close();
//
// Endpoint: POST /v1/messages (JSON, or SSE with `stream: true`). Replies depend on the request alone, so captures
// are stable: tool results in the last user turn → a text answer quoting them; tools offered and a user question →
// a short text and a tool_use of the first tool; otherwise a text answer quoting the user. `thinking: {type:
// 'enabled'}` puts a thinking block first. The reply names the dated snapshot of the requested alias.
//
// Failures on demand, as in fakeOpenAI.ts: a model named `fail-<status>`, or the header `x-fake-error: <status>`,
// answers with Anthropic's error JSON and `x-should-retry: false`, so the SDK fails at once.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { countTokens, stableId } from './fakeOpenAIReplies';
import { isObject, listenFake, recordRequest, sendJson, splitForStreaming, startSse, writeSse, type JsonObject, type RecordedRequest } from './fakeOpenAIWire';

export interface FakeAnthropicServer {
  /** Base URL without `/v1` (the Anthropic SDK adds it), ready for `new Anthropic({ baseURL })`. */
  url: string;
  port: number;
  /** Every request in arrival order (including failed ones). */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const SNAPSHOTS: Record<string, string> = {
  'claude-sonnet-4-5': 'claude-sonnet-4-5-20250929',
  'claude-haiku-4-5': 'claude-haiku-4-5-20251001',
  'claude-opus-4-1': 'claude-opus-4-1-20250805',
};

/** What an image costs here: a flat count, where the real API charges about width × height / 750. */
const IMAGE_TOKENS = 85;

type Block =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'tool_use'; id: string; name: string; input: JsonObject };

interface Usage {
  input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
  output_tokens: number;
  thinking_tokens?: number;
}

export async function startFakeAnthropic(): Promise<FakeAnthropicServer> {
  const requests: RecordedRequest[] = [];
  const server = await listenFake(
    (req, res) => {
      handle(req, res, requests).catch((err: unknown) => sendError(res, 500, `fake server bug: ${err instanceof Error ? err.message : String(err)}`));
    },
    '127.0.0.1',
    0,
  );
  return { url: `http://127.0.0.1:${server.port}`, port: server.port, requests, close: server.close };
}

async function handle(req: IncomingMessage, res: ServerResponse, requests: RecordedRequest[]): Promise<void> {
  const { path, headers, body } = await recordRequest(req, requests);
  res.setHeader('request-id', stableId('req_', requests.length, path));

  if (req.method !== 'POST' || path !== '/v1/messages') return sendError(res, 404, `Not found: ${req.method ?? 'GET'} ${path}`);
  if (!isObject(body) || typeof body.model !== 'string' || !Array.isArray(body.messages)) return sendError(res, 400, 'model and messages are required');
  const status = Number(headers['x-fake-error'] || /^fail-(\d{3})$/.exec(body.model)?.[1] || (body.model.startsWith('fail-') ? 500 : 0));
  if (status) return sendError(res, status, `The fake server failed this request on purpose (${status}).`);

  const content = reply(body);
  const usage = planUsage(body, content);
  const message = {
    id: stableId('msg_', body),
    type: 'message',
    role: 'assistant',
    model: SNAPSHOTS[body.model] ?? body.model,
    content,
    stop_reason: content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: wireUsage(usage),
  };
  if (body.stream === true) return stream(res, message, usage);
  sendJson(res, 200, message);
}

/** The assistant's content blocks (see the header for the rules). */
function reply(body: JsonObject): Block[] {
  const messages = (body.messages as unknown[]).filter(isObject);
  const lastTurn = blocksOf(messages[messages.length - 1]?.content);
  const results = lastTurn.filter((b) => b.type === 'tool_result');
  const question = lastTurn.filter((b) => b.type === 'text').map((b) => String(b.text)).join(' ');
  const tool = Array.isArray(body.tools) ? body.tools.find(isObject) : undefined;
  const blocks: Block[] = [];
  if (isObject(body.thinking) && body.thinking.type === 'enabled') {
    const thinking = `The user asked: "${question}". One short sentence will do.`;
    blocks.push({ type: 'thinking', thinking, signature: Buffer.from(stableId('sig_', thinking)).toString('base64') });
  }
  if (results.length > 0) {
    blocks.push({ type: 'text', text: `According to the tool: ${results.map((r) => textOf(r.content)).join('; ')}.` });
  } else if (tool && typeof tool.name === 'string') {
    blocks.push({ type: 'text', text: `I'll call ${tool.name}.` });
    blocks.push({ type: 'tool_use', id: stableId('toolu_', messages, tool.name), name: tool.name, input: toolInput(tool.input_schema, question) });
  } else {
    blocks.push({ type: 'text', text: `This is a deterministic reply from the fake Anthropic server. You said: "${question}"` });
  }
  return blocks;
}

/** The tool's required properties, filled: an enum's first value, a place named in the question ("… in Paris"). */
function toolInput(schema: unknown, question: string): JsonObject {
  const properties = isObject(schema) && isObject(schema.properties) ? schema.properties : {};
  const required = isObject(schema) && Array.isArray(schema.required) ? schema.required.map(String) : Object.keys(properties);
  const place = /\bin ([A-Z][\p{L}-]*)/u.exec(question)?.[1] ?? 'Paris';
  const input: JsonObject = {};
  for (const name of required) {
    const property = isObject(properties[name]) ? properties[name] : {};
    input[name] = Array.isArray(property.enum) ? property.enum[0] : /location|city|place/i.test(name) ? place : 'example';
  }
  return input;
}

/**
 * 4 characters a token. Prompt caching without state, so the same request always reports the same usage: the
 * prompt is read in the API's order (tools, system, messages); up to the last `cache_control` breakpoint in tools
 * or system it is read from the cache (as if an earlier conversation had written it), up to the last breakpoint
 * in the messages it is written, and the rest is uncached input. Like the real API, `input_tokens` counts only
 * that rest, and `output_tokens` includes thinking.
 */
function planUsage(body: JsonObject, content: Block[]): Usage {
  let total = 0;
  let readUpTo = 0;
  let writeUpTo = 0;
  const add = (tokens: number, breakpoint: unknown, inMessages: boolean) => {
    total += tokens;
    if (breakpoint === undefined || breakpoint === null) return;
    if (inMessages) writeUpTo = total;
    else readUpTo = writeUpTo = total;
  };
  for (const tool of Array.isArray(body.tools) ? body.tools.filter(isObject) : []) add(countTokens(JSON.stringify(tool)), tool.cache_control, false);
  for (const block of blocksOf(body.system)) add(blockTokens(block), block.cache_control, false);
  for (const message of (body.messages as unknown[]).filter(isObject)) {
    for (const block of blocksOf(message.content)) add(blockTokens(block), block.cache_control, true);
  }
  const thinking = content.find((b) => b.type === 'thinking');
  return {
    input_tokens: total - writeUpTo,
    cache_read_input_tokens: readUpTo,
    cache_creation_input_tokens: writeUpTo - readUpTo,
    output_tokens: content.reduce((sum, b) => sum + blockTokens(b), 0),
    ...(thinking ? { thinking_tokens: countTokens(thinking.thinking) } : {}),
  };
}

function wireUsage(usage: Usage) {
  return {
    input_tokens: usage.input_tokens,
    cache_creation_input_tokens: usage.cache_creation_input_tokens,
    cache_read_input_tokens: usage.cache_read_input_tokens,
    cache_creation: { ephemeral_5m_input_tokens: usage.cache_creation_input_tokens, ephemeral_1h_input_tokens: 0 },
    output_tokens: usage.output_tokens,
    output_tokens_details: usage.thinking_tokens === undefined ? null : { thinking_tokens: usage.thinking_tokens },
    server_tool_use: null,
    service_tier: 'standard',
  };
}

/** The real event sequence: message_start (input usage, no content), ping, each block's start/deltas/stop, message_delta (stop reason, final usage), message_stop. */
function stream(res: ServerResponse, message: { content: Block[]; stop_reason: string; usage: ReturnType<typeof wireUsage> }, usage: Usage): void {
  startSse(res);
  const event = (data: JsonObject) => writeSse(res, data, String(data.type));
  event({ type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { ...message.usage, output_tokens: 1, output_tokens_details: null } } });
  event({ type: 'ping' });
  message.content.forEach((block, index) => {
    const delta = (d: JsonObject) => event({ type: 'content_block_delta', index, delta: d });
    if (block.type === 'text') {
      event({ type: 'content_block_start', index, content_block: { type: 'text', text: '', citations: null } });
      for (const text of splitForStreaming(block.text)) delta({ type: 'text_delta', text });
    } else if (block.type === 'thinking') {
      event({ type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } });
      for (const thinking of splitForStreaming(block.thinking)) delta({ type: 'thinking_delta', thinking });
      delta({ type: 'signature_delta', signature: block.signature });
    } else {
      event({ type: 'content_block_start', index, content_block: { ...block, input: {} } });
      const json = JSON.stringify(block.input);
      for (const partial_json of [json.slice(0, 10), json.slice(10)]) delta({ type: 'input_json_delta', partial_json });
    }
    event({ type: 'content_block_stop', index });
  });
  const { cache_creation: _, service_tier: __, ...deltaUsage } = wireUsage(usage);
  event({ type: 'message_delta', delta: { stop_reason: message.stop_reason, stop_sequence: null }, usage: deltaUsage });
  event({ type: 'message_stop' });
  res.end();
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

function sendError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return void res.end();
  res.setHeader('x-should-retry', 'false');
  if (status === 429) res.setHeader('retry-after', '1');
  const type = ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  sendJson(res, status, { type: 'error', error: { type, message }, request_id: res.getHeader('request-id') ?? null });
}

/** A message's or the system prompt's content as blocks: a string is one text block. */
function blocksOf(content: unknown): JsonObject[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content) ? content.filter(isObject) : [];
}

function blockTokens(block: JsonObject | Block): number {
  switch (block.type) {
    case 'text':
      return countTokens(String(block.text));
    case 'thinking':
      return countTokens(String(block.thinking));
    case 'image':
    case 'document':
      return IMAGE_TOKENS;
    case 'tool_use':
      return countTokens(String(block.name)) + countTokens(JSON.stringify(block.input));
    case 'tool_result':
      return countTokens(textOf(block.content));
    default:
      return countTokens(JSON.stringify(block));
  }
}

function textOf(content: unknown): string {
  return blocksOf(content)
    .map((b) => (typeof b.text === 'string' ? b.text : ''))
    .join('');
}

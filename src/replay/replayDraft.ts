// A captured model call as an editable Chat Completions request (replayStartOf), and that draft as the
// request the `openai` SDK sends (replayRequestOf: Chat Completions, or Responses for a call recorded
// through it). Pure: the panel and the tests use both.
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { ResponseCreateParamsNonStreaming } from 'openai/resources/responses/responses';
import { isRecord } from '../base/isRecord';
import { wholeInlineImage } from '../protocol/inlineImage';
import type { LlmMessage, MessagePart, Span, ToolCall } from '../protocol/model';
import { REPLAY_APIS, REPLAY_ROLES, replayRefusal, type ReplayDraft, type ReplayImage, type ReplayMessage, type ReplayOriginal, type ReplayParams, type ReplayRole } from '../protocol/replay';
import { baseUrlOf } from './endpoints';
import { responsesRequestOf } from './responsesRequest';

export interface ReplayStart {
  draft: ReplayDraft;
  original: ReplayOriginal;
  /** What the draft could not carry over (an image, a role Chat Completions has no name for). */
  warnings: string[];
}

/** Roles of other APIs, as Chat Completions names them. */
const ROLE_ALIASES: Readonly<Record<string, ReplayRole>> = { model: 'assistant', ai: 'assistant', human: 'user', function: 'tool', ipython: 'tool' };

/** The draft of a model call, or why it cannot be replayed. */
export function replayStartOf(span: Span): ReplayStart | { reason: string } {
  const llm = span.llm;
  const reason = replayRefusal(llm);
  // (replayRefusal gives a reason for a span without a call: `!llm` only narrows the type.)
  if (reason !== undefined || !llm) return { reason: reason ?? 'Not a model call.' };
  const warnings: string[] = [];
  const messages = withoutUnansweredCalls(
    llm.inputMessages.flatMap((message, i) => replayMessagesOf(message, i + 1, warnings)),
    warnings,
  );
  const p = llm.params;
  const params: ReplayParams = {};
  if (typeof p.temperature === 'number') params.temperature = p.temperature;
  if (typeof p.top_p === 'number') params.top_p = p.top_p;
  if (typeof p.max_tokens === 'number') params.max_tokens = p.max_tokens;
  if (typeof p.seed === 'number') params.seed = p.seed;
  if (Array.isArray(p.stop) && p.stop.length > 0) params.stop = p.stop.filter((s): s is string => typeof s === 'string');
  // GenAI's reasoning level is read as `reasoning_effort`; a Responses body keeps `reasoning: {effort}`.
  const effort = typeof p.reasoning_effort === 'string' ? p.reasoning_effort : isRecord(p.reasoning) ? p.reasoning.effort : undefined;
  if (typeof effort === 'string' && effort !== '') params.reasoning_effort = effort;
  const tools: ChatCompletionTool[] = (p.tools ?? []).map((t) => ({
    type: 'function',
    function: { name: t.name, ...(t.description ? { description: t.description } : {}), ...(t.parameters !== undefined ? { parameters: t.parameters as Record<string, unknown> } : {}) },
  }));
  const draft: ReplayDraft = {
    baseUrl: baseUrlOf(llm),
    model: llm.requestModel || llm.responseModel || '',
    messages,
    params,
    tools: tools.length > 0 ? JSON.stringify(tools, null, 2) : '',
  };
  // Sent again the way it was sent: a model that answers only through Responses would refuse Chat Completions.
  if (llm.operation === 'responses') draft.api = 'responses';
  // A call that continued a stored response went through Responses, whatever its recorder calls it
  // (OpenInference and MLflow record every model call as a chat), and sends that id again: without it,
  // the conversation would be sent without its earlier turns.
  if (typeof p.previous_response_id === 'string' && p.previous_response_id !== '') {
    draft.api = 'responses';
    draft.previousResponseId = p.previous_response_id;
  }
  // A conversation (the Conversations API) is the server's to change: a run sent in it would add its
  // turns there. So it is not sent, and the draft has only the turns recorded.
  const conversation = typeof p.conversation === 'string' ? p.conversation : isRecord(p.conversation) && typeof p.conversation.id === 'string' ? p.conversation.id : undefined;
  if (conversation) {
    draft.api = 'responses';
    warnings.push(`This call continued conversation ${conversation}, whose earlier turns the server keeps. The replay is not sent in it (its turns would be added there), so it has only the messages recorded here.`);
  }
  if (p.tool_choice !== undefined && tools.length > 0) draft.toolChoice = p.tool_choice;
  if (p.response_format !== undefined) draft.responseFormat = responseFormatOf(p.response_format);
  return {
    draft,
    original: { messages: llm.outputMessages, model: llm.responseModel || llm.requestModel, usage: llm.usage, costUsd: llm.costUsd, latencyMs: span.durationMs },
    warnings,
  };
}

function replayMessageOf(message: LlmMessage, position: number, warnings: string[]): ReplayMessage {
  const known = (REPLAY_ROLES as readonly string[]).includes(message.role);
  const role: ReplayRole = known ? (message.role as ReplayRole) : (ROLE_ALIASES[message.role.toLowerCase()] ?? 'user');
  if (!known) warnings.push(`Message ${position}'s role "${message.role}" is sent as "${role}".`);
  const texts: string[] = [];
  let toolCalls = message.toolCalls;
  let toolCallId = message.toolCallId;
  const images: ReplayImage[] = [];
  if (typeof message.content === 'string') texts.push(message.content);
  else {
    const left: string[] = [];
    for (const part of message.content) {
      if (part.type === 'text') texts.push(part.text);
      else if (part.type === 'tool_call') toolCalls = [...(toolCalls ?? []), { id: part.id, name: part.name, arguments: part.arguments }];
      else if (part.type === 'tool_result') {
        texts.push(part.result);
        toolCallId ??= part.id;
      } else if (part.type === 'image' && role === 'user') {
        const image = imageOf(part);
        if (image) images.push(image);
        else left.push('an image that was not recorded whole');
      } else if (part.type === 'reasoning') left.push('its reasoning');
      else left.push(part.type === 'other' ? 'a part of an unknown type' : `its ${part.type}`);
    }
    if (left.length > 0) warnings.push(`Message ${position} is sent without ${[...new Set(left)].join(', ')}.`);
  }
  const replayed: ReplayMessage = { role, content: texts.join('\n') };
  if (toolCalls && toolCalls.length > 0 && role === 'assistant') replayed.toolCalls = toolCalls;
  if (role === 'tool' && toolCallId) replayed.toolCallId = toolCallId;
  if (images.length > 0) replayed.images = images;
  return replayed;
}

/**
 * The tool results of a user message — Anthropic's Messages API answers calls so — as the tool
 * messages Chat Completions and Responses take, one per call. None for a message of another role.
 */
function toolMessagesOf(message: LlmMessage): ReplayMessage[] {
  if (message.role !== 'user') return [];
  if (typeof message.content === 'string') return message.toolCallId ? [{ role: 'tool', content: message.content, toolCallId: message.toolCallId }] : [];
  return message.content.flatMap((part) => (part.type === 'tool_result' ? [{ role: 'tool' as const, content: part.result, ...(part.id ? { toolCallId: part.id } : {}) }] : []));
}

/** What a user message says besides its tool results (toolMessagesOf): often nothing. */
function withoutToolResults(message: LlmMessage): LlmMessage {
  if (typeof message.content === 'string') return { role: message.role, content: '' };
  return { ...message, content: message.content.filter((part) => part.type !== 'tool_result') };
}

/** A recorded message as the draft's messages: itself, or a user message's tool results and then what else it says. */
function replayMessagesOf(message: LlmMessage, position: number, warnings: string[]): ReplayMessage[] {
  const results = toolMessagesOf(message);
  if (results.length === 0) return [replayMessageOf(message, position, warnings)];
  const rest = replayMessageOf(withoutToolResults(message), position, warnings);
  return rest.content === '' && !rest.images?.length ? results : [...results, rest];
}

/**
 * The messages without the tool calls that no tool message after them answers: calls of tools the
 * provider ran itself (a Responses web search, an MCP server: their results, where recorded, are in the
 * message's text), which either API refuses to take back unanswered. Kept all when a later tool message
 * names no call: it may answer any of them.
 */
function withoutUnansweredCalls(messages: ReplayMessage[], warnings: string[]): ReplayMessage[] {
  return messages.map((message, i) => {
    if (message.role !== 'assistant' || !message.toolCalls?.length) return message;
    const later = messages.slice(i + 1).filter((m) => m.role === 'tool');
    if (later.some((m) => !m.toolCallId)) return message;
    const answered = new Set(later.map((m) => m.toolCallId));
    const kept = message.toolCalls.filter((call) => call.id !== undefined && answered.has(call.id));
    if (kept.length === message.toolCalls.length) return message;
    const dropped = message.toolCalls.filter((call) => !kept.includes(call)).map((call) => call.name);
    const one = dropped.length === 1;
    warnings.push(
      `The ${one ? 'call' : 'calls'} to ${[...new Set(dropped)].join(', ')} ${one ? 'is' : 'are'} left out: no tool message answers ${one ? 'it' : 'them'} (a tool the provider ran itself, or a result the recording lacks), and the API refuses an unanswered call.`,
    );
    const { toolCalls: _calls, ...rest } = message;
    return kept.length > 0 ? { ...rest, toolCalls: kept } : rest;
  });
}

/**
 * What an image part can be sent as: its recorded bytes as a `data:` URI when they are a whole picture
 * (not cut short for the store or on the way, line breaks taken out), or the http(s) URL it was recorded with.
 */
function imageOf(part: Extract<MessagePart, { mimeType?: string }>): ReplayImage | undefined {
  const image = wholeInlineImage(part);
  if (image) return { url: image.dataUri, mimeType: image.mimeType };
  if (part.uri && /^(https?:|data:)/i.test(part.uri)) return part.mimeType ? { url: part.uri, mimeType: part.mimeType } : { url: part.uri };
  return undefined;
}

/** A recorded response format: OpenAI's object, or a bare type name (`json_object`) some recorders keep. */
function responseFormatOf(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value === 'text' || value === 'json_object' ? { type: value } : undefined;
  }
}

/** A draft as the `openai` SDK sends it, through the API the draft names. */
export type ReplayRequest = { api: 'chat'; body: ChatCompletionCreateParamsNonStreaming } | { api: 'responses'; body: ResponseCreateParamsNonStreaming };

/** The request a draft sends, or what is wrong with it (said to the user as is). */
export function replayRequestOf(draft: ReplayDraft): { request: ReplayRequest } | { error: string } {
  const chat = chatRequestOf(draft);
  if ('error' in chat) return chat;
  const previous = draft.previousResponseId?.trim();
  if (draft.api !== 'responses') {
    if (previous) return { error: `Chat Completions cannot continue a stored response (${previous}): send the request through Responses, or clear Continues response to send only the messages below.` };
    return { request: { api: 'chat', body: chat.request } };
  }
  const responses = responsesRequestOf(chat.request);
  if ('error' in responses) return responses;
  return { request: { api: 'responses', body: previous ? { ...responses.request, previous_response_id: previous } : responses.request } };
}

/** The Chat Completions request a draft makes (what replayRequestOf sends or converts), or what is wrong with it. */
export function chatRequestOf(draft: ReplayDraft): { request: ChatCompletionCreateParamsNonStreaming } | { error: string } {
  const model = draft.model.trim();
  if (!model) return { error: 'Name the model to send the request to.' };
  if (draft.messages.length === 0) return { error: 'Add at least one message.' };
  let tools: ChatCompletionTool[] | undefined;
  if (draft.tools.trim()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(draft.tools);
    } catch (err) {
      return { error: `The tools are not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (!Array.isArray(parsed)) return { error: 'The tools must be a JSON array, as Chat Completions takes them: [{"type": "function", "function": {…}}].' };
    tools = parsed as ChatCompletionTool[];
  }
  const messages = messageParams(draft.messages);
  if ('error' in messages) return messages;
  const request: ChatCompletionCreateParamsNonStreaming = { model, messages: messages.params };
  const p = draft.params;
  if (p.temperature !== undefined) request.temperature = p.temperature;
  if (p.top_p !== undefined) request.top_p = p.top_p;
  if (p.max_tokens !== undefined) request.max_tokens = p.max_tokens;
  if (p.seed !== undefined) request.seed = p.seed;
  if (p.stop && p.stop.length > 0) request.stop = p.stop;
  if (p.reasoning_effort) request.reasoning_effort = p.reasoning_effort as ChatCompletionCreateParamsNonStreaming['reasoning_effort'];
  if (tools && tools.length > 0) {
    request.tools = tools;
    if (draft.toolChoice !== undefined) request.tool_choice = draft.toolChoice as ChatCompletionCreateParamsNonStreaming['tool_choice'];
  }
  if (draft.responseFormat !== undefined) request.response_format = draft.responseFormat as ChatCompletionCreateParamsNonStreaming['response_format'];
  return { request };
}

/**
 * The messages as Chat Completions params. Tool calls recorded without ids get ones, and a tool message
 * without the id of the call it answers takes the next unanswered one: the API refuses either missing.
 */
function messageParams(messages: readonly ReplayMessage[]): { params: ChatCompletionMessageParam[] } | { error: string } {
  const params: ChatCompletionMessageParam[] = [];
  const unanswered: string[] = [];
  for (const [i, m] of messages.entries()) {
    if (m.role === 'assistant' && m.toolCalls?.length) {
      const calls = m.toolCalls.map((call: ToolCall, j) => ({ id: call.id || `call_${i + 1}_${j + 1}`, name: call.name, arguments: call.arguments }));
      unanswered.push(...calls.map((c) => c.id));
      params.push({
        role: 'assistant',
        content: m.content || null,
        tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
      });
    } else if (m.role === 'tool') {
      const id = m.toolCallId || unanswered[0];
      if (!id) return { error: `Message ${i + 1} is a tool result, but no assistant message before it calls a tool.` };
      const at = unanswered.indexOf(id);
      if (at >= 0) unanswered.splice(at, 1);
      params.push({ role: 'tool', tool_call_id: id, content: m.content });
    } else if (m.role === 'user' && m.images?.length) {
      params.push({
        role: 'user',
        content: [...(m.content ? [{ type: 'text' as const, text: m.content }] : []), ...m.images.map((image) => ({ type: 'image_url' as const, image_url: { url: image.url } }))],
      });
    } else params.push({ role: m.role, content: m.content });
  }
  return { params };
}

/** Whether `value` has a draft's shape (it comes back from the webview as the user edited it). */
export function isReplayDraft(value: unknown): value is ReplayDraft {
  if (!isRecord(value)) return false;
  const d = value;
  const params = d.params;
  return (
    (d.api === undefined || (REPLAY_APIS as readonly unknown[]).includes(d.api)) &&
    typeof d.baseUrl === 'string' &&
    typeof d.model === 'string' &&
    typeof d.tools === 'string' &&
    isRecord(params) &&
    ['temperature', 'top_p', 'max_tokens', 'seed'].every((k) => params[k] === undefined || (typeof params[k] === 'number' && Number.isFinite(params[k]))) &&
    (params.stop === undefined || (Array.isArray(params.stop) && params.stop.every((s) => typeof s === 'string'))) &&
    (params.reasoning_effort === undefined || typeof params.reasoning_effort === 'string') &&
    (d.previousResponseId === undefined || typeof d.previousResponseId === 'string') &&
    Array.isArray(d.messages) &&
    d.messages.every(isReplayMessage)
  );
}

function isReplayMessage(value: unknown): value is ReplayMessage {
  if (!isRecord(value)) return false;
  const m = value;
  return (
    (REPLAY_ROLES as readonly unknown[]).includes(m.role) &&
    typeof m.content === 'string' &&
    (m.toolCallId === undefined || typeof m.toolCallId === 'string') &&
    (m.images === undefined || (Array.isArray(m.images) && m.images.every((i: unknown) => isRecord(i) && typeof i.url === 'string'))) &&
    (m.toolCalls === undefined ||
      (Array.isArray(m.toolCalls) &&
        m.toolCalls.every((c: unknown) => isRecord(c) && typeof c.name === 'string' && typeof c.arguments === 'string')))
  );
}

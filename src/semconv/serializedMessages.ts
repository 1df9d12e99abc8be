// Inputs and outputs that a recorder serialized as JSON whole (Langfuse's observation input/output,
// MLflow's span inputs/outputs): a request body or a messages array in, a response body or an
// assistant message out. Logfire reads its request bodies' `system` the same way.
import type { JsonValue, LlmMessage, MessagePart, ToolCall } from '../protocol/model';
import { isObject, parseJson, readJson, type JsonParse } from './attributeReaders';
import { assembleMessage, textMessage } from './messageParts';
import { appendContent, messagesFromOpenAi } from './openaiMessages';
import { outputFromResponse } from './requestBodies';
import { messagesOfItems } from './responsesItems';

/** A JSON-serialized value: a string arrives as a JSON string literal. */
export function readSerialized(value: JsonValue | undefined): JsonParse | undefined {
  if (typeof value === 'string' && value.startsWith('"')) return parseJson(value);
  return readJson(value);
}

/**
 * A messages array, a request body — chat `{messages: [...]}` (with Anthropic's top-level `system`
 * first) or OpenAI Responses `{input, instructions}` — or a plain prompt string.
 */
export function inputMessages(parsed: JsonParse | undefined): LlmMessage[] {
  if (!parsed) return [];
  if (!parsed.ok) return [textMessage('user', parsed.raw)];
  const v: JsonValue = parsed.value;
  if (typeof v === 'string') return [textMessage('user', v)];
  if (Array.isArray(v)) return messagesOfItems(v);
  if (!isObject(v)) return [];
  let messages: LlmMessage[] | undefined;
  if (Array.isArray(v.messages)) messages = messagesFromOpenAi(v.messages);
  else if (typeof v.input === 'string') messages = [textMessage('user', v.input)];
  else if (Array.isArray(v.input)) messages = messagesOfItems(v.input);
  if (!messages) return [];
  const system = systemMessage(v.system ?? v.instructions);
  return system ? [system, ...messages] : messages;
}

/**
 * Whether a serialized call went through OpenAI's Responses API: its request is a body with `input` and
 * no `messages` (an embeddings body has one too, but is no chat), either side lists Responses items, or
 * its response is a Responses object. Recorders that keep bodies whole call every model call a chat.
 */
export function isResponsesCall(request: JsonParse | undefined, response: JsonParse | undefined): boolean {
  const body = request?.ok ? request.value : undefined;
  const answer = response?.ok ? response.value : undefined;
  if (isObject(body) && body.input !== undefined && body.messages === undefined) return true;
  if (isObject(answer) && (answer.object === 'response' || Array.isArray(answer.output))) return true;
  return [body, answer].some((list) => Array.isArray(list) && list.some(isResponsesItem));
}

/**
 * An item only a Responses list holds: reasoning, a call or a call's output. (Not a typed message:
 * Anthropic's messages are `type: 'message'` too.)
 */
function isResponsesItem(item: JsonValue): boolean {
  if (!isObject(item) || typeof item.type !== 'string') return false;
  const type = item.type;
  return type === 'reasoning' || type.endsWith('_call') || type.endsWith('_call_output');
}

/** An assistant message, a provider response body (`choices`/`output`), or plain text. */
export function outputMessages(parsed: JsonParse | undefined): { messages: LlmMessage[]; finishReasons: string[] } {
  if (!parsed) return { messages: [], finishReasons: [] };
  if (!parsed.ok) return { messages: [textMessage('assistant', parsed.raw)], finishReasons: [] };
  const v = parsed.value;
  if (typeof v === 'string') return { messages: [textMessage('assistant', v)], finishReasons: [] };
  // A response body, or a bare message (Anthropic's response is one, with its `stop_reason`).
  const isResponse =
    isObject(v) && (Array.isArray(v.choices) || Array.isArray(v.output) || v.role !== undefined || v.content !== undefined || v.tool_calls !== undefined);
  if (isResponse) return outputFromResponse(v);
  if (Array.isArray(v)) return { messages: messagesOfItems(v, 'assistant'), finishReasons: [] };
  return { messages: [], finishReasons: [] };
}

/** Anthropic's top-level `system`: a string or a list of text blocks. */
export function systemMessage(system: JsonValue | undefined): LlmMessage | undefined {
  if (system === undefined || system === null) return undefined;
  const parts: MessagePart[] = [];
  const toolCalls: ToolCall[] = [];
  appendContent(system, parts, toolCalls);
  return parts.length > 0 ? assembleMessage('system', parts, toolCalls) : undefined;
}

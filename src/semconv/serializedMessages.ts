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

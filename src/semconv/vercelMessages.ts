// Vercel AI SDK prompt messages (`ai.prompt.messages`, and `messages` inside `ai.prompt`) → LlmMessage.
// Three generations of the same shape (read from `ai` 6.0.326 and @ai-sdk/provider):
// - v4 (LanguageModelV1): `{type: 'image', image, mimeType}`, `{type: 'file', data, mimeType}`,
//   tool-call `args` (object), tool-result `result`;
// - v5 (LanguageModelV2) and v6 (LanguageModelV3): `{type: 'file', data, mediaType, filename}`,
//   tool-call `input`, tool-result `output: {type: 'text'|'json'|'error-text'|'error-json'|'content'|…, value}`;
// - all: `{type: 'text', text}`, `{type: 'reasoning', text}`; system messages have string content.
// Binary data was base64-encoded by the SDK's stringifyForTelemetry; URLs arrive as strings.
import type { JsonValue, LlmMessage, MessagePart, ToolCall } from '../protocol/model';
import { asString, isObject, textOf, type JsonObject } from './attributeReaders';
import { assembleMessage, mediaKind, mediaPart, uriOrData } from './messageParts';
import { toolCall } from './openaiMessages';

/** An AI SDK tool call, `{toolCallId, toolName, input}` (v5+; v4: `args`, a JSON string), wherever the SDK or a recorder of its results keeps one. */
export function vercelToolCall(raw: JsonObject): ToolCall {
  return toolCall(raw.toolCallId, raw.toolName, raw.input ?? raw.args);
}

export function messagesFromVercel(raw: JsonValue | undefined): LlmMessage[] {
  if (!Array.isArray(raw)) return [];
  const out: LlmMessage[] = [];
  for (const item of raw) {
    if (!isObject(item)) continue;
    out.push(messageFromVercel(item));
  }
  return out;
}

function messageFromVercel(raw: JsonObject): LlmMessage {
  const role = asString(raw.role) ?? 'user';
  const parts: MessagePart[] = [];
  const toolCalls: ToolCall[] = [];
  const content = raw.content;
  if (typeof content === 'string') {
    if (content !== '') parts.push({ type: 'text', text: content });
  } else if (Array.isArray(content)) {
    for (const part of content) appendVercelPart(part, parts, toolCalls);
  }
  return assembleMessage(role, parts, toolCalls);
}

function appendVercelPart(raw: JsonValue, parts: MessagePart[], toolCalls: ToolCall[]): void {
  if (!isObject(raw)) return;
  switch (asString(raw.type)) {
    case 'text':
      parts.push({ type: 'text', text: textOf(raw.text) });
      return;
    case 'reasoning':
      parts.push({ type: 'reasoning', text: textOf(raw.text) });
      return;
    case 'redacted-reasoning':
      parts.push({ type: 'reasoning', text: '[redacted]' });
      return;
    case 'image':
    case 'file': {
      const mimeType = asString(raw.mediaType) ?? asString(raw.mimeType);
      const reference = asString(raw.image) ?? asString(raw.data) ?? asString(raw.url);
      const kind = raw.type === 'image' ? 'image' : mediaKind(undefined, mimeType);
      parts.push(mediaPart(kind, { mimeType, ...(reference ? uriOrData(reference) : {}), name: asString(raw.filename) }));
      return;
    }
    case 'tool-call':
      toolCalls.push(vercelToolCall(raw));
      return;
    case 'tool-result': {
      const part: MessagePart = { type: 'tool_result', result: toolOutputText(raw.output ?? raw.result) };
      const id = asString(raw.toolCallId);
      if (id) part.id = id;
      parts.push(part);
      return;
    }
    default:
      parts.push({ type: 'other', value: raw });
  }
}

/** v5+ wraps results as `{type, value}`; text stays text, anything else is shown as JSON. */
function toolOutputText(output: JsonValue | undefined): string {
  if (isObject(output) && typeof output.type === 'string' && 'value' in output) {
    if (output.type === 'execution-denied') return `[execution denied${typeof output.reason === 'string' ? `: ${output.reason}` : ''}]`;
    return textOf(output.value);
  }
  return textOf(output);
}

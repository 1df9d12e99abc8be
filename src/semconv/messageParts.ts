// Building blocks every convention uses to produce the contract's message shapes: media parts with
// bounded inline data, tool-call arguments as text, and the final "text-only → plain string" step.
import { TRUNCATION_MARKER_PREFIX, type JsonValue, type LlmMessage, type MessagePart, type ToolCall } from '../protocol/model';
import { textOf } from './attributeReaders';

/** Inline media (base64, data URIs) above this many characters is cut: a span must stay cheap to send to the views and render. */
export const MAX_INLINE_DATA_CHARS = 64 * 1024;
/**
 * Images are kept whole up to this (a 3 MB screenshot): the span detail shows them, and a cut one could
 * not be shown. Audio, video and files are only named there.
 */
export const MAX_INLINE_IMAGE_CHARS = 4 * 1024 * 1024;
export { TRUNCATION_MARKER_PREFIX };

function truncateData(data: string, max: number): string {
  if (data.length <= max) return data;
  return `${data.slice(0, max)}${TRUNCATION_MARKER_PREFIX}${data.length}]`;
}

export type MediaKind = 'image' | 'audio' | 'video' | 'file';

/** Picks the part type from an OTel `modality`, else from the MIME type; documents and unknowns are files. */
export function mediaKind(modality: string | undefined, mimeType: string | undefined): MediaKind {
  const m = modality?.toLowerCase();
  if (m === 'image' || m === 'audio' || m === 'video') return m;
  if (m === undefined && mimeType) {
    const top = mimeType.slice(0, mimeType.indexOf('/')).toLowerCase();
    if (top === 'image' || top === 'audio' || top === 'video') return top;
  }
  return 'file';
}

export interface MediaFields {
  mimeType?: string;
  uri?: string;
  data?: string;
  name?: string;
}

/** A media part with only the fields that are present; data is truncated, a data-URI's MIME type is kept. */
export function mediaPart(kind: MediaKind, fields: MediaFields): MessagePart {
  const part: { type: MediaKind; mimeType?: string; uri?: string; data?: string; name?: string } = { type: kind };
  let mimeType = fields.mimeType;
  if (fields.data) {
    if (!mimeType && fields.data.startsWith('data:')) {
      const end = fields.data.indexOf(';');
      if (end > 5) mimeType = fields.data.slice(5, end);
    }
    part.data = truncateData(fields.data, kind === 'image' ? MAX_INLINE_IMAGE_CHARS : MAX_INLINE_DATA_CHARS);
  }
  if (mimeType) part.mimeType = mimeType;
  if (fields.uri) part.uri = fields.uri;
  if (fields.name) part.name = fields.name;
  return part;
}

/** A reference to media is either a fetchable URI or inline data (base64 or a data: URI). */
export function uriOrData(reference: string): { uri?: string; data?: string } {
  return /^(https?|gs|s3|file):\/\//i.test(reference) ? { uri: reference } : { data: reference };
}

/** Tool-call arguments as the model produced them: a string stays as is, decoded JSON is re-encoded. */
export function argumentsText(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  return textOf(value);
}

/** Text-only content becomes a plain string (the contract's common case); anything else stays as parts. */
export function simplifyContent(parts: MessagePart[]): string | MessagePart[] {
  if (parts.length === 0) return '';
  let text = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.type !== 'text') return parts;
    text = i === 0 ? part.text : `${text}\n${part.text}`;
  }
  return text;
}

export interface MessageExtras {
  name?: string;
  toolCallId?: string;
  finishReason?: string;
}

/**
 * The final message. A message whose only content is one tool result (OpenAI `role: tool`, Anthropic
 * `tool_result`, OTel `tool_call_response`) is flattened to plain content plus `toolCallId`, so every
 * convention produces the same shape for the same exchange. The recorded role is kept as is.
 */
export function assembleMessage(
  role: string,
  parts: MessagePart[],
  toolCalls: ToolCall[],
  extras: MessageExtras = {},
): LlmMessage {
  const message: LlmMessage = { role, content: '' };
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only?.type === 'tool_result' && toolCalls.length === 0) {
    message.content = only.result;
    const id = extras.toolCallId ?? only.id;
    if (id) message.toolCallId = id;
  } else {
    message.content = simplifyContent(parts);
    if (extras.toolCallId) message.toolCallId = extras.toolCallId;
  }
  if (toolCalls.length > 0) message.toolCalls = toolCalls;
  if (extras.name) message.name = extras.name;
  if (extras.finishReason) message.finishReason = extras.finishReason;
  return message;
}

/**
 * Several messages of one turn as one message (OpenAI Responses output items recorded one by one):
 * parts and tool calls concatenated in order, the last finish reason kept, role and name of the first.
 */
export function joinMessages(messages: readonly LlmMessage[]): LlmMessage {
  const parts: MessagePart[] = [];
  const toolCalls: ToolCall[] = [];
  let finishReason: string | undefined;
  for (const m of messages) {
    if (typeof m.content !== 'string') parts.push(...m.content);
    else if (m.content !== '') parts.push({ type: 'text', text: m.content });
    if (m.toolCalls) toolCalls.push(...m.toolCalls);
    finishReason = m.finishReason ?? finishReason;
  }
  const first = messages[0];
  return assembleMessage(first?.role ?? 'assistant', parts, toolCalls, { name: first?.name, finishReason });
}

/** A recorded history split into what led to the answer and the answer: its trailing assistant messages. */
export function splitAnswer(history: readonly LlmMessage[]): { conversation: LlmMessage[]; answer: LlmMessage[] } {
  let start = history.length;
  while (start > 0 && history[start - 1].role === 'assistant') start--;
  return { conversation: history.slice(0, start), answer: history.slice(start) };
}

/** A message with plain text content (fallback for malformed or non-message payloads). */
export function textMessage(role: string, text: string): LlmMessage {
  return { role, content: text };
}

// The structured OTel GenAI message form (semconv 1.37+): `gen_ai.input.messages`,
// `gen_ai.output.messages`, `gen_ai.system_instructions`, on span attributes or on the
// `gen_ai.client.inference.operation.details` event. Shape: `[{role, parts: [...], name?, finish_reason?}]`.
import type { JsonValue, LlmMessage, MessagePart, ToolCall } from '../protocol/model';
import { asString, isObject, readJson, textOf, type JsonObject } from './attributeReaders';
import { argumentsText, assembleMessage, mediaKind, mediaPart, textMessage, uriOrData } from './messageParts';
import { appendContent, appendToolCalls, resultText, toolCall, toolResult } from './openaiMessages';

/**
 * Messages from an attribute value given as a JSON string or already decoded. Malformed JSON (often a
 * truncated attribute) becomes one text message holding the raw string, so nothing is lost.
 */
export function readStructuredMessages(value: JsonValue | undefined, defaultRole: string): LlmMessage[] | undefined {
  const parsed = readJson(value);
  if (!parsed) return undefined;
  if (!parsed.ok) return [textMessage(defaultRole, parsed.raw)];
  const v = parsed.value;
  if (typeof v === 'string') return v === '' ? undefined : [textMessage(defaultRole, v)];
  const list = Array.isArray(v) ? v : [v];
  const out: LlmMessage[] = [];
  for (const item of list) {
    const message = messageFromStructured(item, defaultRole);
    if (message) out.push(message);
  }
  return out.length > 0 ? out : undefined;
}

/**
 * `gen_ai.system_instructions` as a system message. The spec form is an array of parts; the
 * @opentelemetry/instrumentation-openai 0.21.0 Responses path records the raw `instructions` string.
 */
export function readSystemInstructions(value: JsonValue | undefined): LlmMessage | undefined {
  const parsed = readJson(value);
  if (!parsed) return undefined;
  if (!parsed.ok) return textMessage('system', parsed.raw);
  const v = parsed.value;
  if (typeof v === 'string') return v === '' ? undefined : textMessage('system', v);
  const parts: MessagePart[] = [];
  const toolCalls: ToolCall[] = [];
  for (const part of Array.isArray(v) ? v : [v]) appendStructuredPart(part, parts, toolCalls);
  return parts.length > 0 ? assembleMessage('system', parts, toolCalls) : undefined;
}

function messageFromStructured(raw: JsonValue, defaultRole: string): LlmMessage | undefined {
  if (typeof raw === 'string') return textMessage(defaultRole, raw);
  if (!isObject(raw)) return undefined;
  const parts: MessagePart[] = [];
  const toolCalls: ToolCall[] = [];
  if (Array.isArray(raw.parts)) {
    for (const part of raw.parts) appendStructuredPart(part, parts, toolCalls);
  } else {
    // Not the spec, but seen: OpenAI's `{role, content}` in place of parts.
    appendContent(raw.content, parts, toolCalls);
  }
  // Not the spec either: LiteLLM's OpenTelemetry callback turns OpenAI messages into parts but keeps their
  // `tool_calls` and `tool_call_id` beside them, in OpenAI's form.
  appendToolCalls(raw.tool_calls, toolCalls);
  return assembleMessage(asString(raw.role) ?? defaultRole, parts, toolCalls, {
    name: asString(raw.name),
    toolCallId: asString(raw.tool_call_id),
    finishReason: asString(raw.finish_reason),
  });
}

/** One structured part → a contract part or a tool call. Part types no format knows are kept as `other`. */
function appendStructuredPart(raw: JsonValue, parts: MessagePart[], toolCalls: ToolCall[]): void {
  if (typeof raw === 'string') {
    parts.push({ type: 'text', text: raw });
    return;
  }
  if (!isObject(raw)) return;
  switch (asString(raw.type)) {
    case 'text':
      parts.push({ type: 'text', text: textOf(raw.content ?? raw.text) });
      return;
    case 'reasoning':
    case 'thinking':
    {
      // The spec says `content`; @opentelemetry/instrumentation-openai 0.21.0 writes `text`. An empty one
      // says nothing (Traceloop's Anthropic instrumentation, 0.27, streamed, never gathers the thinking).
      const text = textOf(raw.content ?? raw.text);
      if (text) parts.push({ type: 'reasoning', text });
      return;
    }
    case 'refusal':
      parts.push({ type: 'text', text: textOf(raw.refusal ?? raw.content) });
      return;
    case 'tool_call': {
      // `call_id` is what links a Responses API call to its output; `id` is the output item id there.
      const call: ToolCall = { name: asString(raw.name) ?? '', arguments: argumentsText(raw.arguments) };
      const id = asString(raw.call_id) ?? asString(raw.id);
      if (id) call.id = id;
      toolCalls.push(call);
      return;
    }
    case 'server_tool_call':
      // A tool the provider ran itself (web search, code interpreter): its details are the call, typed by the tool.
      toolCalls.push(toolCall(raw.id, raw.name, raw.server_tool_call));
      return;
    case 'server_tool_call_response':
      parts.push(toolResult(raw.id, raw.server_tool_call_response));
      return;
    case 'tool_call_response': {
      // Spec: `response`; the semconv's own example (and some recorders) use `result`. Strands Agents
      // records the tool's content blocks there.
      const part: MessagePart = { type: 'tool_result', result: resultText(raw.response ?? raw.result) };
      const id = asString(raw.call_id) ?? asString(raw.id);
      if (id) part.id = id;
      parts.push(part);
      return;
    }
    case 'anthropic_image':
    case 'anthropic_document':
      // The Anthropic SDK's own spans (1.17) name an image or document block and leave its data out, on purpose.
      parts.push(mediaPart(raw.type === 'anthropic_image' ? 'image' : 'file', {}));
      return;
    case 'blob':
    case 'uri':
    case 'file':
    case 'image':
    case 'audio':
    case 'video':
      parts.push(structuredMedia(raw));
      return;
    default:
      // Other formats' blocks passed through as parts (LiteLLM keeps OpenAI's `image_url`, `input_audio`…).
      appendContent(raw, parts, toolCalls);
  }
}

/**
 * `blob {modality, mime_type, content}`, `uri {modality, mime_type, uri}`, `file {modality, mime_type,
 * file_id}`. Logfire writes `media_type` for the MIME type; @opentelemetry/instrumentation-openai 0.21.0
 * writes OpenAI `input_image`/`input_file` fields under `type: image|file`.
 */
function structuredMedia(raw: JsonObject): MessagePart {
  const type = asString(raw.type);
  const mimeType = asString(raw.mime_type) ?? asString(raw.media_type) ?? asString(raw.mimeType);
  const modality = asString(raw.modality) ?? (type === 'image' || type === 'audio' || type === 'video' ? type : undefined);
  const reference =
    asString(raw.uri) ??
    asString(raw.url) ??
    asString(raw.image_url) ??
    (isObject(raw.image_url) ? asString(raw.image_url.url) : undefined) ??
    asString(raw.file_url);
  const data = asString(raw.content) ?? asString(raw.data) ?? asString(raw.file_data);
  return mediaPart(mediaKind(modality, mimeType), {
    mimeType,
    ...(reference ? uriOrData(reference) : {}),
    ...(data ? { data } : {}),
    name: asString(raw.filename) ?? asString(raw.file_id),
  });
}

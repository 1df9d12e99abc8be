// OpenAI-shaped chat messages → LlmMessage. This shape is everywhere: Logfire `request_data`,
// OpenInference `input.value`, Traceloop `traceloop.entity.input`, LangSmith and Langfuse inputs, the
// legacy `gen_ai.content.prompt` event. Content blocks of the other common request formats (OpenAI
// Responses, Anthropic Messages, LangChain standard blocks, Bedrock Converse, Gemini parts) are understood too,
// because the same recorders pass them through unchanged.
import type { JsonValue, LlmMessage, MessagePart, ToolCall } from '../protocol/model';
import { asString, isObject, textOf, type JsonObject } from './attributeReaders';
import { appendGeminiPart } from './geminiContent';
import { argumentsText, assembleMessage, mediaKind, mediaPart, uriOrData } from './messageParts';

/** Converts a `messages` array; entries that are not messages are skipped. */
export function messagesFromOpenAi(raw: JsonValue | undefined, defaultRole = 'user'): LlmMessage[] {
  if (!Array.isArray(raw)) return [];
  const out: LlmMessage[] = [];
  for (const item of raw) {
    const message = messageFromOpenAi(item, defaultRole);
    if (message) out.push(message);
  }
  return out;
}

/** `{role, content, tool_calls, function_call, tool_call_id, name, refusal, reasoning_content, audio}`. */
export function messageFromOpenAi(raw: JsonValue | undefined, defaultRole = 'user'): LlmMessage | undefined {
  if (typeof raw === 'string') return { role: defaultRole, content: raw };
  if (!isObject(raw)) return undefined;
  const role = asString(raw.role) ?? defaultRole;
  const parts: MessagePart[] = [];
  const toolCalls: ToolCall[] = [];
  // DeepSeek / OpenRouter put the chain of thought beside the answer.
  const reasoning = asString(raw.reasoning_content) ?? asString(raw.reasoning);
  if (reasoning) parts.push({ type: 'reasoning', text: reasoning });
  appendContent(raw.content, parts, toolCalls);
  const refusal = asString(raw.refusal);
  if (refusal) parts.push({ type: 'text', text: refusal });
  if (isObject(raw.audio)) {
    const data = asString(raw.audio.data);
    if (data) parts.push(mediaPart('audio', { data }));
    const transcript = asString(raw.audio.transcript);
    if (transcript) parts.push({ type: 'text', text: transcript });
  }
  appendToolCalls(raw.tool_calls, toolCalls);
  // OpenAI's deprecated single `function_call` (Traceloop < 0.20 and old SDK users still send it).
  if (isObject(raw.function_call)) {
    const name = asString(raw.function_call.name);
    if (name) toolCalls.push({ name, arguments: argumentsText(raw.function_call.arguments) });
  }
  return assembleMessage(role, parts, toolCalls, {
    name: asString(raw.name),
    toolCallId: asString(raw.tool_call_id),
    finishReason: asString(raw.finish_reason),
  });
}

/**
 * A message's OpenAI `tool_calls` list added to the calls its content blocks made. Recorders that keep
 * the content blocks may list their tool uses again there (the botocore instrumentation's Bedrock events;
 * the Vertex AI one, with ids it makes up for Gemini's id-less calls): each call once.
 */
export function appendToolCalls(raw: JsonValue | undefined, toolCalls: ToolCall[]): void {
  for (const call of toolCallsFromOpenAi(raw)) {
    const same = toolCalls.find((c) => (c.id !== undefined && c.id === call.id) || (c.id === undefined && c.name === call.name && c.arguments === call.arguments));
    if (!same) toolCalls.push(call);
    else if (same.id === undefined && call.id !== undefined) same.id = call.id;
  }
}

/**
 * Tool calls as OpenAI `[{id, type, function: {name, arguments}}]`, custom tools `{custom: {name, input}}`,
 * and the flattened `{id, name, arguments}` / LangChain `{id, name, args}` variants.
 */
function toolCallsFromOpenAi(raw: JsonValue | undefined): ToolCall[] {
  if (!Array.isArray(raw)) return [];
  const out: ToolCall[] = [];
  for (const item of raw) {
    if (!isObject(item)) continue;
    const fn = isObject(item.function) ? item.function : isObject(item.custom) ? item.custom : item;
    const name = asString(fn.name);
    if (!name) continue;
    const call: ToolCall = { name, arguments: argumentsText(fn.arguments ?? fn.input ?? fn.args) };
    const id = asString(item.id);
    if (id) call.id = id;
    out.push(call);
  }
  return out;
}

/** Appends a `content` value (string, list of blocks, or a single block) as parts and tool calls. */
export function appendContent(content: JsonValue | undefined, parts: MessagePart[], toolCalls: ToolCall[]): void {
  if (content === undefined || content === null) return;
  if (typeof content === 'string') {
    if (content !== '') parts.push({ type: 'text', text: content });
    return;
  }
  if (Array.isArray(content)) {
    for (const block of content) appendBlock(block, parts, toolCalls);
    return;
  }
  appendBlock(content, parts, toolCalls);
}

function appendBlock(block: JsonValue, parts: MessagePart[], toolCalls: ToolCall[]): void {
  if (typeof block === 'string') {
    parts.push({ type: 'text', text: block });
    return;
  }
  if (!isObject(block)) {
    if (block !== null) parts.push({ type: 'other', value: block });
    return;
  }
  switch (asString(block.type)) {
    case 'text':
    case 'input_text':
    case 'output_text':
      parts.push({ type: 'text', text: textOf(block.text ?? block.content) });
      return;
    case 'refusal':
      parts.push({ type: 'text', text: textOf(block.refusal ?? block.content) });
      return;
    case 'thinking':
      parts.push({ type: 'reasoning', text: textOf(block.thinking) });
      return;
    case 'reasoning':
      parts.push({ type: 'reasoning', text: textOf(block.text ?? block.content ?? block.reasoning) });
      return;
    case 'tool_use': // Anthropic
      toolCalls.push(toolCall(block.id, block.name, block.input));
      return;
    case 'tool_result': // Anthropic
      parts.push(toolResult(block.tool_use_id, block.content));
      return;
    case 'toolUse': // Strands Agents' TypeScript SDK, an answer's blocks flattened
      toolCalls.push(toolCall(block.toolUseId, block.name, block.input));
      return;
    case 'toolResult':
      parts.push(toolResult(block.toolUseId, block.content));
      return;
    case 'image_url':
    case 'input_image':
    case 'image':
    case 'input_audio':
    case 'audio':
    case 'video':
    case 'file':
    case 'input_file':
    case 'document':
      parts.push(mediaBlock(block));
      return;
    case undefined:
      // Blocks without a type: Bedrock Converse's, else Gemini's parts.
      if (!appendConverseBlock(block, parts, toolCalls) && !appendGeminiPart(block, parts, toolCalls)) parts.push({ type: 'other', value: block });
      return;
    default:
      parts.push({ type: 'other', value: block });
  }
}

/**
 * Bedrock Converse content blocks, which have no `type` but one key naming their kind (`{text}`,
 * `{toolUse: {toolUseId, name, input}}`, `{toolResult: {toolUseId, content, status}}`, `{image}`…):
 * Strands Agents records its messages in this form. False for an object that is none of them.
 */
function appendConverseBlock(block: JsonObject, parts: MessagePart[], toolCalls: ToolCall[]): boolean {
  if (typeof block.text === 'string') parts.push({ type: 'text', text: block.text });
  else if (isObject(block.toolUse)) toolCalls.push(toolCall(block.toolUse.toolUseId, block.toolUse.name, block.toolUse.input));
  else if (isObject(block.toolResult)) parts.push(toolResult(block.toolResult.toolUseId, block.toolResult.content));
  else if (isObject(block.reasoningContent)) {
    const reasoning = block.reasoningContent.reasoningText;
    // A redacted chain of thought is bytes the provider encrypted: there is nothing to show but that it was there.
    parts.push({ type: 'reasoning', text: isObject(reasoning) ? textOf(reasoning.text) : '[redacted]' });
  } else if (isObject(block.reasoning)) {
    // Strands Agents' TypeScript SDK spells it `{reasoning: {text, signature, redactedContent}}`.
    parts.push({ type: 'reasoning', text: typeof block.reasoning.text === 'string' ? block.reasoning.text : '[redacted]' });
  } else if (isObject(block.image)) parts.push(converseMedia('image', block.image));
  else if (isObject(block.video)) parts.push(converseMedia('video', block.video));
  else if (isObject(block.document)) parts.push(converseMedia('file', block.document));
  else if (isObject(block.guardContent) && isObject(block.guardContent.text)) parts.push({ type: 'text', text: textOf(block.guardContent.text.text) });
  else if (isObject(block.citationsContent)) parts.push({ type: 'text', text: resultText(block.citationsContent.content) });
  else if (isJsonBlock(block)) parts.push({ type: 'text', text: textOf(block.json) });
  // A cache checkpoint marks where the cached prefix ends: no content.
  else if (!isObject(block.cachePoint)) return false;
  return true;
}

/** Converse media `{format, name?, source: {bytes} | {s3Location: {uri}}}`; the format is the MIME subtype. */
function converseMedia(kind: 'image' | 'video' | 'file', media: JsonObject): MessagePart {
  const source = isObject(media.source) ? media.source : {};
  const format = asString(media.format);
  const s3 = isObject(source.s3Location) ? asString(source.s3Location.uri) : undefined;
  const bytes = asString(source.bytes);
  return mediaPart(kind, {
    mimeType: converseMimeType(kind, format),
    uri: s3,
    // Strands' JSON encoder writes "<replaced>" for bytes it cannot encode: no data, not that text as data.
    data: bytes === undefined || bytes === UNENCODED_BYTES ? undefined : bytes,
    name: asString(media.name),
  });
}

const UNENCODED_BYTES = '<replaced>';

/** Bedrock's block for a tool result's structured output: `{json: …}` and nothing else. */
function isJsonBlock(block: JsonObject): boolean {
  return block.json !== undefined && Object.keys(block).length === 1;
}

/** Images' and videos' formats are their MIME subtypes (png, mp4); of the document formats (pdf, csv, docx, md…) only PDF's is. */
function converseMimeType(kind: 'image' | 'video' | 'file', format: string | undefined): string | undefined {
  if (format === undefined) return undefined;
  if (kind !== 'file') return `${kind}/${format}`;
  return format === 'pdf' ? 'application/pdf' : undefined;
}

/** A tool call from its id, name and arguments, wherever a format keeps them (Anthropic, Converse, GenAI's server tools, Haystack, Genkit). */
export function toolCall(id: JsonValue | undefined, name: JsonValue | undefined, args: JsonValue | undefined): ToolCall {
  const call: ToolCall = { name: asString(name) ?? '', arguments: argumentsText(args) };
  const callId = asString(id);
  if (callId) call.id = callId;
  return call;
}

/** A tool result part with the output as text (resultText). */
export function toolResult(id: JsonValue | undefined, content: JsonValue | undefined): MessagePart {
  const part: MessagePart = { type: 'tool_result', result: resultText(content) };
  const callId = asString(id);
  if (callId) part.id = callId;
  return part;
}

/** Tool output as text: a list of content blocks (Anthropic, MCP, Bedrock) is reduced to its text. */
export function resultText(content: JsonValue | undefined): string {
  if (!Array.isArray(content)) return textOf(content);
  const texts: string[] = [];
  for (const block of content) {
    if (typeof block === 'string') texts.push(block);
    else if (isObject(block) && typeof block.text === 'string') texts.push(block.text);
    else if (isObject(block) && isJsonBlock(block)) texts.push(textOf(block.json));
    else return textOf(content);
  }
  return texts.join('\n');
}

/**
 * Media blocks: OpenAI chat `image_url {url}`, `input_audio {data, format}`, `file {file_data, file_id,
 * filename}`; Responses `input_image {image_url, file_id}`, `input_file`; Anthropic `image`/`document`
 * with `source {type: base64|url, media_type, data, url}`; LangChain standard blocks with
 * `source_type`/`base64`/`url`/`mime_type`.
 */
export function mediaBlock(block: JsonObject): MessagePart {
  const type = asString(block.type) ?? 'file';
  const inner = isObject(block.image_url)
    ? block.image_url
    : isObject(block.input_audio)
      ? block.input_audio
      : isObject(block.file)
        ? block.file
        : isObject(block.source)
          ? block.source
          : block;
  let mimeType =
    asString(inner.media_type) ?? asString(inner.mime_type) ?? asString(block.mime_type) ?? asString(inner.mediaType);
  const format = asString(inner.format);
  if (!mimeType && format && type.endsWith('audio')) mimeType = `audio/${format}`;
  const reference =
    asString(inner.url) ??
    (typeof block.image_url === 'string' ? block.image_url : undefined) ??
    asString(inner.file_url) ??
    asString(inner.data) ??
    asString(inner.file_data) ??
    asString(inner.base64) ??
    asString(block.data);
  const kind: ReturnType<typeof mediaKind> = type.includes('image')
    ? 'image'
    : type.includes('audio')
      ? 'audio'
      : type === 'video'
        ? 'video'
        : mediaKind(undefined, mimeType);
  return mediaPart(kind, {
    mimeType,
    ...(reference ? uriOrData(reference) : {}),
    name: asString(inner.filename) ?? asString(inner.file_id) ?? asString(block.file_id),
  });
}

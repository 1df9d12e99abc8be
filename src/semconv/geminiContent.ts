// Gemini's request and response shapes, which several recorders pass through as JSON: Google ADK
// (Python: snake_case, `function_call`) and Gemini CLI (JavaScript: camelCase, `functionCall`). Both
// spellings are read everywhere.
import type { JsonValue, LlmMessage, LlmUsage, MessagePart, ToolCall, ToolDefinition } from '../protocol/model';
import { asNumber, asString, isObject, type JsonObject } from './attributeReaders';
import { argumentsText, assembleMessage, mediaKind, mediaPart } from './messageParts';
import { toolDefinitionFrom } from './toolDefinitions';

/** A field by its Python name or its JavaScript one (`function_call` / `functionCall`). */
function field(o: JsonObject, snake: string, camel: string): JsonValue | undefined {
  return o[snake] ?? o[camel];
}

/** A Gemini `Content` (`{role, parts}`; role `model` is the assistant) as a contract message. */
export function geminiMessage(content: JsonValue | undefined): LlmMessage | undefined {
  if (!isObject(content) || !Array.isArray(content.parts)) return undefined;
  const parts: MessagePart[] = [];
  const toolCalls: ToolCall[] = [];
  for (const part of content.parts) {
    if (isObject(part) && !appendGeminiPart(part, parts, toolCalls)) parts.push({ type: 'other', value: part });
  }
  const role = asString(content.role);
  const onlyResults = parts.length > 0 && parts.every((p) => p.type === 'tool_result');
  return assembleMessage(role === 'model' ? 'assistant' : onlyResults ? 'tool' : (role ?? 'user'), parts, toolCalls);
}

/**
 * One Gemini `Part` (text or thought, function call or response, file or inline data) as a part or a
 * tool call; false for an object that is none of these. Content lists of other recorders hold them too
 * (the Vertex AI instrumentation's events).
 */
export function appendGeminiPart(part: JsonObject, parts: MessagePart[], toolCalls: ToolCall[]): boolean {
  const call = field(part, 'function_call', 'functionCall');
  const result = field(part, 'function_response', 'functionResponse');
  const file = field(part, 'file_data', 'fileData');
  const blob = field(part, 'inline_data', 'inlineData');
  if (typeof part.text === 'string') parts.push({ type: part.thought === true ? 'reasoning' : 'text', text: part.text });
  else if (isObject(call)) toolCalls.push({ id: asString(call.id), name: asString(call.name) ?? '', arguments: argumentsText(call.args) });
  else if (isObject(result)) parts.push({ type: 'tool_result', id: asString(result.id), result: argumentsText(result.response) });
  else if (isObject(file)) {
    const mimeType = asString(field(file, 'mime_type', 'mimeType'));
    parts.push(mediaPart(mediaKind(undefined, mimeType), { mimeType, uri: asString(field(file, 'file_uri', 'fileUri')) }));
  } else if (isObject(blob)) {
    const mimeType = asString(field(blob, 'mime_type', 'mimeType'));
    parts.push(mediaPart(mediaKind(undefined, mimeType), { mimeType, data: asString(blob.data) }));
  } else return false;
  return true;
}

/** A list of Contents as messages (those that are not Contents are left out). */
export function geminiMessages(contents: JsonValue | undefined): LlmMessage[] {
  if (!Array.isArray(contents)) return [];
  return contents.map(geminiMessage).filter((m): m is LlmMessage => m !== undefined);
}

/** `system_instruction` / `systemInstruction`: a string, a Content, or a list of parts or strings. */
export function geminiSystemMessage(value: JsonValue | undefined): LlmMessage | undefined {
  if (typeof value === 'string') return value === '' ? undefined : { role: 'system', content: value };
  if (isObject(value)) {
    const message = geminiMessage(value);
    return message && { ...message, role: 'system' };
  }
  if (Array.isArray(value)) return geminiMessage({ role: 'system', parts: value.map((p) => (typeof p === 'string' ? { text: p } : p)) });
  return undefined;
}

/** A request's `tools`: function declarations, and built-in tools (`{google_search: {}}`) by their kind. */
export function geminiToolDefinitions(tools: JsonValue | undefined): ToolDefinition[] {
  const definitions: ToolDefinition[] = [];
  for (const tool of Array.isArray(tools) ? tools : []) {
    if (!isObject(tool)) continue;
    const declarations = field(tool, 'function_declarations', 'functionDeclarations');
    if (Array.isArray(declarations)) {
      for (const declaration of declarations) {
        const definition = toolDefinitionFrom(isObject(declaration) ? withParameters(declaration) : declaration);
        if (definition) definitions.push(definition);
      }
    } else {
      for (const [kind, value] of Object.entries(tool)) if (value !== null) definitions.push({ name: kind });
    }
  }
  return definitions;
}

/** The JavaScript SDK may give a declaration's schema as `parametersJsonSchema`. */
function withParameters(declaration: JsonObject): JsonObject {
  return declaration.parameters === undefined && declaration.parametersJsonSchema !== undefined
    ? { ...declaration, parameters: declaration.parametersJsonSchema }
    : declaration;
}

/**
 * The provider a model id names: Gemini models are Google's (OTel's `gcp.gen_ai`: any of its endpoints),
 * LiteLLM ids (`openai/gpt-4o`) say theirs. Otherwise none.
 */
export function geminiProvider(model: string | undefined): string | undefined {
  if (!model) return undefined;
  // `models/…` and Vertex's `projects/…/models/…` are resource names of Google's own models.
  if (/^(models\/)?gemini/i.test(model) || model.startsWith('projects/')) return 'gcp.gen_ai';
  const slash = model.indexOf('/');
  return slash > 0 ? model.slice(0, slash).toLowerCase() : undefined;
}

/** Gemini's token counts by what they count: its `usage_metadata`, or the fields an agent's events copy them to. */
export interface GeminiTokenCounts {
  prompt?: JsonValue;
  toolPrompt?: JsonValue;
  candidates?: JsonValue;
  thoughts?: JsonValue;
  cached?: JsonValue;
  total?: JsonValue;
}

/**
 * The contract's usage of Gemini's counts. The prompt includes its tool-use part; thinking tokens are
 * output the model was billed for, so they count as output, as GenAI's `gen_ai.usage.output_tokens`
 * does; the cached part of the prompt is beside it.
 */
export function geminiUsage(counts: GeminiTokenCounts): LlmUsage {
  const prompt = asNumber(counts.prompt);
  const toolPrompt = asNumber(counts.toolPrompt);
  const candidates = asNumber(counts.candidates);
  const thoughts = asNumber(counts.thoughts);
  const usage: LlmUsage = {};
  if (prompt !== undefined || toolPrompt !== undefined) usage.inputTokens = (prompt ?? 0) + (toolPrompt ?? 0);
  if (candidates !== undefined || thoughts !== undefined) usage.outputTokens = (candidates ?? 0) + (thoughts ?? 0);
  const cached = asNumber(counts.cached);
  if (cached !== undefined) usage.cachedInputTokens = cached;
  if (thoughts !== undefined) usage.reasoningTokens = thoughts;
  const total = asNumber(counts.total);
  if (total !== undefined) usage.totalTokens = total;
  return usage;
}

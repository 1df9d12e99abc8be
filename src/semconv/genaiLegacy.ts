// The indexed `gen_ai.prompt.N.*` / `gen_ai.completion.N.*` form: OpenLLMetry (Traceloop) before it
// moved to `gen_ai.input.messages` (@traceloop/instrumentation-* < 0.27, Python
// opentelemetry-instrumentation-* with legacy attributes), plus its `llm.*` companions.
import type { JsonValue, LlmMessage, LlmParams, LlmUsage, MessagePart, ToolCall, ToolDefinition } from '../protocol/model';
import { asBoolean, asString, asStringArray, collectIndexed, readJson, readNumberFields, type FlatRecord, type NumberFieldSource } from './attributeReaders';
import type { LlmCallFragment, SpanView } from './callFragments';
import { assembleMessage, argumentsText } from './messageParts';
import { appendContent } from './openaiMessages';
import { toolDefinitionFrom } from './toolDefinitions';

export function normalizeGenAiLegacy(view: SpanView): LlmCallFragment | undefined {
  const a = view.attributes;
  const fragment: LlmCallFragment = { convention: 'genai' };
  let found = false;

  const prompts = collectIndexed(a, 'gen_ai.prompt.', view.keys);
  if (prompts.length > 0) {
    fragment.inputMessages = prompts.map((row) => legacyMessage(row, 'user'));
    found = true;
  }
  const completions = collectIndexed(a, 'gen_ai.completion.', view.keys);
  if (completions.length > 0) {
    fragment.outputMessages = completions.map((row) => legacyMessage(row, 'assistant'));
    found = true;
  }

  const usage = readNumberFields(a, LEGACY_USAGE);
  if (usage) {
    fragment.usage = usage;
    found = true;
  }
  const params = readLegacyParams(view);
  if (params) {
    fragment.params = params;
    found = true;
  }
  return found ? fragment : undefined;
}

/** One indexed message: `role`, `content`, `name`, `tool_call_id`, `finish_reason`, `tool_calls.M.*`, `function_call.*`. */
function legacyMessage(row: FlatRecord, defaultRole: string): LlmMessage {
  const parts: MessagePart[] = [];
  const toolCalls: ToolCall[] = [];
  appendLegacyContent(row.content, parts, toolCalls);
  for (const call of collectIndexed(row, 'tool_calls.')) {
    const name = asString(call.name);
    if (!name) continue;
    const toolCall: ToolCall = { name, arguments: argumentsText(call.arguments) };
    const id = asString(call.id);
    if (id) toolCall.id = id;
    toolCalls.push(toolCall);
  }
  // Traceloop < 0.20 put the (single) call under `function_call.*`.
  const fnName = asString(row['function_call.name']);
  if (fnName) toolCalls.push({ name: fnName, arguments: argumentsText(row['function_call.arguments']) });
  return assembleMessage(asString(row.role) ?? defaultRole, parts, toolCalls, {
    name: asString(row.name),
    toolCallId: asString(row.tool_call_id),
    finishReason: asString(row.finish_reason),
  });
}

/**
 * Content is a string; for multimodal messages the instrumentations write `JSON.stringify(content)`
 * of the OpenAI content array, which is decoded back into typed parts here.
 */
function appendLegacyContent(content: JsonValue | undefined, parts: MessagePart[], toolCalls: ToolCall[]): void {
  if (typeof content === 'string' && content.startsWith('[{')) {
    const parsed = readJson(content);
    if (parsed?.ok && Array.isArray(parsed.value)) {
      appendContent(parsed.value, parts, toolCalls);
      return;
    }
  }
  appendContent(content, parts, toolCalls);
}

const LEGACY_USAGE: readonly NumberFieldSource<keyof LlmUsage>[] = [
  ['inputTokens', 'gen_ai.usage.prompt_tokens', 'llm.usage.prompt_tokens'],
  ['outputTokens', 'gen_ai.usage.completion_tokens', 'llm.usage.completion_tokens'],
  ['totalTokens', 'llm.usage.total_tokens'],
  // @traceloop/ai-semantic-conventions 0.27.0 still defines these underscore names "for backwards compatibility".
  ['cachedInputTokens', 'gen_ai.usage.cache_read_input_tokens'],
  ['cacheCreationInputTokens', 'gen_ai.usage.cache_creation_input_tokens'],
  ['reasoningTokens', 'gen_ai.usage.reasoning_tokens'],
];

const LEGACY_NUMERIC_PARAMS: readonly NumberFieldSource<'top_k' | 'frequency_penalty' | 'presence_penalty'>[] = [
  ['top_k', 'llm.top_k'],
  ['frequency_penalty', 'llm.frequency_penalty'],
  ['presence_penalty', 'llm.presence_penalty'],
];

function readLegacyParams(view: SpanView): LlmParams | undefined {
  const a = view.attributes;
  const numbers = readNumberFields(a, LEGACY_NUMERIC_PARAMS);
  const params: LlmParams = { ...numbers };
  let any = numbers !== undefined;
  const stop = asStringArray(a['llm.chat.stop_sequences']);
  if (stop) {
    params.stop = stop;
    any = true;
  }
  const streaming = asBoolean(a['llm.is_streaming']);
  if (streaming !== undefined) {
    params.stream = streaming;
    any = true;
  }
  const tools = readRequestFunctions(view);
  if (tools.length > 0) {
    params.tools = tools;
    any = true;
  }
  return any ? params : undefined;
}

/** `llm.request.functions.N.{name, description, parameters}`; older Traceloop JS wrote the schema under `.arguments`. */
function readRequestFunctions(view: SpanView): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  for (const row of collectIndexed(view.attributes, 'llm.request.functions.', view.keys)) {
    const tool = toolDefinitionFrom({
      name: row.name ?? null,
      description: row.description ?? null,
      parameters: row.parameters ?? row.arguments ?? null,
    });
    if (tool) tools.push(tool);
  }
  return tools;
}

// LangSmith's OpenTelemetry export (langsmith-sdk python/langsmith/_internal/otel/_otel_exporter.py):
// `langsmith.span.kind` is the run type, and the run's whole inputs/outputs are JSON in the
// NON-indexed `gen_ai.prompt` / `gen_ai.completion`. For chat-model runs those hold LangChain
// messages (serialized `{lc: 1, type: 'constructor', id: [..., 'HumanMessage'], kwargs}`, nested per
// batch) or, for `wrap_openai`, the OpenAI request and response bodies.
import type { JsonValue, LlmMessage, LlmParams } from '../protocol/model';
import { asNumber, asString, asStringArray, isObject, readJson, textOf, type JsonObject } from './attributeReaders';
import type { LlmCallFragment, SpanView } from './callFragments';
import { textMessage } from './messageParts';
import { messageFromOpenAi } from './openaiMessages';
import { operationFromName } from './operations';
import { normalizeProvider } from './providers';
import { outputFromResponse, paramsFromRequest, usageFrom } from './requestBodies';
import { documentsText } from './retrievedDocuments';

/** Its JSON attributes that hold the call's model and token usage (see CALL_FIELDS_IN_JSON in index.ts). */
export const LANGSMITH_CALL_FIELDS_IN_JSON = ['gen_ai.prompt', 'gen_ai.completion'];

export function normalizeLangSmith(view: SpanView): LlmCallFragment | undefined {
  const a = view.attributes;
  const runType = asString(a['langsmith.span.kind']);
  if (!runType) return undefined;
  const fragment: LlmCallFragment = {
    convention: 'langchain',
    // The run type is exact where LangSmith's own `gen_ai.operation.name` is lossy (retriever →
    // "embeddings", prompt → "chat"). Prompt-template and parser runs are chain steps, not model calls.
    operation: runType === 'prompt' || runType === 'parser' ? 'workflow' : operationFromName(runType),
    provider: normalizeProvider(asString(a['langsmith.metadata.ls_provider'])),
    requestModel: asString(a['langsmith.metadata.ls_model_name']),
  };
  const params = metadataParams(a);
  if (params) fragment.params = params;

  const inputs = readJson(a['gen_ai.prompt']);
  const outputs = readJson(a['gen_ai.completion']);
  const inputText = inputs ? (inputs.ok ? textOf(inputs.value) : inputs.raw) : undefined;
  const outputText = outputs ? (outputs.ok ? textOf(outputs.value) : outputs.raw) : undefined;

  if (runType === 'tool') {
    fragment.tool = {
      name: asString(a['langsmith.trace.name']) ?? view.name,
      arguments: inputs?.ok && isObject(inputs.value) && inputs.value.input !== undefined ? textOf(inputs.value.input) : inputText,
      result: outputs?.ok && isObject(outputs.value) && outputs.value.output !== undefined ? toolOutput(outputs.value.output) : outputText,
    };
    return fragment;
  }
  if (runType === 'llm') {
    if (inputs?.ok && isObject(inputs.value)) readLlmInputs(inputs.value, fragment);
    if (outputs?.ok && isObject(outputs.value)) readLlmOutputs(outputs.value, fragment);
  }
  if (runType === 'retriever' && outputs?.ok && isObject(outputs.value) && Array.isArray(outputs.value.documents)) {
    fragment.output = documentsText(
      outputs.value.documents.filter(isObject).map((d) => ({ id: asString(d.id), content: textOf(d.page_content ?? d.content) })),
    );
  }
  if (!fragment.inputMessages?.length) fragment.input = inputText;
  if (!fragment.outputMessages?.length) fragment.output ??= outputText;
  return fragment;
}

/** `ls_temperature`, `ls_max_tokens`, `ls_stop`: the standard LangChain tracing metadata. */
function metadataParams(a: SpanView['attributes']): LlmParams | undefined {
  const params: LlmParams = {};
  const temperature = asNumber(a['langsmith.metadata.ls_temperature']);
  if (temperature !== undefined) params.temperature = temperature;
  const maxTokens = asNumber(a['langsmith.metadata.ls_max_tokens']);
  if (maxTokens !== undefined) params.max_tokens = maxTokens;
  const stop = asStringArray(a['langsmith.metadata.ls_stop']);
  if (stop) params.stop = stop;
  return Object.keys(params).length > 0 ? params : undefined;
}

/** `{messages: [[...]]}` (chat model, per batch), `{messages: [...]}` (wrap_openai body), `{prompts: [...]}` (LLM). */
function readLlmInputs(inputs: JsonObject, fragment: LlmCallFragment): void {
  if (Array.isArray(inputs.messages) && typeof inputs.model === 'string') {
    fragment.params = { ...paramsFromRequest(inputs), ...fragment.params };
    fragment.requestModel ??= inputs.model;
  }
  const messages = langchainInputMessages(inputs);
  if (messages.length > 0) fragment.inputMessages = messages;
}

/**
 * A LangChain model's input as messages: `{messages: [[...]]}` or `[[...]]` (chat model, one list per
 * batch), `{messages: [...]}`, `{prompts: [...]}` or `[...]` of prompt strings (LLM). MLflow's
 * LangChain autologging records the bare lists.
 */
export function langchainInputMessages(inputs: JsonValue): LlmMessage[] {
  const messages: LlmMessage[] = [];
  const list = Array.isArray(inputs) ? inputs : isObject(inputs) ? (Array.isArray(inputs.messages) ? inputs.messages : inputs.prompts) : undefined;
  if (!Array.isArray(list)) return messages;
  for (const item of list) {
    if (Array.isArray(item)) for (const m of item) pushMessage(messages, m, 'user');
    else pushMessage(messages, item, 'user');
  }
  return messages;
}

/**
 * A LangChain `LLMResult` (`{generations: [[{text, message, generation_info}]]}`) as the answer's
 * messages, with the `usage_metadata` of the first message that has one (LangSmith reads its usage
 * there; MLflow records its own).
 */
export function langchainGenerations(outputs: JsonObject): { messages: LlmMessage[]; finishReasons: string[]; usage?: JsonValue } {
  const messages: LlmMessage[] = [];
  const finishReasons: string[] = [];
  let usage: JsonValue | undefined;
  for (const batch of Array.isArray(outputs.generations) ? outputs.generations : []) {
    for (const gen of Array.isArray(batch) ? batch : [batch]) {
      if (!isObject(gen)) continue;
      const finishReason = isObject(gen.generation_info) ? asString(gen.generation_info.finish_reason) : undefined;
      const message = gen.message !== undefined ? langchainMessage(gen.message, 'assistant') : textMessage('assistant', textOf(gen.text));
      if (!message) continue;
      if (finishReason) {
        message.finishReason ??= finishReason;
        finishReasons.push(finishReason);
      }
      messages.push(message);
      const found = usageOfMessage(gen.message);
      if (found && !usage) usage = found;
    }
  }
  return { messages, finishReasons, usage };
}

/** `{generations: [[{text, message, generation_info}]], llm_output}` or an OpenAI response body. */
function readLlmOutputs(outputs: JsonObject, fragment: LlmCallFragment): void {
  if (Array.isArray(outputs.choices)) {
    const { messages, finishReasons } = outputFromResponse(outputs);
    fragment.outputMessages = messages;
    fragment.finishReasons = finishReasons;
    if (outputs.usage !== undefined) fragment.usage = usageFrom(outputs.usage);
    return;
  }
  let messages: LlmMessage[] = [];
  if (Array.isArray(outputs.generations)) {
    const generations = langchainGenerations(outputs);
    messages = generations.messages;
    if (generations.usage && !fragment.usage) fragment.usage = usageFrom(generations.usage);
  } else {
    pushMessage(messages, outputs, 'assistant');
  }
  if (messages.length > 0) fragment.outputMessages = messages;
  if (!fragment.usage && isObject(outputs.llm_output) && outputs.llm_output.token_usage !== undefined) {
    fragment.usage = usageFrom(outputs.llm_output.token_usage);
  }
}

function pushMessage(out: LlmMessage[], raw: JsonValue, defaultRole: string): void {
  const message = langchainMessage(raw, defaultRole);
  if (message) out.push(message);
}

const ROLE_OF_TYPE: Readonly<Record<string, string>> = {
  human: 'user',
  humanmessage: 'user',
  humanmessagechunk: 'user',
  ai: 'assistant',
  aimessage: 'assistant',
  aimessagechunk: 'assistant',
  system: 'system',
  systemmessage: 'system',
  tool: 'tool',
  toolmessage: 'tool',
  function: 'function',
  functionmessage: 'function',
};

/**
 * A LangChain message in any of its serialized forms — `{lc, type: 'constructor', id, kwargs}`,
 * `{type, data}` (message_to_dict), `{type: 'human', content}` — or an OpenAI `{role, content}`.
 * LangChain tool calls are `[{name, args, id}]`; older ones live in `additional_kwargs.tool_calls`.
 */
function langchainMessage(raw: JsonValue, defaultRole: string): LlmMessage | undefined {
  if (typeof raw === 'string') return textMessage(defaultRole, raw);
  if (!isObject(raw)) return undefined;
  if (typeof raw.role === 'string') return messageFromOpenAi(raw, defaultRole);
  let fields: JsonObject = raw;
  let type = asString(raw.type);
  if (raw.lc !== undefined && isObject(raw.kwargs)) {
    fields = raw.kwargs;
    const id = Array.isArray(raw.id) ? raw.id : [];
    type = asString(id[id.length - 1]) ?? asString(fields.type);
  } else if (isObject(raw.data) && type !== undefined) {
    fields = raw.data;
  }
  if (fields.content === undefined && fields.tool_calls === undefined) return undefined;
  const typeKey = (type ?? '').toLowerCase();
  // Own keys only: a message typed `constructor` must not get Object's method as its role.
  const role = (Object.hasOwn(ROLE_OF_TYPE, typeKey) ? ROLE_OF_TYPE[typeKey] : undefined) ?? asString(fields.role) ?? defaultRole;
  const extra = isObject(fields.additional_kwargs) ? fields.additional_kwargs : {};
  const metadata = isObject(fields.response_metadata) ? fields.response_metadata : {};
  const toolCalls = Array.isArray(fields.tool_calls) && fields.tool_calls.length > 0 ? fields.tool_calls : extra.tool_calls;
  return messageFromOpenAi(
    {
      role,
      content: fields.content ?? null,
      tool_calls: toolCalls ?? null,
      tool_call_id: fields.tool_call_id ?? null,
      name: fields.name ?? null,
      finish_reason: metadata.finish_reason ?? metadata.stop_reason ?? null,
    },
    defaultRole,
  );
}

/** A tool run's `output`: newer LangChain returns a serialized ToolMessage, whose content is the result. */
function toolOutput(output: JsonValue): string {
  return langchainToolResult(output)?.result ?? textOf(output);
}

/** A serialized ToolMessage's result and the call it answers; undefined for any other value. */
export function langchainToolResult(output: JsonValue): { result: string; callId?: string } | undefined {
  const message = isObject(output) && output.lc !== undefined ? langchainMessage(output, 'tool') : undefined;
  if (!message || typeof message.content !== 'string') return undefined;
  return message.toolCallId ? { result: message.content, callId: message.toolCallId } : { result: message.content };
}

/** The model that answered, as a LangChain chat model's first generation names it (`response_metadata.model_name`). */
export function langchainResponseModel(outputs: JsonObject): string | undefined {
  const first = Array.isArray(outputs.generations) && Array.isArray(outputs.generations[0]) ? outputs.generations[0][0] : undefined;
  const message = isObject(first) && isObject(first.message) ? first.message : undefined;
  const fields = message && isObject(message.kwargs) ? message.kwargs : message;
  const metadata = fields && isObject(fields.response_metadata) ? fields.response_metadata : undefined;
  return metadata ? (asString(metadata.model_name) ?? asString(metadata.model)) : undefined;
}

function usageOfMessage(raw: JsonValue | undefined): JsonValue | undefined {
  if (!isObject(raw)) return undefined;
  const fields = isObject(raw.kwargs) ? raw.kwargs : isObject(raw.data) ? raw.data : raw;
  return fields.usage_metadata;
}

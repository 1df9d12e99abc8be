// OpenInference (Arize Phoenix): flattened indexed attributes, shapes as emitted by
// @arizeai/openinference-instrumentation-openai 4.2.7 with @arizeai/openinference-semantic-conventions 2.12.0.
import type { JsonValue, LlmMessage, LlmUsage, MessagePart, ToolCall, ToolDefinition } from '../protocol/model';
import { asString, asNumber, collectIndexed, isObject, readJson, readNumberFields, textOf, type FlatRecord, type NumberFieldSource } from './attributeReaders';
import type { LlmCallFragment, SpanView } from './callFragments';
import { assembleMessage, argumentsText, joinMessages, mediaPart, uriOrData } from './messageParts';
import { mediaBlock, toolCall } from './openaiMessages';
import { operationFromName } from './operations';
import { normalizeProvider } from './providers';
import { paramsFromRequest } from './requestBodies';
import { documentsText } from './retrievedDocuments';
import { langchainGenerations, langchainInputMessages, langchainResponseModel, langchainToolResult } from './langchain';
import { toolDefinitionFrom } from './toolDefinitions';

/** Its JSON attribute that holds the model when `llm.model_name` is absent (see CALL_FIELDS_IN_JSON in index.ts). */
export const OPENINFERENCE_CALL_FIELDS_IN_JSON = ['llm.invocation_parameters'];

export function normalizeOpenInference(view: SpanView): LlmCallFragment | undefined {
  const a = view.attributes;
  const kind = asString(a['openinference.span.kind'])?.toUpperCase();
  const fragment: LlmCallFragment = { convention: 'openinference', operation: operationFromName(kind) };

  const inputs = readMessages(view, 'llm.input_messages.');
  withImageSources(inputs, a['input.value']);
  const invocation = readJson(a['llm.invocation_parameters']);
  const request = invocation?.ok && isObject(invocation.value) ? invocation.value : undefined;
  // Anthropic's system prompt is no message: OpenInference's Anthropic instrumentation (0.2.8) leaves it in
  // the request body it records as the invocation parameters.
  const system = request ? systemPromptOf(request.system) : undefined;
  if (system !== undefined && !inputs.some((m) => m.role === 'system')) inputs.unshift({ role: 'system', content: system });
  const outputs = readMessages(view, 'llm.output_messages.');
  if (inputs.length > 0) fragment.inputMessages = inputs;
  const responses = kind === 'LLM' && isResponsesApi(a);
  // A Responses call is one (its replay goes through that API: some models answer only there).
  if (responses) fragment.operation = 'responses';
  if (outputs.length > 0) fragment.outputMessages = responses && outputs.length > 1 ? [joinMessages(outputs)] : outputs;
  const finishReason = asString(a['llm.finish_reason']);
  if (finishReason) fragment.finishReasons = [finishReason];

  fragment.provider = normalizeProvider(asString(a['llm.provider']) ?? asString(a['llm.system']));
  // `llm.model_name` starts as the request model and is overwritten with the response's `model`. Where
  // the recorder names both apart (the Anthropic instrumentation, 0.2.8), a call without a response
  // (a 429) has only the request's.
  fragment.requestModel = asString(a['llm.request.model_name']);
  fragment.responseModel = asString(a['llm.response.model_name']) ?? (fragment.requestModel ? undefined : asString(a['llm.model_name']));

  // `llm.invocation_parameters` is the request body minus the messages, as JSON.
  if (request) {
    fragment.params = paramsFromRequest(request);
    // Unless it is a response body (the OpenAI Agents bridge's: an id and a creation time), whose model is
    // the one that answered.
    const response = request.object === 'response' || (typeof request.id === 'string' && request.created_at !== undefined);
    if (!response) fragment.requestModel ??= asString(request.model);
  }
  const tools = readTools(view);
  if (tools.length > 0) fragment.params = { ...fragment.params, tools };

  const usage = readNumberFields(a, USAGE_ATTRIBUTES);
  if (usage) fragment.usage = usage;
  // The cost the recorder priced the call at (OpenInference's `llm.cost.*`, USD): it stands where the price
  // table has no price. Zero is no figure, as for the other conventions' reported costs.
  const cost = asNumber(a['llm.cost.total']);
  if (cost !== undefined && cost > 0) fragment.reportedCostUsd = cost;

  readKindSpecific(view, kind, fragment);

  const found =
    kind !== undefined || inputs.length > 0 || outputs.length > 0 || usage !== undefined || fragment.responseModel !== undefined;
  return found ? fragment : undefined;
}

/**
 * Whether the call went through OpenAI's Responses API: its `output.value` is a Responses body, whose
 * id comes first (`resp_…`; cheap test, no parse; Python's JSON has a space after the colon). Read from
 * the start, as the index sees a long value only by its edges. That path records each output item
 * (reasoning, message, function call) as its own `llm.output_messages.N` (responsesAttributes.js in
 * 4.2.7): they are one answer, not N choices (the chat path only ever records the first choice).
 */
function isResponsesApi(a: FlatRecord): boolean {
  const value = a['output.value'];
  return typeof value === 'string' && RESPONSE_BODY_START.test(value);
}

const RESPONSE_BODY_START = /^\{\s*"id":\s?"resp_/;

/** Tool, embedding, retriever, completion and generic (chain/agent) spans. */
function readKindSpecific(view: SpanView, kind: string | undefined, fragment: LlmCallFragment): void {
  const a = view.attributes;
  const inputValue = a['input.value'];
  const outputValue = a['output.value'];
  const input = inputValue === undefined ? undefined : textOf(inputValue);
  const output = outputValue === undefined ? undefined : textOf(outputValue);

  if (kind === 'TOOL') {
    const name = asString(a['tool.name']);
    // LangChain's instrumentation (4.1) records the tool's serialized ToolMessage as its output.
    const answered = langchainValue(outputValue, (v) => (isObject(v) && v.output !== undefined ? langchainToolResult(v.output) : langchainToolResult(v)));
    if (name) {
      fragment.tool = { name, callId: asString(a['tool_call.id']) ?? answered?.callId, arguments: input, result: answered?.result ?? output };
    }
    return;
  }
  if (kind === 'LLM') {
    readLangChainCall(a, fragment);
    readChatCompletionModel(a, fragment);
  }
  if (kind === 'EMBEDDING') {
    fragment.requestModel ??= asString(a['embedding.model_name']);
    const texts = collectIndexed(a, 'embedding.embeddings.', view.keys)
      .map((row) => asString(row['embedding.text']))
      .filter((t): t is string => t !== undefined);
    fragment.input = texts.length > 0 ? texts.join('\n') : input;
    return;
  }
  if (kind === 'RETRIEVER' || kind === 'RERANKER') {
    const prefix = kind === 'RETRIEVER' ? 'retrieval.documents.' : 'reranker.output_documents.';
    const documents = documentsText(
      collectIndexed(a, prefix, view.keys).map((d) => ({
        id: asString(d['document.id']),
        score: asNumber(d['document.score']),
        content: textOf(d['document.content']),
      })),
    );
    fragment.input = kind === 'RERANKER' ? (asString(a['reranker.query']) ?? input) : input;
    fragment.output = documents ?? output;
    return;
  }
  if (kind === 'LLM' && !fragment.inputMessages && asString(a['input.mime_type']) === 'text/plain') {
    // The completions API: prompt and completion only exist as plain-text input/output values.
    fragment.operation = 'text_completion';
    if (input !== undefined) fragment.inputMessages = [{ role: 'user', content: input }];
    if (output !== undefined && !fragment.outputMessages) fragment.outputMessages = [{ role: 'assistant', content: output }];
    return;
  }
  if (!fragment.inputMessages && !fragment.outputMessages) {
    fragment.input = input;
    fragment.output = output;
  }
}

/**
 * A LangChain model call (its OpenInference instrumentation, JS 4.1 and Python): the flattened messages
 * lose what LangChain's serialized messages in `input.value` / `output.value` keep. Tool call ids and the
 * ids tool results answer are never flattened, and with the Responses API (`useResponsesApi`) neither
 * is the answer, its text or its tool calls: the serialized messages stand in for the flattened ones.
 * Also the model that answered and the provider LangChain names in its metadata.
 */
function readLangChainCall(a: FlatRecord, fragment: LlmCallFragment): void {
  const inputs = langchainValue(a['input.value'], (v) => (isObject(v) && Array.isArray(v.messages) ? langchainInputMessages(v) : undefined));
  if (inputs && inputs.length > 0) fragment.inputMessages = inputs;
  const outputs = langchainValue(a['output.value'], (v) => (isObject(v) && Array.isArray(v.generations) ? v : undefined));
  if (outputs) {
    const generations = langchainGenerations(outputs);
    if (generations.messages.length > 0) fragment.outputMessages = generations.messages;
    if (generations.finishReasons.length > 0 && !fragment.finishReasons) fragment.finishReasons = generations.finishReasons;
    answeredBy(fragment, langchainResponseModel(outputs));
  }
  if (!fragment.provider) {
    const metadata = readJson(a['metadata']);
    if (metadata?.ok && isObject(metadata.value)) fragment.provider = normalizeProvider(asString(metadata.value.ls_provider));
  }
}

/**
 * The OpenAI Agents bridge (0.2.15), on the Chat Completions path, names the requested model as
 * `llm.model_name`; the model that answered is only in the responses it records as `output.value`.
 */
function readChatCompletionModel(a: FlatRecord, fragment: LlmCallFragment): void {
  const value = a['output.value'];
  if (a['llm.response.model_name'] !== undefined || typeof value !== 'string' || !value.includes('"object":"chat.completion"')) return;
  // The OpenAI instrumentation's model name is already the answering one: no need to parse the body.
  if (fragment.responseModel !== undefined && value.includes(`"model":${JSON.stringify(fragment.responseModel)}`)) return;
  const parsed = readJson(value);
  const body = parsed?.ok ? (Array.isArray(parsed.value) ? parsed.value[0] : parsed.value) : undefined;
  answeredBy(fragment, isObject(body) && body.object === 'chat.completion' ? asString(body.model) : undefined);
}

/**
 * `model` answered the call, where the recorder's model name is the one it asked for (LangChain, the
 * OpenAI Agents bridge): the name becomes the request model, unless one is known.
 */
function answeredBy(fragment: LlmCallFragment, model: string | undefined): void {
  if (!model || model === fragment.responseModel) return;
  fragment.requestModel ??= fragment.responseModel;
  fragment.responseModel = model;
}

/** `read` of a JSON attribute that holds LangChain's serialized objects (`"lc": 1`); undefined for anything else. */
function langchainValue<T>(value: JsonValue | undefined, read: (parsed: JsonValue) => T | undefined): T | undefined {
  // Cheap test first: most values are no LangChain serialization, and some are long. (Python writes `"lc": 1`.)
  if (typeof value !== 'string' || !value.includes('"lc":')) return undefined;
  const parsed = readJson(value);
  return parsed?.ok ? read(parsed.value) : undefined;
}

function readMessages(view: SpanView, prefix: string): LlmMessage[] {
  const rows = collectIndexed(view.attributes, prefix, view.keys);
  return rows.map((row) => messageFromRow(row));
}

/**
 * One `llm.*_messages.N.` row: `message.role`, `message.content` or `message.contents.M.message_content.*`,
 * `message.tool_calls.M.tool_call.{id, function.name, function.arguments}`, `message.tool_call_id`,
 * `message.name`, and the deprecated `message.function_call_name` / `message.function_call_arguments_json`.
 */
function messageFromRow(row: FlatRecord): LlmMessage {
  const parts: MessagePart[] = [];
  const toolCalls: ToolCall[] = [];
  const content = row['message.content'];
  if (content !== undefined && content !== null && content !== '') parts.push({ type: 'text', text: textOf(content) });
  // Most rows are just role + content: only look for nested lists when the row has more keys.
  const keys = Object.keys(row);
  const nested = keys.length > 2 || (keys.length === 2 && content === undefined);
  // Anthropic's `tool_use` blocks are recorded as content rows too (0.2.8), beside the same calls in
  // `message.tool_calls`: calls, once each, not parts.
  const contentCalls: ToolCall[] = [];
  for (const c of nested ? collectIndexed(row, 'message.contents.', keys) : []) {
    if (asString(c['message_content.type']) === 'tool_use') contentCalls.push(toolCallOf(c));
    else parts.push(contentPart(c));
  }
  for (const t of nested ? collectIndexed(row, 'message.tool_calls.', keys) : []) toolCalls.push(toolCallOf(t));
  for (const call of contentCalls) if (!toolCalls.some((known) => known.id !== undefined && known.id === call.id)) toolCalls.push(call);
  const role = asString(row['message.role']) ?? 'user';
  const fnName = asString(row['message.function_call_name']);
  const fnArgs = row['message.function_call_arguments_json'];
  // For `role: function` messages the name is the function that answered, not a call.
  if (fnName && role !== 'function') toolCalls.push({ name: fnName, arguments: argumentsText(fnArgs) });
  return assembleMessage(role, parts, toolCalls, {
    name: asString(row['message.name']) ?? (role === 'function' ? fnName : undefined),
    toolCallId: asString(row['message.tool_call_id']),
  });
}

/** `tool_call.{id, function.name, function.arguments}` of a tool call row (or of an Anthropic `tool_use` content row). */
function toolCallOf(t: FlatRecord): ToolCall {
  return toolCall(t['tool_call.id'], t['tool_call.function.name'], t['tool_call.function.arguments']);
}

/** An image part with nothing to show: neither its data nor where it is. */
const isBareImage = (part: MessagePart): boolean => part.type === 'image' && !part.data && !part.uri;

/**
 * Anthropic's image blocks keep their data only in the request body recorded as `input.value`: 0.2.8
 * flattens an image to its media type. Such an image part gets its block's source (base64 data or a
 * URL), by position: the flattened rows are the request's messages in order, the images of each in order.
 */
function withImageSources(inputs: LlmMessage[], inputValue: JsonValue | undefined): void {
  if (!inputs.some((m) => typeof m.content !== 'string' && m.content.some(isBareImage))) return;
  const parsed = readJson(inputValue);
  const messages = parsed?.ok && isObject(parsed.value) && Array.isArray(parsed.value.messages) ? parsed.value.messages : undefined;
  // Positions only line up when the rows are the body's messages, one for one.
  if (!messages || messages.length !== inputs.length) return;
  inputs.forEach((message, i) => {
    const blocks = (messages[i] as { content?: unknown } | null)?.content;
    if (typeof message.content === 'string' || !Array.isArray(blocks)) return;
    const images = blocks.filter((b): b is Record<string, JsonValue> => isObject(b) && b.type === 'image');
    let image = 0;
    message.content = message.content.map((part) => {
      if (part.type !== 'image') return part;
      const block = images[image++];
      if (!isBareImage(part) || !block) return part;
      // Read as every other convention's Anthropic image block is (openaiMessages.ts).
      const found = mediaBlock(block);
      if (isBareImage(found)) return part;
      return found.type === 'image' && !found.mimeType && part.mimeType ? { ...found, mimeType: part.mimeType } : found;
    });
  });
}

/** Anthropic's `system`: a string, or text blocks (with `cache_control`). */
function systemPromptOf(system: JsonValue | undefined): string | undefined {
  if (typeof system === 'string') return system || undefined;
  if (!Array.isArray(system)) return undefined;
  const texts = system.filter(isObject).map((block) => asString(block.text)).filter((t): t is string => t !== undefined);
  return texts.length > 0 ? texts.join('\n') : undefined;
}

/** `message_content.{type, text, image.image.url, audio.audio.url, video.video.url}`; Responses API types too. */
function contentPart(c: FlatRecord): MessagePart {
  const type = asString(c['message_content.type']) ?? 'text';
  const text = c['message_content.text'];
  switch (type) {
    case 'text':
    case 'input_text':
    case 'output_text':
    case 'refusal':
      return { type: 'text', text: textOf(text) };
    case 'reasoning':
      return { type: 'reasoning', text: textOf(text) };
    case 'image':
    case 'input_image': {
      const url = asString(c['message_content.image.image.url']);
      // Anthropic's image blocks (0.2.8): their source's media type, the data left out.
      return mediaPart('image', { ...(url ? uriOrData(url) : {}), mimeType: asString(c['message_content.image.media_type']) });
    }
    case 'audio':
    case 'video': {
      const url = asString(c[`message_content.${type}.${type}.url`]) ?? asString(c['message_content.data']);
      return mediaPart(type, {
        ...(url ? uriOrData(url) : {}),
        mimeType: asString(c[`message_content.${type}.${type}.mime_type`]),
      });
    }
    default:
      return { type: 'other', value: { ...c } };
  }
}

/** `llm.tools.N.tool.json_schema`: the OpenAI tool definition as JSON. */
function readTools(view: SpanView): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  for (const row of collectIndexed(view.attributes, 'llm.tools.', view.keys)) {
    const tool = toolDefinitionFrom(row['tool.json_schema']) ?? toolDefinitionFrom({ name: row['tool.name'] ?? null, description: row['tool.description'] ?? null, parameters: row['tool.parameters'] ?? null });
    if (tool) tools.push(tool);
  }
  return tools;
}

const USAGE_ATTRIBUTES: readonly NumberFieldSource<keyof LlmUsage>[] = [
  ['inputTokens', 'llm.token_count.prompt'],
  ['outputTokens', 'llm.token_count.completion'],
  ['totalTokens', 'llm.token_count.total'],
  ['cachedInputTokens', 'llm.token_count.prompt_details.cache_read'],
  ['cacheCreationInputTokens', 'llm.token_count.prompt_details.cache_write'],
  ['reasoningTokens', 'llm.token_count.completion_details.reasoning'],
];

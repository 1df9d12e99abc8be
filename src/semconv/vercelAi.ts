// Vercel AI SDK telemetry (`experimental_telemetry: {isEnabled: true}`), attribute names read from
// `ai` 6.0.326 src/generate-text, src/generate-object, src/embed and src/telemetry; v4/v5 names kept.
// Outer spans (`ai.generateText`, `ai.streamText`, …) wrap one model call per step
// (`ai.generateText.doGenerate`, `ai.streamText.doStream`) and a span per executed tool (`ai.toolCall`).
import type { LlmMessage, LlmOperation, LlmParams, LlmUsage, MessagePart, ToolCall } from '../protocol/model';
import { asNumber, asString, asStringArray, isObject, nonNegative, parseJson, readJson, readNumberFields, textOf, type FlatRecord, type NumberFieldSource } from './attributeReaders';
import type { LlmCallFragment, SpanView } from './callFragments';
import { reportedMs } from './firstToken';
import { assembleMessage, textMessage } from './messageParts';
import { normalizeProvider } from './providers';
import { toolDefinitionsFrom } from './toolDefinitions';
import { messagesFromVercel, vercelToolCall } from './vercelMessages';

const SETTINGS_PREFIX = 'ai.settings.';

/**
 * JSON in which a model call keeps what its provider charged (OpenRouter's usage, beside its reasoning
 * details, which make it long): kept whole by the ingest preview (see CALL_FIELDS_IN_JSON).
 */
export const VERCEL_AI_CALL_FIELDS_IN_JSON: readonly string[] = ['ai.response.providerMetadata'];

export function normalizeVercelAi(view: SpanView): LlmCallFragment | undefined {
  const a = view.attributes;
  const operationId = asString(a['ai.operationId']);
  const modelId = asString(a['ai.model.id']);
  const toolName = asString(a['ai.toolCall.name']);
  if (!operationId && !modelId && !toolName) return undefined;

  const fragment: LlmCallFragment = { convention: 'vercel-ai', operation: operationOf(operationId, toolName) };
  if (fragment.operation === 'tool') {
    fragment.tool = {
      name: toolName ?? view.name,
      callId: asString(a['ai.toolCall.id']),
      arguments: optionalText(a['ai.toolCall.args']),
      result: optionalText(a['ai.toolCall.result']),
    };
    return fragment;
  }
  fragment.provider = normalizeProvider(asString(a['ai.model.provider']));
  fragment.requestModel = modelId;
  fragment.responseModel = asString(a['ai.response.model']);
  fragment.params = readParams(view, operationId);
  fragment.usage = readNumberFields(a, USAGE_ATTRIBUTES);
  fragment.timeToFirstTokenMs = reportedMs(view, a['ai.response.msToFirstChunk'], 1);
  fragment.inputMessages = readPrompt(a);
  const output = readResponse(a);
  if (output) fragment.outputMessages = [output];
  const finishReason = asString(a['ai.response.finishReason']);
  if (finishReason) fragment.finishReasons = [finishReason];
  // Only a model call's own metadata: an outer span's is its last step's, beside the usage of all steps.
  if (fragment.operation === 'chat') fragment.reportedCostUsd = openRouterCost(a['ai.response.providerMetadata']);
  if (fragment.operation === 'embeddings') {
    fragment.input = embeddingInput(a);
  }
  return fragment;
}

/**
 * `*.doGenerate` / `*.doStream` are the model calls; `*.doEmbed` embeddings; `ai.toolCall` a tool run.
 * The outer `ai.generateText`-style spans orchestrate steps and roll up their usage: they are
 * `workflow`, so aggregates can count the model calls once.
 */
function operationOf(operationId: string | undefined, toolName: string | undefined): LlmOperation {
  if (operationId === 'ai.toolCall' || (!operationId && toolName)) return 'tool';
  if (!operationId) return 'chat';
  if (operationId.endsWith('.doGenerate') || operationId.endsWith('.doStream')) return 'chat';
  if (operationId.endsWith('.doEmbed')) return 'embeddings';
  if (operationId === 'ai.rerank') return 'rerank';
  return 'workflow';
}

/** `ai.prompt.messages` on model-call spans; `ai.prompt` (`{system, prompt, messages}`) on outer spans. */
function readPrompt(a: FlatRecord): LlmMessage[] | undefined {
  const messages = readJson(a['ai.prompt.messages']);
  if (messages) return messages.ok ? messagesFromVercel(messages.value) : [textMessage('user', messages.raw)];
  const prompt = readJson(a['ai.prompt']);
  if (!prompt) return undefined;
  if (!prompt.ok) return [textMessage('user', prompt.raw)];
  if (!isObject(prompt.value)) return [textMessage('user', textOf(prompt.value))];
  const out: LlmMessage[] = [];
  const system = asString(prompt.value.system);
  if (system) out.push(textMessage('system', system));
  const p = prompt.value.prompt;
  // `prompt` is a string, or (v5+) a message list like `messages`.
  if (typeof p === 'string') out.push(textMessage('user', p));
  else out.push(...messagesFromVercel(p));
  out.push(...messagesFromVercel(prompt.value.messages));
  return out;
}

/** One assistant message from `ai.response.text`, `.reasoning`, `.toolCalls` and `.object`. */
function readResponse(a: FlatRecord): LlmMessage | undefined {
  const parts: MessagePart[] = [];
  const toolCalls: ToolCall[] = [];
  const reasoning = asString(a['ai.response.reasoning']);
  if (reasoning) parts.push({ type: 'reasoning', text: reasoning });
  const text = asString(a['ai.response.text']) ?? asString(a['ai.response.object']);
  if (text) parts.push({ type: 'text', text });
  const calls = readJson(a['ai.response.toolCalls']);
  if (calls?.ok && Array.isArray(calls.value)) {
    for (const c of calls.value) if (isObject(c)) toolCalls.push(vercelToolCall(c));
  } else if (calls && !calls.ok) {
    parts.push({ type: 'text', text: calls.raw });
  }
  if (parts.length === 0 && toolCalls.length === 0) return undefined;
  return assembleMessage('assistant', parts, toolCalls, { finishReason: asString(a['ai.response.finishReason']) });
}

/** `ai.settings.*` (camelCase) → contract params; unknown settings are kept under their own name. */
function readParams(view: SpanView, operationId: string | undefined): LlmParams {
  const a = view.attributes;
  const params: LlmParams = {};
  for (const key of view.keys) {
    if (!key.startsWith(SETTINGS_PREFIX)) continue;
    const name = key.slice(SETTINGS_PREFIX.length);
    if (name === '__proto__') continue;
    const value = a[key];
    const n = asNumber(value);
    switch (name) {
      case 'maxOutputTokens': // v5+
      case 'maxTokens': // v4
        if (n !== undefined) params.max_tokens = n;
        break;
      case 'temperature':
      case 'seed':
        if (n !== undefined) params[name] = n;
        break;
      case 'topP':
        if (n !== undefined) params.top_p = n;
        break;
      case 'topK':
        if (n !== undefined) params.top_k = n;
        break;
      case 'frequencyPenalty':
        if (n !== undefined) params.frequency_penalty = n;
        break;
      case 'presencePenalty':
        if (n !== undefined) params.presence_penalty = n;
        break;
      case 'stopSequences': {
        const stop = asStringArray(value);
        if (stop) params.stop = stop;
        break;
      }
      default:
        params[name] = value;
    }
  }
  const tools = toolDefinitionsFrom(a['ai.prompt.tools']);
  if (tools.length > 0) params.tools = tools;
  const toolChoice = readJson(a['ai.prompt.toolChoice']);
  if (toolChoice) params.tool_choice = toolChoice.ok ? toolChoice.value : toolChoice.raw;
  if (operationId?.endsWith('.doStream') || operationId === 'ai.streamText' || operationId === 'ai.streamObject') params.stream = true;
  return params;
}

/**
 * What OpenRouter charged for the call: its AI SDK provider (`@openrouter/ai-sdk-provider`) returns
 * `{openrouter: {usage: {cost, costDetails: {upstreamInferenceCost}}}}` with every response, in credits,
 * which are US dollars. With BYOK (the user's own key for the upstream provider), `cost` is only
 * OpenRouter's fee and the provider bills `upstreamInferenceCost` to that key: the call cost both.
 * Zero stands: it is what OpenRouter charged (a free model), not a missing price.
 */
function openRouterCost(value: FlatRecord[string] | undefined): number | undefined {
  const metadata = readJson(value);
  if (!metadata?.ok || !isObject(metadata.value) || !isObject(metadata.value.openrouter)) return undefined;
  const usage = metadata.value.openrouter.usage;
  if (!isObject(usage)) return undefined;
  const cost = nonNegative(asNumber(usage.cost));
  const upstream = isObject(usage.costDetails) ? nonNegative(asNumber(usage.costDetails.upstreamInferenceCost)) : undefined;
  return cost === undefined && upstream === undefined ? undefined : (cost ?? 0) + (upstream ?? 0);
}

/** v4 `promptTokens`/`completionTokens`; v5 `inputTokens`/`outputTokens`/`totalTokens`/`reasoningTokens`/`cachedInputTokens`; v6 adds `*TokenDetails.*`; embeddings `tokens`. */
const USAGE_ATTRIBUTES: readonly NumberFieldSource<keyof LlmUsage>[] = [
  ['inputTokens', 'ai.usage.inputTokens', 'ai.usage.promptTokens', 'ai.usage.tokens'],
  ['outputTokens', 'ai.usage.outputTokens', 'ai.usage.completionTokens'],
  ['totalTokens', 'ai.usage.totalTokens'],
  ['cachedInputTokens', 'ai.usage.inputTokenDetails.cacheReadTokens', 'ai.usage.cachedInputTokens'],
  ['cacheCreationInputTokens', 'ai.usage.inputTokenDetails.cacheWriteTokens'],
  ['reasoningTokens', 'ai.usage.outputTokenDetails.reasoningTokens', 'ai.usage.reasoningTokens'],
];

/** `ai.value` (JSON of one value) or `ai.values` (one JSON string per value); a JSON string value shows unquoted. */
function embeddingInput(a: FlatRecord): string | undefined {
  const one = asString(a['ai.value']);
  if (one !== undefined) return decodedText(one);
  const many = asStringArray(a['ai.values']);
  return many?.map(decodedText).join('\n');
}

function decodedText(json: string): string {
  const parsed = parseJson(json);
  return parsed.ok ? textOf(parsed.value) : json;
}

function optionalText(value: FlatRecord[string] | undefined): string | undefined {
  return value === undefined ? undefined : textOf(value);
}

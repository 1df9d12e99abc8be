// OTel GenAI semantic conventions, current form (semconv 1.37+ attribute names), as emitted by
// @opentelemetry/instrumentation-openai 0.21.0, @traceloop/instrumentation-openai 0.27.0, Logfire,
// the Vercel AI SDK's `gen_ai.*` mirror attributes, Copilot Chat and other agents.
import type { LlmParams, LlmUsage, Scope } from '../protocol/model';
import { asBoolean, asNumber, asString, asStringArray, isObject, readJson, readNumberFields, textOf, type JsonParse, type NumberFieldSource } from './attributeReaders';
import type { LlmCallFragment, SpanView } from './callFragments';
import { reportedMs } from './firstToken';
import { operationFromName } from './operations';
import { normalizeProvider } from './providers';
import { documentOf, documentsText } from './retrievedDocuments';
import { readStructuredMessages, readSystemInstructions } from './structuredMessages';
import { STRANDS_SYSTEM } from './strands';
import { toolDefinitionsFrom } from './toolDefinitions';

/** Numeric `gen_ai.request.*` attributes and the contract param each one fills. */
const NUMERIC_PARAMS: readonly NumberFieldSource<'temperature' | 'top_p' | 'top_k' | 'max_tokens' | 'seed' | 'frequency_penalty' | 'presence_penalty' | 'n'>[] = [
  ['temperature', 'gen_ai.request.temperature'],
  ['top_p', 'gen_ai.request.top_p'],
  ['top_k', 'gen_ai.request.top_k'],
  ['max_tokens', 'gen_ai.request.max_tokens'],
  // `gen_ai.openai.request.seed` is the deprecated name, still emitted by older instrumentations.
  ['seed', 'gen_ai.request.seed', 'gen_ai.openai.request.seed'],
  ['frequency_penalty', 'gen_ai.request.frequency_penalty'],
  ['presence_penalty', 'gen_ai.request.presence_penalty'],
  ['n', 'gen_ai.request.choice.count'],
];

/**
 * Recorders that write their own name as the system: LangSmith's exporter writes `langchain` when it
 * cannot tell the provider, Strands Agents always writes `strands-agents` (strands.ts says what it can).
 */
const NOT_PROVIDERS: ReadonlySet<string> = new Set(['langchain', STRANDS_SYSTEM]);

export function normalizeGenAi(view: SpanView): LlmCallFragment | undefined {
  const a = view.attributes;
  const fragment: LlmCallFragment = { convention: 'genai' };
  let found = false;

  const operationName = asString(a['gen_ai.operation.name']);
  if (operationName) {
    fragment.operation = operationFromName(operationName);
    found = true;
  }
  const system = asString(a['gen_ai.provider.name']) ?? asString(a['gen_ai.system']);
  if (system && !NOT_PROVIDERS.has(system)) {
    fragment.provider = normalizeProvider(system);
    found = true;
  }
  fragment.requestModel = asString(a['gen_ai.request.model']);
  fragment.responseModel = asString(a['gen_ai.response.model']);
  fragment.serverAddress = asString(a['server.address']);
  fragment.serverPort = asNumber(a['server.port']);
  // The current attribute, else Pydantic AI's and OpenLIT's (named after GenAI's client and server
  // metrics): all in seconds.
  fragment.timeToFirstTokenMs =
    reportedMs(view, a['gen_ai.response.time_to_first_chunk'], 1000) ??
    reportedMs(view, a['gen_ai.client.operation.time_to_first_chunk'], 1000) ??
    reportedMs(view, a['gen_ai.server.time_to_first_token'], 1000);
  if (fragment.requestModel || fragment.responseModel) found = true;

  const params = readParams(view);
  if (params) fragment.params = params;

  const usage = readNumberFields(a, USAGE_ATTRIBUTES);
  if (usage) {
    fragment.usage = writesUncachedInput(view.scope) ? withCacheInInput(usage) : usage;
    found = true;
  }
  fragment.reportedCostUsd = reportedCost(a);

  // LangSmith records `finish_reasons` as one comma-joined string, hence the split. The Anthropic SDK's own
  // spans (1.17) record only Anthropic's `stop_reason`.
  const reasons = asStringArray(a['gen_ai.response.finish_reasons']);
  const stopReason = asString(a['anthropic.message.stop_reason']);
  if (reasons) fragment.finishReasons = reasons.length === 1 ? reasons[0].split(/,\s*/) : reasons;
  else if (stopReason) fragment.finishReasons = [stopReason];

  const input = readStructuredMessages(a['gen_ai.input.messages'], 'user');
  const instructions = readSystemInstructions(a['gen_ai.system_instructions']);
  if (input) fragment.inputMessages = instructions ? [instructions, ...input] : input;
  else if (instructions) fragment.systemMessage = instructions; // the conversation may come from log records
  if (input || instructions) found = true;
  const output = readStructuredMessages(a['gen_ai.output.messages'], 'assistant');
  if (output) {
    fragment.outputMessages = output;
    found = true;
  }

  const query = asString(a['gen_ai.retrieval.query.text']);
  const documents = readJson(a['gen_ai.retrieval.documents']);
  if (query !== undefined || documents !== undefined) {
    fragment.input = query;
    fragment.output = retrievalOutput(documents);
    fragment.operation ??= 'retrieval';
    found = true;
  }

  // Memory operations: the query of a search as input and the records it found as output; the records a
  // write stores as its input (`gen_ai.memory.records`: `[{content, id, score, metadata}]`).
  const memoryQuery = asString(a['gen_ai.memory.query.text']);
  const records = readJson(a['gen_ai.memory.records']);
  if (memoryQuery !== undefined || records !== undefined) {
    const recordsText = retrievalOutput(records);
    if (operationName === 'search_memory') {
      fragment.input = memoryQuery;
      fragment.output = recordsText;
    } else fragment.input = memoryQuery ?? recordsText;
    found = true;
  }

  const toolName = asString(a['gen_ai.tool.name']);
  if (toolName) {
    const args = a['gen_ai.tool.call.arguments'];
    const result = a['gen_ai.tool.call.result'];
    fragment.tool = {
      name: toolName,
      callId: asString(a['gen_ai.tool.call.id']),
      arguments: args === undefined ? undefined : textOf(args),
      result: result === undefined ? undefined : textOf(result),
    };
    fragment.operation ??= 'tool';
    found = true;
  }
  return found ? fragment : undefined;
}

function readParams(view: SpanView): LlmParams | undefined {
  const a = view.attributes;
  const numbers = readNumberFields(a, NUMERIC_PARAMS);
  const params: LlmParams = { ...numbers };
  let any = numbers !== undefined;
  const stop = asStringArray(a['gen_ai.request.stop_sequences']);
  if (stop) {
    params.stop = stop;
    any = true;
  }
  // OpenLIT names it `is_stream`.
  const stream = asBoolean(a['gen_ai.request.stream']) ?? asBoolean(a['gen_ai.request.is_stream']);
  if (stream !== undefined) {
    params.stream = stream;
    any = true;
  }
  // OpenAI's reasoning_effort, Anthropic's effort: under the name the request bodies other recorders keep give it.
  const reasoning = asString(a['gen_ai.request.reasoning.level']);
  if (reasoning) {
    params.reasoning_effort = reasoning;
    any = true;
  }
  // Anthropic's extended thinking, as its request body has it (OpenInference keeps that body): the Anthropic
  // SDK's own spans (1.17) and @traceloop/instrumentation-anthropic (0.27) write it flat, each its way.
  const thinkingType = asString(a['anthropic.thinking.type']) ?? asString(a['gen_ai.request.thinking_type']);
  if (thinkingType) {
    const budget = asNumber(a['anthropic.thinking.budget_tokens']) ?? asNumber(a['gen_ai.request.thinking.budget_tokens']);
    params.thinking = budget === undefined ? { type: thinkingType } : { type: thinkingType, budget_tokens: budget };
    any = true;
  }
  const outputType = asString(a['gen_ai.output.type']);
  if (outputType) {
    params.output_type = outputType;
    any = true;
  }
  const responseFormat = asString(a['gen_ai.openai.request.response_format']);
  if (responseFormat) {
    params.response_format = responseFormat;
    any = true;
  }
  const encodings = asStringArray(a['gen_ai.request.encoding_formats']);
  if (encodings) {
    params.encoding_formats = encodings;
    any = true;
  }
  const tools = toolDefinitionsFrom(a['gen_ai.tool.definitions']);
  if (tools.length > 0) {
    params.tools = tools;
    any = true;
  }
  return any ? params : undefined;
}

/** `gen_ai.retrieval.documents`: `[{id, score, …}]` per the semconv's retrieval-documents schema. */
function retrievalOutput(documents: JsonParse | undefined): string | undefined {
  if (!documents) return undefined;
  if (!documents.ok) return documents.raw;
  if (!Array.isArray(documents.value)) return textOf(documents.value);
  return documentsText(documents.value.filter(isObject).map(documentOf));
}

/** Each usage field of the contract and the GenAI attributes that record it, the current name first. */
export const USAGE_ATTRIBUTES: readonly NumberFieldSource<keyof LlmUsage>[] = [
  ['inputTokens', 'gen_ai.usage.input_tokens'],
  ['outputTokens', 'gen_ai.usage.output_tokens'],
  // Not in the spec (it says derive), but Traceloop 0.27 and LangSmith record it.
  ['totalTokens', 'gen_ai.usage.total_tokens'],
  ['cachedInputTokens', 'gen_ai.usage.cache_read.input_tokens'],
  // The registry's name since the GenAI conventions moved to their own repository (semantic-conventions-genai:
  // the Copilot CLI, opentelemetry-util-genai); most recorders still write the earlier `cache_creation`.
  ['cacheCreationInputTokens', 'gen_ai.usage.cache_write.input_tokens', 'gen_ai.usage.cache_creation.input_tokens'],
  ['reasoningTokens', 'gen_ai.usage.reasoning.output_tokens'],
];

/**
 * @traceloop/instrumentation-anthropic (the JavaScript one; 0.27 measured) writes Anthropic's own
 * `input_tokens` as `gen_ai.usage.input_tokens`: the prompt's uncached part, where GenAI's count includes
 * the tokens read from and written to the cache (its Python twin adds them). Taken as the whole prompt,
 * a cached call showed a fraction of its tokens and was priced as if its cache reads were free.
 * Versions after the one measured are taken at their word.
 */
function writesUncachedInput(scope: Scope): boolean {
  if (scope.name !== '@traceloop/instrumentation-anthropic') return false;
  const [major, minor] = (scope.version ?? '').split('.').map(Number);
  return major === 0 && minor <= 27;
}

function withCacheInInput(usage: LlmUsage): LlmUsage {
  const cached = (usage.cachedInputTokens ?? 0) + (usage.cacheCreationInputTokens ?? 0);
  if (cached === 0 || usage.inputTokens === undefined) return usage;
  const inputTokens = usage.inputTokens + cached;
  return { ...usage, inputTokens, totalTokens: inputTokens + (usage.outputTokens ?? 0) };
}

/**
 * `gen_ai.usage.cost`, `operation.cost` and `gen_ai.cost.total_cost`: not GenAI's (it defines no money),
 * but OpenLIT's, Pydantic's (Pydantic AI prices each call with genai-prices; Logfire's Claude Agent SDK
 * integration records the SDK's own total on the run) and LiteLLM's (its cost breakdown, what the proxy
 * charged with its own prices) names for the cost they priced a call at, in USD. Zero
 * is left out: OpenLIT writes 0 for a model it has no price for, and the contract's cost is absent
 * rather than a misleading zero. So is a cost in another currency.
 */
function reportedCost(a: SpanView['attributes']): number | undefined {
  const currency = asString(a['gen_ai.usage.cost.currency']);
  if (currency !== undefined && currency.toUpperCase() !== 'USD') return undefined;
  const cost = asNumber(a['gen_ai.usage.cost']) ?? asNumber(a['operation.cost']) ?? asNumber(a['gen_ai.cost.total_cost']);
  return cost !== undefined && cost > 0 ? cost : undefined;
}

// OTel GenAI semantic conventions, current form (semconv 1.37+ attribute names), as emitted by
// @opentelemetry/instrumentation-openai 0.21.0, @traceloop/instrumentation-openai 0.27.0, Logfire,
// the Vercel AI SDK's `gen_ai.*` mirror attributes, Copilot Chat and other agents.
import type { LlmParams, LlmUsage } from '../protocol/model';
import { asNumber, asString, asStringArray, readNumberFields, textOf, type NumberFieldSource } from './attributeReaders';
import type { LlmCallFragment, SpanView } from './callFragments';
import { operationFromName } from './operations';
import { normalizeProvider } from './providers';
import { readStructuredMessages, readSystemInstructions } from './structuredMessages';
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

export function normalizeGenAi(view: SpanView): LlmCallFragment | undefined {
  const a = view.attributes;
  const fragment: LlmCallFragment = { convention: 'genai' };
  let found = false;

  const operationName = asString(a['gen_ai.operation.name']);
  if (operationName) {
    fragment.operation = operationFromName(operationName);
    found = true;
  }
  // LangSmith's exporter writes `gen_ai.system = "langchain"` when it cannot tell the provider: not a provider.
  const system = asString(a['gen_ai.provider.name']) ?? asString(a['gen_ai.system']);
  if (system && system !== 'langchain') {
    fragment.provider = normalizeProvider(system);
    found = true;
  }
  fragment.requestModel = asString(a['gen_ai.request.model']);
  fragment.responseModel = asString(a['gen_ai.response.model']);
  fragment.serverAddress = asString(a['server.address']);
  fragment.serverPort = asNumber(a['server.port']);
  if (fragment.requestModel || fragment.responseModel) found = true;

  const params = readParams(view);
  if (params) fragment.params = params;

  const usage = readNumberFields(a, USAGE_ATTRIBUTES);
  if (usage) {
    fragment.usage = usage;
    found = true;
  }

  // LangSmith records `finish_reasons` as one comma-joined string, hence the split.
  const reasons = asStringArray(a['gen_ai.response.finish_reasons']);
  if (reasons) fragment.finishReasons = reasons.length === 1 ? reasons[0].split(/,\s*/) : reasons;

  const input = readStructuredMessages(a['gen_ai.input.messages'], 'user');
  const instructions = readSystemInstructions(a['gen_ai.system_instructions']);
  if (input || instructions) {
    fragment.inputMessages = instructions ? [instructions, ...(input ?? [])] : input;
    found = true;
  }
  const output = readStructuredMessages(a['gen_ai.output.messages'], 'assistant');
  if (output) {
    fragment.outputMessages = output;
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

const USAGE_ATTRIBUTES: readonly NumberFieldSource<keyof LlmUsage>[] = [
  ['inputTokens', 'gen_ai.usage.input_tokens'],
  ['outputTokens', 'gen_ai.usage.output_tokens'],
  // Not in the spec (it says derive), but Traceloop 0.27 and LangSmith record it.
  ['totalTokens', 'gen_ai.usage.total_tokens'],
  ['cachedInputTokens', 'gen_ai.usage.cache_read.input_tokens'],
  ['cacheCreationInputTokens', 'gen_ai.usage.cache_creation.input_tokens'],
  ['reasoningTokens', 'gen_ai.usage.reasoning.output_tokens'],
];

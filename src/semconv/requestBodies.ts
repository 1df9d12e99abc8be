// Provider request and response bodies (OpenAI chat/Responses/completions, Anthropic Messages)
// → params, usage and output messages. Logfire, OpenInference, Traceloop, LangSmith and Langfuse
// record these bodies as JSON.
import type { JsonValue, LlmMessage, LlmParams, LlmUsage } from '../protocol/model';
import { asBoolean, asNumber, asString, asStringArray, isObject, type JsonObject } from './attributeReaders';
import { messageFromOpenAi } from './openaiMessages';
import { toolDefinitionsFrom } from './toolDefinitions';
import { responsesOutputMessage } from './responsesItems';

/** Request keys that carry the conversation or the model, not parameters. */
// `__proto__` would replace the params object's prototype instead of adding a key.
const NOT_PARAMS = new Set([
  'messages', 'input', 'prompt', 'model', 'system', 'instructions', 'functions', '__proto__',
  // A response body's own fields: OpenInference's OpenAI Agents bridge (0.2.15) records the Responses API's
  // response as the invocation parameters.
  'id', 'object', 'created_at', 'status', 'usage', 'output', 'output_text', 'incomplete_details', 'error',
]);

/**
 * Request parameters from a request body or invocation-parameters object. Known names are mapped to
 * the contract's typed fields (`max_completion_tokens`/`max_output_tokens` → `max_tokens`,
 * `stop_sequences`/`stop` → `stop`, `tools` + legacy `functions` → `tools`); every other key is kept
 * as recorded. Typed fields with a value of the wrong type are dropped rather than mistyped.
 */
export function paramsFromRequest(body: JsonObject): LlmParams {
  const params: LlmParams = {};
  for (const key of Object.keys(body)) {
    const value = body[key];
    if (value === null || value === undefined || NOT_PARAMS.has(key)) continue;
    switch (key) {
      case 'max_tokens':
      case 'max_completion_tokens':
      case 'max_output_tokens':
        setNumber(params, 'max_tokens', value);
        break;
      case 'temperature':
      case 'top_p':
      case 'top_k':
      case 'seed':
      case 'frequency_penalty':
      case 'presence_penalty':
      case 'n':
        setNumber(params, key, value);
        break;
      case 'stop':
      case 'stop_sequences': {
        const stop = asStringArray(value);
        if (stop) params.stop = stop;
        break;
      }
      case 'stream': {
        const stream = asBoolean(value);
        if (stream !== undefined) params.stream = stream;
        break;
      }
      case 'tools': {
        const tools = toolDefinitionsFrom(value);
        if (tools.length > 0) params.tools = [...(params.tools ?? []), ...tools];
        break;
      }
      default:
        params[key] = value;
    }
  }
  const functions = toolDefinitionsFrom(body.functions);
  if (functions.length > 0) params.tools = [...(params.tools ?? []), ...functions];
  return params;
}

type NumericParam = 'max_tokens' | 'temperature' | 'top_p' | 'top_k' | 'seed' | 'frequency_penalty' | 'presence_penalty' | 'n';

function setNumber(params: LlmParams, key: NumericParam, value: JsonValue): void {
  const n = asNumber(value);
  if (n !== undefined && params[key] === undefined) params[key] = n;
}

/**
 * Token usage from any of: OpenAI chat `{prompt_tokens, completion_tokens, total_tokens,
 * prompt_tokens_details.cached_tokens, completion_tokens_details.reasoning_tokens}`, OpenAI Responses
 * `{input_tokens, output_tokens, input_tokens_details, output_tokens_details}`, Anthropic
 * `{input_tokens, output_tokens, cache_read_input_tokens, cache_creation_input_tokens}`, LangChain
 * `usage_metadata {input_token_details: {cache_read, cache_creation}, output_token_details: {reasoning}}`,
 * Langfuse `usage_details {input, output, total, …}`.
 */
export function usageFrom(raw: JsonValue | undefined): LlmUsage {
  const usage: LlmUsage = {};
  if (!isObject(raw)) return usage;
  const inDetails = firstObject(raw.prompt_tokens_details, raw.input_tokens_details, raw.input_token_details);
  const outDetails = firstObject(raw.completion_tokens_details, raw.output_tokens_details, raw.output_token_details);
  put(usage, 'inputTokens', raw.prompt_tokens ?? raw.input_tokens ?? raw.input ?? raw.promptTokens ?? raw.inputTokens);
  put(usage, 'outputTokens', raw.completion_tokens ?? raw.output_tokens ?? raw.output ?? raw.completionTokens ?? raw.outputTokens);
  put(usage, 'totalTokens', raw.total_tokens ?? raw.total ?? raw.totalTokens);
  put(
    usage,
    'cachedInputTokens',
    inDetails?.cached_tokens ?? inDetails?.cache_read ?? raw.cache_read_input_tokens ?? raw.input_cached_tokens ?? raw.cache_read,
  );
  put(usage, 'cacheCreationInputTokens', raw.cache_creation_input_tokens ?? inDetails?.cache_creation ?? raw.cache_creation);
  put(usage, 'reasoningTokens', outDetails?.reasoning_tokens ?? outDetails?.reasoning ?? raw.reasoning_tokens ?? raw.output_reasoning_tokens);
  return usage;
}

/**
 * Anthropic (and Bedrock's Converse API) report prompt tokens in three parts: uncached, read from the
 * cache, written to it. The contract's inputTokens is the whole prompt (what GenAI's
 * `gen_ai.usage.input_tokens` means), with the cached parts beside it, so pricing charges each part at
 * its rate (pricing/cost.ts).
 */
export function usageOfPromptParts(
  uncached: number | undefined,
  cacheRead: number | undefined,
  cacheWrite: number | undefined,
  output: number | undefined,
): LlmUsage | undefined {
  if (uncached === undefined && cacheRead === undefined && cacheWrite === undefined && output === undefined) return undefined;
  const usage: LlmUsage = {};
  if (uncached !== undefined || cacheRead !== undefined || cacheWrite !== undefined) {
    usage.inputTokens = (uncached ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0);
  }
  if (output !== undefined) usage.outputTokens = output;
  if (cacheRead !== undefined) usage.cachedInputTokens = cacheRead;
  if (cacheWrite !== undefined) usage.cacheCreationInputTokens = cacheWrite;
  return usage;
}

function firstObject(...values: (JsonValue | undefined)[]): JsonObject | undefined {
  for (const v of values) if (isObject(v)) return v;
  return undefined;
}

function put(usage: LlmUsage, key: keyof LlmUsage, value: JsonValue | undefined): void {
  const n = asNumber(value);
  if (n !== undefined) usage[key] = n;
}

export interface ResponseOutput {
  messages: LlmMessage[];
  finishReasons: string[];
}

/**
 * Output messages of a response body: OpenAI chat completion `choices[].message` (one message per
 * choice), completions `choices[].text`, OpenAI Responses `output[]` items, Anthropic
 * `{role, content: [blocks], stop_reason}`, or a bare message.
 */
export function outputFromResponse(body: JsonValue | undefined): ResponseOutput {
  const result: ResponseOutput = { messages: [], finishReasons: [] };
  if (!isObject(body)) return result;
  if (Array.isArray(body.choices)) {
    for (const choice of body.choices) {
      if (!isObject(choice)) continue;
      const finishReason = asString(choice.finish_reason);
      const message =
        choice.message !== undefined
          ? messageFromOpenAi(choice.message, 'assistant')
          : { role: 'assistant', content: typeof choice.text === 'string' ? choice.text : '' };
      if (!message) continue;
      if (finishReason) {
        message.finishReason = finishReason;
        result.finishReasons.push(finishReason);
      }
      result.messages.push(message);
    }
    return result;
  }
  if (Array.isArray(body.output)) {
    const message = responsesOutputMessage(body.output);
    if (message) result.messages.push(message);
    return result;
  }
  const message = messageFromOpenAi(body, 'assistant');
  const stop = asString(body.stop_reason) ?? asString(body.finish_reason);
  if (message) {
    if (stop) message.finishReason = stop;
    result.messages.push(message);
  }
  if (stop) result.finishReasons.push(stop);
  return result;
}

// Google's Agent Development Kit (google-adk, Python; tracer `gcp.vertex.agent`). Its `call_llm` spans set
// `gen_ai.system = gcp.vertex.agent`, the model and the token counts, but no `gen_ai.operation.name`, and
// keep the call itself as JSON: `gcp.vertex.agent.llm_request` (`{model, config, contents}`, Gemini's
// request) and `gcp.vertex.agent.llm_response` (`{content, usage_metadata, finish_reason, model_version}`).
// Its tool spans put the arguments and result in `gcp.vertex.agent.tool_call_args` / `.tool_response`, and
// `{}` in the two above. (With OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental newer releases
// also write `gen_ai.input.messages` and the rest, which genai.ts reads and this module fills around.)
import type { JsonValue, LlmParams, LlmUsage } from '../protocol/model';
import { asString, isObject, readJson, readNumberFields, textOf, type JsonObject, type NumberFieldSource } from './attributeReaders';
import type { LlmCallFragment, SpanView } from './callFragments';
import { geminiMessage, geminiMessages, geminiProvider, geminiSystemMessage, geminiToolDefinitions, geminiUsage } from './geminiContent';

export const ADK_PREFIX = 'gcp.vertex.agent.';
const REQUEST = 'gcp.vertex.agent.llm_request';
const RESPONSE = 'gcp.vertex.agent.llm_response';

/**
 * Its JSON attribute that holds the call's usage and answering model (see CALL_FIELDS_IN_JSON in
 * index.ts). The request, with the whole conversation, is not kept whole: the model asked for is also
 * in `gen_ai.request.model`, which is what this module reads it from.
 */
export const ADK_CALL_FIELDS_IN_JSON = [RESPONSE];

export function normalizeGoogleAdk(view: SpanView): LlmCallFragment | undefined {
  const a = view.attributes;
  const toolArgs = a['gcp.vertex.agent.tool_call_args'];
  const toolResponse = a['gcp.vertex.agent.tool_response'];
  if (toolArgs !== undefined || toolResponse !== undefined || a['gen_ai.operation.name'] === 'execute_tool') {
    // The tool's name and call id are GenAI attributes (genai.ts); what it was given and gave back are here.
    return { convention: 'google-adk', operation: 'tool', tool: { arguments: jsonText(toolArgs), result: jsonText(toolResponse) } };
  }
  // What makes it a model call, and which model was asked, must not depend on the request JSON: the
  // ingest hot path indexes a preview without long attributes, and a conversation is long.
  const model = asString(a['gen_ai.request.model']);
  if (a[REQUEST] === undefined && model === undefined) return undefined;
  // A span that names its operation (newer ADK releases, agent spans) keeps it: GenAI reads it.
  const operation = a['gen_ai.operation.name'] === undefined ? 'generate_content' : undefined;
  const fragment: LlmCallFragment = { convention: 'google-adk', operation, provider: geminiProvider(model) };
  const request = objectOf(a[REQUEST]);
  if (request) {
    const config = isObject(request.config) ? request.config : undefined;
    const system = config ? geminiSystemMessage(config.system_instruction) : undefined;
    const contents = geminiMessages(request.contents);
    if (system || contents.length > 0) fragment.inputMessages = system ? [system, ...contents] : contents;
    if (config) fragment.params = paramsOf(config);
  }
  const response = objectOf(a[RESPONSE]);
  if (response) {
    fragment.responseModel = asString(response.model_version);
    const finish = asString(response.finish_reason)?.toLowerCase();
    if (finish) fragment.finishReasons = [finish];
    const answer = geminiMessage(response.content);
    if (answer) fragment.outputMessages = [finish ? { ...answer, finishReason: finish } : answer];
    const usage = isObject(response.usage_metadata) ? usageOf(response.usage_metadata) : undefined;
    if (usage) fragment.usage = usage;
  }
  return fragment;
}

/** A JSON object attribute; ADK writes `{}` where a span has no call, which counts as none. */
function objectOf(value: JsonValue | undefined): JsonObject | undefined {
  const parsed = readJson(value);
  return parsed?.ok && isObject(parsed.value) && Object.keys(parsed.value).length > 0 ? parsed.value : undefined;
}

function jsonText(value: JsonValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  const parsed = readJson(value);
  // `{}` is what ADK writes when it was told not to record content (ADK_CAPTURE_MESSAGE_CONTENT_IN_SPANS).
  if (parsed?.ok && isObject(parsed.value) && Object.keys(parsed.value).length === 0) return undefined;
  return textOf(value);
}

const NUMERIC_PARAMS: readonly NumberFieldSource<'temperature' | 'top_p' | 'top_k' | 'max_tokens' | 'seed' | 'frequency_penalty' | 'presence_penalty' | 'n'>[] = [
  ['temperature', 'temperature'],
  ['top_p', 'top_p'],
  ['top_k', 'top_k'],
  ['max_tokens', 'max_output_tokens'],
  ['seed', 'seed'],
  ['frequency_penalty', 'frequency_penalty'],
  ['presence_penalty', 'presence_penalty'],
  ['n', 'candidate_count'],
];

/** Gemini's `GenerateContentConfig` as the contract's params (its tools are Gemini function declarations). */
function paramsOf(config: JsonObject): LlmParams | undefined {
  const params: LlmParams = { ...readNumberFields(config, NUMERIC_PARAMS) };
  if (Array.isArray(config.stop_sequences)) params.stop = config.stop_sequences.filter((s): s is string => typeof s === 'string');
  if (config.response_mime_type !== undefined) params.response_format = config.response_mime_type;
  const tools = geminiToolDefinitions(config.tools);
  if (tools.length > 0) params.tools = tools;
  return Object.keys(params).length > 0 ? params : undefined;
}

/** Gemini's `usage_metadata` (geminiUsage says how its counts add up). */
function usageOf(u: JsonObject): LlmUsage | undefined {
  const usage = geminiUsage({
    prompt: u.prompt_token_count,
    toolPrompt: u.tool_use_prompt_token_count,
    candidates: u.candidates_token_count,
    thoughts: u.thoughts_token_count,
    cached: u.cached_content_token_count,
    total: u.total_token_count,
  });
  return Object.keys(usage).length > 0 ? usage : undefined;
}

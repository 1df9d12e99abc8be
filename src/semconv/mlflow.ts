// MLflow Tracing (`mlflow.openai.autolog()`, `@mlflow.trace`, the autologging of LangChain, Anthropic,
// DSPy…) sends its own attributes over OTLP unless told to translate them to GenAI's
// (MLFLOW_ENABLE_OTEL_GENAI_SEMCONV), and every value is JSON-encoded: a type arrives as `"CHAT_MODEL"`,
// quotes included. Names from MLflow's `mlflow/tracing/constant.py` (SpanAttributeKey):
// `mlflow.spanType`, `mlflow.spanInputs` / `mlflow.spanOutputs` (the call's arguments and its return
// value: for a model call the provider's request and response bodies, or LangChain's messages and
// LLMResult), `mlflow.llm.model` /
// `.provider`, `mlflow.chat.tokenUsage` ({input_tokens, output_tokens, total_tokens,
// cache_read_input_tokens, cache_creation_input_tokens}), `mlflow.chat.tools`, `mlflow.llm.cost`
// ({input_cost, output_cost, total_cost}, USD).
// The model and the usage are read only from their own short attributes, never from the bodies: the
// ingest preview leaves long attributes out, and the trace list must show what the span shows.
import { asNumber, asString, isObject, nonNegative, readJson, serializedText } from './attributeReaders';
import type { LlmCallFragment, SpanView } from './callFragments';
import { langchainGenerations, langchainInputMessages } from './langchain';
import { operationFromName } from './operations';
import { normalizeProvider } from './providers';
import { paramsFromRequest, usageFrom } from './requestBodies';
import { inputMessages, isResponsesCall, outputMessages, readSerialized } from './serializedMessages';
import { toolDefinitionsFrom } from './toolDefinitions';

export const MLFLOW_PREFIX = 'mlflow.';

/** Its JSON attributes that hold a call's usage and cost (see CALL_FIELDS_IN_JSON in index.ts). */
export const MLFLOW_CALL_FIELDS_IN_JSON = ['mlflow.chat.tokenUsage', 'mlflow.llm.cost'];


export function normalizeMlflow(view: SpanView): LlmCallFragment | undefined {
  const a = view.attributes;
  const type = serializedText(a['mlflow.spanType']);
  if (!type) return undefined;
  const operation = type === 'CHAT_MODEL' ? 'chat' : type === 'LLM' ? 'text_completion' : (operationFromName(type) ?? 'other');
  const fragment: LlmCallFragment = { convention: 'mlflow', operation };
  fragment.requestModel = asString(serializedText(a['mlflow.llm.model']));
  fragment.provider = normalizeProvider(serializedText(a['mlflow.llm.provider']));
  const usage = readJson(a['mlflow.chat.tokenUsage']);
  if (usage?.ok && isObject(usage.value)) fragment.usage = usageFrom(usage.value);
  const cost = readJson(a['mlflow.llm.cost']);
  if (cost?.ok && isObject(cost.value)) fragment.reportedCostUsd = nonNegative(asNumber(cost.value.total_cost));

  if (operation === 'tool') {
    fragment.tool = { name: view.name, arguments: serializedText(a['mlflow.spanInputs']), result: serializedText(a['mlflow.spanOutputs']) };
    return fragment;
  }
  // CHAT_MODEL and LLM spans: their inputs and outputs are the provider's request and response.
  if (operation === 'chat' || operation === 'text_completion') {
    const inputs = readSerialized(a['mlflow.spanInputs']);
    const outputs = readSerialized(a['mlflow.spanOutputs']);
    // Its LangChain autologging records the chat model's message lists and LangChain's LLMResult.
    const result = outputs?.ok && isObject(outputs.value) ? outputs.value : undefined;
    const langchain = serializedText(a['mlflow.message.format']) === 'langchain' || Array.isArray(result?.generations);
    if (operation === 'chat' && !langchain && isResponsesCall(inputs, outputs)) fragment.operation = 'responses';
    const messages = langchain && inputs?.ok ? langchainInputMessages(inputs.value) : inputMessages(inputs);
    if (messages.length > 0) fragment.inputMessages = messages;
    const answer = langchain && result ? langchainGenerations(result) : outputMessages(outputs);
    if (answer.messages.length > 0) fragment.outputMessages = answer.messages;
    if (answer.finishReasons.length > 0) fragment.finishReasons = answer.finishReasons;
    const params = inputs?.ok && isObject(inputs.value) ? paramsFromRequest(inputs.value) : {};
    // The tools offered, as MLflow recorded them apart (its autologging finds them in any request format).
    const tools = readJson(a['mlflow.chat.tools']);
    if (!params.tools && tools?.ok) {
      const definitions = toolDefinitionsFrom(tools.value);
      if (definitions.length > 0) params.tools = definitions;
    }
    if (Object.keys(params).length > 0) fragment.params = params;
  }
  if (!fragment.inputMessages) fragment.input = serializedText(a['mlflow.spanInputs']);
  if (!fragment.outputMessages) fragment.output = serializedText(a['mlflow.spanOutputs']);
  return fragment;
}

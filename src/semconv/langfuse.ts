// Langfuse SDK spans (Python SDK v3 / JS SDK v4 are OpenTelemetry-based; LangfuseOtelSpanAttributes):
// `langfuse.observation.type` (generation, embedding, agent, tool, chain, retriever, span, event, …),
// `langfuse.observation.input` / `.output` (JSON), `.model.name`, `.model.parameters` (JSON),
// `.usage_details` (JSON). The Langfuse OpenAI wrapper records input as the OpenAI `messages` array and
// output as the assistant message `{role, content, tool_calls}`.
import { asNumber, asString, isObject, nonNegative, readJson, serializedText, type JsonObject } from './attributeReaders';
import type { LlmCallFragment, SpanView } from './callFragments';
import { msFromStartToIso } from './firstToken';
import { operationFromName } from './operations';
import { paramsFromRequest, usageFrom } from './requestBodies';
import { inputMessages, isResponsesCall, outputMessages, readSerialized } from './serializedMessages';

const PREFIX = 'langfuse.observation.';

/** Its JSON attribute that holds the token usage (see CALL_FIELDS_IN_JSON in index.ts). */
export const LANGFUSE_CALL_FIELDS_IN_JSON = [`${PREFIX}usage_details`, `${PREFIX}cost_details`];

export function normalizeLangfuse(view: SpanView): LlmCallFragment | undefined {
  const a = view.attributes;
  const type = asString(a[`${PREFIX}type`]);
  const model = asString(a[`${PREFIX}model.name`]);
  if (!type && !model) return undefined;
  const kind = type?.toLowerCase();
  const fragment: LlmCallFragment = {
    convention: 'langfuse',
    operation: kind === 'span' || kind === 'event' ? 'other' : operationFromName(type),
    requestModel: model,
  };
  const parameters = readJson(a[`${PREFIX}model.parameters`]);
  if (parameters?.ok && isObject(parameters.value)) fragment.params = paramsFromRequest(parameters.value);
  const usage = readJson(a[`${PREFIX}usage_details`]);
  if (usage?.ok) fragment.usage = usageFrom(usage.value);
  const cost = readJson(a[`${PREFIX}cost_details`]);
  if (cost?.ok && isObject(cost.value)) fragment.reportedCostUsd = reportedTotal(cost.value);
  fragment.timeToFirstTokenMs = msFromStartToIso(view, a[`${PREFIX}completion_start_time`]);

  const input = readSerialized(a[`${PREFIX}input`]);
  const output = readSerialized(a[`${PREFIX}output`]);
  if (kind === 'tool') {
    fragment.tool = { name: view.name, arguments: serializedText(a[`${PREFIX}input`]), result: serializedText(a[`${PREFIX}output`]) };
    return fragment;
  }
  if (kind === 'generation' || model) {
    if (fragment.operation === 'chat' && isResponsesCall(input, output)) fragment.operation = 'responses';
    const inputs = inputMessages(input);
    if (inputs.length > 0) fragment.inputMessages = inputs;
    const outputs = outputMessages(output);
    if (outputs.messages.length > 0) {
      fragment.outputMessages = outputs.messages;
      if (outputs.finishReasons.length > 0) fragment.finishReasons = outputs.finishReasons;
    }
  }
  if (!fragment.inputMessages) fragment.input = serializedText(a[`${PREFIX}input`]);
  if (!fragment.outputMessages) fragment.output = serializedText(a[`${PREFIX}output`]);
  return fragment;
}


/** `cost_details` (USD): its `total`, else the sum of its parts (`input`, `output`, …). */
function reportedTotal(details: JsonObject): number | undefined {
  const total = asNumber(details.total);
  if (total !== undefined) return nonNegative(total);
  let sum: number | undefined;
  for (const value of Object.values(details)) {
    const n = nonNegative(asNumber(value));
    if (n !== undefined) sum = (sum ?? 0) + n;
  }
  return sum;
}

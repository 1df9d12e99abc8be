// OpenLLMetry (Traceloop SDK) workflow attributes: `traceloop.span.kind` (workflow, task, agent, tool),
// `traceloop.entity.{name,input,output}`, `traceloop.workflow.name`, and `llm.request.type` on LLM
// spans (@traceloop/ai-semantic-conventions 0.27.0). The LLM spans' own `gen_ai.*` attributes are read
// by genai.ts (current form) and genaiLegacy.ts (indexed form).
import type { JsonValue } from '../protocol/model';
import { asString, isObject, readJson, serializedText, type JsonObject } from './attributeReaders';
import type { LlmCallFragment, SpanView } from './callFragments';
import { messagesFromOpenAi } from './openaiMessages';
import { operationFromName } from './operations';
import { outputFromResponse, paramsFromRequest } from './requestBodies';

/** Its JSON attribute that holds the model of a decorated call given an OpenAI request (see CALL_FIELDS_IN_JSON in index.ts). */
export const TRACELOOP_CALL_FIELDS_IN_JSON = ['traceloop.entity.input'];

export function normalizeTraceloop(view: SpanView): LlmCallFragment | undefined {
  const a = view.attributes;
  const kind = asString(a['traceloop.span.kind']);
  const requestType = asString(a['llm.request.type']);
  const entityInput = a['traceloop.entity.input'];
  const entityOutput = a['traceloop.entity.output'];
  if (!kind && !requestType && entityInput === undefined && entityOutput === undefined) return undefined;

  const fragment: LlmCallFragment = { convention: 'traceloop', operation: operationFromName(kind ?? requestType) };
  const input = serializedText(entityInput);
  const output = serializedText(entityOutput);

  if (kind === 'tool') {
    fragment.tool = { name: asString(a['traceloop.entity.name']) ?? view.name, arguments: input, result: output };
    return fragment;
  }
  // A decorated function that receives an OpenAI-style request shows it as a conversation.
  const request = findRequest(readJson(entityInput));
  if (request) {
    fragment.inputMessages = messagesFromOpenAi(request.messages);
    fragment.params = paramsFromRequest(request);
    fragment.requestModel = asString(request.model);
  }
  const response = readJson(entityOutput);
  if (response?.ok && isObject(response.value) && Array.isArray(response.value.choices)) {
    const { messages, finishReasons } = outputFromResponse(response.value);
    fragment.outputMessages = messages;
    fragment.finishReasons = finishReasons;
  }
  if (!fragment.inputMessages?.length) fragment.input = input;
  if (!fragment.outputMessages?.length) fragment.output = output;
  return fragment;
}

/**
 * Traceloop records a decorated call's input as `{args: [...], kwargs: {...}}` (Python) or the
 * argument list (JS). The first object with a `messages` array, at the top level, in kwargs or among
 * the positional args, is taken as the request.
 */
function findRequest(parsed: ReturnType<typeof readJson>): JsonObject | undefined {
  if (!parsed?.ok) return undefined;
  const candidates: JsonValue[] = [parsed.value];
  const v = parsed.value;
  if (isObject(v)) {
    if (v.kwargs !== undefined) candidates.push(v.kwargs);
    if (Array.isArray(v.args)) candidates.push(...v.args);
  } else if (Array.isArray(v)) {
    candidates.push(...v);
  }
  for (const c of candidates) if (isObject(c) && Array.isArray(c.messages)) return c;
  return undefined;
}

// Mastra (mastra-ai/mastra, TypeScript) exports its AI tracing through @mastra/otel-exporter with GenAI's
// names (observability/otel-exporter/src/gen-ai-semantics.ts), which genai.ts reads, plus `mastra.*`
// attributes for what GenAI has no name for: `mastra.span.type` (its span type, lower case), the input
// and output of everything that is no model call or tool (agent and workflow runs, workflow steps and
// their control flow: `mastra.<type>.input` / `.output`, JSON or text), and the moment a model call's
// first chunk arrived (`mastra.completion_start_time`). Its span types other than GenAI's operations
// arrive as the operation name (`workflow_step`, `workflow_conditional`, …), which GenAI calls `other`.
import type { JsonValue, LlmMessage, LlmOperation, MessagePart } from '../protocol/model';
import { asString, isObject, readJson, textOf } from './attributeReaders';
import type { LlmCallFragment, SpanView } from './callFragments';
import { msFromStartToIso } from './firstToken';
import { assembleMessage } from './messageParts';
import { messagesFromVercel, vercelToolCall } from './vercelMessages';

export const MASTRA_PREFIX = 'mastra.';

export function normalizeMastra(view: SpanView): LlmCallFragment | undefined {
  const a = view.attributes;
  const type = asString(a['mastra.span.type'])?.toLowerCase();
  if (!type) return undefined;
  const fragment: LlmCallFragment = { convention: 'mastra' };
  const operation = operationOf(type);
  if (operation) fragment.operation = operation;
  const input = a[`${MASTRA_PREFIX}${type}.input`];
  const output = a[`${MASTRA_PREFIX}${type}.output`];
  const conversation = type === 'model_step' || type === 'model_generation' ? modelConversation(input, output) : undefined;
  if (conversation) {
    fragment.inputMessages = conversation.inputs;
    fragment.outputMessages = conversation.outputs;
  } else {
    if (input !== undefined) fragment.input = textOf(input);
    if (output !== undefined) fragment.output = textOf(output);
  }
  fragment.timeToFirstTokenMs = msFromStartToIso(view, a['mastra.completion_start_time']);
  return fragment;
}

/**
 * A model step's or generation's messages (@mastra/otel-exporter 1.4): the AI SDK's prompt messages (a
 * list, or `{messages}`) and its result `{text, reasoning, toolCalls: [{toolCallId, toolName, args}]}`.
 * Its model call's own span (`model_inference`) carries only the answer's text, empty when the model
 * called a tool: the step is where the conversation is.
 */
function modelConversation(input: JsonValue | undefined, output: JsonValue | undefined): { inputs: LlmMessage[]; outputs: LlmMessage[] } | undefined {
  const request = readJson(input);
  const list = request?.ok ? (isObject(request.value) ? request.value.messages : request.value) : undefined;
  const inputs = messagesFromVercel(list);
  const result = readJson(output);
  const answer = result?.ok && isObject(result.value) ? result.value : undefined;
  if (inputs.length === 0 && !answer) return undefined;
  const parts: MessagePart[] = [];
  for (const r of answer && Array.isArray(answer.reasoning) ? answer.reasoning : []) {
    const text = isObject(r) ? asString(r.text) : asString(r);
    if (text) parts.push({ type: 'reasoning', text });
  }
  const text = answer ? asString(answer.text) : undefined;
  if (text) parts.push({ type: 'text', text });
  const toolCalls = (answer && Array.isArray(answer.toolCalls) ? answer.toolCalls : []).filter(isObject).map(vercelToolCall);
  return { inputs, outputs: answer ? [assembleMessage('assistant', parts, toolCalls)] : [] };
}

/** A workflow run, its steps and their control flow (conditions, loops, parallel branches, sleeps, waits) are the workflow. */
function operationOf(type: string): LlmOperation | undefined {
  return type.startsWith('workflow_') ? 'workflow' : undefined;
}

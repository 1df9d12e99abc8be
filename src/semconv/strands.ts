// Strands Agents (strands-agents/sdk-python, AWS; sdk-typescript alike) traces every agent invocation,
// event-loop cycle, model call and tool call with GenAI's names (src/strands/telemetry/tracer.py), and
// `gen_ai.system` (or `gen_ai.provider.name`) `strands-agents`: its own name, not the model's provider.
// Its messages are span events, read by genaiEvents.ts: by default one `gen_ai.<role>.message` per
// message and a `gen_ai.choice`, holding Bedrock Converse content blocks as JSON; with
// `OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental`, `gen_ai.client.inference.operation.details`
// events with GenAI's structured messages. What this module adds is what those leave wrong:
// - a tool span's events are the tool's input and result, not a conversation;
// - `gen_ai.server.time_to_first_token` is in milliseconds (OpenLIT's, read by genai.ts, in seconds);
// - the cache writes are `gen_ai.usage.cache_write_input_tokens`;
// - the provider is Bedrock when the model id is one of Bedrock's (its default model), else unknown;
//   Bedrock counts the prompt in three parts (uncached, read from and written to the cache), summed here;
// - its multi-agent and event-loop spans are workflow steps.
import type { LlmMessage, LlmOperation } from '../protocol/model';
import { isBedrockModelId } from '../pricing/cost';
import { asNumber, asString, textOf } from './attributeReaders';
import type { LlmCallFragment, SpanView } from './callFragments';
import { reportedMs } from './firstToken';
import { usageOfPromptParts } from './requestBodies';

export const STRANDS_SYSTEM = 'strands-agents';

/**
 * Its system name, else the start time it stamps on every span (its TypeScript SDK writes the service
 * name as the system, which a user may have changed).
 */
export function isStrandsSpan(view: SpanView): boolean {
  const a = view.attributes;
  return a['gen_ai.system'] === STRANDS_SYSTEM || a['gen_ai.provider.name'] === STRANDS_SYSTEM || a['gen_ai.event.start_time'] !== undefined;
}

/** `fromEvents`: what the span's GenAI events say (normalizeGenAiSpanEvents), read once by the dispatcher. */
export function normalizeStrands(view: SpanView, fromEvents: LlmCallFragment | undefined): LlmCallFragment {
  const a = view.attributes;
  const fragment: LlmCallFragment = { convention: 'strands' };
  const recordedOperation = asString(a['gen_ai.operation.name']);
  const operation = operationOf(recordedOperation, a);
  if (operation) fragment.operation = operation;
  fragment.timeToFirstTokenMs = reportedMs(view, a['gen_ai.server.time_to_first_token'], 1);
  const model = asString(a['gen_ai.request.model']);
  const cacheRead = asNumber(a['gen_ai.usage.cache_read_input_tokens']);
  const cacheWrite = asNumber(a['gen_ai.usage.cache_write_input_tokens']);
  if (model !== undefined && isBedrockModelId(model)) {
    fragment.provider = 'aws.bedrock';
    // Bedrock's input count leaves out the cached parts, and its total them too.
    const usage = usageOfPromptParts(asNumber(a['gen_ai.usage.input_tokens']), cacheRead, cacheWrite, asNumber(a['gen_ai.usage.output_tokens']));
    if (usage?.inputTokens !== undefined && usage.outputTokens !== undefined) usage.totalTokens = usage.inputTokens + usage.outputTokens;
    fragment.usage = usage;
  } else if (cacheWrite !== undefined) {
    // Other providers' input counts include the cache (OpenAI's do; Strands reports no cache for Anthropic's API).
    fragment.usage = { cacheCreationInputTokens: cacheWrite };
  }
  if (recordedOperation === 'execute_tool') {
    // The events hold what the tool was given and gave back (genai.ts adds the call id).
    fragment.ownsMessages = true;
    const name = asString(a['gen_ai.tool.name']);
    if (name) fragment.tool = { name, arguments: toolInput(fromEvents?.inputMessages?.[0]), result: toolOutput(fromEvents?.outputMessages?.[0]) };
  }
  return fragment;
}

function operationOf(name: string | undefined, a: SpanView['attributes']): LlmOperation | undefined {
  // The TypeScript SDK's loop span names no operation; its messages are the history it carries, no call.
  if (name === 'execute_event_loop_cycle' || (name === undefined && a['agent_loop.cycle_id'] !== undefined)) return 'workflow';
  // `invoke_swarm`, `invoke_graph`: several agents handing work to each other.
  if (name !== undefined && name.startsWith('invoke_') && name !== 'invoke_agent') return 'workflow';
  return undefined;
}

/** By default the arguments are the message's text; in the latest form, the arguments of its tool call. */
function toolInput(message: LlmMessage | undefined): string | undefined {
  if (!message) return undefined;
  return message.toolCalls?.[0]?.arguments ?? contentText(message);
}

function toolOutput(message: LlmMessage | undefined): string | undefined {
  return message ? contentText(message) : undefined;
}

function contentText(message: LlmMessage): string | undefined {
  if (typeof message.content !== 'string') return textOf(message.content);
  return message.content === '' ? undefined : message.content;
}

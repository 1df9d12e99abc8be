// Pydantic Logfire's LLM integrations (logfire/_internal/integrations/llm_providers/{openai,anthropic}.py):
// the raw request body in `request_data` and a summary of the response in `response_data`, both JSON.
// Current Logfire also writes `gen_ai.*` (read by genai.ts, which takes precedence); older releases
// only had these, and their Responses API spans carried an `events` list of message events instead.
// Its OpenAI Agents SDK integration adds the agents' runs and function tools (openAiAgentsStep).
import type { JsonValue, LlmMessage, LlmOperation } from '../protocol/model';
import { asString, isObject, readJson, textOf, type JsonObject } from './attributeReaders';
import type { LlmCallFragment, SpanView } from './callFragments';
import { splitAnswer, textMessage } from './messageParts';
import { messageFromOpenAi, messagesFromOpenAi } from './openaiMessages';
import { outputFromResponse, paramsFromRequest, usageFrom } from './requestBodies';
import { systemMessage } from './serializedMessages';

/** Its JSON attributes that hold the call's model and token usage (see CALL_FIELDS_IN_JSON in index.ts). */
export const LOGFIRE_CALL_FIELDS_IN_JSON = ['request_data', 'response_data'];

export function normalizeLogfire(view: SpanView): LlmCallFragment | undefined {
  const a = view.attributes;
  const template = asString(a['logfire.msg_template']) ?? '';
  const agentsStep = openAiAgentsStep(template, a);
  if (agentsStep) return agentsStep;
  const request = readJson(a['request_data']);
  const response = readJson(a['response_data']);
  const events = readJson(a['events']);
  if (!request && !response && !events?.ok) return undefined;

  const fragment: LlmCallFragment = { convention: 'logfire', operation: operationOfTemplate(template) };
  if (request) fragment.provider = template.startsWith('Message with') ? 'anthropic' : 'openai';

  if (request?.ok && isObject(request.value)) readRequest(request.value, fragment);
  else if (request && !request.ok) fragment.inputMessages = [textMessage('user', request.raw)];

  if (response?.ok && isObject(response.value)) readResponse(response.value, fragment);
  else if (response && !response.ok) fragment.outputMessages = [textMessage('assistant', response.raw)];

  if (events?.ok && Array.isArray(events.value) && !fragment.inputMessages?.length) readEvents(events.value, fragment);
  return fragment;
}

/**
 * Logfire's OpenAI Agents SDK integration (integrations/openai_agents.py) records the SDK's span data as
 * attributes under its own templates: a function tool's `name`, `input` (the arguments) and `output`,
 * an agent run's `name`. Its model calls carry `events` or `request_data`, read below like any other.
 */
function openAiAgentsStep(template: string, a: SpanView['attributes']): LlmCallFragment | undefined {
  if (template === 'Function: {name}') {
    const name = asString(a['name']);
    if (!name) return undefined;
    const input = a['input'];
    const output = a['output'];
    const tool = { name, arguments: input === undefined || input === null ? undefined : textOf(input), result: output === undefined || output === null ? undefined : textOf(output) };
    return { convention: 'logfire', operation: 'tool', tool };
  }
  if (template === 'Agent run: {name!r}') return { convention: 'logfire', operation: 'agent' };
  return undefined;
}

/** The message templates of each endpoint, which is all older Logfire records about the operation. */
function operationOfTemplate(template: string): LlmOperation | undefined {
  if (template.startsWith('Chat Completion') || template.startsWith('Message with')) return 'chat';
  if (template.startsWith('Responses API')) return 'responses';
  if (template.startsWith('Completion with')) return 'text_completion';
  if (template.startsWith('Embedding Creation')) return 'embeddings';
  if (template.startsWith('Image Generation')) return 'generate_content';
  return undefined;
}

/** OpenAI chat/completions/embeddings or Anthropic Messages request body. */
function readRequest(body: JsonObject, fragment: LlmCallFragment): void {
  fragment.requestModel = asString(body.model);
  fragment.params = paramsFromRequest(body);
  const messages: LlmMessage[] = [];
  const system = systemMessage(body.system);
  if (system) messages.push(system);
  messages.push(...messagesFromOpenAi(body.messages));
  if (body.prompt !== undefined) messages.push(textMessage('user', textOf(body.prompt)));
  if (messages.length > 0) fragment.inputMessages = messages;
  else if (body.input !== undefined) fragment.input = textOf(body.input);
}

/**
 * `{message, usage}` (chat, also for Anthropic in OpenAI-like form), `{finish_reason, text, usage}`
 * (completions), `{combined_chunk_content, chunk_count}` (streamed without a final snapshot),
 * `{usage}` (embeddings), or a whole Responses API response (streamed Responses).
 */
function readResponse(body: JsonObject, fragment: LlmCallFragment): void {
  if (body.usage !== undefined) fragment.usage = usageFrom(body.usage);
  if (body.message !== undefined && body.message !== null) {
    const message = messageFromOpenAi(body.message, 'assistant');
    if (message) fragment.outputMessages = [message];
  } else if (typeof body.text === 'string') {
    const finishReason = asString(body.finish_reason);
    fragment.outputMessages = [{ role: 'assistant', content: body.text, ...(finishReason ? { finishReason } : {}) }];
    if (finishReason) fragment.finishReasons = [finishReason];
  } else if (typeof body.combined_chunk_content === 'string') {
    fragment.outputMessages = [textMessage('assistant', body.combined_chunk_content)];
  } else if (Array.isArray(body.output) || Array.isArray(body.choices)) {
    const { messages, finishReasons } = outputFromResponse(body);
    fragment.outputMessages = messages;
    fragment.finishReasons = finishReasons;
    fragment.responseModel = asString(body.model);
  }
}

/**
 * Older Logfire Responses API spans: `events` = the input events followed by the output events, each
 * `{'event.name', role, content, tool_calls?, id?, name?}`. The trailing assistant events are the output.
 */
function readEvents(events: JsonValue[], fragment: LlmCallFragment): void {
  const messages: LlmMessage[] = [];
  for (const e of events) {
    if (!isObject(e)) continue;
    const body: JsonObject = { ...e };
    if (asString(e['event.name']) === 'gen_ai.tool.message' && e.id !== undefined) body.tool_call_id = e.id;
    const message = messageFromOpenAi(body, 'user');
    if (message) messages.push(message);
  }
  const { conversation, answer } = splitAnswer(messages);
  fragment.inputMessages = conversation;
  fragment.outputMessages = answer;
}

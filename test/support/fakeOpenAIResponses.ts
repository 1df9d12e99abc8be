// POST /v1/responses for the fake OpenAI server: enough of the Responses API for the openai SDK, its
// instrumentations and the Vercel AI SDK's responses model — text or function-call output, usage with
// cached/reasoning details, and the SSE event sequence when `stream: true`.
import type { ServerResponse } from 'node:http';
import { parseToolChoice, planTurn, planUsage, responseModelFor, stableId, unansweredCallId, type ConversationMessage, type OfferedTool, type PlannedUsage } from './fakeOpenAIReplies';
import { contentText, isObject, sendJson, splitForStreaming, startSse, writeSse, type JsonObject } from './fakeOpenAIWire';

type OutputItem =
  | { type: 'message'; id: string; status: 'completed'; role: 'assistant'; content: Array<{ type: 'output_text'; text: string; annotations: never[]; logprobs: never[] }> }
  | { type: 'function_call'; id: string; call_id: string; name: string; arguments: string; status: 'completed' };

/**
 * Each response's whole conversation (its input after what it continued, then its output), by id, as the
 * API stores responses (`store`, on by default) for `previous_response_id` to continue. The oldest go first.
 */
const stored = new Map<string, ConversationMessage[]>();
const STORED_RESPONSES = 1000;

export function handleResponses(res: ServerResponse, body: JsonObject, model: string): void {
  const refuse = (message: string, param: string) => sendJson(res, 400, { error: { message, type: 'invalid_request_error', param, code: null } });
  const previousId = typeof body.previous_response_id === 'string' ? body.previous_response_id : undefined;
  const earlier = previousId === undefined ? [] : stored.get(previousId);
  if (!earlier) return refuse(`Previous response with id '${previousId}' not found.`, 'previous_response_id');
  const conversation = [...earlier, ...responsesConversation(body.input)];
  const unanswered = unansweredCallId(conversation);
  if (unanswered !== undefined) return refuse(`No tool output found for function call ${unanswered}.`, 'input');
  const orphan = conversation.find((m) => m.role === 'tool' && !conversation.some((c) => c.toolCalls?.some((call) => call.id === m.toolCallId)));
  if (orphan) return refuse(`No tool call found for function call output with call_id ${orphan.toolCallId}.`, 'input');
  const tools = responsesTools(body.tools);
  const turn = planTurn(conversation, tools, parseToolChoice(body.tool_choice));
  const id = stableId('resp_', body);
  const output: OutputItem[] =
    turn.kind === 'text'
      ? [{ type: 'message', id: stableId('msg_', id), status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: turn.text, annotations: [], logprobs: [] }] }]
      : turn.calls.map((call) => ({ type: 'function_call', id: stableId('fc_', call.id), call_id: call.id, name: call.name, arguments: call.arguments, status: 'completed' }));
  const promptSide = typeof body.instructions === 'string' ? [{ role: 'system', text: body.instructions }, ...conversation] : conversation;
  const usage = planUsage(model, promptSide, output.map(itemText).join(''));
  const response = {
    id,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'completed',
    error: null,
    incomplete_details: null,
    instructions: typeof body.instructions === 'string' ? body.instructions : null,
    max_output_tokens: typeof body.max_output_tokens === 'number' ? body.max_output_tokens : null,
    model: responseModelFor(model),
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: true,
    temperature: typeof body.temperature === 'number' ? body.temperature : 1,
    text: { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: Array.isArray(body.tools) ? body.tools : [],
    top_p: typeof body.top_p === 'number' ? body.top_p : 1,
    truncation: 'disabled',
    usage: responsesUsage(usage),
    user: null,
    metadata: {},
  };
  if (body.store !== false) {
    if (stored.size >= STORED_RESPONSES) stored.delete(stored.keys().next().value as string);
    stored.set(id, [...conversation, ...output.map(outputMessage)]);
  }
  if (body.stream === true) return streamResponse(res, response, output);
  sendJson(res, 200, response);
}

/** An output item as the conversation a continuation sees. */
function outputMessage(item: OutputItem): ConversationMessage {
  return item.type === 'message'
    ? { role: 'assistant', text: item.content[0].text }
    : { role: 'assistant', text: item.arguments, toolCalls: [{ id: item.call_id, name: item.name }] };
}

/** The event sequence the real API sends, in order, each with its `sequence_number`. */
function streamResponse(res: ServerResponse, response: JsonObject & { output: OutputItem[] }, output: OutputItem[]): void {
  startSse(res);
  let sequence = 0;
  const send = (type: string, fields: JsonObject) => writeSse(res, { type, sequence_number: sequence++, ...fields }, type);
  const pending = { ...response, status: 'in_progress', output: [], usage: null };
  send('response.created', { response: pending });
  send('response.in_progress', { response: pending });
  output.forEach((item, outputIndex) => {
    if (item.type === 'message') {
      const text = item.content[0].text;
      const part = { type: 'output_text', text: '', annotations: [], logprobs: [] };
      send('response.output_item.added', { output_index: outputIndex, item: { ...item, status: 'in_progress', content: [] } });
      send('response.content_part.added', { item_id: item.id, output_index: outputIndex, content_index: 0, part });
      for (const delta of splitForStreaming(text)) {
        send('response.output_text.delta', { item_id: item.id, output_index: outputIndex, content_index: 0, delta, logprobs: [] });
      }
      send('response.output_text.done', { item_id: item.id, output_index: outputIndex, content_index: 0, text, logprobs: [] });
      send('response.content_part.done', { item_id: item.id, output_index: outputIndex, content_index: 0, part: { ...part, text } });
    } else {
      send('response.output_item.added', { output_index: outputIndex, item: { ...item, status: 'in_progress', arguments: '' } });
      for (const delta of splitForStreaming(item.arguments)) {
        send('response.function_call_arguments.delta', { item_id: item.id, output_index: outputIndex, delta });
      }
      send('response.function_call_arguments.done', { item_id: item.id, output_index: outputIndex, arguments: item.arguments });
    }
    send('response.output_item.done', { output_index: outputIndex, item });
  });
  send('response.completed', { response });
  res.end();
}

function responsesConversation(input: unknown): ConversationMessage[] {
  if (typeof input === 'string') return [{ role: 'user', text: input }];
  if (!Array.isArray(input)) return [];
  const conversation: ConversationMessage[] = [];
  for (const item of input.filter(isObject)) {
    if (item.type === 'function_call') {
      const call = { id: String(item.call_id ?? ''), name: String(item.name ?? '') };
      conversation.push({ role: 'assistant', text: String(item.arguments ?? ''), toolCalls: [call] });
    } else if (item.type === 'function_call_output') {
      conversation.push({ role: 'tool', text: typeof item.output === 'string' ? item.output : JSON.stringify(item.output), toolCallId: String(item.call_id ?? '') });
    } else if (typeof item.role === 'string') {
      conversation.push({ role: item.role, text: contentText(item.content) });
    }
    // Other items (reasoning, item references) do not change the fake's answer.
  }
  return conversation;
}

function responsesTools(tools: unknown): OfferedTool[] {
  if (!Array.isArray(tools)) return [];
  return tools
    .filter(isObject)
    .filter((t) => t.type === 'function' && typeof t.name === 'string')
    .map((t) => ({ name: t.name as string, parameters: t.parameters }));
}

function responsesUsage(usage: PlannedUsage) {
  return {
    input_tokens: usage.promptTokens,
    input_tokens_details: { cached_tokens: usage.cachedTokens },
    output_tokens: usage.completionTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    total_tokens: usage.totalTokens,
  };
}

function itemText(item: OutputItem): string {
  return item.type === 'message' ? item.content[0].text : item.name + item.arguments;
}
